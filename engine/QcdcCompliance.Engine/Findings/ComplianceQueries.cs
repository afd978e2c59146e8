using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Findings;

/// <summary>
/// One target over one area in the latest run: what the dashboard draws and the review report restates. Its
/// <see cref="Status"/> is the run's verdict, or <see cref="AreaStatus.NotJudged"/> where the area's level is not one
/// the target is judged at (<see cref="JudgedLevels"/>): the figures are then information only.
/// </summary>
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

    /// <summary>The test the row was judged by, when known (<see cref="ThresholdRecorded"/>): the side its share is shown on (<see cref="Shares.RoundPercent"/>).</summary>
    public Threshold? Threshold => ThresholdRecorded ? new Threshold(Operator, ThresholdMillionths) : null;

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

    /// <summary>
    /// Whether the target's set was imported again (or removed) after the run that judged this row: the operator and
    /// threshold are then the ones that run recorded in its findings (<see cref="ThresholdRecorded"/>), the names and
    /// texts the current set's (the replaced set's are not kept), and a reader is told so.
    /// </summary>
    public bool SettingChangedSince { get; init; }

    /// <summary>
    /// Whether <see cref="Operator"/> and <see cref="ThresholdMillionths"/> are the ones the row was judged by: false only
    /// where the set changed since and the run recorded no finding of the target to read them from.
    /// </summary>
    public bool ThresholdRecorded { get; init; } = true;

    /// <summary>
    /// The row of the units attached directly to the area (a district's own agencies and armed-forces unit, a province's
    /// own agencies), which sit in none of its child areas: the area's total less its children's. It carries the area's
    /// own id, code and name; without it the child rows did not add up to the total they stand above.
    /// </summary>
    public bool OwnUnits { get; init; }
}

/// <summary>
/// Per target, an area's figures, those of each of its child areas, and those of its units attached directly to it
/// (<see cref="ComplianceRow.OwnUnits"/>): children and own units add up to the area's total.
/// </summary>
public sealed record AreaCompliance(Period Period, Area Area, IReadOnlyList<ComplianceRow> Totals, IReadOnlyList<ComplianceRow> Children)
{
    /// <summary>One row per target for which units attached directly to the area are in the population; none for an area without child areas.</summary>
    public IReadOnlyList<ComplianceRow> OwnUnits { get; init; } = [];

    /// <summary>Set when the area no longer existed on the period's last day: why it has no figures, and what it became.</summary>
    public AreaEnded? Ended { get; init; }
}

