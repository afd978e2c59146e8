using QcdcCompliance.Domain;

namespace QcdcCompliance.Evaluation.Facts;

/// <summary>Yielded by a unit-level rule for each unit that falls short; retracted by NRules when the unit complies.</summary>
public sealed record UnitShortfall(TargetFact Target, UnitReport Report, Measured Measured);

/// <summary>Running figures of one target over one area, kept by <see cref="AreaTallyAggregator"/>.</summary>
public sealed class AreaTally(AreaRef area)
{
    public AreaRef Area { get; } = area;
    public int Population { get; internal set; }
    public int Met { get; internal set; }
    public int Missing { get; internal set; }
    public long Numerator { get; internal set; }
    public long Denominator { get; internal set; }

    internal void Add(Measured m, int sign)
    {
        if (m.Status == MeasureStatus.NotApplicable)
            return;
        Population += sign;
        if (m.Status == MeasureStatus.Met)
            Met += sign;
        if (m.Status == MeasureStatus.Missing)
            Missing += sign;
        Numerator += sign * m.Numerator;
        Denominator += sign * m.Denominator;
    }
}

/// <summary>
/// Yielded by the area roll-up for each (target, area): a snapshot of the tally when the rule fired. The numerator and
/// denominator are over the units that reported; <see cref="Missing"/> units of the population did not.
/// </summary>
public sealed record AreaOutcome(TargetFact Target, AreaRef Area, int Population, int Met, int Missing, long Numerator, long Denominator)
{
    public AreaStatus Status => Target.AreaStatusOf(Population, Missing, Numerator, Denominator);

    /// <summary>Short, or not judged for want of data: either way a finding where the target is measured at this level.</summary>
    public bool FallsShort => Status is AreaStatus.Short or AreaStatus.Incomplete;
}

/// <summary>The units of an area that fall short of a target (not reported included), and those of them not reported, by code.</summary>
public sealed record AreaUnits(List<string> Short, List<string> Missing)
{
    public static AreaUnits None => new([], []);
}
