using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shared;

namespace QcdcCompliance.Rules.Shapes;

/// <summary>A yes/no indicator that must be yes; over an area, the share of units that say yes.</summary>
public abstract class YesNoRule(params Indicator[] reads) : TargetRule(reads)
{
    protected override IReadOnlyList<IndicatorValueType> Shape { get; } = [IndicatorValueType.Boolean];

    public override Measured Measure(UnitReport report, TargetFact target) => Measures.Flag(report, target.Reads[0]);
}

/// <summary>A count that must reach the target's minimum; over an area, the share of units that reach it.</summary>
public abstract class CountRule(params Indicator[] reads) : TargetRule(reads)
{
    protected override IReadOnlyList<IndicatorValueType> Shape { get; } = [IndicatorValueType.Count];

    public override bool NeedsMinimum => true;

    public override Measured Measure(UnitReport report, TargetFact target) => Measures.AtLeast(report, target.Reads[0], target);
}

/// <summary>A ratio of two counts (what was done over what was due); over an area, the summed counts' ratio.</summary>
public abstract class RatioRule(params Indicator[] reads) : TargetRule(reads)
{
    protected override IReadOnlyList<IndicatorValueType> Shape { get; } = [IndicatorValueType.Count, IndicatorValueType.Count];

    public override bool IsRatio => true;

    public override Measured Measure(UnitReport report, TargetFact target) => Measures.Ratio(report, target.Reads[0], target.Reads[1], target);
}

/// <summary>A yes/no that must be yes and a count that must reach the minimum, as one test.</summary>
public abstract class YesNoAndCountRule(params Indicator[] reads) : TargetRule(reads)
{
    protected override IReadOnlyList<IndicatorValueType> Shape { get; } = [IndicatorValueType.Boolean, IndicatorValueType.Count];

    public override bool NeedsMinimum => true;

    public override Measured Measure(UnitReport report, TargetFact target) =>
        Measures.Both(Measures.Flag(report, target.Reads[0]), Measures.AtLeast(report, target.Reads[1], target));
}
