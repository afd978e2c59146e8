using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Decisions;

/// <summary>
/// Trends from the current area results of every period. Across the lineage: before a merger an area's figures are the
/// sums of its own (while it existed: a commune that absorbed another) and of the areas merged into it that still
/// existed then (a commune made by the 2025 merger has only theirs), so the series compares like with like; after an
/// area was merged away (a district abolished on 1/7/2025) it has none and the trend names the successor.
/// </summary>
public sealed class TrendQueries(IDbContextFactory<QcdcDbContext> contexts)
{
    /// <param name="asOf">
    /// The day the series is read as of (the end of the period a page or report shows): an area merged into this one
    /// after it is left out, so that a period before the merger is compared with the area as it stood then. Null: today's extent.
    /// </param>
    public async Task<Trend> ForAsync(string areaCode, string targetCode, CancellationToken ct = default, Func<string?, bool>? mayKnowSet = null,
        DateOnly? asOf = null)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var tree = await db.LoadAreaTreeAsync(ct);
        var area = tree.Find(areaCode) ?? throw new UnknownAreaException(areaCode);
        var target = await TargetCodes.CanonicalAsync(db, targetCode, ct, mayKnowSet) ?? throw new UnknownTargetException(targetCode);
        // The areas whose lineage leads into this one (on the first day both the merger and the area were in force), those
        // that were under it on their last day aside: a district dissolved into its province was counted in it all along.
        var merged = tree.Areas
            .Where(a => a.Id != area.Id && a.ValidTo is { } end && (asOf is null || end < asOf)
                        && tree.Current(a.Id, Later(end.AddDays(1), area.ValidFrom))?.Id == area.Id && !tree.PathOn(a.Id, end).Any(p => p.Id == area.Id))
            .ToList();
        var predecessors = merged.Select(a => a.Id).ToHashSet();
        var ids = predecessors.Append(area.Id).ToList();
        var results = await db.AreaResults.AsNoTracking()
            .Where(r => r.TargetCode == target && r.SupersededByRunId == null && ids.Contains(r.AreaId))
            .ToListAsync(ct);
        var periods = (await db.Periods.AsNoTracking().ToListAsync(ct)).ToDictionary(p => p.Id);
        var settings = await db.Targets.AsNoTracking().Include(t => t.Resolution).Where(t => t.Code == target).ToListAsync(ct);

        var points = new List<TrendPoint>();
        foreach (var group in results.GroupBy(r => r.PeriodId).Select(g => (Period: periods[g.Key], Rows: g.ToList())).OrderBy(g => g.Period.Start).ThenBy(g => g.Period.Type))
        {
            var period = group.Period;
            // The area while it existed, with the areas merged into it that still existed at the period's end.
            var rows = group.Rows.Where(r => tree[r.AreaId].ExistsOn(period.End) && (r.AreaId == area.Id || predecessors.Contains(r.AreaId))).ToList();
            if (rows.Count == 0)
                continue;
            var setting = TargetSettings.InForce(settings, period);
            var threshold = setting?.Threshold ?? new Threshold(ComparisonOperator.AtLeast, Threshold.One);
            var (population, met, missing) = (rows.Sum(r => r.PopulationUnits), rows.Sum(r => r.MetUnits), rows.Sum(r => r.MissingUnits));
            var (numerator, denominator) = (rows.Sum(r => r.Numerator), rows.Sum(r => r.Denominator));
            // A level the target is not judged at in the period (a commune's share of NQ02-6b) has a figure, never a verdict.
            var status = setting is not null && !setting.JudgedAt(area.Level, period.Type) ? AreaStatus.NotJudged
                : rows.Count == 1 ? rows[0].Status
                : rows.Any(r => r.Status == AreaStatus.Incomplete) ? AreaStatus.Incomplete
                : denominator == 0 ? AreaStatus.NotApplicable
                : threshold.IsMetBy(numerator, denominator) ? AreaStatus.Met : AreaStatus.Short;
            var lastYear = period.Type == PeriodType.Year ? period.PreviousCode() : $"{period.Year - 1}{period.Code[4..]}";
            var over = rows.Select(r => tree[r.AreaId]).OrderBy(a => a.Code, StringComparer.Ordinal).ToList();
            points.Add(new TrendPoint(period.Code, period.Type, over.Select(a => a.Code).ToList(), population, met, missing,
                numerator, denominator, denominator > 0 ? Shares.Format(numerator, denominator, threshold) : null, status, threshold.ToString(),
                denominator > 0 ? Shares.RoundPercent(numerator, denominator, 2, threshold) : null, period.PreviousCode(), null, lastYear, null)
            {
                MeasuredOverNames = over.Select(a => a.Name).ToList(),
                Threshold = threshold,
            });
        }

        var byCode = points.ToDictionary(p => p.Period);
        points = points.Select(p => p with
        {
            ChangeFromPreviousPeriod = Change(p, byCode.GetValueOrDefault(p.PreviousPeriod)),
            ChangeFromSamePeriodLastYear = Change(p, byCode.GetValueOrDefault(p.SamePeriodLastYear)),
        }).ToList();
        var successor = area.ValidTo is { } gone ? tree.Current(area.Id, gone.AddDays(1)) : null;
        var used = points.SelectMany(p => p.MeasuredOver).ToHashSet(StringComparer.Ordinal);
        return new Trend(area.Code, area.Name, target, successor?.Code, points)
        {
            SuccessorName = successor?.Name,
            SuccessorFrom = successor is null ? null : area.ValidTo!.Value.AddDays(1),
            Predecessors = merged.Where(a => used.Contains(a.Code)).OrderBy(a => a.ValidTo).ThenBy(a => a.Code, StringComparer.Ordinal)
                .Select(a => new TrendPredecessor(a.Code, a.Name, a.ValidTo!.Value.AddDays(1))).ToList(),
        };
    }

    private static DateOnly Later(DateOnly day, DateOnly? other) => other is { } o && o > day ? o : day;

    /// <summary>Percentage points from an earlier point to this one, from the exact shares (<see cref="Shares.ChangeInPoints"/>), when both have a share.</summary>
    private static decimal? Change(TrendPoint now, TrendPoint? before) =>
        now.Denominator > 0 && before is { Denominator: > 0 } ? Shares.ChangeInPoints(now.Numerator, now.Denominator, before.Numerator, before.Denominator) : null;
}
