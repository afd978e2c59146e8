using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
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
public sealed class ReportingTemplates(IDbContextFactory<QcdcDbContext> contexts, PeriodCalendar calendar, FactLoader loader)
{
    public async Task<ReportingTemplate> ForAreaAsync(string periodCode, string areaCode, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var (period, area, facts) = await ProvinceFacts.LoadAsync(db, calendar, loader, periodCode, areaCode, ct);
        var reports = facts.Reports.Where(r => r.Unit.IsIn(area.Id)).OrderBy(r => r.Unit.Code, StringComparer.Ordinal).ToList();
        return Build(period, area, facts.Duties, reports);
    }

    /// <summary>
    /// One unit's row of its area's template (its own page's form), read without the rest of its province: the targets
    /// and duties in force there, and its own values. Null when the unit is not active in the period or not in a province then.
    /// </summary>
    public async Task<ReportingTemplate?> ForUnitAsync(string periodCode, string unitCode, CancellationToken ct = default)
    {
        if (!PeriodCode.TryParse(periodCode, out var code))
            throw new EvaluationRequestException($"'{periodCode}' is not a period; write 2020 (year), 2020S1 or 2020S2 (half-years)");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var period = await db.GetOrCreateAsync(code, calendar, ct);
        var unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Code == unitCode, ct);
        var tree = await db.LoadAreaTreeAsync(ct);
        if (unit is null)
            return null;
        var path = tree.PathOn(unit.AreaId, period.End);
        if (path.Count == 0 || path[^1].Level != AreaLevel.Province)
            return null;
        var province = path[^1];
        var paths = FactLoader.PathsIn(period, province, tree);
        var (targets, sets, duties) = await loader.TargetsAsync(db, period, province, tree, paths, ct);
        var facts = new ScopeFacts(period, province, [], targets, sets.Version, sets.Sets.Select(s => s.Set).ToList(), duties);
        var reports = await loader.LoadUnitsAsync(db, facts, paths, [unit.Id], _ => -1, ct);
        return reports.Count == 0 ? null : Build(period, path[0], duties, reports);
    }

    private static ReportingTemplate Build(Period period, Area area, ReportingDuties duties, List<Evaluation.Facts.UnitReport> reports)
    {
        var facts = (Duties: duties, Reports: reports);
        var ofType = IndicatorCatalogue.All.Where(i => i.PeriodType == period.Type).ToList();
        var owed = reports.Select(r => facts.Duties.Owed(r.Unit).Where(i => i.PeriodType == period.Type).Select(i => i.Id).ToHashSet()).ToList();

        // The indicators somebody owes; when no duty asks anything here (no target set in force), what the units may report.
        var byDuty = owed.Any(o => o.Count > 0);
        var columns = ofType.Where(i => byDuty
                ? owed.Any(o => o.Contains(i.Id))
                : reports.Any(r => i.Population.Includes(r.Unit.Kind, r.Unit.HasTradeUnion)))
            .ToList();
        var rows = new List<TemplateRow>(reports.Count);
        for (var u = 0; u < reports.Count; u++)
        {
            var report = reports[u];
            var cells = new TemplateCell[columns.Count];
            var values = new long?[columns.Count];
            for (var c = 0; c < columns.Count; c++)
            {
                var indicator = columns[c];
                var open = byDuty ? owed[u].Contains(indicator.Id) : indicator.Population.Includes(report.Unit.Kind, report.Unit.HasTradeUnion);
                cells[c] = open ? TemplateCell.Open : TemplateCell.Closed;
                values[c] = report[indicator];
            }

            rows.Add(new TemplateRow(report.Unit.Code, report.Unit.Name, cells, values));
        }

        return new ReportingTemplate(period, area, columns, rows);
    }
}

/// <summary>The facts of the province an area lies in, on the period's last day: what templates and completeness read.</summary>
internal static class ProvinceFacts
{
    public static async Task<(Period Period, Area Area, ScopeFacts Facts)> LoadAsync(QcdcDbContext db, PeriodCalendar calendar, FactLoader loader,
        string periodCode, string areaCode, CancellationToken ct)
    {
        if (!PeriodCode.TryParse(periodCode, out var code))
            throw new EvaluationRequestException($"'{periodCode}' is not a period; write 2020 (year), 2020S1 or 2020S2 (half-years)");
        var period = await db.GetOrCreateAsync(code, calendar, ct);
        var tree = await db.LoadAreaTreeAsync(ct);
        var area = tree.Find(areaCode) ?? throw new EvaluationRequestException($"unknown area {areaCode}");
        var path = tree.PathOn(area.Id, period.End);
        if (path.Count == 0 || path[^1].Level != AreaLevel.Province)
            throw new EvaluationRequestException($"area {area.Code} is not in any province on {period.End:yyyy-MM-dd} (the end of {period.Code})");
        return (period, area, await loader.LoadAsync(db, period, path[^1], tree, ct));
    }
}
