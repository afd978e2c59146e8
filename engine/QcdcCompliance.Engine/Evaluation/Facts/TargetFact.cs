using QcdcCompliance.Domain;

namespace QcdcCompliance.Evaluation.Facts;

/// <summary>Where a unit stands against one target.</summary>
public enum MeasureStatus
{
    Met,
    Short,
    /// <summary>The unit did not report what the target reads: not compliance.</summary>
    Missing,
    /// <summary>Nothing to measure (a ratio over zero cases): out of the area's figures.</summary>
    NotApplicable,
}

/// <summary>
/// One unit measured against one target, and what it adds to its areas' figures: 1 of 1 for a yes/no or count test,
/// or its own numerator and denominator for a ratio (a share is the sum of numerators over the sum of denominators).
/// </summary>
public readonly record struct Measured(MeasureStatus Status, long Numerator, long Denominator)
{
    public bool FallsShort => Status is MeasureStatus.Short or MeasureStatus.Missing;

    public static Measured Met => new(MeasureStatus.Met, 1, 1);
    public static Measured Short => new(MeasureStatus.Short, 0, 1);
    public static Measured Missing => new(MeasureStatus.Missing, 0, 1);
    public static Measured NotApplicable => new(MeasureStatus.NotApplicable, 0, 0);
}

/// <summary>A target as the session sees it: the stored settings, and the measure of the rule class named by its code.</summary>
public sealed class TargetFact
{
    public required string Code { get; init; }
    public required string ResolutionCode { get; init; }
    public required Population Population { get; init; }
    public required Threshold Threshold { get; init; }
    public long? Minimum { get; init; }
    public required MeasuredOver MeasuredOver { get; init; }
    public required Severity Severity { get; init; }
    public required string TextVi { get; init; }
    public string? TextEn { get; init; }
    public required IReadOnlyList<Indicator> Reads { get; init; }
    public required ITargetRule Rule { get; init; }

    public bool MeasuresUnits => (MeasuredOver & MeasuredOver.Unit) != 0;

    public bool Includes(UnitReport report) => Population.Includes(report.Unit.Kind, report.Unit.HasTradeUnion);

    public Measured Measure(UnitReport report) => Rule.Measure(report, this);

    /// <summary>The measure for a unit of the population; a unit outside it counts nowhere, like a ratio over nothing.</summary>
    public Measured MeasureInPopulation(UnitReport report) => Includes(report) ? Rule.Measure(report, this) : Measured.NotApplicable;

    /// <summary>Whether a unit of the target's population falls short of it (missing data included).</summary>
    public bool FallsShort(UnitReport report) => Includes(report) && Rule.Measure(report, this).FallsShort;

    /// <summary>The units of the target's population among <paramref name="reports"/> that fall short, by code.</summary>
    public List<string> ShortUnitCodes(IEnumerable<UnitReport> reports)
    {
        var codes = reports.Where(FallsShort).Select(r => r.Unit.Code).ToList();
        codes.Sort(StringComparer.Ordinal);
        return codes;
    }

    /// <summary>Whether an area's figures meet the target, or null when the area has nothing to measure.</summary>
    public bool? AreaMeets(long numerator, long denominator, int missingUnits) =>
        denominator > 0 ? Threshold.IsMetBy(numerator, denominator) : missingUnits > 0 ? false : null;

    public override string ToString() => Code;
}

/// <summary>What the engine needs of a target's rule class: what it reads and how it measures one unit.</summary>
public interface ITargetRule
{
    /// <summary>The target code, as in the rule's <c>[Name]</c>.</summary>
    string Code { get; }

    IReadOnlyList<Indicator> Reads { get; }

    /// <summary>Whether the rule tests a count against the target's <see cref="TargetFact.Minimum"/>.</summary>
    bool NeedsMinimum { get; }

    /// <summary>Whether the rule measures a ratio of two counts (the unit's own share is what it shows).</summary>
    bool IsRatio { get; }

    Measured Measure(UnitReport report, TargetFact target);
}
