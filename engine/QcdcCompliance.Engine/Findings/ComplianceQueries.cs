using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Findings;

/// <summary>One target over one area in the latest run: what the dashboard draws and the review report restates.</summary>
public sealed record ComplianceRow(
    string TargetCode,
    string TextVi,
    string? TextEn,
    Severity Severity,
    int AreaId,
    string AreaCode,
    string AreaName,
    AreaLevel AreaLevel,
    int PopulationUnits,
    int MetUnits,
    int MissingUnits,
    long Numerator,
    long Denominator,
    AreaStatus Status,
    ComparisonOperator Operator,
    long ThresholdMillionths)
{
    /// <summary>Units of the population that fall short (not reported included).</summary>
    public int ShortUnits => PopulationUnits - MetUnits;

    public decimal? Share => Denominator > 0 ? Numerator / (decimal)Denominator : null;

    /// <summary>The target's short name as its set carries it ("Chỉ tiêu 6b: thỏa ước lao động tập thể"), else null.</summary>
    public string? NameVi { get; init; }

    public string? NameEn { get; init; }

    /// <summary>
    /// Whether the target judges each unit (and so lists the units short); a target measured over areas only (a ratio
    /// of summed figures) judges areas, and a count of "units short" would contradict its empty list of units.
    /// </summary>
    public bool JudgesUnits { get; init; } = true;

    /// <summary>
    /// A half-year target a year restates over areas (<see cref="Target.RestatedOn"/>): its units' shortfalls are
    /// counted, but flagged and listed in the half-years, not in the year.
    /// </summary>
    public bool Restated { get; init; }

    /// <summary>The indicator a ratio target divides by (the last it reads: COMPLAINTS_RECEIVED), null for one that reads one.</summary>
    public string? CountedIndicator => Reads is [_, .., var last] ? last : null;

    /// <summary>The indicators the target reads, in its rule's order (a ratio: numerator then denominator).</summary>
    public IReadOnlyList<string> Reads { get; init; } = [];

    /// <summary>What the target is about, as its set tags it ("complaints", "dissemination"): what the report's narrative keys on.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}

/// <summary>Per target, the figures of an area and of each of its child areas, from the current area results.</summary>
public sealed class ComplianceQueries(IDbContextFactory<QcdcDbContext> contexts)
{
    public async Task<(Period Period, Area Area, IReadOnlyList<ComplianceRow> Totals, IReadOnlyList<ComplianceRow> Children)> ForAreaAsync(
        string periodCode, string areaCode, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var code = periodCode.Trim().ToUpperInvariant();
        var period = await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Code == code, ct)
                     ?? throw new EvaluationRequestException($"period {periodCode} has not been evaluated (or is not a period code)");
        var tree = await db.LoadAreaTreeAsync(ct);
        var area = tree.Find(areaCode) ?? throw new EvaluationRequestException($"unknown area {areaCode}");
        var children = tree.ChildrenOn(area.Id, period.End).Select(a => a.Id).ToHashSet();
        var wanted = children.Append(area.Id).ToList();
        var rows = await RowsAsync(db, period, wanted, tree, ct);
        return (period, area,
            rows.Where(r => r.AreaId == area.Id).ToList(),
            rows.Where(r => children.Contains(r.AreaId)).OrderBy(r => r.TargetCode, StringComparer.Ordinal).ThenBy(r => r.AreaCode, StringComparer.Ordinal).ToList());
    }

    private static async Task<List<ComplianceRow>> RowsAsync(QcdcDbContext db, Period period, List<int> areaIds, AreaTree tree, CancellationToken ct)
    {
        var results = await db.AreaResults.AsNoTracking()
            .Where(a => a.PeriodId == period.Id && a.SupersededByRunId == null && areaIds.Contains(a.AreaId))
            .ToListAsync(ct);
        var targets = await TargetSettings.InForceAsync(db, period, ct);
        return results
            .Select(r =>
            {
                var target = targets.GetValueOrDefault(r.TargetCode);
                var area = tree[r.AreaId];
                return new ComplianceRow(r.TargetCode, target?.TextVi ?? r.TargetCode, target?.TextEn, target?.Severity ?? Severity.Medium,
                    r.AreaId, area.Code, area.Name, r.AreaLevel, r.PopulationUnits, r.MetUnits, r.MissingUnits, r.Numerator, r.Denominator, r.Status,
                    target?.Threshold.Operator ?? ComparisonOperator.AtLeast, target?.Threshold.Millionths ?? Threshold.One)
                {
                    NameVi = target?.NameVi ?? (r.TargetCode == ReportingTarget.Code ? "Báo cáo đầy đủ" : null),
                    NameEn = target?.NameEn ?? (r.TargetCode == ReportingTarget.Code ? "Reporting in full" : null),
                    JudgesUnits = target is null || target.MeasuredOver.HasFlag(MeasuredOver.Unit),
                    Restated = target?.RestatedOn(period.Type) ?? false,
                    Tags = target?.TagList.ToList() ?? [],
                    Reads = target?.Indicators.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [],
                };
            })
            .OrderBy(r => r.TargetCode, StringComparer.Ordinal)
            .ToList();
    }
}
