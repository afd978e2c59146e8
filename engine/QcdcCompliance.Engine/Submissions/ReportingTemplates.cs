using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Submissions;

/// <summary>Whether a unit is asked for an indicator in the template: what it owes is open; the rest is greyed and locked.</summary>
public enum TemplateCell : byte
{
    /// <summary>Not asked of the unit: its kind or union excludes it, or no duty in force asks it of the unit.</summary>
    Closed,

    /// <summary>Asked of the unit (its duties), or, when no duty asks anything in the area, open to its kind and union.</summary>
    Open,
}

/// <summary>One unit's row: what it is asked and what it has stored already (null: not reported).</summary>
public sealed record TemplateRow(string UnitCode, string UnitName, TemplateCell[] Cells, long?[] Values);

/// <summary>
/// A reporting template: the units of an area active in the period, one row each, and the indicators of the period's
/// type that some of them are asked for, one column each.
/// </summary>
public sealed record ReportingTemplate(Period Period, Area Area, IReadOnlyList<Indicator> Columns, IReadOnlyList<TemplateRow> Rows)
{
    /// <summary>A file name for the template: qcdc-mau-2025S1-HT.xlsx.</summary>
    public string FileName(string extension) => $"qcdc-mau-{Period.Code}-{Area.Code}.{extension}";
}

/// <summary>
/// Builds an area's reporting template from the same facts the evaluation reads: the units active in the period whose
/// area lies in the asked area on its last day, what each owes by its duties (<see cref="ReportingDuties"/>), and the
/// values stored (so that a template downloaded again shows what was sent).
/// </summary>
public sealed class ReportingTemplates(IDbContextFactory<QcdcDbContext> contexts, PeriodCalendar calendar, FactLoader loader, TimeProvider clock)
{
    public async Task<ReportingTemplate> ForAreaAsync(string periodCode, string areaCode, CancellationToken ct = default)
    {
        RefuseNotBegun(periodCode);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var (period, area, province, tree) = await ProvinceFacts.ResolveAsync(db, calendar, periodCode, areaCode, ct);

        // What the evaluation's loader reads, without its readings: the areas inside the asked one on the period's last
        // day, their units active in the period, what each owes, and the values of the period's own indicators.
        var paths = FactLoader.PathsIn(period, province, tree);
        var (_, _, duties) = await loader.TargetsAsync(db, period, province, tree, paths, ct);
        var areaIds = paths.Where(p => p.Value.Any(a => a.Id == area.Id)).Select(p => p.Key).ToList();
        var end = period.End;
        var units = await db.Units.AsNoTracking()
            .Where(u => areaIds.Contains(u.AreaId) && (u.ActiveFrom == null || u.ActiveFrom <= end) && (u.ActiveTo == null || u.ActiveTo >= end))
            .Select(u => new { u.Id, u.Code, u.Name, u.Kind, u.HasTradeUnion, u.AreaId })
            .ToListAsync(ct);

        // A unit that moved (or changed kind or union) since the period's last day is listed as it was then, where it sat.
        var history = await UnitHistoryRows.FromAsync(db, end, ct);
        var movedIn = new List<int>();
        if (!history.IsEmpty)
        {
            var inArea = areaIds.ToHashSet();
            var listed = units.Select(u => u.Id).ToHashSet();
            var candidates = history.UnitIds.Where(id => !listed.Contains(id) && inArea.Contains(history.On(id, end)!.AreaId)).ToList();
            units.AddRange(await db.Units.AsNoTracking()
                .Where(u => candidates.Contains(u.Id) && (u.ActiveFrom == null || u.ActiveFrom <= end) && (u.ActiveTo == null || u.ActiveTo >= end))
                .Select(u => new { u.Id, u.Code, u.Name, u.Kind, u.HasTradeUnion, u.AreaId })
                .ToListAsync(ct));
            units = units.Select(u => history.On(u.Id, end) is { } then ? u with { Kind = then.Kind, HasTradeUnion = then.HasTradeUnion, AreaId = then.AreaId } : u)
                .Where(u => inArea.Contains(u.AreaId)).ToList();
            movedIn.AddRange(units.Where(u => history.On(u.Id, end) is not null).Select(u => u.Id));
        }

        units.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
        var facts = units.Select(u => new UnitFact(u.Id, u.Code, u.Name, u.Kind, u.HasTradeUnion, paths[u.AreaId], null)).ToList();

        return await BuildAsync(period, area, duties, facts, async (columns, values) =>
        {
            if (period.Id == 0 || columns.Count == 0)
                return;

            // The values of the area's units in the period, by unit through the (unit, period, indicator) index (areas
            // first, then each unit's values): the cost follows the area, not the period's whole table.
            var columnOf = new int[IndicatorCatalogue.All.Max(i => i.Id) + 1];
            Array.Fill(columnOf, -1);
            for (var c = 0; c < columns.Count; c++)
                columnOf[columns[c].Id] = c;
            var rowOf = new Dictionary<int, int>(units.Count);
            for (var u = 0; u < units.Count; u++)
                rowOf[units[u].Id] = u;
            var rows = (from u in db.Units.AsNoTracking()
                        where areaIds.Contains(u.AreaId)
                        join v in db.DataValues.AsNoTracking() on u.Id equals v.UnitId
                        where v.PeriodId == period.Id
                        select new { v.UnitId, v.IndicatorId, v.Value }).AsAsyncEnumerable();
            await foreach (var v in rows.WithCancellation(ct))
            {
                if (v.IndicatorId < columnOf.Length && columnOf[v.IndicatorId] is var c and >= 0 && rowOf.TryGetValue(v.UnitId, out var u))
                    values[u][c] = v.Value;
            }

            // The values of the units listed where they sat then, whatever area they sit in now (a few).
            if (movedIn.Count > 0)
            {
                await foreach (var v in db.DataValues.AsNoTracking().Where(v => movedIn.Contains(v.UnitId) && v.PeriodId == period.Id)
                                   .Select(v => new { v.UnitId, v.IndicatorId, v.Value }).AsAsyncEnumerable().WithCancellation(ct))
                {
                    if (v.IndicatorId < columnOf.Length && columnOf[v.IndicatorId] is var c and >= 0 && rowOf.TryGetValue(v.UnitId, out var u))
                        values[u][c] = v.Value;
                }
            }
        });
    }

