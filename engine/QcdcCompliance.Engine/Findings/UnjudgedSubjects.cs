using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Findings;

/// <summary>
/// When a resolved finding resolved because its target no longer judges its subject: the target's set was re-dated so
/// that the period left it, re-scoped so that the subject's area left it (a province's set narrowed to one district), or
/// the target was dropped. A run rolls every target it evaluates up over every area of its population, from the unit's
/// area up to the area the target binds (<see cref="AreaResult"/>); where the (period, scope) holds no roll-up of the
/// target over the subject's area or any area above it (an area's own path, or the path of the area a unit sat in on the
/// period's last day; an area dissolved during the period on its kept path, <see cref="AreaTree.PathKeptOn"/>), the
/// target no longer judges it, and its finding disappeared with nothing put right: "không còn được đánh giá", never
/// "Đã khắc phục". So too where the nearest roll-up on that path is over no unit: a year's area left with no unit of
/// the population holds only the first-half counts carried into it (<see cref="Evaluation.CarriedFlows"/>), "not
/// applicable", and its 60% of them was not put right. An area is judged by its own roll-up alone: one left with no
/// unit of the population, with or without carried counts, is no longer judged (its parent's figure judges the parent). Every reader tells it by this one rule, as <see cref="ClosedUnits"/> tells a unit that closed: the
/// explanation, the API, the CSV, the unit and workspace pages, and the committees' digest.
/// </summary>
public static class UnjudgedSubjects
{
    /// <summary>
    /// The roll-ups (target, area) of the given targets that no later run superseded in the (period, scope), or, with
    /// <paramref name="asOfRun"/>, those that run of the (period, scope) stood on (written by it or before it, superseded
    /// only after it); each with the units of the population it is over.
    /// </summary>
    public static async Task<Dictionary<(string Target, int AreaId), int>> RollUpsAsync(QcdcDbContext db, int periodId, int scopeAreaId,
        IReadOnlyCollection<string> targets, CancellationToken ct, long? asOfRun = null)
    {
        var query = asOfRun is { } run ? db.AreaResults.AsNoTracking().AsOf(periodId, scopeAreaId, run) : db.AreaResults.AsNoTracking().Unsuperseded(periodId, scopeAreaId);
        var rows = await query.Where(a => targets.Contains(a.TargetCode)).Select(a => new { a.TargetCode, a.AreaId, a.PopulationUnits }).ToListAsync(ct);
        return rows.ToDictionary(r => (r.TargetCode, r.AreaId), r => r.PopulationUnits);
    }

    /// <summary>
    /// The ids of the resolved rows of one (period, scope) among <paramref name="resolved"/> that resolved because their
    /// target no longer judged their subject, told as the run that resolved each (its <see cref="RunRecord.RunId"/>) left
    /// the roll-ups, whatever later runs did: a finding that comes back once its target judges it again had been "không còn
    /// được đánh giá", not put right. <c>Path</c> is the subject's area and those above it, nearest first.
    /// </summary>
    public static async Task<HashSet<long>> WhenResolvedAsync(QcdcDbContext db, int periodId, int scopeAreaId,
        IReadOnlyCollection<(Finding Row, IReadOnlyList<int> Path)> resolved, CancellationToken ct)
    {
        var ids = new HashSet<long>();
        foreach (var byRun in resolved.Where(r => r.Row.State == FindingState.Resolved).GroupBy(r => r.Row.RunId))
        {
            var rollUps = await RollUpsAsync(db, periodId, scopeAreaId, byRun.Select(r => r.Row.TargetCode).Distinct().ToList(), ct, byRun.Key);
            foreach (var (row, path) in byRun)
            {
                if (NoLongerJudged(rollUps, row.TargetCode, row.SubjectType, path))
                    ids.Add(row.Id);
            }
        }

        return ids;
    }

