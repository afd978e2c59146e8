using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Findings;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Reports;

/// <summary>A report asked for a period a committee does not review on its own (the second half): says which report covers it.</summary>
public sealed class ReportPeriodRefused(string messageVi, string messageEn) : EvaluationRequestException(messageVi + " " + messageEn, messageVi)
{
    /// <summary>Always worded in Vietnamese here.</summary>
    public new string MessageVi => base.MessageVi!;
    public override string MessageEn { get; } = messageEn;
}

/// <summary>The kinds of unit a sơ kết report reviews one by one (loại hình cơ sở), in its order.</summary>
public enum UnitGroup
{
    Communes,
    AgenciesAndPublicServices,
    Enterprises,
    ArmedForces,
    Villages,
}

/// <summary>One unit kind against one target: units counted, met, short, not reported, and the summed share.</summary>
public sealed record KindResult(UnitKind Kind, int Population, int Met, int Short, int Missing, long Numerator, long Denominator);

/// <summary>One target as the units of one group measure it, kind by kind.</summary>
public sealed record GroupTargetResult(TargetStanding Target, IReadOnlyList<KindResult> Kinds);

/// <summary>A group of unit kinds: how many units of each are active in the area, and the targets that apply to them.</summary>
public sealed record GroupResult(UnitGroup Group, IReadOnlyDictionary<UnitKind, int> Units, IReadOnlyList<GroupTargetResult> Targets);

/// <summary>Summed data values of one area (the figures a review report restates), with how many units reported each.</summary>
public sealed record AreaFigures(int AreaId, string AreaCode, string AreaName, IReadOnlyDictionary<string, long> Sums, IReadOnlyDictionary<string, int> Reporting)
{
    public long Sum(string indicator) => Sums.GetValueOrDefault(indicator);

    public int ReportingUnits(string indicator) => Reporting.GetValueOrDefault(indicator);
}

/// <summary>A proposed target set (the JSON of <c>qcdc import targets</c>) whose what-if a report appends, and who asked.</summary>
public sealed record ReportProposal(string File, byte[] Content, string By);

/// <summary>A flagged unit's finding with the unit's kind and where it sits.</summary>
public sealed record FlaggedUnit(FindingView Finding, UnitKind Kind, string AreaPath);

/// <summary>Everything a review report says, read from the stored runs, findings and data values.</summary>
public sealed record ReviewReportData(
    AreaOverview Overview,
    IReadOnlyList<Resolution> Resolutions,
    IReadOnlyList<Target> TargetSettings,
    IReadOnlyList<GroupResult> Groups,
    AreaFigures Totals,
    IReadOnlyList<AreaFigures> ChildFigures,
    IReadOnlyList<FlaggedUnit> FlaggedUnits,
    IReadOnlyList<FindingView> AreaFindings,
    int ActiveUnits,
    DateTime GeneratedAtUtc)
{
    /// <summary>The same period of the previous year, when it was evaluated over this area (a year's previous period is that too).</summary>
    public Period? SamePeriodLastYear { get; init; }

    /// <summary>The area's figures per target in <see cref="SamePeriodLastYear"/>.</summary>
    public IReadOnlyList<ComplianceRow> LastYear { get; init; } = [];

    /// <summary>
    /// The summed values of the units attached directly to the area, in none of its <see cref="ChildFigures"/> (a
    /// district's own agencies): null when it has no child areas or no such unit. With the children they add up to <see cref="Totals"/>.
    /// </summary>
    public AreaFigures? OwnFigures { get; init; }

    /// <summary>
    /// A year: its units closed during it whose first half's counts are in its sums (<see cref="ScopeFacts.Carried"/>, those
    /// that reported a count for it): in the totals and in the row of the area they sat in or its successor, never among the <see cref="ActiveUnits"/>.
    /// </summary>
    public int CarriedUnits { get; init; }

    /// <summary>The <see cref="ActiveUnits"/> by kind, in the kinds' order: every kind, those no target judges included, so that the parts add up to the whole.</summary>
    public IReadOnlyList<(UnitKind Kind, int Count)> UnitsByKind { get; init; } = [];

    /// <summary>The committee's sign-off of the area and period in force (null: not signed off): "đã ký duyệt" with its date and reason.</summary>
    public SignOffView? SignedOff { get; init; }

    /// <summary>Not signed off because reopened (<see cref="SignedOff"/> null): the sign-off reopened, and the reopening.</summary>
    public ReopenedSignOff? Reopened { get; init; }

    /// <summary>Who has reported in the area and its child areas: expected, complete on time or late, partial, missing.</summary>
    public Submissions.CompletenessView? Completeness { get; init; }

    /// <summary>Each target of the overview over the area in every evaluated period since the first.</summary>
    public IReadOnlyList<Trend> Trends { get; init; } = [];

    /// <summary>What a proposed target set (next year's, in a tổng kết) would have meant for this period: the optional appendix.</summary>
    public WhatIfResult? WhatIf { get; init; }

    /// <summary>The area's own finding of a target (its gap and candidates), if the target falls short or is incomplete there.</summary>
    public FindingView? AreaFinding(string targetCode) =>
        AreaFindings.FirstOrDefault(f => f.TargetCode == targetCode && f.SubjectCode == Overview.Area.Code);

    /// <summary>
    /// Whether the per-kind figures (measured now from the stored values) differ from the run's totals: values were
    /// imported after the latest run, and the report says so. A target whose set was imported again since is left out:
    /// its kinds are counted by the threshold the run recorded, but under the population and rule now stored, so a
    /// difference there is the set's (which the report says apart), not a sign that any value changed.
    /// </summary>
    public bool ValuesChangedSinceRun => Groups.SelectMany(g => g.Targets).Where(t => !t.Target.Current.SettingChangedSince).GroupBy(t => t.Target.Current.TargetCode).Any(g =>
    {
        var row = g.First().Target.Current;
        var kinds = g.SelectMany(t => t.Kinds).ToList();
        return kinds.Sum(k => k.Population) != row.PopulationUnits || kinds.Sum(k => k.Met) != row.MetUnits
               || kinds.Sum(k => k.Numerator) != row.Numerator || kinds.Sum(k => k.Denominator) != row.Denominator;
    });

    public Target? Setting(string targetCode) => TargetSettings.FirstOrDefault(t => t.Code == targetCode);

    public static IReadOnlyList<UnitKind> KindsOf(UnitGroup group) => group switch
    {
        UnitGroup.Communes => [UnitKind.Commune],
        UnitGroup.AgenciesAndPublicServices => [UnitKind.StateAgency, UnitKind.PublicServiceUnit],
        UnitGroup.Enterprises => [UnitKind.StateEnterprise, UnitKind.NonStateEnterprise],
        UnitGroup.ArmedForces => [UnitKind.ArmedForces],
        _ => [UnitKind.Village],
    };
}

