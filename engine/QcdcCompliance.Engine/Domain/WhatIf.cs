namespace QcdcCompliance.Domain;

/// <summary>Where a subject stands against a target, as a what-if reports it (<c>met</c>, <c>short</c>, <c>incomplete</c>, <c>not-applicable</c>).</summary>
public enum Standing
{
    Met,
    Short,

    /// <summary>An area whose units have not all reported, or a unit that did not report what the target reads.</summary>
    Incomplete,

    /// <summary>Not measured: the target is not in force, the subject is not of its population, or there is nothing to measure.</summary>
    NotApplicable,

    /// <summary>
    /// Now only: the stored evaluation has no standing for the subject as its data stands (a unit added, or its values
    /// changed, since the period's latest run; a scope never run). Missing data is not compliance: never read as met.
    /// </summary>
    NotEvaluated,
}

public static class Standings
{
    public static string Text(Standing standing) => standing switch
    {
        Standing.Met => "met",
        Standing.Short => "short",
        Standing.Incomplete => "incomplete",
        Standing.NotEvaluated => "not-evaluated",
        _ => "not-applicable",
    };

    public static Standing Of(AreaStatus status) => status switch
    {
        AreaStatus.Met => Standing.Met,
        AreaStatus.Short => Standing.Short,
        AreaStatus.Incomplete => Standing.Incomplete,
        _ => Standing.NotApplicable,
    };

    public static Standing Of(FindingOutcome outcome) => outcome == FindingOutcome.Short ? Standing.Short : Standing.Incomplete;

    /// <summary>
    /// The area status a standing reads as (badges and words shared with the dashboard and the report); not evaluated has
    /// none, and is worded by <see cref="Reports.ReportWording.Standing"/>.
    /// </summary>
    public static AreaStatus StatusOf(Standing standing) => standing switch
    {
        Standing.Met => AreaStatus.Met,
        Standing.Short => AreaStatus.Short,
        Standing.Incomplete => AreaStatus.Incomplete,
        _ => AreaStatus.NotApplicable,
    };

    /// <summary>Whether it calls for action (short or incomplete).</summary>
    public static bool FallsShort(Standing standing) => standing is Standing.Short or Standing.Incomplete;
}

/// <summary>
/// The figures behind a standing: for an area its population, met and missing units, numerator and denominator (units,
/// or a ratio's summed counts), the test and the gap; for a unit what the test compared.
/// </summary>
public sealed record WhatIfFigures(long? Numerator, long? Denominator, long? Value, int? Population, int? Met, int? Missing, string? Test, long? Gap)
{
    /// <summary>The share threshold <see cref="Test"/> states (none for a count's minimum): the side the share is kept on.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Threshold? Threshold { get; init; }

    public string? Share => Denominator is > 0 ? Shares.Format(Numerator ?? 0, Denominator.Value, Threshold) : null;
}

/// <summary>One target over one subject: its standing in the stored evaluation and under the proposal, with the figures.</summary>
public sealed record WhatIfRow(
    string Target,
    SubjectType SubjectType,
    string SubjectCode,
    string SubjectName,
    Standing Now,
    Standing Proposed,
    WhatIfFigures? NowFigures,
    WhatIfFigures? ProposedFigures)
{
    /// <summary>
    /// Whether the proposal changes a verdict: a subject that moves into or out of meeting or falling short, a finding that
    /// importing and evaluating the set would make or resolve. A subject never judged now has no verdict to change, and one
    /// that moves between met and not applicable (a target added or dropped, a population narrowed) makes no finding either:
    /// counted apart (<see cref="WhatIfResult.Added"/>, <see cref="WhatIfResult.Dropped"/>).
    /// </summary>
    public bool Changes => Now != Standing.NotEvaluated && Now != Proposed && !(Quiet(Now) && Quiet(Proposed));

    /// <summary>
    /// The gap to show under the proposal: none when it is met, or when nothing more is needed of the units that reported
    /// (an incomplete area whose reported figures pass: its units not reported must report, which "Cần thêm 0" beside
    /// "Chưa đủ số liệu" did not say).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long? ProposedGapShown => Proposed == Standing.Met || ProposedFigures?.Gap is not > 0 ? null : ProposedFigures.Gap;

    private static bool Quiet(Standing standing) => standing is Standing.Met or Standing.NotApplicable;
}

/// <summary>The days a proposed set says it is in force (null: open on that side), as a what-if names them.</summary>
public sealed record ProposalValidity(DateOnly? From, DateOnly? To)
{
    /// <summary>The settings set aside because they end before they start (a re-dated set's old "to" setting): none was applied.</summary>
    public IReadOnlyList<NeverInForce> NeverInForce { get; init; } = [];

    /// <summary>By value, the settings set aside included.</summary>
    public bool Equals(ProposalValidity? other) =>
        other is not null && From == other.From && To == other.To && NeverInForce.SequenceEqual(other.NeverInForce);

