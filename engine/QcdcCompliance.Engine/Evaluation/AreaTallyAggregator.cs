using System.Linq.Expressions;
using NRules.Aggregators;
using NRules.Fluent.Dsl;
using NRules.RuleModel;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Evaluation;

/// <summary>
/// Keeps, for one target, the running figures of every area on the reports' paths, and changes only the areas of a
/// report that is added, updated or removed. NRules' built-in GroupBy recounts a whole group on each change (1 ms at a
/// 300,000-unit province); this costs the same whatever the group's size.
/// </summary>
public sealed class AreaTallyAggregator(IAggregateExpression measure) : IAggregator
{
    private readonly Dictionary<int, AreaTally> _tallies = new();
    private readonly Dictionary<object, (UnitReport Report, Measured Measured)> _contributions = new();

    public IEnumerable<object> Aggregates => _tallies.Values;

    public IReadOnlyCollection<AggregationResult> Add(AggregationContext context, ITuple tuple, IReadOnlyCollection<IFact> facts)
    {
        var added = new HashSet<AreaTally>();
        var touched = new HashSet<AreaTally>();
        foreach (var fact in facts)
        {
            var report = (UnitReport)fact.Value!;
            var measured = (Measured)measure.Invoke(context, tuple, fact)!;
            _contributions[report.GetIdentity()] = (report, measured);
            Apply(report, measured, +1, added, touched);
        }

        return Results(added, touched);
    }

    public IReadOnlyCollection<AggregationResult> Modify(AggregationContext context, ITuple tuple, IReadOnlyCollection<IFact> facts)
    {
        var added = new HashSet<AreaTally>();
        var touched = new HashSet<AreaTally>();
        foreach (var fact in facts)
        {
            var report = (UnitReport)fact.Value!;
            var measured = (Measured)measure.Invoke(context, tuple, fact)!;
            if (_contributions.TryGetValue(report.GetIdentity(), out var old))
            {
                if (old.Measured == measured && ReferenceEquals(old.Report.Unit, report.Unit))
                {
                    _contributions[report.GetIdentity()] = (report, measured);
                    continue;
                }

                Apply(old.Report, old.Measured, -1, added, touched);
            }

            _contributions[report.GetIdentity()] = (report, measured);
            Apply(report, measured, +1, added, touched);
        }

        return Results(added, touched);
    }

    public IReadOnlyCollection<AggregationResult> Remove(AggregationContext context, ITuple tuple, IReadOnlyCollection<IFact> facts)
    {
        var added = new HashSet<AreaTally>();
        var touched = new HashSet<AreaTally>();
        foreach (var fact in facts)
        {
            var report = (UnitReport)fact.Value!;
            if (_contributions.Remove(report.GetIdentity(), out var old))
                Apply(old.Report, old.Measured, -1, added, touched);
        }

        return Results(added, touched);
    }

    private void Apply(UnitReport report, Measured measured, int sign, HashSet<AreaTally> added, HashSet<AreaTally> touched)
    {
        foreach (var area in report.Unit.Path)
        {
            if (!_tallies.TryGetValue(area.Id, out var tally))
            {
                tally = new AreaTally(area);
                _tallies[area.Id] = tally;
                added.Add(tally);
            }

            tally.Add(measured, sign);
            touched.Add(tally);
        }
    }

    private static List<AggregationResult> Results(HashSet<AreaTally> added, HashSet<AreaTally> touched)
    {
        var results = new List<AggregationResult>(touched.Count);
        foreach (var tally in touched)
        {
            results.Add(added.Contains(tally)
                ? AggregationResult.Added(tally, [])
                : AggregationResult.Modified(tally, tally, []));
        }

        return results;
    }
}

public sealed class AreaTallyAggregatorFactory : IAggregatorFactory
{
    private IAggregateExpression? _measure;

    public void Compile(AggregateElement element, IReadOnlyCollection<IAggregateExpression> compiledExpressions) =>
        _measure = compiledExpressions.FindSingle("Measure");

    public IAggregator Create(AggregationContext context) =>
        new AreaTallyAggregator(_measure ?? throw new InvalidOperationException("the aggregator was not compiled"));
}

public static class AreaTallyQuery
{
    /// <summary>Folds the reports into one <see cref="AreaTally"/> per area on their paths, measured by <paramref name="measure"/>.</summary>
    public static IQuery<AreaTally> TallyByArea(this IQuery<UnitReport> source, Expression<Func<UnitReport, Measured>> measure)
    {
        source.Builder.Aggregate<UnitReport, AreaTally>("AreaTally", [new KeyValuePair<string, LambdaExpression>("Measure", measure)], typeof(AreaTallyAggregatorFactory));
        return new QueryExpression<AreaTally>(source.Builder);
    }
}
