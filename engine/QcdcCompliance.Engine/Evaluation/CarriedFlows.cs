using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Evaluation;

/// <summary>
/// What a year's carried reports (<see cref="ScopeFacts.Carried"/>) add to its area roll-ups: for a ratio of counts, the
/// numerator and denominator each reported, on the areas of its path the target rolls up to; so that a district's year
/// ratio is over the sums of its halves (6 complaints a commune received in the first half before it merged are the
/// district's). A carried unit is in no population: it adds no unit to a share of units, to the units met or missing,
/// and a ratio it did not report both counts of adds nothing. Added to the session's roll-ups as they are read, outside
/// the rules: the rules judge the year's units, and a session shared in parts adds them once. An area left with no unit
/// of the population (its last commune closed in the second half, or the area dissolved then: a district into its
/// province on 1 July, <see cref="Domain.AreaTree.PathKeptOn"/>) has no roll-up of the rules: it gets one of its carried
/// counts alone, over no unit, "not applicable" (<see cref="Alone"/>), so that its counts stay on its own row, not on
/// its parent's units attached directly, and the rows of the areas still add up to their parent's.
/// </summary>
public sealed class CarriedFlows
{
    private readonly Dictionary<(string Target, int Area), Carried> _byArea;

    private CarriedFlows(Dictionary<(string Target, int Area), Carried> byArea) => _byArea = byArea;

    /// <summary>The counts carried into one (target, area), with the target and area to make a roll-up of them alone.</summary>
    private sealed record Carried(TargetFact Target, AreaRef Area, long Numerator, long Denominator)
    {
        public AreaOutcome Alone() => new(Target, Area, Population: 0, Met: 0, Missing: 0, Numerator, Denominator);
    }

    public static CarriedFlows Of(ScopeFacts facts) => Of(facts.Targets, facts.Carried);

    public static CarriedFlows Of(IEnumerable<TargetFact> targets, IReadOnlyList<UnitReport> carried)
    {
        var byArea = new Dictionary<(string, int), Carried>();
        if (carried.Count == 0)
            return new CarriedFlows(byArea);
        foreach (var target in targets)
        {
            foreach (var report in carried)
            {
                if (Contribution(target, report) is not { } flow)
                    continue;
                foreach (var area in target.AreasOf(report.Unit.Path))
                {
                    byArea[(target.Code, area.Id)] = byArea.TryGetValue((target.Code, area.Id), out var sum)
                        ? sum with { Numerator = sum.Numerator + flow.Numerator, Denominator = sum.Denominator + flow.Denominator }
                        : new Carried(target, area, flow.Numerator, flow.Denominator);
                }
            }
        }

        return new CarriedFlows(byArea);
    }

    /// <summary>
    /// What a carried report adds to its areas' figures of a target: its own counts for a ratio it reported both counts
    /// of (over zero cases, its numerator), otherwise nothing.
    /// </summary>
    public static Measured? Contribution(TargetFact target, UnitReport carried) =>
        target.Rule.IsRatio && target.Includes(carried) && target.Measure(carried) is { Status: MeasureStatus.Met or MeasureStatus.Short or MeasureStatus.NoCases } measured
            ? measured.Contribution
            : null;

    /// <summary>The roll-up with the carried counts of its (target, area) added; unchanged when it has none.</summary>
    public AreaOutcome AddTo(AreaOutcome outcome) =>
        _byArea.TryGetValue((outcome.Target.Code, outcome.Area.Id), out var flow)
            ? outcome with { Numerator = outcome.Numerator + flow.Numerator, Denominator = outcome.Denominator + flow.Denominator }
            : outcome;

    /// <summary>
    /// The roll-up of a (target, area) whose population is empty: its carried counts over no unit, "not applicable"
    /// (nothing to judge, never met nor flagged); null when nothing was carried into it (then it has no roll-up at all).
    /// </summary>
    public AreaOutcome? Alone(TargetFact target, int areaId) =>
        _byArea.TryGetValue((target.Code, areaId), out var flow) ? flow.Alone() : null;

    /// <summary>
    /// A session's outcome with the carried counts added to its roll-ups, and a roll-up of the carried counts alone for
    /// each (target, area) they were carried into that has none: an area whose population is empty (<see cref="Alone"/>).
    /// </summary>
    public SessionOutcome AddTo(SessionOutcome outcome)
    {
        if (_byArea.Count == 0)
            return outcome;
        var areas = outcome.Areas.Select(AddTo).ToList();
        var rolledUp = areas.Select(a => (a.Target.Code, a.Area.Id)).ToHashSet();
        foreach (var (key, flow) in _byArea)
        {
            if (!rolledUp.Contains(key))
                areas.Add(flow.Alone());
        }

        return outcome with { Areas = areas };
    }
}
