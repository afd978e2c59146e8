namespace QcdcCompliance.Domain;

/// <summary>How a subject falls short of a target.</summary>
public enum FindingOutcome
{
    /// <summary>Measured, and below what the target requires.</summary>
    Short,

    /// <summary>A unit did not report what the target reads (missing data is never compliance).</summary>
    Missing,

    /// <summary>An area whose population has not all reported ("chưa đủ số liệu"): its figure cannot be met yet.</summary>
    Incomplete,

    /// <summary>
    /// Only on a <see cref="FindingState.Resolved"/> row: the run that resolved it measured the subject and found it meets
    /// the target (its evidence holds the values or figures that run read).
    /// </summary>
    Met,

    /// <summary>
    /// Only on a <see cref="FindingState.Resolved"/> row: the run that resolved it did not measure the subject (the unit
    /// closed, or the target no longer judges it); its evidence holds no figures. The shortfall is the previous row's.
    /// </summary>
    NotMeasured,
}

/// <summary>
/// What a finding measured and the test it was held to: the one shape the draft, the stored finding, its readers, the
/// e-mails and the API share. <see cref="Numerator"/>/<see cref="Denominator"/> are the units meeting and the units
/// measured (or the summed counts of a ratio); <see cref="Value"/> is the raw value the test compared (a count against
/// <see cref="Minimum"/>, a yes/no as 1/0, the number of missing indicators for REPORTED). <see cref="Gap"/>, on an area
/// finding of a share or a ratio, is the fewest units (a share of units) or counts (a ratio of counts) that must change
/// for the area to meet the threshold as written (<see cref="TargetGap"/>); null on a unit finding, and where no change
/// of its units can meet it.
/// </summary>
public sealed record Measurement(
    FindingOutcome Outcome,
    long? Numerator,
    long? Denominator,
    long? Value,
    ComparisonOperator Operator,
    long ThresholdMillionths,
    long? Minimum,
    long? Gap = null)
{
    public Threshold Threshold => new(Operator, ThresholdMillionths);
}
