using QcdcCompliance.Host.Dashboard;
using QcdcCompliance.Import;
using QcdcCompliance.Submissions;


namespace QcdcCompliance.Host.Workspace;

/// <summary>The workspace's home: per open period, where the area's units stand, and what to download and send.</summary>
public sealed record WorkspaceModel(Area Area, IReadOnlyList<CompletenessView> Periods, IReadOnlyList<string> OtherPeriods, int UnitsListed)
{
    /// <summary>The units listed that sit outside the area today (moved since the period): their figures of the period are still the area's, and the list says they moved.</summary>
    public IReadOnlySet<string> MovedAway { get; init; } = new HashSet<string>();

    /// <summary>The half-year running today in Viet Nam, which the period list offers and calls running, as a unit's page does; null when not offered.</summary>
    public string? Running { get; init; }
}

/// <summary>The upload page: the form, and after a POST what was stored or why nothing was.</summary>
public sealed record UploadModel(string? Period, ImportSummary? Stored, string? File, IReadOnlyList<ProblemLine> Problems, long NotListed, string? Error);

/// <summary>A field of a unit's entry form: its indicator, whether the unit is asked for it, what it holds, what is wrong with it.</summary>
public sealed record EntryField(Indicator Indicator, bool Open, string? Value, string? Error);

/// <summary>A unit's own page: its entry form for the period, what was saved, and its findings.</summary>
public sealed record UnitEntryModel(
    Unit Unit, Period Period, IReadOnlyList<string> Periods, IReadOnlyList<EntryField> Fields, bool Saved, string? Summary, IReadOnlyList<string> FormErrors,
    IReadOnlyList<UnitFindingLine> Findings, UnitSubmission? Submission)
{

    /// <summary>Why the unit's values of the period are locked (a committee signed it off), or null: said before the officer types.</summary>
    public string? Locked { get; init; }

    /// <summary>
    /// The indicators a sign-off locks, when it locks some of the fields only (a first half whose year alone is signed
    /// off: the counts the year sums, not its states and yes/no answers); null when <see cref="Locked"/> locks every field.
    /// </summary>
    public IReadOnlySet<string>? LockedFields { get; init; }

    /// <summary>The half-year running today in Viet Nam (begun, not ended), which the period list offers and calls running; null when not offered.</summary>
    public string? Running { get; init; }

    /// <summary>
    /// Whether the post was refused because the period is locked: the page says so under a heading of its own, with the
    /// banner's words (<see cref="Locked"/>, or the refusal's when a reopening came in between), and no field to fix.
    /// </summary>
    public bool RefusedLocked { get; init; }

    /// <summary>
    /// The last day the unit was active, when it closed during the period: the page says that it is not judged for the
    /// period and shows what it had reported, with no form (the period asks nothing of it).
    /// </summary>
    public DateOnly? ClosedOn { get; init; }
}
