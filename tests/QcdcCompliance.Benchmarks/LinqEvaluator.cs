using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Benchmarks;

/// <summary>
/// The baseline: the same targets evaluated by hand with LINQ (each target's measure, its population, the sums per
/// area), with no rule engine. It lives only here; the product never uses it.
/// </summary>
public static class LinqEvaluator
{
    /// <param name="carried">
    /// A year's carried reports (<see cref="ScopeFacts.Carried"/>, units closed during it): no unit of any population,
    /// but a ratio's counts they reported add to the numerator and denominator of the areas already rolled up.
    /// </param>
    public static Outcome Evaluate(IReadOnlyList<TargetFact> targets, IReadOnlyList<UnitReport> reports, IReadOnlyList<UnitReport>? carried = null)
    {
        var shortfalls = new List<(string, int, Measured)>();
        var areas = new List<(string, int, int, int, int, long, long)>();
        foreach (var target in targets)
        {
            var measured = reports.Where(target.Includes).Select(r => (Report: r, Measured: target.Measure(r))).ToList();
            if (target.MeasuresUnits)
                shortfalls.AddRange(measured.Where(x => x.Measured.FallsShort).Select(x => (target.Code, x.Report.Unit.Id, x.Measured)));
            var flows = (carried ?? []).Where(r => target.Rule.IsRatio && target.Includes(r))
                .Select(r => (Report: r, Measured: target.Measure(r)))
                .Where(x => x.Measured.Status is MeasureStatus.Met or MeasureStatus.Short or MeasureStatus.NoCases)
                .SelectMany(x => target.AreasOf(x.Report.Unit.Path), (x, area) => (Area: area.Id, x.Measured))
                .GroupBy(x => x.Area)
                .ToDictionary(g => g.Key, g => (Numerator: g.Sum(x => x.Measured.Numerator), Denominator: g.Sum(x => x.Measured.Denominator)));
            areas.AddRange(measured
                .Where(x => x.Measured.Status != MeasureStatus.NotApplicable)
                .SelectMany(x => x.Report.Unit.Path, (x, area) => (Area: area.Id, x.Measured))
                .GroupBy(x => x.Area)
                // Met as the engine's tally counts it: a ratio over zero cases has nothing short.
                .Select(g => (target.Code, g.Key, g.Count(), g.Count(x => x.Measured.Status is MeasureStatus.Met or MeasureStatus.NoCases), g.Count(x => x.Measured.Status == MeasureStatus.Missing),
                    g.Sum(x => x.Measured.Numerator) + flows.GetValueOrDefault(g.Key).Numerator, g.Sum(x => x.Measured.Denominator) + flows.GetValueOrDefault(g.Key).Denominator)));
        }

        return new Outcome(shortfalls, areas);
    }

    /// <summary>What an evaluation found, in a form both evaluators produce and that compares exactly.</summary>
    public sealed record Outcome(List<(string Target, int Unit, Measured Measured)> Shortfalls, List<(string Target, int Area, int Population, int Met, int Missing, long Numerator, long Denominator)> Areas)
    {
        public static Outcome From(SessionOutcome session) => new(
            session.Shortfalls.Select(s => (s.Target.Code, s.Report.Unit.Id, s.Measured)).ToList(),
            session.Areas.Select(a => (a.Target.Code, a.Area.Id, a.Population, a.Met, a.Missing, a.Numerator, a.Denominator)).ToList());

        public Outcome Sorted() => new(
            Shortfalls.OrderBy(s => s.Target, StringComparer.Ordinal).ThenBy(s => s.Unit).ToList(),
            Areas.OrderBy(a => a.Target, StringComparer.Ordinal).ThenBy(a => a.Area).ToList());

        public bool SameAs(Outcome other)
        {
            var (a, b) = (Sorted(), other.Sorted());
            return a.Shortfalls.SequenceEqual(b.Shortfalls) && a.Areas.SequenceEqual(b.Areas);
        }
    }
}
