using NRules.RuleModel;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Evaluation.Facts;

/// <summary>An area on a unit's path, as the session sees it.</summary>
public sealed record AreaRef(int Id, string Code, string Name, AreaLevel Level);

/// <summary>A unit with where it sits in the period: its area path, nearest first, ending at the province.</summary>
public sealed record UnitFact(int Id, string Code, string Name, UnitKind Kind, bool HasTradeUnion, IReadOnlyList<AreaRef> Path, string? ContactEmail)
{
    public AreaRef Province => Path[^1];

    /// <summary>Whether the unit sits in the area's subtree (the area is on its path).</summary>
    public bool IsIn(int areaId)
    {
        foreach (var area in Path)
        {
            if (area.Id == areaId)
                return true;
        }

        return false;
    }
}

/// <summary>
/// One unit's values for the period being evaluated, carrying its unit so that rules never join reports with units
/// (a join is checked against every pairing in NRules). A year period holds the year reading of half-year indicators
/// (sum of the halves, or the second half's snapshot). Identity is the unit, so an updated report replaces the old one
/// in a warm session; <see cref="Index"/> is the unit's dense position in its scope, which the area roll-up keys its
/// compact state by.
/// </summary>
public sealed class UnitReport : IIdentityProvider
{
    // Only the indicators reported, packed as (indicator id << 56 | value): a few dozen bytes instead of 27 slots.
    private readonly long[] _values;

    public UnitReport(UnitFact unit, int index, long?[] values, IReadOnlyList<string> missing, int owed, bool secondHalfOnly = false)
    {
        Unit = unit;
        Index = index;
        Missing = missing;
        Owed = owed;
        SecondHalfOnly = secondHalfOnly;
        var count = 0;
        foreach (var v in values)
        {
            if (v is not null)
                count++;
        }

        _values = count == 0 ? [] : new long[count];
        var i = 0;
        for (var id = 0; id < values.Length; id++)
        {
            if (values[id] is { } value)
                _values[i++] = Pack(id, value);
        }
    }

    private UnitReport(UnitFact unit, int index, long[] packed, IReadOnlyList<string> missing, int owed, bool secondHalfOnly)
    {
        Unit = unit;
        Index = index;
        _values = packed;
        Missing = missing;
        Owed = owed;
        SecondHalfOnly = secondHalfOnly;
    }

    public UnitFact Unit { get; }

    public int Index { get; }

    /// <summary>Indicators the unit owed for the period (read by a target in force for it, or required of its kind) and did not report.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>How many indicators the unit owed for the period (0: nothing is asked of it, it is not expected to report).</summary>
    public int Owed { get; }

    /// <summary>
    /// A year read for a unit opened after its first half: its half-year counts are the second half's alone, so a
    /// minimum restated over the year's two halves asks of it one half's (<see cref="TargetFact.MinimumFor"/>).
    /// </summary>
    public bool SecondHalfOnly { get; }

    public long? this[Indicator indicator]
    {
        get
        {
            foreach (var packed in _values)
            {
                if ((int)(packed >>> 56) == indicator.Id)
                    return packed & ValueMask;
            }

            return null;
        }
    }

    public bool Has(Indicator indicator) => this[indicator] is not null;

    /// <summary>The values reported, each packed as (indicator id &lt;&lt; 56 | value), in the order they were loaded.</summary>
    public ReadOnlySpan<long> Packed => _values;

    public object GetIdentity() => Unit.Id;

    /// <summary>The same unit with one value changed (null removes it); what a warm session is updated with.</summary>
    public UnitReport With(Indicator indicator, long? value)
    {
        var kept = _values.Where(p => (int)(p >>> 56) != indicator.Id);
        var packed = value is { } v ? kept.Append(Pack(indicator.Id, v)).ToArray() : kept.ToArray();
        return new UnitReport(Unit, Index, packed, Missing, Owed, SecondHalfOnly);
    }

    private const long ValueMask = (1L << 56) - 1;

    private static long Pack(int id, long value) =>
        value is < 0 or > ValueMask ? throw new ArgumentOutOfRangeException(nameof(value), value, "values are 0 to 2^56") : ((long)id << 56) | value;
}