    /// <summary>A period that has not begun has no template, and its period is not stored: almost always a mistyped year.</summary>
    private void RefuseNotBegun(string periodCode)
    {
        if (PeriodCode.TryParse(periodCode, out var code) && calendar.Create(code).NotBegunRefusal(clock, "no template is made for it") is { } refusal)
            throw refusal;
    }

    /// <summary>
    /// One unit's row of its area's template (its own page's form), read without the rest of its province: the targets
    /// and duties in force there, and its own values. Null when the unit is not active in the period or not in a province then.
    /// </summary>
    public async Task<ReportingTemplate?> ForUnitAsync(string periodCode, string unitCode, CancellationToken ct = default)
    {
        if (!PeriodCode.TryParse(periodCode, out var code))
            throw new NotAPeriodException(periodCode);
        RefuseNotBegun(periodCode);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var period = await db.StoredOrUnsavedAsync(code, calendar, ct);
        var unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Code == unitCode, ct);
        var tree = await db.LoadAreaTreeAsync(ct);
        if (unit is null)
            return null;
        // Where the unit sat on the period's last day (it may have moved since): its province's targets and duties then.
        var path = tree.PathOn((await UnitHistoryRows.FromAsync(db, period.End, ct)).AreaOn(unit.Id, unit.AreaId, period.End), period.End);
        if (path.Count == 0 || path[^1].Level != AreaLevel.Province)
            return null;
        var province = path[^1];
        var paths = FactLoader.PathsIn(period, province, tree);
        var (targets, sets, duties) = await loader.TargetsAsync(db, period, province, tree, paths, ct);
        var facts = new ScopeFacts(period, province, [], targets, sets.Version, sets.Sets.Select(s => s.Set).ToList(), duties);
        var reports = await loader.LoadUnitsAsync(db, facts, paths, [unit.Id], _ => -1, ct);
        if (reports.Count == 0)
            return null;
        return await BuildAsync(period, path[0], duties, [reports[0].Unit], (columns, values) =>
        {
            for (var c = 0; c < columns.Count; c++)
                values[0][c] = reports[0][columns[c]];
            return Task.CompletedTask;
        });
    }

    /// <summary>The columns, then the rows of the units, each with what it owes and its stored values (<paramref name="fill"/> puts them in).</summary>
    private static async Task<ReportingTemplate> BuildAsync(Period period, Area area, ReportingDuties duties, List<UnitFact> units,
        Func<IReadOnlyList<Indicator>, long?[][], Task> fill)
    {
        var ofType = IndicatorCatalogue.All.Where(i => i.PeriodType == period.Type).ToList();

        // What a unit owes depends on its path, kind and union only: one set for each such list (the duties share them).
        var sets = new Dictionary<IReadOnlyList<Indicator>, HashSet<int>>(ReferenceEqualityComparer.Instance);
        var owed = units.Select(u =>
        {
            var list = duties.Owed(u);
            if (!sets.TryGetValue(list, out var set))
                sets[list] = set = list.Where(i => i.PeriodType == period.Type).Select(i => i.Id).ToHashSet();
            return set;
        }).ToList();

        // The indicators somebody owes; when no duty asks anything here (no target set in force), what the units may report.
        var byDuty = owed.Any(o => o.Count > 0);
        var columns = ofType.Where(i => byDuty
                ? sets.Values.Any(o => o.Contains(i.Id))
                : units.Any(u => i.Population.Includes(u.Kind, u.HasTradeUnion)))
            .ToList();
        var values = new long?[units.Count][];
        for (var u = 0; u < units.Count; u++)
            values[u] = new long?[columns.Count];
        await fill(columns, values);

        var rows = new List<TemplateRow>(units.Count);
        for (var u = 0; u < units.Count; u++)
        {
            var unit = units[u];
            var cells = new TemplateCell[columns.Count];
            for (var c = 0; c < columns.Count; c++)
            {
                var open = byDuty ? owed[u].Contains(columns[c].Id) : columns[c].Population.Includes(unit.Kind, unit.HasTradeUnion);
                cells[c] = open ? TemplateCell.Open : TemplateCell.Closed;
            }

            rows.Add(new TemplateRow(unit.Code, unit.Name, cells, values[u]));
        }

        return new ReportingTemplate(period, area, columns, rows);
    }
}

