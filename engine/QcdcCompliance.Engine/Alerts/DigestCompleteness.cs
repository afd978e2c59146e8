using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Findings;
using QcdcCompliance.Storage;
using QcdcCompliance.Telemetry;

namespace QcdcCompliance.Alerts;

/// <summary>
/// An area's reporting in the period, as its committee's digest states it, with the words and the split of
/// GET /api/completeness: units expected (they owe something), complete (everything stored), of which late (some of
/// it first reported after the deadline, <see cref="Submissions.LateReports"/>), partial (some but not all of it stored) and missing (nothing stored); the
/// reporting rate is complete over expected. All but the late come from what the run holds (the REPORTED roll-ups and
/// the reports the evaluation saw), so a warm update stays cheap.
/// </summary>
public sealed record DigestCompleteness(int Expected, int Complete, int Late, int Partial, int Missing)
{
    /// <summary>
    /// For each committee area, from the run's REPORTED roll-ups (stored in the run's transaction) and, once the deadline
    /// has passed, the units that first reported a value of the period after it and are complete.
    /// </summary>
    public static async Task<Dictionary<int, DigestCompleteness>> ForAsync(QcdcDbContext db, RecordedRun run, RunPlaces places, IReadOnlyCollection<int> areaIds,
        LateUnits lateUnitsOf, CancellationToken ct)
    {
        var ids = areaIds.ToList();
        var rollups = await db.AreaResults.AsNoTracking()
            .Where(a => a.PeriodId == run.Run.PeriodId && a.ScopeAreaId == run.Run.ScopeAreaId && a.TargetCode == ReportingTarget.Code
                        && a.SupersededByRunId == null && ids.Contains(a.AreaId))
            .Select(a => new { a.AreaId, a.PopulationUnits, a.MetUnits })
            .ToListAsync(ct);

        // Units that owe something still (an open REPORTED finding); those that stored part of it are partial, the rest stored nothing.
        var owing = run.OpenAfter.Where(f => f.SubjectType == SubjectType.Unit && f.TargetCode == ReportingTarget.Code).Select(f => f.SubjectId).ToHashSet();
        var partialUnits = owing.Select(run.Report).Where(r => r is not null && r.Owed > r.Missing.Count).Select(r => r!.Unit.Path[0].Id).ToList();

        // Complete units (no open REPORTED finding) that first reported a value of the period after the deadline. The late units of the scope's reports are counted per area once (LateCounts), then the owing among
        // them are taken away: a warm scope's one-value change does not go through its province's every unit again.
        var late = new Dictionary<int, int>();
        if (rollups.Count > 0 && await LateAsync(db, run, places.Tree, rollups.Select(r => r.AreaId), lateUnitsOf, ct) is var (lateUnits, subtrees, counted))
        {
            foreach (var (areaId, subtree) in subtrees)
            {
                var owingLate = owing.Count(u => lateUnits.Contains(u) && run.UnitArea(u) is { } area && subtree.Contains(area));
                late[areaId] = counted[areaId] - owingLate;
            }
        }

        var result = new Dictionary<int, DigestCompleteness>();
        foreach (var r in rollups)
        {
            var subtree = places.Tree.Subtree(r.AreaId);
            var notComplete = r.PopulationUnits - r.MetUnits;
            var partial = Math.Min(partialUnits.Count(subtree.Contains), notComplete);
            result[r.AreaId] = new DigestCompleteness(r.PopulationUnits, r.MetUnits, Math.Min(late.GetValueOrDefault(r.AreaId), r.MetUnits), partial, notComplete - partial);
        }

        return result;
    }

    /// <summary>
    /// A warm scope's full run that changed nothing writes no digest, yet the scope keeps the run's new list of reports:
    /// the late units of each committee area of the scope are counted over it now, with the run, so that the first
    /// change after it finds them counted (113 ms of CPU of that change in a trace of a province of 258,865 units).
    /// </summary>
    public static async Task PrepareAsync(QcdcDbContext db, RecordedRun run, IReadOnlyCollection<string> committeeCodes, LateUnits lateUnitsOf, CancellationToken ct)
    {
        var tree = await db.LoadAreaTreeAsync(ct);
        var scope = tree.Subtree(run.Scope.Id);
        var areas = committeeCodes.Select(tree.Find).OfType<Area>().Select(a => a.Id).Where(scope.Contains).ToList();
        if (areas.Count > 0)
            await LateAsync(db, run, tree, areas, lateUnitsOf, ct);
    }

