using System.Collections.Concurrent;
using System.Text.Json;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Evaluation;

/// <summary>One duty to report: the units of a population (in a bound area's subtree) owe these indicators.</summary>
public sealed record ReportingDuty(Population Population, AreaRef? Bound, IReadOnlyList<Indicator> Indicators, string Why);

/// <summary>
/// What each unit owes for a period, and nothing else: the indicators the targets in force for it read (its kind, its
/// union, the area its sets bind), plus what the reporting regime (the <c>duties</c> of a set, such as reporting.json)
/// requires of its kind for that period type. A statistical figure that no target reads and no duty names is optional:
/// no unit is "not reported" for it. Half-year targets restated on a year owe nothing there (their halves did). A year
/// target that reads a half-year figure is owed in the halves it reads (<see cref="OwedForTheYear"/>): a commune's
/// dialogues of the year are its two halves' counts, so each half asks for them.
/// </summary>
public sealed class ReportingDuties
{
    private readonly IReadOnlyList<ReportingDuty> _duties;
    private readonly ConcurrentDictionary<(object Path, UnitKind Kind, bool Union), Indicator[]> _owed = new();

    private ReportingDuties(IReadOnlyList<ReportingDuty> duties) => _duties = duties;

    public IReadOnlyList<ReportingDuty> Duties => _duties;

    public static ReportingDuties Of(Period period, IEnumerable<TargetFact> targets, IEnumerable<(Resolution Set, AreaRef? Bound)> sets,
        IEnumerable<ReportingDuty>? forTheYear = null)
    {
        var duties = new List<ReportingDuty>(forTheYear ?? []);
        foreach (var target in targets)
        {
            if (!target.RestatedOnYear && target.Reads.Count > 0)
                duties.Add(new ReportingDuty(target.Population, target.BoundArea, target.Reads, target.Code));
        }

        foreach (var (set, bound) in sets)
        {
            foreach (var duty in RegimeDuty.Parse(set.DutiesJson))
            {
                if ((duty.Periods & Target.ToFlag(period.Type)) != 0)
                    duties.Add(new ReportingDuty(duty.Population, bound, duty.Indicators, set.Code));
            }
        }

        return new ReportingDuties(duties);
    }

    /// <summary>
    /// What a year target asks of a half-year: the half-year figures it reads that the year takes from this half (a
    /// count from both halves, a state from the second), owed by the target's population where its set binds. Null when
    /// it reads none.
    /// </summary>
    public static ReportingDuty? OwedForTheYear(TargetFact yearTarget, Period half)
    {
        var read = yearTarget.Reads
            .Where(i => i.ReadByYearFrom(half.Number))
            .ToList();
        return read.Count == 0 ? null : new ReportingDuty(yearTarget.Population, yearTarget.BoundArea, read, yearTarget.Code);
    }

    /// <summary>The indicators the unit owes, in the catalogue's order.</summary>
    public IReadOnlyList<Indicator> Owed(UnitFact unit) => OwedArray(unit);

    private Indicator[] OwedArray(UnitFact unit) =>
        // The factory takes its state as an argument: a capturing lambda was a closure and a delegate allocated a call.
        _owed.GetOrAdd((unit.Path, unit.Kind, unit.HasTradeUnion), static (_, state) => state.Duties
            .Where(d => d.Population.Includes(state.Unit.Kind, state.Unit.HasTradeUnion) && (d.Bound is null || state.Unit.IsIn(d.Bound.Id)))
            .SelectMany(d => d.Indicators)
            .DistinctBy(i => i.Id)
            .OrderBy(i => i.Id)
            .ToArray(), (Duties: _duties, Unit: unit));

    /// <summary>The codes of what the unit owes and has no value for in the period's reading.</summary>
    /// <remarks>
    /// Units that owe the same and miss the same share one list (a province's 200,000 units miss a few dozen
    /// combinations): what they miss is a mask over what they owe.
    /// </remarks>
    public IReadOnlyList<string> MissingFor(UnitFact unit, long?[] read)
    {
        var owed = OwedArray(unit);
        if (owed.Length > 64)
            return owed.Where(i => read[i.Id] is null).Select(i => i.Code).ToArray();
        var mask = 0UL;
        for (var i = 0; i < owed.Length; i++)
        {
            if (read[owed[i].Id] is null)
                mask |= 1UL << i;
        }

        return mask == 0 ? [] : _missing.GetOrAdd((owed, mask), key => [.. key.Owed.Where((_, i) => (key.Mask & (1UL << i)) != 0).Select(i => i.Code)]);
    }

    private readonly ConcurrentDictionary<(Indicator[] Owed, ulong Mask), string[]> _missing = new();
}

/// <summary>A duty of the reporting regime as a set states it: who, what, on which period types.</summary>
public sealed record RegimeDuty(Population Population, IReadOnlyList<Indicator> Indicators, PeriodTypes Periods, string? Basis)
{
    public static IReadOnlyList<RegimeDuty> Parse(string? json)
    {
        if (string.IsNullOrEmpty(json) || json == "[]")
            return [];
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(e => new RegimeDuty(
            Population.Parse(e.GetProperty("population").GetString()!),
            e.GetProperty("indicators").EnumerateArray().Select(i => IndicatorCatalogue.Get(i.GetString()!)).ToList(),
            (PeriodTypes)e.GetProperty("periods").GetInt32(),
            e.TryGetProperty("basis", out var basis) ? basis.GetString() : null)).ToList();
    }
}
