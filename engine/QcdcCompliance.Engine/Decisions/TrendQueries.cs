using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Decisions;

/// <summary>
/// Trends from the current area results of every period. Across the lineage: before an area existed (a commune made
/// by the 2025 merger) its figures are the sums of its predecessors' (the areas merged into it), so the series is
/// comparable; after an area was merged away (a district abolished on 1/7/2025) it has none and the trend names the
/// successor.
/// </summary>
public sealed class TrendQueries(IDbContextFactory<QcdcDbContext> contexts)
{
    public async Task<Trend> ForAsync(string areaCode, string targetCode, CancellationToken ct = default, Func<string?, bool>? mayKnowSet = null)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var tree = await db.LoadAreaTreeAsync(ct);
        var area = tree.Find(areaCode) ?? throw new EvaluationRequestException($"unknown area {areaCode}");
        var target = await TargetCodes.CanonicalAsync(db, targetCode, ct, mayKnowSet) ?? throw new EvaluationRequestException($"unknown target {targetCode}");
        var predecessors = area.ValidFrom is { } born
            ? tree.Areas.Where(a => a.Id != area.Id && a.ValidTo is { } end && end < born && tree.Current(a.Id, born)?.Id == area.Id).Select(a => a.Id).ToList()
            : [];
        var ids = predecessors.Append(area.Id).ToList();
        var results = await db.AreaResults.AsNoTracking()
            .Where(r => r.TargetCode == target && r.SupersededByRunId == null && ids.Contains(r.AreaId))
            .ToListAsync(ct);
        var periods = (await db.Periods.AsNoTracking().ToListAsync(ct)).ToDictionary(p => p.Id);
        var settings = await db.Targets.AsNoTracking().Where(t => t.Code == target).ToListAsync(ct);

        var points = new List<TrendPoint>();
        foreach (var group in results.GroupBy(r => r.PeriodId).Select(g => (Period: periods[g.Key], Rows: g.ToList())).OrderBy(g => g.Period.Start).ThenBy(g => g.Period.Type))
        {
            var period = group.Period;
            var own = area.ExistsOn(period.End);
            var rows = group.Rows.Where(r => own ? r.AreaId == area.Id : predecessors.Contains(r.AreaId)).ToList();
            if (rows.Count == 0)
                continue;
            var setting = settings.FirstOrDefault(t => t.InForceFor(period)) ?? settings.OrderByDescending(t => t.ValidFrom ?? DateOnly.MinValue).FirstOrDefault();
            var threshold = setting?.Threshold ?? new Threshold(ComparisonOperator.AtLeast, Threshold.One);
            var (population, met, missing) = (rows.Sum(r => r.PopulationUnits), rows.Sum(r => r.MetUnits), rows.Sum(r => r.MissingUnits));
            var (numerator, denominator) = (rows.Sum(r => r.Numerator), rows.Sum(r => r.Denominator));
            var status = rows.Count == 1 ? rows[0].Status
                : rows.Any(r => r.Status == AreaStatus.Incomplete) ? AreaStatus.Incomplete
                : denominator == 0 ? AreaStatus.NotApplicable
                : threshold.IsMetBy(numerator, denominator) ? AreaStatus.Met : AreaStatus.Short;
            var lastYear = period.Type == PeriodType.Year ? period.PreviousCode() : $"{period.Year - 1}{period.Code[4..]}";
            var over = rows.Select(r => tree[r.AreaId]).OrderBy(a => a.Code, StringComparer.Ordinal).ToList();
            points.Add(new TrendPoint(period.Code, period.Type, over.Select(a => a.Code).ToList(), population, met, missing,
                numerator, denominator, denominator > 0 ? Shares.Format(numerator, denominator) : null, status, threshold.ToString(),
                denominator > 0 ? Shares.RoundPercent(numerator, denominator, 2) : null, period.PreviousCode(), null, lastYear, null)
            {
                MeasuredOverNames = over.Select(a => a.Name).ToList(),
            });
        }

        var byCode = points.ToDictionary(p => p.Period);
        points = points.Select(p => p with
        {
            ChangeFromPreviousPeriod = Change(p, byCode.GetValueOrDefault(p.PreviousPeriod)),
            ChangeFromSamePeriodLastYear = Change(p, byCode.GetValueOrDefault(p.SamePeriodLastYear)),
        }).ToList();
        var successor = area.ValidTo is { } gone ? tree.Current(area.Id, gone.AddDays(1)) : null;
        return new Trend(area.Code, area.Name, target, successor?.Code, points)
        {
            SuccessorName = successor?.Name,
            SuccessorFrom = successor is null ? null : area.ValidTo!.Value.AddDays(1),
        };
    }

    /// <summary>Percentage points from an earlier point to this one, from the exact shares (<see cref="Shares.ChangeInPoints"/>), when both have a share.</summary>
    private static decimal? Change(TrendPoint now, TrendPoint? before) =>
        now.Denominator > 0 && before is { Denominator: > 0 } ? Shares.ChangeInPoints(now.Numerator, now.Denominator, before.Numerator, before.Denominator) : null;
}
