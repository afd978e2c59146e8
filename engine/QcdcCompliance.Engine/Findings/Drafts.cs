using QcdcCompliance.Domain;

namespace QcdcCompliance.Findings;

/// <summary>What identifies a finding across runs of one (period, scope).</summary>
public readonly record struct FindingKey(string TargetCode, SubjectType SubjectType, int SubjectId);

/// <summary>
/// A finding as one evaluation computed it, before it is compared with the stored ones. Its evidence is held packed
/// (<see cref="CompactText.Evidence"/>), as it is stored: a first run's drafts, or a warm scope's open set, hold about
/// 60 bytes of it a finding instead of 2 KB of text.
/// </summary>
public sealed record FindingDraft(
    string TargetCode,
    SubjectType SubjectType,
    int SubjectId,
    string SubjectCode,
    string SubjectName,
    string? ContactEmail,
    Severity Severity,
    Measurement Measurement,
    byte[] PackedEvidence)
{
    public FindingDraft(string targetCode, SubjectType subjectType, int subjectId, string subjectCode, string subjectName, string? contactEmail, Severity severity,
        Measurement measurement, string evidence)
        : this(targetCode, subjectType, subjectId, subjectCode, subjectName, contactEmail, severity, measurement, CompactText.Evidence.Pack(evidence))
    {
    }

    public FindingKey Key => new(TargetCode, SubjectType, SubjectId);

    /// <summary>
    /// An area finding's gap in Vietnamese, as its evidence says it (<c>gap.vi</c>), when the evaluation built it (null
    /// for a draft made from a stored row): the unit alerts quote it, and a province's evidence is megabytes to unpack.
    /// Not part of what the draft says (its evidence says it): a draft read back from its row is the same draft.
    /// </summary>
    public string? KnownGapWords() => GapWords;

    /// <summary>The draft with the gap's words its evidence holds (<see cref="KnownGapWords"/>).</summary>
    public FindingDraft WithGapWords(string words) => this with { GapWords = words };

    private string? GapWords { get; init; }

    /// <summary>The evidence as JSON text.</summary>
    public string Evidence => CompactText.Evidence.Unpack(PackedEvidence);

    /// <summary>Whether a stored row says the same (then the finding persists without a new row).</summary>
    public bool SameAs(Finding stored) =>
        stored.Severity == Severity && stored.Measurement == Measurement && CompactText.Evidence.Same(stored.PackedEvidence, PackedEvidence);

    public bool Equals(FindingDraft? other) =>
        other is not null && TargetCode == other.TargetCode && SubjectType == other.SubjectType && SubjectId == other.SubjectId && SubjectCode == other.SubjectCode
        && SubjectName == other.SubjectName && ContactEmail == other.ContactEmail && Severity == other.Severity && Measurement == other.Measurement
        && CompactText.Evidence.Same(PackedEvidence, other.PackedEvidence);

    public override int GetHashCode() => HashCode.Combine(TargetCode, SubjectType, SubjectId, Severity, Measurement);
}

/// <summary>The roll-up of one target over one area, as one evaluation computed it.</summary>
public sealed record AreaResultDraft(string TargetCode, int AreaId, string AreaCode, string AreaName, AreaLevel AreaLevel, int PopulationUnits, int MetUnits, int MissingUnits,
    long Numerator, long Denominator, AreaStatus Status)
{
    public bool SameAs(AreaResult stored) =>
        stored.AreaLevel == AreaLevel && stored.PopulationUnits == PopulationUnits && stored.MetUnits == MetUnits && stored.MissingUnits == MissingUnits
        && stored.Numerator == Numerator && stored.Denominator == Denominator && stored.Status == Status;
}