    /// <summary>
    /// Once the deadline has passed: the period's late units, and how many of the run's reports are late in each area's
    /// subtree, owing units included (<see cref="LateCounts"/>); null before the deadline.
    /// </summary>
    private static async Task<(LateSet Late, List<(int AreaId, HashSet<int> Subtree)> Subtrees, Dictionary<int, int> Counted)?> LateAsync(QcdcDbContext db,
        RecordedRun run, AreaTree tree, IEnumerable<int> areaIds, LateUnits lateUnitsOf, CancellationToken ct)
    {
        var dueBy = VietnamTime.EndOfDayUtc(run.Period.Deadline);
        if (run.Run.StartedAt <= dueBy)
            return null;
        using var span = QcdcTelemetry.Source.StartActivity("qcdc.alerts.late");
        var lateUnits = await lateUnitsOf.ForAsync(db, run.Run.PeriodId, dueBy, ct);
        var subtrees = areaIds.Select(id => (id, tree.Subtree(id))).ToList();
        var counted = LateCounts.Of(run.Reports, run.Report, lateUnits, tree, subtrees, out var walked);
        span?.SetTag("qcdc.late.reports_walked", walked);
        return (lateUnits, subtrees, counted);
    }

    /// <summary>
    /// "Tình hình báo cáo: 8/10 đơn vị báo cáo đầy đủ (tỷ lệ 80,0%), trong đó 1 đơn vị nộp muộn; 1 đơn vị báo cáo chưa đủ,
    /// 1 đơn vị chưa báo cáo."
    /// </summary>
    public string Sentence()
    {
        var rest = new List<string>(2);
        if (Partial > 0)
            rest.Add($"{Vietnamese.Number(Partial)} đơn vị báo cáo chưa đủ");
        if (Missing > 0)
            rest.Add($"{Vietnamese.Number(Missing)} đơn vị chưa báo cáo");
        return $"Tình hình báo cáo: {Vietnamese.Number(Complete)}/{Vietnamese.Number(Expected)} đơn vị báo cáo đầy đủ"
               + (Expected > 0 ? $" (tỷ lệ {Vietnamese.Percent(Complete, Expected)})" : "")
               + (Late > 0 ? $", trong đó {Vietnamese.Number(Late)} đơn vị nộp muộn" : "")
               + (rest.Count > 0 ? "; " + string.Join(", ", rest) : "") + ".";
    }
}

/// <summary>
/// How many of a scope's units are late in each committee area's subtree, kept per list of reports (a warm scope keeps
/// its list: a change replaces a report, never its unit's area, and a unit new to the scope is added at the end). An
/// entry holds while the list has as many reports, the area tree is the same and the late set is the one counted, or
/// was made from it by adding units: then only those are looked up.
/// </summary>
internal static class LateCounts
{
    /// <summary>What was counted: every area of <see cref="Subtrees"/> has its count in <see cref="ByArea"/>.</summary>
    private sealed record Entry(LateSet Late, AreaTree Tree, int Reports, IReadOnlyList<(int AreaId, HashSet<int> Subtree)> Subtrees, Dictionary<int, int> ByArea);

    private static readonly ConditionalWeakTable<IReadOnlyList<UnitReport?>, Entry> Entries = new();

    /// <param name="walked">How many reports were looked at: all of them when nothing was kept for the list, the units the late set gained otherwise.</param>
    public static Dictionary<int, int> Of(IReadOnlyList<UnitReport?> reports, Func<int, UnitReport?> reportOf, LateSet late, AreaTree tree,
        IReadOnlyList<(int AreaId, HashSet<int> Subtree)> subtrees, out int walked)
    {
        walked = 0;
        if (Entries.TryGetValue(reports, out var entry) && entry.Tree == tree && entry.Reports == reports.Count && subtrees.All(s => entry.ByArea.ContainsKey(s.AreaId)))
        {
            if (entry.Late == late)
                return entry.ByArea;
            if (late.Parent == entry.Late)
            {
                // The late set grew by a few units: count those of the scope, in every area the entry holds (not only
                // those asked for now, or the next caller asking for another would read a stale count).
                var grown = new Dictionary<int, int>(entry.ByArea);
                walked = late.Added.Count;
                Count(grown, late.Added.Select(reportOf), entry.Subtrees);
                Entries.AddOrUpdate(reports, entry with { Late = late, ByArea = grown });
                return grown;
            }
        }

        var counts = subtrees.ToDictionary(s => s.AreaId, _ => 0);
        walked = reports.Count;
        Count(counts, reports.Where(r => r is not null && late.Contains(r.Unit.Id)), subtrees);
        Entries.AddOrUpdate(reports, new Entry(late, tree, reports.Count, subtrees, counts));
        return counts;
    }

    /// <summary>Adds each report's unit to the count of every committee area whose subtree holds its area (a null report counts nowhere).</summary>
    private static void Count(Dictionary<int, int> counts, IEnumerable<UnitReport?> reports, IReadOnlyList<(int AreaId, HashSet<int> Subtree)> subtrees)
    {
        foreach (var report in reports)
        {
            if (report is null)
                continue;
            var area = report.Unit.Path[0].Id;
            foreach (var (areaId, subtree) in subtrees)
            {
                if (subtree.Contains(area))
                    counts[areaId]++;
            }
        }
    }
}
