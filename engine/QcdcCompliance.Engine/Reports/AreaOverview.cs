using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Findings;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Reports;

/// <summary>One target over one area now and in the previous period of the same type.</summary>
public sealed record TargetStanding(ComplianceRow Current, ComplianceRow? Previous)
{
    /// <summary>The share met as the page shows it (a truncated percentage), or null when nothing was measured.</summary>
    public decimal? Percent => PercentOf(Current);

    public decimal? PreviousPercent => Previous is null ? null : PercentOf(Previous);

    /// <summary>The change in percentage points against the previous period, as every report and the trend give it.</summary>
    public decimal? Change => Previous is null ? null : ChangeOf(Current, Previous);

    /// <summary>The change in percentage points from <paramref name="then"/> to <paramref name="now"/> (<see cref="Shares.ChangeInPoints"/>), when both have a share.</summary>
    public static decimal? ChangeOf(ComplianceRow now, ComplianceRow then) =>
        now.Denominator > 0 && then.Denominator > 0 ? Shares.ChangeInPoints(now.Numerator, now.Denominator, then.Numerator, then.Denominator) : null;

    public static decimal? PercentOf(ComplianceRow row) =>
        row.Denominator > 0 ? DisplayFormat.PercentValue(row.Numerator, row.Denominator) : null;
}

/// <summary>Where an area stands in a period: per target its figures and the change, its child areas, who did not report.</summary>
public sealed record AreaOverview(
    Period Period,
    Period? PreviousPeriod,
    Area Area,
    Area Province,
    IReadOnlyList<Area> Ancestors,
    IReadOnlyList<TargetStanding> Targets,
    IReadOnlyList<ComplianceRow> Children,
    EvaluationRun? LatestRun)
{
    /// <summary>Units of the area that did not report every indicator that applies to them (the REPORTED target), when measured.</summary>
    public int? UnitsNotReported => Targets.FirstOrDefault(t => t.Current.TargetCode == ReportingTarget.Code)?.Current.ShortUnits;

    /// <summary>Units that had to report (the REPORTED population).</summary>
    public int? UnitsExpected => Targets.FirstOrDefault(t => t.Current.TargetCode == ReportingTarget.Code)?.Current.PopulationUnits;

    public IEnumerable<ComplianceRow> ChildrenOf(string targetCode) => Children.Where(c => c.TargetCode == targetCode);

    /// <summary>Per target, the units attached directly to the area, in no child area (<see cref="ComplianceRow.OwnUnits"/>).</summary>
    public IReadOnlyList<ComplianceRow> OwnUnits { get; init; } = [];

    /// <summary>The rows that add up to the area's total of a target: its child areas, then its units attached directly to it.</summary>
    public IEnumerable<ComplianceRow> PartsOf(string targetCode) => ChildrenOf(targetCode).Concat(OwnUnits.Where(c => c.TargetCode == targetCode));

    /// <summary>
    /// Set when the area no longer existed on the period's last day (a district after 1/7/2025): it then has no figures,
    /// and its ancestors are those of its last day.
    /// </summary>
    public AreaEnded? Ended { get; init; }
}

/// <summary>A period that has a completed run for a province scope.</summary>
public sealed record EvaluatedPeriod(string Code, PeriodType Type, DateOnly Start, DateOnly End, long LatestRunId);

/// <summary>
/// What the dashboard and the review report both start from: <see cref="ComplianceQueries"/> for a period and the
/// previous period, the latest run of the area's province, and the periods that were evaluated.
/// </summary>
public sealed class OverviewQueries(IDbContextFactory<QcdcDbContext> contexts, ComplianceQueries compliance)
{
    public async Task<AreaOverview> ForAreaAsync(string periodCode, string areaCode, CancellationToken ct = default)
    {
        var figures = await compliance.ForAreaAsync(periodCode, areaCode, ct);
        var (period, area, totals, children) = figures;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var tree = await db.LoadAreaTreeAsync(ct);
        // An area that had ended by then (a district abolished in 2025) is placed where it stood on its last day: following
        // its lineage instead made a district stand for its province, with an empty page and no word of why.
        var ended = AreaEnded.Of(tree, area, period);
        var path = tree.PathOn(area.Id, ended?.LastDay ?? period.End);
        if (path.Count == 0)
            throw new EvaluationRequestException($"area {area.Code} did not exist on {period.End:yyyy-MM-dd}, the end of {period.Code}");
        var province = path[^1];

        var previousCode = period.PreviousCode();
        var previous = await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Code == previousCode, ct);
        IReadOnlyList<ComplianceRow> before = [];
        if (previous is not null && await db.ScopeStates.AnyAsync(s => s.PeriodId == previous.Id, ct) && tree.PathOn(area.Id, previous.End).Count > 0)
            before = (await compliance.ForAreaAsync(previous.Code, area.Code, ct)).Totals;

        var latestRunId = await db.ScopeStates.AsNoTracking()
            .Where(s => s.PeriodId == period.Id && s.ScopeAreaId == province.Id)
            .Select(s => (long?)s.LatestRunId)
            .SingleOrDefaultAsync(ct);
        var run = latestRunId is { } id ? await db.EvaluationRuns.AsNoTracking().SingleAsync(r => r.Id == id, ct) : null;

        var standings = totals.Select(t => new TargetStanding(t, before.FirstOrDefault(b => b.TargetCode == t.TargetCode))).ToList();
        return new AreaOverview(period, previous, area, province, path.Skip(1).Reverse().ToList(), standings, children, run)
        {
            Ended = ended,
            OwnUnits = figures.OwnUnits,
        };
    }

    /// <summary>Periods with a completed run over the province, latest first (a half-year before the year that ends with it).</summary>
    public async Task<IReadOnlyList<EvaluatedPeriod>> PeriodsAsync(int provinceId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await (from s in db.ScopeStates.AsNoTracking()
                          join p in db.Periods.AsNoTracking() on s.PeriodId equals p.Id
                          where s.ScopeAreaId == provinceId
                          select new { p.Code, p.Type, p.Start, p.End, s.LatestRunId }).ToListAsync(ct);
        return rows.Select(r => new EvaluatedPeriod(r.Code, r.Type, r.Start, r.End, r.LatestRunId))
            .OrderByDescending(p => p.End).ThenBy(p => p.Type == PeriodType.Year ? 1 : 0).ThenByDescending(p => p.Start)
            .ToList();
    }
}