    /// <summary>
    /// The keys among <paramref name="keys"/> (New findings of the run) that reopen a finding resolved because its target
    /// no longer judged its subject (<see cref="WhenResolvedAsync"/>, <see cref="RecordedRun.Reopened"/>): the target
    /// judges it again (its set restored, re-dated back, the target put back) and finds it short again. Not news: the
    /// unit is not told again what it was told (<see cref="Alerts.RepeatedShortfalls"/>), and the committees' digest
    /// counts it apart from the new shortfalls. <paramref name="path"/> gives a subject's area and those above it, nearest first.
    /// </summary>
    public static async Task<IReadOnlySet<FindingKey>> ReopenedAsync(QcdcDbContext db, RecordedRun run, IEnumerable<FindingKey> keys,
        Func<FindingKey, IEnumerable<int>> path, CancellationToken ct)
    {
        var reopened = keys.Where(run.Reopened.ContainsKey).Distinct().ToList();
        if (reopened.Count == 0)
            return new HashSet<FindingKey>();
        var unjudged = await WhenResolvedAsync(db, run.Period.Id, run.Scope.Id,
            reopened.Select(k => (run.Reopened[k], (IReadOnlyList<int>)path(k).ToList())).ToList(), ct);
        return reopened.Where(k => unjudged.Contains(run.Reopened[k].Id)).ToHashSet();
    }

    /// <summary>
    /// The ids of the resolved rows among <paramref name="rows"/> whose target no longer judges their subject: read only
    /// when some row is resolved, from the roll-ups of those rows' (period, scope) and targets, and where their units sat
    /// on each period's last day.
    /// </summary>
    public static async Task<HashSet<long>> AmongAsync(QcdcDbContext db, IReadOnlyList<Finding> rows, CancellationToken ct)
    {
        var ids = new HashSet<long>();
        var resolved = rows.Where(f => f.State == FindingState.Resolved).ToList();
        if (resolved.Count == 0)
            return ids;
        var periodIds = resolved.Select(f => f.PeriodId).Distinct().ToList();
        var days = await db.Periods.AsNoTracking().Where(p => periodIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => (p.Start, p.End), ct);
        var unitIds = resolved.Where(f => f.SubjectType == SubjectType.Unit).Select(f => f.SubjectId).Distinct().ToList();
        var areas = new Dictionary<int, int>();
        foreach (var chunk in unitIds.Chunk(5000))
        {
            foreach (var unit in await db.Units.AsNoTracking().Where(u => chunk.Contains(u.Id)).Select(u => new { u.Id, u.AreaId }).ToListAsync(ct))
                areas[unit.Id] = unit.AreaId;
        }

        var tree = await db.LoadAreaTreeAsync(ct);
        var history = await UnitHistoryRows.FromAsync(db, days.Values.Min(d => d.End), ct);
        foreach (var group in resolved.GroupBy(f => (f.PeriodId, f.ScopeAreaId)))
        {
            var (start, end) = days[group.Key.PeriodId];
            var rollUps = await RollUpsAsync(db, group.Key.PeriodId, group.Key.ScopeAreaId, group.Select(f => f.TargetCode).Distinct().ToList(), ct);
            foreach (var f in group)
            {
                // An area dissolved during the period (a district on 1 July) is read on its kept path: its own roll-up, then its province's.
                var path = f.SubjectType == SubjectType.Area ? tree.PathKeptOn(f.SubjectId, end, start).Select(a => a.Id)
                    : areas.TryGetValue(f.SubjectId, out var areaId) ? tree.PathKeptOn(history.AreaOn(f.SubjectId, areaId, end), end, start).Select(a => a.Id)
                    : [];
                if (NoLongerJudged(rollUps, f.TargetCode, f.SubjectType, path))
                    ids.Add(f.Id);
            }
        }

        return ids;
    }

    /// <summary>
    /// Whether the target no longer judges the subject: no roll-up of it over any area of <paramref name="path"/> (an
    /// area and those above it; a unit's area and those above it; nearest first; empty when not known, then it is
    /// judged), or the nearest one is over no unit of the population (only counts carried into it). An area subject
    /// (<paramref name="subject"/>) reads its own roll-up, the first of its path, alone.
    /// </summary>
    public static bool NoLongerJudged(IReadOnlyDictionary<(string Target, int AreaId), int> rollUps, string target, SubjectType subject, IEnumerable<int> path)
    {
        foreach (var areaId in path)
        {
            if (rollUps.TryGetValue((target, areaId), out var population))
                return population == 0;
            // An area is judged by its own figure: with none, no unit of the population is left in it (nothing carried in either).
            if (subject == SubjectType.Area)
                return true;
        }

        return path.Any();
    }
}
