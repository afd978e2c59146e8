using NRules.Fluent.Dsl;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Rules.Shared;

/// <summary>
/// A rule that measures targets one unit at a time. It matches every target that names it (its own target, a province's
/// target that reuses it, or any target of its shape) and sets a <see cref="UnitShortfall"/> in the session's
/// <see cref="ShortfallSink"/> for each unit of the target's population that falls short, when the target is measured on
/// each unit; its undo removes it when the unit complies (what a linked fact would do, without inserting hundreds of
/// thousands of facts into the session's memory). The same measure feeds the area roll-up (<see cref="AreaRollupRule"/>). What a
/// rule reads is what it was declared with (<see cref="FixedReads"/>), or a shape's target's own indicators: the measure
/// always reads <see cref="TargetFact.Reads"/>, so the indicators are written once.
/// </summary>
public abstract class TargetRule(params Indicator[] reads) : Rule, ITargetRule
{
    private string? _name;

    public string RuleName => _name ??= GetType().GetCustomAttributesData()
        .FirstOrDefault(a => a.AttributeType == typeof(NameAttribute))?.ConstructorArguments[0].Value as string
        ?? throw new InvalidOperationException($"{GetType().Name} needs [Name(\"<rule name>\")]");

    /// <summary>The indicators this rule always reads; null for a shape, which reads its target's.</summary>
    public IReadOnlyList<Indicator>? FixedReads { get; } = reads.Length == 0 ? null : reads;

    public virtual bool NeedsMinimum => false;

    public virtual bool IsRatio => false;

    /// <summary>The value types the rule reads, in order (a yes/no, a count...).</summary>
    protected abstract IReadOnlyList<IndicatorValueType> Shape { get; }

    public string? CannotRead(IReadOnlyList<Indicator> indicators)
    {
        if (FixedReads is { } fixedReads)
        {
            return indicators.Select(i => i.Code).SequenceEqual(fixedReads.Select(i => i.Code))
                ? null
                : $"rule {RuleName} reads {(fixedReads.Count == 0 ? "no indicator" : string.Join(", ", fixedReads.Select(i => i.Code)))}; list exactly those indicators, in that order (or leave indicators out)";
        }

        if (indicators.Count != Shape.Count || indicators.Zip(Shape).Any(p => p.First.ValueType != p.Second))
            return $"rule {RuleName} reads {string.Join(" then ", Shape.Select(Describe))}; give exactly that in indicators";
        return null;

        static string Describe(IndicatorValueType type) => type == IndicatorValueType.Boolean ? "a yes/no indicator" : "a count indicator";
    }

    public abstract Measured Measure(UnitReport report, TargetFact target);

    public override void Define()
    {
        var name = RuleName;
        TargetFact target = default!;
        UnitReport report = default!;
        ShortfallSink shortfalls = default!;

        Dependency()
            .Resolve(() => shortfalls);
        When()
            .Match(() => target, t => t.RuleName == name && t.MeasuresUnits)
            .Match(() => report, r => target.Includes(r) && target.Measure(r).FallsShort);
        Then()
            .Do(_ => shortfalls.Set(target, report, target.Measure(report)))
            .Undo(_ => shortfalls.Remove(target, report));
    }
}
