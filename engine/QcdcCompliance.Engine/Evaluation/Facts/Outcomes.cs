using QcdcCompliance.Domain;

namespace QcdcCompliance.Evaluation.Facts;

/// <summary>Set by a unit-level rule for each unit that falls short (<see cref="ShortfallSink"/>); removed by its undo when the unit complies.</summary>
public sealed record UnitShortfall(TargetFact Target, UnitReport Report, Measured Measured);

/// <summary>Running figures of one target over one area, kept by <see cref="AreaTallyAggregator"/>.</summary>
public sealed class AreaTally(AreaRef area)
{
    public AreaRef Area { get; } = area;
    public int Population { get; internal set; }

    /// <summary>The units of the population that do not fall short: met, or a ratio over zero cases (nothing of it is short).</summary>
    public int Met { get; internal set; }
    public int Missing { get; internal set; }
    public long Numerator { get; internal set; }
    public long Denominator { get; internal set; }

    /// <summary>The aggregator's batch that last touched it, and the one that opened it (found it empty).</summary>
    internal int TouchedIn { get; set; }
    internal int OpenedIn { get; set; }

    internal void Add(Measured m, int sign)
    {
        if (m.Status == MeasureStatus.NotApplicable)
            return;
        Population += sign;
        if (m.Status is MeasureStatus.Met or MeasureStatus.NoCases)
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

    /// <summary>The gap to the threshold as written (<see cref="TargetFact.GapOf"/>).</summary>
    public (long? Gap, bool OverPopulation) Gap => Target.GapOf(Population, Missing, Numerator, Denominator);
}

/// <summary>
/// The units of an area that fall short of a target (not reported included), and those of them not reported, by code;
/// for a ratio, what each unit that reported and falls short would add to the numerator if it complied.
/// </summary>
public sealed record AreaUnits(List<string> Short, List<string> Missing, Dictionary<string, long> Effects)
{
    public static AreaUnits None => new([], [], []);

    /// <summary>Adds a unit of the population as measured (nothing when it complies).</summary>
    public void Add(TargetFact target, string code, Measured measured)
    {
        if (!measured.FallsShort)
            return;
        Short.Add(code);
        if (measured.Status == MeasureStatus.Missing)
            Missing.Add(code);
        if (target.Rule.IsRatio && target.EffectOf(measured) is { } effect)
            Effects[code] = effect;
    }

    /// <summary>Keeps the lists true once a unit's measure changed (they stay in ordinal order).</summary>
    public void Replace(TargetFact target, string code, Measured measured)
    {
        Keep(Short, code, measured.FallsShort);
        Keep(Missing, code, measured.Status == MeasureStatus.Missing);
        Effects.Remove(code);
        if (measured.FallsShort && target.Rule.IsRatio && target.EffectOf(measured) is { } effect)
            Effects[code] = effect;

        static void Keep(List<string> codes, string code, bool wanted)
        {
            var at = codes.BinarySearch(code, StringComparer.Ordinal);
            if (wanted && at < 0)
                codes.Insert(~at, code);
            else if (!wanted && at >= 0)
                codes.RemoveAt(at);
        }
    }

    public void Sort()
    {
        Short.Sort(StringComparer.Ordinal);
        Missing.Sort(StringComparer.Ordinal);
    }

    /// <summary>
    /// The units that could close the gap, largest effect first: for a share every unit short counts one (those that
    /// reported first, then those not reported), for a ratio the counts each unit still lacks (then the units not
    /// reported, whose counts are unknown); ties by code. With a <paramref name="gap"/> of 0 the figure reported meets the
    /// threshold and only the units not reported can change the standing (it waits for them): they alone are listed.
    /// </summary>
    public List<(string Unit, long? Effect)> Candidates(TargetFact target, long? gap)
    {
        // Both lists are in ordinal order and Missing is within Short: one walk splits Short into those that reported and
        // those not; a share's effects are all 1, so each part stays in code order; a ratio's reported part is sorted by effect.
        var reported = new List<(string Unit, long? Effect)>(Short.Count - Missing.Count);
        var notReported = new List<(string Unit, long? Effect)>(Missing.Count);
        var m = 0;
        foreach (var code in Short)
        {
            while (m < Missing.Count && string.CompareOrdinal(Missing[m], code) < 0)
                m++;
            var effect = target.Rule.IsRatio ? Effects.TryGetValue(code, out var e) ? e : (long?)null : 1L;
            if (m < Missing.Count && Missing[m] == code)
                notReported.Add((code, effect));
            else
                reported.Add((code, effect));
        }

        if (target.Rule.IsRatio)
        {
            reported = InEffectOrder(reported);
            notReported = InEffectOrder(notReported);
        }

        if (gap == 0)
            return notReported;
        reported.AddRange(notReported);
        return reported;
    }

    /// <summary>
    /// The units in <see cref="ByEffect"/>'s order. Units in code order (as each part is) are sorted by their effects
    /// alone, by a stable sort that keeps the code order among equal effects: a province's lists have tens of thousands of
    /// units with a handful of distinct effects, which the sort by effect then code compared as strings (a third of a
    /// second of a first run's area findings).
    /// </summary>
    private static List<(string Unit, long? Effect)> InEffectOrder(List<(string Unit, long? Effect)> units)
    {
        var (inOrder, inCodeOrder) = (true, true);
        for (var i = 1; i < units.Count && (inOrder || inCodeOrder); i++)
        {
            inOrder &= ByEffect(units[i - 1], units[i]) <= 0;
            inCodeOrder &= string.CompareOrdinal(units[i - 1].Unit, units[i].Unit) < 0;
        }

        if (inOrder)
            return units;
        if (inCodeOrder)
            return [.. units.OrderByDescending(u => u.Effect ?? -1)];
        units.Sort(ByEffect);
        return units;
    }

    /// <summary>Largest effect first (none counts as -1), then by code.</summary>
    private static int ByEffect((string Unit, long? Effect) a, (string Unit, long? Effect) b)
    {
        var byEffect = (b.Effect ?? -1).CompareTo(a.Effect ?? -1);
        return byEffect != 0 ? byEffect : string.CompareOrdinal(a.Unit, b.Unit);
    }
}
