using QcdcCompliance.Findings;
using QcdcCompliance.Reports;

namespace QcdcCompliance.Host.Dashboard;

/// <summary>
/// A child area on the overview: how many targets it falls short of, of those judged at its level (a commune's share of a
/// target measured over districts and the province is neither).
/// </summary>
public sealed record ChildSummary(string Code, string Name, int TargetsShort, int TargetsMeasured, int? UnitsNotReported);

/// <summary>The overview's figures, the sign-off in force for the area and period (if any), and whether the principal may sign off or reopen (committee).</summary>
public sealed record OverviewModel(AreaOverview Overview, IReadOnlyList<EvaluatedPeriod> Periods, IReadOnlyList<ChildSummary> Children, bool CanGoUp,
    SignOffView? SignedOff = null, bool CanSign = false)
{
    /// <summary>Who has reported in the area and period, on time or late, and the rate over the evaluated periods.</summary>
    public Submissions.CompletenessView? Completeness { get; init; }

    /// <summary>When the period was signed off then reopened and not signed off again: the sign-off reopened, and the reopening.</summary>
    public ReopenedSignOff? Reopened { get; init; }

    /// <summary>
    /// Not signed off, and the latest run no longer judges the data as it stands (changed since it read them): the page
    /// says so, and offers no sign-off until it is evaluated again, since a sign-off would be refused.
    /// </summary>
    public Decisions.OutOfDate? OutOfDate { get; init; }

    /// <summary>
    /// The parent areas the principal may open (a district committee's province is not one), and for an area that had
    /// ended those of what it became: only they are links.
    /// </summary>
    public IReadOnlySet<int> OpenableAncestors { get; init; } = new HashSet<int>();

    /// <summary>Every change of the area (its name, dates, parents, mergers), oldest first: who made it, when, through which file.</summary>
    public IReadOnlyList<AreaAudit> Changes { get; init; } = [];
}

/// <summary>A unit that falls short on the drill-down page, with its evidence in the page's language.</summary>
public sealed record ShortUnit(FindingView Finding, string Measured, string Required, string Evidence);

public sealed record TargetModel(
    AreaOverview Overview,
    TargetStanding Standing,
    IReadOnlyList<ComplianceRow> Children,
    string? ChartSvg,
    IReadOnlyList<ShortUnit> Units,
    int UnitsTotal,
    string? After,
    string? NextAfter,
    IReadOnlyList<FindingView> AreaFindings)
{
    /// <summary>The target over the area in every evaluated period, and its chart.</summary>
    public Trend? Trend { get; init; }

    public string? TrendChartSvg { get; init; }

    /// <summary>Each area finding's evidence in words, by finding id, as the units' are written (<see cref="ShortUnit.Evidence"/>) and explain writes them.</summary>
    public IReadOnlyDictionary<long, string> AreaEvidence { get; init; } = new Dictionary<long, string>();

    /// <summary>The parent areas the principal may open: only they are links.</summary>
    public IReadOnlySet<int> OpenableAncestors { get; init; } = new HashSet<int>();
}

/// <summary>One indicator of a unit across periods: the value in each period column (null: not reported).</summary>
public sealed record ValueLine(Indicator Indicator, IReadOnlyList<long?> Values);

public sealed record UnitFindingLine(FindingView Finding, string Measured, string Required, string TargetText, string Evidence)
{
    /// <summary>The target's short name, as the page names it.</summary>
    public string TargetName { get; init; } = TargetText;

    /// <summary>
    /// A unit's findings as its pages word them, the dashboard's unit page and the workspace's entry page alike: the
    /// target by its short name and text as stored, what was measured and required, and the evidence as <c>explain</c>
    /// words it (the target's texts those of the set it was judged by), the target and its set named by the sets stored today (without them the entry page's evidence named the
    /// target by its code, "chỉ tiêu NQ02-1").
    /// </summary>
    public static async Task<Func<FindingView, UnitFindingLine>> WordingAsync(DashboardView view, QcdcDbContext db, CancellationToken ct)
    {
        var settings = await TargetSettings.InForceAsync(db, null, ct);
        var sets = await StoredSetVersions.LoadAsync(db, ct);
        return f =>
        {
            // The setting the finding was judged by (its set, its period), as explain and the API word it; today's only for
            // a finding whose copy of the set is gone (whose texts the explanation then leaves out).
            var setting = sets.JudgedBy(f) ?? settings.GetValueOrDefault(f.TargetCode);
            var text = view.W.TargetText(setting, f.TargetCode, view.T("Báo cáo đầy đủ các chỉ tiêu", "Every indicator reported"));
            return new UnitFindingLine(f, view.W.Measured(f, setting), view.W.Required(f, setting), text,
                FindingExplanation.Render(f, text, view.Language == ReportLanguage.Vi, setTitle: setting?.Resolution?.Title, sets: sets))
            {
                TargetName = view.W.TargetName(setting, f.TargetCode),
            };
        };
    }
}

