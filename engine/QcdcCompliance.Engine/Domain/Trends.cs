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

    /// <summary>The names of the areas of <see cref="MeasuredOver"/>, in its order: what a page or report prints (codes are for machines).</summary>
    public IReadOnlyList<string> MeasuredOverNames { get; init; } = [];
}

/// <summary>An area merged into the trend's area (or into the area it became), and the day the merger took effect.</summary>
public sealed record TrendPredecessor(string Code, string Name, DateOnly MergedOn);

/// <summary>A target over an area in every evaluated period since the first; <see cref="Successor"/> is the area it was merged into, after which it has no figures.</summary>
public sealed record Trend(string Area, string AreaName, string Target, string? Successor, IReadOnlyList<TrendPoint> Points)
{
    /// <summary>The name of <see cref="Successor"/>, and the first day the area was part of it.</summary>
    public string? SuccessorName { get; init; }

    public DateOnly? SuccessorFrom { get; init; }

    /// <summary>
    /// The areas merged into this one whose figures the points before the merger add to its own (or stand for, before
    /// it existed), so that the series compares like with like; empty when none of its points needed them.
    /// </summary>
    public IReadOnlyList<TrendPredecessor> Predecessors { get; init; } = [];
}
