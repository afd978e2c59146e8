using QcdcCompliance.Domain;

namespace QcdcCompliance.Findings;

/// <summary>What identifies a finding across runs of one (period, scope).</summary>
public readonly record struct FindingKey(string TargetCode, SubjectType SubjectType, int SubjectId);

/// <summary>A finding as one evaluation computed it, before it is compared with the stored ones.</summary>
public sealed record FindingDraft(
    string TargetCode,
    SubjectType SubjectType,
    int SubjectId,
    string SubjectCode,
    string SubjectName,
    string? ContactEmail,
    Severity Severity,
    Measurement Measurement,
    string Evidence)
{
    public FindingKey Key => new(TargetCode, SubjectType, SubjectId);

    /// <summary>Whether a stored row says the same (then the finding persists without a new row).</summary>
    public bool SameAs(Finding stored) =>
        stored.Severity == Severity && stored.Measurement == Measurement && stored.Evidence == Evidence;
}

/// <summary>The roll-up of one target over one area, as one evaluation computed it.</summary>
public sealed record AreaResultDraft(string TargetCode, int AreaId, string AreaCode, string AreaName, AreaLevel AreaLevel, int PopulationUnits, int MetUnits, int MissingUnits,
    long Numerator, long Denominator, AreaStatus Status)
{
    public bool SameAs(AreaResult stored) =>
        stored.AreaLevel == AreaLevel && stored.PopulationUnits == PopulationUnits && stored.MetUnits == MetUnits && stored.MissingUnits == MissingUnits
        && stored.Numerator == Numerator && stored.Denominator == Denominator && stored.Status == Status;
}
