namespace QcdcCompliance.Domain;

/// <summary>
/// One period of a target's trend over an area: the figures (summed over its predecessors before it existed), the
/// standing against the setting in force then, and the change in percentage points against the previous period of the
/// same type and the same period of the year before.
/// </summary>
public sealed record TrendPoint(
    string Period,
    PeriodType Type,
    IReadOnlyList<string> MeasuredOver,
    int PopulationUnits,
    int MetUnits,
    int MissingUnits,
    long Numerator,
    long Denominator,
    string? Share,
    AreaStatus Status,
    string Test,
    decimal? Percent,
    string PreviousPeriod,
    decimal? ChangeFromPreviousPeriod,
    string SamePeriodLastYear,
    decimal? ChangeFromSamePeriodLastYear)
{
    /// <summary>The threshold the point was judged by (<see cref="Test"/> as written): the side its share is shown on.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Threshold Threshold { get; init; }
}

/// <summary>A target over an area in every evaluated period since the first; <see cref="Successor"/> is the area it was merged into, after which it has no figures.</summary>
public sealed record Trend(string Area, string AreaName, string Target, string? Successor, IReadOnlyList<TrendPoint> Points);
