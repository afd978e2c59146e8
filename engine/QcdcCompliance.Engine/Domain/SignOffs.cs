namespace QcdcCompliance.Domain;

public enum SignOffKind
{
    /// <summary>The committee signed off the area's figures for the period: its units' values are locked.</summary>
    SignOff,

    /// <summary>The committee reopened it, with a reason: values may be imported again.</summary>
    Reopen,
}

/// <summary>
/// A committee's sign-off of an (area, period), or its reopening: append-only, each a link of the audit chain. The
/// latest row of an (area, period) says whether it is signed off now. <see cref="RunId"/> is the run whose figures and
/// findings were signed (the period's signed result).
/// </summary>
public sealed class SignOff : CommitteeAct
{
    public int AreaId { get; set; }
    public int PeriodId { get; set; }
    public SignOffKind Kind { get; set; }

    /// <summary>Why: required for a reopening, and for a sign-off while units have not reported everything.</summary>
    public string? Reason { get; set; }

    /// <summary>The latest run of the area's province for the period when it was signed (null on a reopening).</summary>
    public long? RunId { get; set; }

    /// <summary>Units of the area that had not reported everything they owed when it was signed.</summary>
    public int IncompleteUnits { get; set; }
}

/// <summary>
/// An (area, period) reopened and not signed off again: its latest act, the reopening, and the sign-off it reopened. What a
/// page or a report says instead of "not signed off yet", so that a period signed again reads apart from one never signed.
/// </summary>
public sealed record ReopenedSignOff(SignOffView? SignedOff, SignOffView Reopening);

/// <summary>A sign-off row as its readers see it.</summary>
public sealed record SignOffView(long Id, string Area, string AreaName, string Period, SignOffKind Kind, string? Reason, string By, DateTime At, long? RunId,
    int IncompleteUnits, long ChainSequence, string Hash);