/// <summary>
/// Reads a review report's content: the area's overview (<see cref="OverviewQueries"/>), the current findings of its
/// subtree (<see cref="FindingQueries"/>), and the stored values of its units as the period reads them
/// (<see cref="FactLoader"/>: a year sums its halves), measured kind by kind with the targets' own rule classes.
/// </summary>
public sealed class ReviewReportQueries(
    IDbContextFactory<QcdcDbContext> contexts,
    OverviewQueries overviews,
    ComplianceQueries compliance,
    FindingQueries findings,
    FactLoader loader,
    TimeProvider clock,
    IReportDecisions decisions,
    Submissions.CompletenessQueries completeness)
{
    /// <summary>The indicators whose sums the report restates, in the order it restates them.</summary>
    public static readonly IReadOnlyList<string> RestatedIndicators =
    [
        "PROPAGANDA_SESSIONS", "PROPAGANDA_ATTENDEES", "DIALOGUE_CONFERENCES", "INSPECTION_SUPERVISIONS", "INVESTMENT_SUPERVISIONS",
        "MODELS_REGISTERED", "MODELS_RECOGNISED", "MODELS_EXEMPLARY", "CITIZEN_RECEPTION_DAYS", "COMPLAINTS_RECEIVED", "COMPLAINTS_RESOLVED",
        "MEDIATION_TEAMS", "MEDIATORS", "MEDIATION_CASES", "MEDIATION_SUCCESSES", "NEW_RURAL_STANDARD",
    ];

    /// <param name="proposal">A proposed target set to append what it would have meant for the period (a what-if, storing nothing).</param>
    public async Task<ReviewReportData> LoadAsync(string periodCode, string areaCode, CancellationToken ct = default, ReportProposal? proposal = null)
    {
        // A quarter is no period a committee reviews: a stored run of one (an older version evaluated them) makes no report.
        if (!PeriodCode.TryParse(periodCode, out var asked))
            throw new NotAPeriodException(periodCode);

        // A committee reviews the first half (sơ kết) and the year (tổng kết); the second half is reviewed in the year.
        if (asked.Type == PeriodType.HalfYear && asked.Number == 2)
        {
            throw new ReportPeriodRefused(
                $"Không lập báo cáo riêng cho 6 tháng cuối năm {asked.Year}: báo cáo sơ kết là của 6 tháng đầu năm ({asked.Year}S1), "
                + $"6 tháng cuối năm được tổng kết trong báo cáo năm {asked.Year} (kỳ {asked.Year}).",
                $"No report is written for the second half of {asked.Year} alone: the review covers the first half ({asked.Year}S1) and the year ({asked.Year}); ask for the year report.");
        }

        var overview = await overviews.ForAreaAsync(periodCode, areaCode, ct);
        var (period, area) = (overview.Period, overview.Area);
        // An area that no longer existed has no units in the period: a report of empty tables would read as if nothing were amiss.
        if (overview.Ended is { } ended)
        {
            throw new ReportPeriodRefused(
                ReportWording.Vietnamese.AreaEndedInFull(ended, period) + " Báo cáo của kỳ này lập cho địa bàn kế thừa.",
                ReportWording.English.AreaEndedInFull(ended, period) + " Ask for the report of the area that succeeded it.");
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var tree = await db.LoadAreaTreeAsync(ct);
        var facts = await loader.LoadAsync(db, period, overview.Province, tree, ct);
        var reports = facts.Reports.Where(r => r.Unit.Path.Any(a => a.Id == area.Id)).ToList();
        // A year's units closed during it are not its units, but their first half's counts are in its sums (and its ratios).
        var carried = facts.Carried.Where(r => r.Unit.IsIn(area.Id)).ToList();
        var settings = (await TargetSettings.InForceAsync(db, period, ct)).Values.ToList();

        var groups = new List<GroupResult>();
        foreach (var group in Enum.GetValues<UnitGroup>())
        {
            var kinds = ReviewReportData.KindsOf(group);
            var unitCounts = kinds.ToDictionary(k => k, k => reports.Count(r => r.Unit.Kind == k));
            var targets = new List<GroupTargetResult>();
            foreach (var standing in overview.Targets)
            {
                var target = facts.Targets.FirstOrDefault(t => t.Code == standing.Current.TargetCode);
                if (target is null || !kinds.Any(target.Population.Mentions) || standing.Current.TargetCode == ReportingTarget.Code)
                    continue;
                // Counted by the test the run's verdicts stand on (the threshold it recorded, where the set was imported again since).
                var judged = standing.Current.Threshold is { } recorded ? target.JudgedBy(recorded) : target;
                targets.Add(new GroupTargetResult(standing, kinds.Where(target.Population.Mentions).Select(k => Measure(judged, reports, carried, k)).ToList()));
            }

            if (unitCounts.Values.Sum() > 0 || targets.Count > 0)
                groups.Add(new GroupResult(group, unitCounts, targets));
        }

        var childAreas = tree.ChildrenIn(area.Id, period.Start, period.End).OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
        var summed = reports.Concat(carried).ToList();
        var children = childAreas.Select(c => Figures(c.Id, c.Code, c.Name, summed.Where(r => r.Unit.Path.Any(a => a.Id == c.Id)))).ToList();
        var childIds = childAreas.Select(c => c.Id).ToHashSet();
        var ownReports = childAreas.Count == 0 ? [] : summed.Where(r => !r.Unit.Path.Any(a => childIds.Contains(a.Id))).ToList();

        // The units' findings without their evidence (the report shows what they measured), the areas' with it (their gap
        // in words): a province's 498,788 findings read with every evidence unpacked took 2.2 GB for one report (06/12).
        var current = await findings.CurrentAsync(db, new FindingFilter(period.Code) { Area = area.Code }, ct);
        var open = (await FindingQueries.ViewsAsync(db, await current.Where(f => f.SubjectType == SubjectType.Unit && f.State != FindingState.Resolved)
            .WithoutEvidence().ToListAsync(ct), ct)).ToList();
        var unitIds = open.Select(f => f.SubjectId).Distinct().ToList();
        var units = new Dictionary<int, (UnitKind Kind, int AreaId)>();
        // The ids written into the statement (integers read from the database), not bound as thousands of parameters.
        var n = Names.Of<Unit>(db);
        foreach (var chunk in unitIds.Chunk(5000))
        {
            var sql = $"SELECT {n[nameof(Unit.Id)]}, {n[nameof(Unit.Kind)]}, {n[nameof(Unit.AreaId)]} FROM {n.Table} WHERE {n[nameof(Unit.Id)]} IN ({Names.List(chunk)})";
            foreach (var (id, kind, areaId) in await PlainSql.ListAsync(db, sql, r => (r.GetInt32(0), r.Enum<UnitKind>(1), r.GetInt32(2)), ct))
                units[id] = (kind, areaId);
        }

        // A unit that changed since the period's last day is described as it was then, where it sat.
        var history = await UnitHistoryRows.FromAsync(db, period.End, ct);
        foreach (var id in history.UnitIds.Where(units.ContainsKey))
            units[id] = (history.On(id, period.End)!.Kind, history.On(id, period.End)!.AreaId);

        var flagged = open.Select(f =>
        {
            var (kind, areaId) = units[f.SubjectId];
            var where = tree.PathOn(areaId, period.End).TakeWhile(a => a.Id != area.Id).Reverse().Select(a => a.Name).ToList();
            // A unit attached directly to the area (a district's own agency) is named where it sits, not left blank.
            return new FlaggedUnit(f, kind, where.Count > 0 ? string.Join(" › ", where) : area.Name);
        }).ToList();
        var areaFindings = (await FindingQueries.ViewsAsync(db, await current.Where(f => f.SubjectType == SubjectType.Area && f.State != FindingState.Resolved)
            .ToListAsync(ct), ct)).ToList();

        var lastYearCode = period.Type == PeriodType.Year ? period.PreviousCode() : $"{period.Year - 1}{period.Code[4..]}";
        var lastYear = await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Code == lastYearCode, ct);
        IReadOnlyList<ComplianceRow> lastYearRows = [];
        if (lastYear is not null && await db.ScopeStates.AnyAsync(s => s.PeriodId == lastYear.Id, ct) && tree.PathOn(area.Id, lastYear.End).Count > 0)
            lastYearRows = (await compliance.ForAreaAsync(lastYear.Code, area.Code, ct)).Totals;
        else
            lastYear = null;

        var trendList = new List<Trend>();
        foreach (var standing in overview.Targets)
            trendList.Add(await decisions.TrendAsync(area.Code, standing.Current.TargetCode, period.End, ct));
        var whatIf = proposal is null
            ? null
            : await decisions.WhatIfAsync(period.Code, area.Code, proposal, ct);

        var signedOff = await decisions.SignedOffAsync(period.Code, area.Code, ct);
        return new ReviewReportData(overview, facts.Resolutions.OrderBy(r => r.IssuedOn).ToList(), settings, groups,
            Figures(area.Id, area.Code, area.Name, summed), children, flagged, areaFindings, reports.Count, clock.GetUtcNow().UtcDateTime)
        {
            OwnFigures = ownReports.Count > 0 ? Figures(area.Id, area.Code, area.Name, ownReports) : null,
            // Those whose first half carried a count: one that reported only yes/no answers and states (read from the second half) holds none.
            CarriedUnits = carried.Count(r => r.Packed.Length > 0),
            UnitsByKind = reports.GroupBy(r => r.Unit.Kind).OrderBy(g => g.Key).Select(g => (g.Key, g.Count())).ToList(),
            SamePeriodLastYear = lastYear,
            LastYear = lastYearRows,
            SignedOff = signedOff,
            Reopened = signedOff is null ? await decisions.ReopenedAsync(period.Code, area.Code, ct) : null,
            Completeness = await completeness.ForAreaAsync(period.Code, area.Code, ct),
            Trends = trendList,
            WhatIf = whatIf,
        };
    }

    /// <summary>
    /// The units of a kind against a target, as the run's tally counts them; the carried reports of the kind add their
    /// ratio counts and no unit (<see cref="CarriedFlows.Contribution"/>), so the kinds add up to the area's figures.
    /// </summary>
    private static KindResult Measure(TargetFact target, List<UnitReport> reports, List<UnitReport> carried, UnitKind kind)
    {
        int population = 0, met = 0, shortUnits = 0, missing = 0;
        long numerator = 0, denominator = 0;
        foreach (var report in reports)
        {
            if (report.Unit.Kind != kind || !target.Includes(report))
                continue;
            var measured = target.Measure(report);
            if (measured.Status == MeasureStatus.NotApplicable)
                continue;
            population++;
            numerator += measured.Numerator;
            denominator += measured.Denominator;
            // As the run's tally counts them: a ratio over zero cases is in the population and among the units met.
            switch (measured.Status)
            {
                case MeasureStatus.Met or MeasureStatus.NoCases: met++; break;
                case MeasureStatus.Short: shortUnits++; break;
                default: missing++; break;
            }
        }

        foreach (var report in carried)
        {
            if (report.Unit.Kind == kind && CarriedFlows.Contribution(target, report) is { } flow)
                (numerator, denominator) = (numerator + flow.Numerator, denominator + flow.Denominator);
        }

        return new KindResult(kind, population, met, shortUnits, missing, numerator, denominator);
    }

    private static AreaFigures Figures(int id, string code, string name, IEnumerable<UnitReport> reports)
    {
        var sums = new Dictionary<string, long>();
        var reporting = new Dictionary<string, int>();
        var indicators = RestatedIndicators.Select(IndicatorCatalogue.Get).ToList();
        foreach (var report in reports)
        {
            foreach (var indicator in indicators)
            {
                if (report[indicator] is not { } value)
                    continue;
                sums[indicator.Code] = sums.GetValueOrDefault(indicator.Code) + value;
                reporting[indicator.Code] = reporting.GetValueOrDefault(indicator.Code) + 1;
            }
        }

        return new AreaFigures(id, code, name, sums, reporting);
    }
}