    public override int GetHashCode() => HashCode.Combine(From, To, NeverInForce.Count);
}

/// <summary>A target's setting that can never be in force: it starts (its own "from", else its set's validFrom) after it ends.</summary>
public sealed record NeverInForce(string Target, DateOnly From, DateOnly To);

/// <summary>A count of units now and under a proposal.</summary>
public sealed record WhatIfUnitCount(int Now, int Proposed);

/// <summary>A target the proposal adds or drops, with how many subjects it judges (added) or judged (dropped).</summary>
public sealed record WhatIfTargetMove(string Target, int Subjects);

/// <summary>How many subjects would move from one standing to another.</summary>
public sealed record WhatIfChange(SubjectType SubjectType, Standing Now, Standing Proposed, int Count);

/// <summary>What a proposed target set would have meant for a period's stored data.</summary>
public sealed record WhatIfResult(
    string Period,
    string Set,
    string SetScope,
    string? Area,
    IReadOnlyList<string> Provinces,
    IReadOnlyList<string> Targets,
    IReadOnlyList<WhatIfRow> Rows)
{
    public IReadOnlyList<WhatIfChange> Changes { get; } = Rows.Where(r => r.Changes)
        .GroupBy(r => (r.SubjectType, r.Now, r.Proposed))
        .OrderBy(g => g.Key.SubjectType).ThenBy(g => g.Key.Now).ThenBy(g => g.Key.Proposed)
        .Select(g => new WhatIfChange(g.Key.SubjectType, g.Key.Now, g.Key.Proposed, g.Count()))
        .ToList();

    public int Changed => Rows.Count(r => r.Changes);

    /// <summary>The proposed set as a sentence names it (<see cref="Resolution.NameInText"/>); <see cref="Set"/> is its code.</summary>
    public string SetName { get; init; } = Set;

    /// <summary>Each target of <see cref="Targets"/> as the proposal (or the stored copy it replaces) sets it: its names and texts for a page to say.</summary>
    public IReadOnlyDictionary<string, Target> Settings { get; init; } = new Dictionary<string, Target>();

    /// <summary>
    /// The proposal's own validity when it is not in force in the period (next year's set on this year's data) and was
    /// applied as if it were, each target by its first setting after the period; null when it is in force as written.
    /// </summary>
    public ProposalValidity? AppliedAsIfInForce { get; init; }

    /// <summary>Each target's threshold in force for the period now and under the proposal (null: not in force on that side).</summary>
    public IReadOnlyDictionary<string, (Threshold? Now, Threshold? Proposed)> Thresholds { get; init; } = new Dictionary<string, (Threshold?, Threshold?)>();

    /// <summary>
    /// Each count target's least count a unit must reach in the period now and under the proposal (null: no minimum on that
    /// side): a proposal may keep the threshold (100% of the units) and change only this, so a page says it beside the threshold.
    /// </summary>
    public IReadOnlyDictionary<string, (long? Now, long? Proposed)> Minimums { get; init; } = new Dictionary<string, (long?, long?)>();

    /// <summary>
    /// Per target, the units directly under an area whose child areas are listed, on each side (the area's figures less
    /// theirs; <see cref="WhatIfRow.SubjectCode"/> is the area's): the own-units row of the page's and report's tables,
    /// not a subject of its own, so neither in <see cref="Rows"/> nor counted as a change.
    /// </summary>
    public IReadOnlyList<WhatIfRow> OwnUnits { get; init; } = [];

    /// <summary>
    /// How many units fall short of a target compared or did not report what it reads, now and under the proposal, each
    /// unit once: those the target judges one by one (their rows), and those an area's figures count as short or
    /// <c>missing</c> when it judges areas only (no row of their own).
    /// </summary>
    public WhatIfUnitCount UnitsShortOrNotReported { get; init; } = new(0, 0);

    /// <summary>The targets the proposal adds (none in force now), each with the subjects it would judge (met, short or incomplete).</summary>
    public IReadOnlyList<WhatIfTargetMove> Added => Moves(t => t.Now is null && t.Proposed is not null, r => r.Proposed);

    /// <summary>The targets the proposal drops (in force now, not under it), each with the results now judged that it would no longer judge.</summary>
    public IReadOnlyList<WhatIfTargetMove> Dropped => Moves(t => t.Now is not null && t.Proposed is null, r => r.Now);

    private List<WhatIfTargetMove> Moves(Func<(Threshold? Now, Threshold? Proposed), bool> moved, Func<WhatIfRow, Standing> judged) =>
        Targets.Where(t => Thresholds.TryGetValue(t, out var both) && moved(both))
            .Select(t => new WhatIfTargetMove(t, Rows.Count(r => r.Target == t && judged(r) is not (Standing.NotApplicable or Standing.NotEvaluated))))
            .ToList();
}
