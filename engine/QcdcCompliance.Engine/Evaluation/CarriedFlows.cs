using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Evaluation;

/// <summary>
/// What a year's carried reports (<see cref="ScopeFacts.Carried"/>) add to its area roll-ups: for a ratio of counts, the
/// numerator and denominator each reported, on the areas of its path the target rolls up to; so that a district's year
/// ratio is over the sums of its halves (6 complaints a commune received in the first half before it merged are the
/// district's). A carried unit is in no population: it adds no unit to a share of units, to the units met or missing,
/// and a ratio it did not report both counts of adds nothing. Added to the session's roll-ups as they are read, outside
/// the rules: the rules judge the year's units, and a session shared in parts adds them once.
/// </summary>
public sealed class CarriedFlows
{
    private readonly Dictionary<(string Target, int Area), (long Numerator, long Denominator)> _byArea;

    private CarriedFlows(Dictionary<(string Target, int Area), (long Numerator, long Denominator)> byArea) => _byArea = byArea;

    public static CarriedFlows Of(ScopeFacts facts) => Of(facts.Targets, facts.Carried);

    public static CarriedFlows Of(IEnumerable<TargetFact> targets, IReadOnlyList<UnitReport> carried)
    {
        var byArea = new Dictionary<(string, int), (long, long)>();
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
                    var (numerator, denominator) = byArea.GetValueOrDefault((target.Code, area.Id));
                    byArea[(target.Code, area.Id)] = (numerator + flow.Numerator, denominator + flow.Denominator);
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
    /// A session's outcome with the carried counts added to its roll-ups. An area whose population is empty has no roll-up
    /// and gets none: with no unit to judge it is "not applicable" whatever was carried into it.
    /// </summary>
    public SessionOutcome AddTo(SessionOutcome outcome) =>
        _byArea.Count == 0 ? outcome : outcome with { Areas = outcome.Areas.Select(AddTo).ToList() };
}
