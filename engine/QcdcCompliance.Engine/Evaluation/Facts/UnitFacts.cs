using NRules.RuleModel;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Evaluation.Facts;

/// <summary>An area on a unit's path, as the session sees it.</summary>
public sealed record AreaRef(int Id, string Code, string Name, AreaLevel Level);

/// <summary>A unit with where it sits in the period: its area path, nearest first, ending at the province.</summary>
public sealed record UnitFact(int Id, string Code, string Name, UnitKind Kind, bool HasTradeUnion, IReadOnlyList<AreaRef> Path, string? ContactEmail)
{
    public AreaRef Province => Path[^1];
}

/// <summary>
/// One unit's values for the period being evaluated, carrying its unit so that rules never join reports with units
/// (a join is checked against every pairing in NRules). Values are indexed by indicator id; a year period holds the
/// year reading of half-year indicators (sum of the halves, or the second half's snapshot). Identity is the unit,
/// so an updated report replaces the old one in a warm session.
/// </summary>
public sealed class UnitReport(UnitFact unit, long?[] values, IReadOnlyList<string> missing) : IIdentityProvider
{
    public UnitFact Unit { get; } = unit;

    /// <summary>Indicators that apply to the unit for the period and that it did not report.</summary>
    public IReadOnlyList<string> Missing { get; } = missing;

    public long? this[Indicator indicator] => values[indicator.Id];

    public bool Has(Indicator indicator) => values[indicator.Id] is not null;

    public bool IsTrue(Indicator indicator) => values[indicator.Id] == 1;

    public long? Count(Indicator indicator) => values[indicator.Id];

    public object GetIdentity() => Unit.Id;

    public UnitReport With(Indicator indicator, long? value)
    {
        var copy = (long?[])values.Clone();
        copy[indicator.Id] = value;
        return new UnitReport(Unit, copy, Missing);
    }

    public UnitReport WithMissing(IReadOnlyList<string> indicators) => new(Unit, values, indicators);
}