/// <summary>The facts of an area's units under its province's sets, on the period's last day: what completeness reads.</summary>
internal static class ProvinceFacts
{
    public static async Task<(Period Period, Area Area, ScopeFacts Facts)> LoadAsync(QcdcDbContext db, PeriodCalendar calendar, FactLoader loader,
        string periodCode, string areaCode, CancellationToken ct)
    {
        var (period, area, province, tree) = await ResolveAsync(db, calendar, periodCode, areaCode, ct);
        return (period, area, await loader.LoadWithinAsync(db, period, province, area, tree, ct));
    }

    /// <summary>The period (not stored if new: a read creates none), the area, the province it lies in on the period's last day, and the tree.</summary>
    public static async Task<(Period Period, Area Area, Area Province, AreaTree Tree)> ResolveAsync(QcdcDbContext db, PeriodCalendar calendar,
        string periodCode, string areaCode, CancellationToken ct)
    {
        if (!PeriodCode.TryParse(periodCode, out var code))
            throw new NotAPeriodException(periodCode);
        var period = await db.StoredOrUnsavedAsync(code, calendar, ct);
        var tree = await db.LoadAreaTreeAsync(ct);
        var area = tree.Find(areaCode) ?? throw new UnknownAreaException(areaCode);
        return (period, area, AreaOutsideProvincesException.ProvinceOf(tree, area, period), tree);
    }
}
