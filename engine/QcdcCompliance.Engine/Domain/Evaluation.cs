namespace QcdcCompliance.Domain;

public enum RunTrigger
{
    Manual,
    Schedule,
    Import,
    Demo,
    Benchmark,
}

public enum RunStatus
{
    Running,
    Completed,
    Failed,
}

/// <summary>
/// One evaluation of one period over one scope (a province). Completed runs are append-only and chained by hash
/// (<see cref="Hash"/> covers the run, the findings and area results it recorded, and the previous link).
/// </summary>
public sealed class EvaluationRun
{
    public long Id { get; set; }
    public int PeriodId { get; set; }
    public int ScopeAreaId { get; set; }
    public RunTrigger Trigger { get; set; }
    public required string RuleSetVersion { get; set; }
    public RunStatus Status { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }

    /// <summary>The previous completed run of the same period and scope, which this one was compared with.</summary>
    public long? PreviousRunId { get; set; }

    public int UnitsEvaluated { get; set; }
    public int FindingsOpen { get; set; }
    public int NewCount { get; set; }
    public int PersistingCount { get; set; }
    public int ResolvedCount { get; set; }
    public string? Error { get; set; }

    /// <summary>
    /// For a full run, the SHA-256 of what it evaluated (<c>InputFingerprint</c>: rule-set version, engine build,
    /// period, scope and its areas, every unit and value row the load read). A later full run of the same scope with the same fingerprint changed
    /// nothing, and is stored without firing the rules. Part of the chained hash since <c>run.v4</c> (<c>RunLinkFormat.Superseding</c>).
    /// </summary>
    public string? InputFingerprint { get; set; }

    /// <summary>Position in the audit chain (runs and finding actions share one chain).</summary>
    public long? ChainSequence { get; set; }
    public string? PreviousHash { get; set; }
    public string? Hash { get; set; }
}

public enum SubjectType
{
    Unit,
    Area,
}

public enum FindingState
{
    New,
    Persisting,
    Resolved,
}

/// <summary>
/// A shortfall as a run recorded it. Runs record changes only: a finding that stays the same is not written again,
/// so a row stands for its run and every later run of its period and scope until <see cref="RunRecord.SupersededByRunId"/>
/// (the run that recorded a newer version of the same key) or, for a Resolved row, until the next run.
/// The key is (period, scope, target, subject type, subject).
/// </summary>
public sealed class Finding : RunRecord
{
    public SubjectType SubjectType { get; set; }
    public int SubjectId { get; set; }
    public required string SubjectCode { get; set; }
    public FindingState State { get; set; }
    public Severity Severity { get; set; }

    /// <summary>What was measured against which test.</summary>
    public required Measurement Measurement { get; set; }

    /// <summary>
    /// The evidence as JSON: operand values, facts matched, missing indicators, units short. Read from and written to
    /// <see cref="PackedEvidence"/>, which is what is held and stored.
    /// </summary>
    public string Evidence
    {
        get => CompactText.Evidence.Unpack(PackedEvidence);
        set => PackedEvidence = CompactText.Evidence.Pack(value);
    }

    /// <summary>The evidence as stored (<see cref="CompactText.Evidence"/>): about 60 bytes for a unit's 1 KB of JSON.</summary>
    public byte[] PackedEvidence { get; set; } = [];

    /// <summary>The run where this finding (this episode of it) first appeared.</summary>
    public long FirstRunId { get; set; }
}

public enum AreaStatus
{
    Met,
    Short,
    NotApplicable,

    /// <summary>Units of the population have not reported what the target reads: the figure is not judged ("chưa đủ số liệu").</summary>
    Incomplete,

    /// <summary>
    /// Shown, never stored: the area's level is not one its target is judged at (<see cref="JudgedLevels"/>), so its figure
    /// is information only ("không đánh giá ở cấp này"): a commune's share of a target measured over districts and the province.
    /// </summary>
    NotJudged,
}

/// <summary>
/// The roll-up of one target over one area as a run measured it (what the dashboard and the review report draw).
/// Versioned like <see cref="Finding"/>: a run writes the rows that changed.
/// </summary>
public sealed class AreaResult : RunRecord
{
    public int AreaId { get; set; }
    public AreaLevel AreaLevel { get; set; }
    public int PopulationUnits { get; set; }
    public int MetUnits { get; set; }
    public int MissingUnits { get; set; }
    public long Numerator { get; set; }
    public long Denominator { get; set; }
    public AreaStatus Status { get; set; }
}

/// <summary>The latest completed run of a (period, scope); also the guard that two runs never both build on one predecessor.</summary>
public sealed class ScopeState
{
    public int PeriodId { get; set; }
    public int ScopeAreaId { get; set; }
    public long LatestRunId { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public enum FindingActionKind
{
    Acknowledge,
    Waive,
}

/// <summary>A committee member acknowledged or waived a finding, with a reason. Chained like runs; never edits the finding.</summary>
public sealed class FindingAction : CommitteeAct
{
    public long FindingId { get; set; }
    public FindingActionKind Kind { get; set; }
    public required string Reason { get; set; }
}

/// <summary>The head of the audit chain: one row, updated in the transaction that appends a link, which serialises appends.</summary>
public sealed class AuditChainHead
{
    /// <summary>The hash the chain starts from.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public int Id { get; set; }
    public long Sequence { get; set; }
    public required string Hash { get; set; }
}