public sealed record UnitModel(
    Unit Unit,
    IReadOnlyList<Area> Path,
    IReadOnlyList<string> PeriodCodes,
    IReadOnlyList<ValueLine> Values,
    IReadOnlyList<UnitFindingLine> Findings,
    DateOnly Today)
{
    /// <summary>
    /// The period the path is of (the latest with the unit's values or findings), which its links open; null when the
    /// path is today's (the unit has none).
    /// </summary>
    public string? PathPeriod { get; init; }

    /// <summary>The areas of the path the principal may open: only they are links.</summary>
    public IReadOnlySet<int> Openable { get; init; } = new HashSet<int>();

    /// <summary>The half-year running today in Viet Nam (begun, not ended), a column of the values named as running; null when the unit is not in it.</summary>
    public string? Running { get; init; }

    /// <summary>The day the unit's kind is named for: its last active day if it has closed, today otherwise.</summary>
    public DateOnly KindNamedOn => Unit.ActiveTo is { } to && to < Today ? to : Today;

    /// <summary>
    /// Where the unit sat and what it was over time, when it changed (none otherwise): a period counts it as it was on
    /// the period's last day, so that an auditor sees why it counts in one district for one period and in another later.
    /// </summary>
    public IReadOnlyList<UnitPlace> Versions { get; init; } = [];

    /// <summary>Every change of the unit's own fields, oldest first (its first storing too): who made it, when, through which file.</summary>
    public IReadOnlyList<UnitAudit> Changes { get; init; } = [];
}

/// <summary>A span of a unit's history with the path of its area on the span's last day (nearest first).</summary>
public sealed record UnitPlace(UnitSpan Span, IReadOnlyList<Area> Path);

public sealed record RunLine(EvaluationRun Run, string PeriodCode, string ScopeName);

/// <summary>The runs of the principal's province; their counts only when the principal sees the whole province (<paramref name="WholeScope"/>).</summary>
public sealed record RunsModel(IReadOnlyList<RunLine> Runs, string? Period, long? NextBefore, bool WholeScope = true);

/// <summary>
/// A run as its page shows it; the run's own counters only to a principal bound to its whole scope. Resolved findings of
/// units that closed (<see cref="ClosedUnits"/>) are counted apart from those put right, in <c>Recorded</c> and in
/// <see cref="ClosedCount"/>; so are those whose target no longer judges their subject (<see cref="UnjudgedSubjects"/>)
/// and those whose unit left the target's population, by <see cref="FindingResolutions"/>. A row's resolution is null
/// while its findings are open.
/// </summary>
public sealed record RunModel(
    RunLine Line,
    Period Period,
    bool WholeScope,
    IReadOnlyList<(string Target, string TargetName, FindingState State, FindingResolution? Resolution, int Count)> Recorded,
    long? PreviousRunId,
    long? NextRunId)
{
    /// <summary>How many of the run's resolved findings resolved because their unit closed (whole scope only).</summary>
    public int ClosedCount { get; init; }

    /// <summary>
    /// How many of the run's resolved findings resolved with nothing put right for another reason (whole scope only;
    /// <see cref="Findings.FindingResolutions"/>): the target no longer judges the subject, the unit left its population.
    /// </summary>
    public int UnjudgedCount { get; init; }

    /// <inheritdoc cref="UnjudgedCount"/>
    public int LeftCount { get; init; }
}

/// <summary>A message page: its title, its text, and where to go from there (the overview unless said).</summary>
public sealed record MessageModel(string Title, string Message, string? LinkHref = null, string? LinkText = null);
