using NRules.Fluent.Dsl;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Rules.Shared;

/// <summary>
/// A target's rule: it names what it reads and how one unit measures against the target; this base turns that into
/// the NRules rule that yields a <see cref="UnitShortfall"/> for each unit of the population that falls short, when
/// the target is measured on each unit. The yielded fact is linked: NRules retracts it when the unit complies.
/// The same measure feeds the area roll-up (<see cref="AreaRollupRule"/>).
/// </summary>
public abstract class UnitTargetRule : Rule, ITargetRule
{
    private string? _code;

    public string Code => _code ??= GetType().GetCustomAttributesData()
        .FirstOrDefault(a => a.AttributeType == typeof(NameAttribute))?.ConstructorArguments[0].Value as string
        ?? throw new InvalidOperationException($"{GetType().Name} needs [Name(\"<target code>\")]");

    public abstract IReadOnlyList<Indicator> Reads { get; }

    public virtual bool NeedsMinimum => false;

    public virtual bool IsRatio => false;

    public abstract Measured Measure(UnitReport report, TargetFact target);

    public override void Define()
    {
        var code = Code;
        TargetFact target = default!;
        UnitReport report = default!;

        When()
            .Match(() => target, t => t.Code == code && t.MeasuresUnits)
            .Match(() => report, r => target.Includes(r) && Measure(r, target).FallsShort);
        Then()
            .Yield(_ => new UnitShortfall(target, report, Measure(report, target)));
    }
}

/// <summary>A rule that tests a count against the target's minimum (1 dialogue a year, 12 reception days a half-year).</summary>
public abstract class CountTargetRule : UnitTargetRule
{
    public override bool NeedsMinimum => true;
}

/// <summary>A rule that measures a ratio of two counts against the target's threshold (people informed, cases settled).</summary>
public abstract class RatioTargetRule : UnitTargetRule
{
    public override bool IsRatio => true;
}
