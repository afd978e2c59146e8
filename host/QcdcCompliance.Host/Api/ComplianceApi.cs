using QcdcCompliance.Reports;
using QcdcCompliance.Findings;

namespace QcdcCompliance.Host.Api;

/// <summary>
/// One target over one area: units in the population, met, short (not reported included), the share and its status.
/// <paramref name="OwnUnits"/>: the row of the units attached directly to the area (its own code), in none of its child areas.
/// </summary>
public sealed record FiguresDto(AreaRef Area, int Population, int Met, int Short, int NotReported, long Numerator, long Denominator, string? Share, AreaStatus Status,
    bool OwnUnits = false);

public sealed record ComplianceTargetDto(
    string Code, string TextVi, string? TextEn, Severity Severity, string Operator, string Threshold, FiguresDto? Area, IReadOnlyList<FiguresDto> Children);

/// <param name="Ended">Set when the area no longer existed on the period's last day (abolished, merged away): it has no
/// figures for the period, which is why <c>targets</c> is empty; ask its successors instead.</param>
public sealed record ComplianceDto(string Period, AreaRef Area, IReadOnlyList<ComplianceTargetDto> Targets, AreaEndedDto? Ended = null);

/// <summary>An area that had ended before the period's last day.</summary>
/// <param name="LastDay">The last day it existed.</param>
/// <param name="Successors">What the lineage maps it onto, as they stand on the period's last day.</param>
/// <param name="FormerAreasNow">What the areas under it on its last day are on the period's last day, those not among the successors.</param>
/// <param name="Message">The same, said in words (English).</param>
public sealed record AreaEndedDto(DateOnly LastDay, IReadOnlyList<AreaRef> Successors, IReadOnlyList<AreaRef> FormerAreasNow, string Message);

/// <summary>Per target, the figures of an area and of each of its child areas in the latest run: what the dashboard draws.</summary>
public static class ComplianceApi
{
    public static RouteGroupBuilder MapComplianceApi(this IEndpointRouteBuilder api)
    {
        var group = api.Resource("/compliance", "Compliance", QcdcPolicies.Read);
        group.MapGet("/", GetCompliance)
            .Described("GetCompliance", "Per target: population, met, short, share and threshold for the area (default: the principal's) and each child area",
                StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        return group;
    }

    public static Task<Results<Ok<ComplianceDto>, ProblemHttpResult>> GetCompliance(
        [AsParameters] PeriodAreaQuery query, Caller caller, ComplianceQueries compliance, CancellationToken ct)
    {
        var period = query.Period!;
        return caller.AnswerAsync(query.Area, caller.LastDayOf(period), async asked =>
        {
            var figures = await compliance.ForAreaAsync(period, asked.Code, ct);
            var (p, a, totals, children) = figures;
            // The children, then the area's own units (under its own code, flagged): together they add up to the area's row.
            var targets = totals.Concat(children).Concat(figures.OwnUnits).GroupBy(r => r.TargetCode).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            {
                var first = g.First();
                return new ComplianceTargetDto(g.Key, first.TextVi, first.TextEn, first.Severity, Threshold.SymbolOf(first.Operator),
                    Shares.FormatMillionths(first.ThresholdMillionths), g.FirstOrDefault(r => r.AreaId == a.Id && !r.OwnUnits)?.AsDto(),
                    g.Where(r => r.AreaId != a.Id || r.OwnUnits).Select(r => r.AsDto()).ToList());
            }).ToList();
            return TypedResults.Ok(new ComplianceDto(p.Code, a.AsRef(), targets, figures.Ended is { } ended ? ended.AsDto(p) : null));
        }, ct, e => e.Message.StartsWith("period", StringComparison.Ordinal) ? Caller.NotEvaluated(period.Trim().ToUpperInvariant()) : Caller.NotFound(e.Message));
    }

    public static AreaEndedDto AsDto(this AreaEnded ended, Period period) => new(ended.LastDay, ended.Successors.Select(s => s.AsRef()).ToList(),
        ended.FormerAreasNow.Select(s => s.AsRef()).ToList(), ReportWording.English.AreaEndedInFull(ended, period));

    public static FiguresDto AsDto(this ComplianceRow r) => new(new AreaRef(r.AreaCode, r.AreaName, r.AreaLevel), r.PopulationUnits, r.MetUnits, r.ShortUnits,
        r.MissingUnits, r.Numerator, r.Denominator, r.Denominator > 0 ? Shares.Format(r.Numerator, r.Denominator, r.Threshold) : null, r.Status, r.OwnUnits);
}