/// <summary>Per target, the figures of an area and of each of its child areas, from the current area results.</summary>
public sealed class ComplianceQueries(IDbContextFactory<QcdcDbContext> contexts, TargetRuleCatalogue catalogue)
{
    public async Task<AreaCompliance> ForAreaAsync(string periodCode, string areaCode, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var code = periodCode.Trim().ToUpperInvariant();
        var period = await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Code == code, ct)
                     ?? throw new PeriodNotEvaluatedException(periodCode);
        var tree = await db.LoadAreaTreeAsync(ct);
        var area = tree.Find(areaCode) ?? throw new UnknownAreaException(areaCode);
        var children = tree.ChildrenIn(area.Id, period.Start, period.End).Select(a => a.Id).ToHashSet();
        var wanted = children.Append(area.Id).ToList();
        var rows = await RowsAsync(db, period, wanted, tree, ct);
        var totals = rows.Where(r => r.AreaId == area.Id).ToList();
        var childRows = rows.Where(r => children.Contains(r.AreaId)).OrderBy(r => r.TargetCode, StringComparer.Ordinal).ThenBy(r => r.AreaCode, StringComparer.Ordinal).ToList();
        var own = children.Count == 0 ? [] : await OwnUnitsAsync(db, period, totals, childRows, ct);
        return new AreaCompliance(period, area, totals, childRows) { OwnUnits = own, Ended = AreaEnded.Of(tree, area, period) };
    }

    /// <summary>
    /// Per target, the units attached directly to the area: its total less its children's (an area's figures are the sums
    /// of its units' on its path, so the rest is theirs), judged as the run judges an area, by the threshold its row was
    /// judged by. None where no unit of the target's population is attached directly.
    /// </summary>
    private async Task<List<ComplianceRow>> OwnUnitsAsync(QcdcDbContext db, Period period, List<ComplianceRow> totals, List<ComplianceRow> children, CancellationToken ct)
    {
        var byTarget = children.ToLookup(c => c.TargetCode);
        var settings = await TargetSettings.InForceAsync(db, period, ct);
        var own = new List<ComplianceRow>();
        foreach (var total in totals)
        {
            var parts = byTarget[total.TargetCode].ToList();
            var (population, met, missing) = (total.PopulationUnits - parts.Sum(c => c.PopulationUnits), total.MetUnits - parts.Sum(c => c.MetUnits),
                total.MissingUnits - parts.Sum(c => c.MissingUnits));
            var (numerator, denominator) = (total.Numerator - parts.Sum(c => c.Numerator), total.Denominator - parts.Sum(c => c.Denominator));
            // Nothing directly attached; or a total short of its children's (only a run over other data could leave one), which no row can mend.
            if (population <= 0 || met < 0 || missing < 0 || numerator < 0 || denominator < 0)
                continue;
            var threshold = new Threshold(total.Operator, total.ThresholdMillionths);
            var setting = settings.GetValueOrDefault(total.TargetCode);
            var fact = setting is { Resolution: { } set } ? TargetFacts.From(set, setting, catalogue, null, period.Type)
                : total.TargetCode == ReportingTarget.Code ? ReportingTarget.Default(catalogue)
                : null;
            var status = fact?.AreaStatusOf(threshold, population, missing, numerator, denominator)
                         ?? (missing > 0 ? AreaStatus.Incomplete : denominator == 0 ? AreaStatus.NotApplicable
                             : threshold.IsMetBy(numerator, denominator) ? AreaStatus.Met : AreaStatus.Short);
            own.Add(total with
            {
                PopulationUnits = population, MetUnits = met, MissingUnits = missing, Numerator = numerator, Denominator = denominator, Status = status,
                OwnUnits = true,
            });
        }

        return own;
    }

    private static async Task<List<ComplianceRow>> RowsAsync(QcdcDbContext db, Period period, List<int> areaIds, AreaTree tree, CancellationToken ct)
    {
        var results = await db.AreaResults.AsNoTracking()
            .Where(a => a.PeriodId == period.Id && a.SupersededByRunId == null && areaIds.Contains(a.AreaId))
            .ToListAsync(ct);
        var targets = await TargetSettings.InForceAsync(db, period, ct);
        var judged = await JudgedThresholds.OfAsync(db, period, results, targets, ct);
        return results
            .Select(r =>
            {
                var target = targets.GetValueOrDefault(r.TargetCode);
                var area = tree[r.AreaId];
                var changed = judged.Changed(r.ScopeAreaId, r.TargetCode);
                var threshold = changed ? judged.Of(r.ScopeAreaId, r.TargetCode, r.AreaId) : target?.Threshold;
                // A figure at a level its target is not judged at is information only, never a verdict (as no run makes it a finding).
                var status = target is not null && !target.JudgedAt(r.AreaLevel, period.Type) ? AreaStatus.NotJudged : r.Status;
                return new ComplianceRow(r.TargetCode, target?.TextVi ?? r.TargetCode, target?.TextEn, target?.Severity ?? Severity.Medium,
                    r.AreaId, area.Code, area.Name, r.AreaLevel, r.PopulationUnits, r.MetUnits, r.MissingUnits, r.Numerator, r.Denominator, status,
                    threshold?.Operator ?? target?.Threshold.Operator ?? ComparisonOperator.AtLeast, threshold?.Millionths ?? target?.Threshold.Millionths ?? Threshold.One)
                {
                    SettingChangedSince = changed,
                    ThresholdRecorded = !changed || threshold is not null,
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

/// <summary>
/// The thresholds a period's latest runs judged their targets by, where a target's set was imported again after the run:
/// an area result keeps no threshold, and the current setting beside an older verdict made a table read "≥ 70% · 70,0% ·
/// Chưa đạt" (probe 48). Each finding records the operator and threshold it was judged by: the area's own finding, else
/// any finding of the target in that run's scope (one setting binds a target across a province's run).
/// </summary>
internal sealed class JudgedThresholds
{
    private readonly HashSet<(int Scope, string Target)> _changed;
    private readonly Dictionary<(int Scope, string Target, int Area), Threshold> _byArea;
    private readonly Dictionary<(int Scope, string Target), Threshold> _byTarget;

    private JudgedThresholds(HashSet<(int, string)> changed, Dictionary<(int, string, int), Threshold> byArea, Dictionary<(int, string), Threshold> byTarget) =>
        (_changed, _byArea, _byTarget) = (changed, byArea, byTarget);

    public bool Changed(int scope, string target) => _changed.Contains((scope, target));

    /// <summary>The threshold the run recorded for the target over the area (or anywhere in its scope); null when it recorded no finding of it.</summary>
    public Threshold? Of(int scope, string target, int area) =>
        _byArea.TryGetValue((scope, target, area), out var own) ? own : _byTarget.TryGetValue((scope, target), out var any) ? any : null;

    public static async Task<JudgedThresholds> OfAsync(QcdcDbContext db, Period period, List<AreaResult> results, Dictionary<string, Target> current, CancellationToken ct)
    {
        var scopes = results.Select(r => r.ScopeAreaId).Distinct().ToList();
        var started = await db.ScopeStates.AsNoTracking().Where(s => s.PeriodId == period.Id && scopes.Contains(s.ScopeAreaId))
            .Join(db.EvaluationRuns, s => s.LatestRunId, r => r.Id, (s, r) => new { s.ScopeAreaId, r.StartedAt })
            .ToDictionaryAsync(s => s.ScopeAreaId, s => s.StartedAt, ct);
        // A set stored after the run started replaced the copy it judged by (an identical import stores nothing).
        var changed = results.Select(r => (Scope: r.ScopeAreaId, Target: r.TargetCode)).Distinct()
            .Where(k => k.Target != ReportingTarget.Code && started.TryGetValue(k.Scope, out var at)
                        && (current.GetValueOrDefault(k.Target)?.Resolution is not { } set || set.ImportedAt > at))
            .ToHashSet();
        var byArea = new Dictionary<(int, string, int), Threshold>();
        var byTarget = new Dictionary<(int, string), Threshold>();
        foreach (var (scope, target) in changed)
        {
            var open = db.Findings.AsNoTracking().Where(f => f.PeriodId == period.Id && f.ScopeAreaId == scope && f.TargetCode == target
                                                             && f.SupersededByRunId == null && f.State != FindingState.Resolved);
            foreach (var f in await open.Where(f => f.SubjectType == SubjectType.Area)
                         .Select(f => new { f.SubjectId, f.Measurement.Operator, f.Measurement.ThresholdMillionths }).ToListAsync(ct))
                byArea[(scope, target, f.SubjectId)] = new Threshold(f.Operator, f.ThresholdMillionths);
            var any = await open.OrderBy(f => f.Id).Select(f => new { f.Measurement.Operator, f.Measurement.ThresholdMillionths }).FirstOrDefaultAsync(ct);
            if (any is not null)
                byTarget[(scope, target)] = new Threshold(any.Operator, any.ThresholdMillionths);
        }

        return new JudgedThresholds(changed, byArea, byTarget);
    }
}
