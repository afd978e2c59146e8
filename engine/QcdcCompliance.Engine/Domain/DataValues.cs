namespace QcdcCompliance.Domain;

/// <summary>
/// One reported figure: (unit, period, indicator, value). Booleans are 0/1, percentages hundredths of a percent,
/// counts and amounts as they are.
/// </summary>
public sealed class DataValue : ValueKey
{
    /// <summary>
    /// The largest value stored (999,999,999,999): above any real count, exact as a double, and a year's sum of two halves
    /// stays far under the 2^56 an evaluation packs a value in (<c>UnitReport</c>). Imports refuse more; an evaluation
    /// refuses a value stored above it before imports checked it.
    /// </summary>
    public const long MaxValue = 999_999_999_999;

    public long Value { get; set; }
    public string? Comment { get; set; }
    public required string StoredBy { get; set; }
    public DateTime StoredAt { get; set; }
}

/// <summary>A change of a stored value: who changed it, when, from what to what, through which import.</summary>
public sealed class DataValueAudit : ValueKey
{
    public long Id { get; set; }
    public long? OldValue { get; set; }
    public long? NewValue { get; set; }
    public string? OldComment { get; set; }
    public string? NewComment { get; set; }
    public required string ChangedBy { get; set; }
    public DateTime ChangedAt { get; set; }
    public string? Source { get; set; }
}
