using System.Linq.Expressions;
using NRules.Aggregators;
using NRules.Fluent.Dsl;
using NRules.RuleModel;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Evaluation;

/// <summary>
/// Keeps, for one target, the running figures of every area on the reports' paths, and changes only the areas of a
/// report that is added, updated or removed. NRules' built-in GroupBy recounts a whole group on each change (1 ms at a
/// 300,000-unit province); this costs the same whatever the group's size. What each unit last contributed is kept in
/// arrays indexed by <see cref="UnitReport.Index"/>: a byte a unit, plus numerators and denominators only for ratios.
/// A unit keeps its area path while a session lives (a move between areas rebuilds the session).
/// </summary>
public sealed class AreaTallyAggregator(IAggregateExpression targetOf) : IAggregator
{
    private const byte Absent = 0;

    /// <summary>Set on a unit whose contribution is its own numerator and denominator (a ratio), kept in the arrays.</summary>
    private const int OwnFigures = 0x80;

    private readonly Dictionary<int, AreaTally> _tallies = new();

    // Units of one commune share their path object: its tallies are found with one lookup.
    private readonly Dictionary<object, AreaTally[]> _byPath = new(ReferenceEqualityComparer.Instance);
    private TargetFact? _target;
    private int _batch;
    private byte[] _status = new byte[1024];
    private long[]? _numerators;
    private long[]? _denominators;

    public IEnumerable<object> Aggregates => _tallies.Values;

    public IReadOnlyCollection<AggregationResult> Add(AggregationContext context, ITuple tuple, IReadOnlyCollection<IFact> facts) =>
        Apply(context, tuple, facts, remove: false);

    public IReadOnlyCollection<AggregationResult> Modify(AggregationContext context, ITuple tuple, IReadOnlyCollection<IFact> facts) =>
        Apply(context, tuple, facts, remove: false);

    public IReadOnlyCollection<AggregationResult> Remove(AggregationContext context, ITuple tuple, IReadOnlyCollection<IFact> facts) =>
        Apply(context, tuple, facts, remove: true);

    private List<AggregationResult> Apply(AggregationContext context, ITuple tuple, IReadOnlyCollection<IFact> facts, bool remove)
    {
        // What a batch touched, in the order first touched, marked with the batch's number instead of kept in sets.
        var batch = ++_batch;
        var touched = new List<AreaTally>();
        foreach (var fact in facts)
        {
            var report = (UnitReport)fact.Value!;
            _target ??= (TargetFact)targetOf.Invoke(context, tuple, fact)!;
            var old = Previous(report.Index);
            var now = remove ? (Measured?)null : _target.MeasureInPopulation(report).Contribution;
            if (old == now)
                continue;
            if (old is { } before)
                Contribute(report, before, -1, batch, touched);
            if (now is { } after)
                Contribute(report, after, +1, batch, touched);
            Remember(report.Index, now);
        }

        var results = new List<AggregationResult>(touched.Count);
        foreach (var tally in touched)
            results.Add(tally.OpenedIn == batch ? AggregationResult.Added(tally, []) : AggregationResult.Modified(tally, tally, []));
        return results;
    }

    private Measured? Previous(int index)
    {
        if (index >= _status.Length || _status[index] == Absent)
            return null;
        var status = (MeasureStatus)((_status[index] & ~OwnFigures) - 1);
        return (_status[index] & OwnFigures) != 0
            ? new Measured(status, _numerators![index], _denominators![index])
            : Canonical(status);
    }

    private void Remember(int index, Measured? measured)
    {
        if (index >= _status.Length)
            Array.Resize(ref _status, Math.Max(index + 1, _status.Length * 2));
        if (measured is not { } m)
        {
            _status[index] = Absent;
            return;
        }

        var own = m != Canonical(m.Status);
        _status[index] = (byte)(((int)m.Status + 1) | (own ? OwnFigures : 0));
        if (!own)
            return;
        if (_numerators is null || index >= _numerators.Length)
        {
            Array.Resize(ref _numerators, _status.Length);
            Array.Resize(ref _denominators, _status.Length);
        }

        (_numerators[index], _denominators![index]) = (m.Numerator, m.Denominator);
    }

    /// <summary>The contribution a status has unless the rule measured a ratio.</summary>
    private static Measured Canonical(MeasureStatus status) => status switch
    {
        MeasureStatus.Met => Measured.Met,
        MeasureStatus.Short => Measured.Short,
        MeasureStatus.Missing => Measured.Missing,
        MeasureStatus.NoCases => Measured.NoCases(0),
        _ => Measured.NotApplicable,
    };

    private void Contribute(UnitReport report, Measured measured, int sign, int batch, List<AreaTally> touched)
    {
        // Nothing to count: no tally is opened, so an area with no unit to measure stays "not applicable".
        if (measured.Status == MeasureStatus.NotApplicable)
            return;
        if (!_byPath.TryGetValue(report.Unit.Path, out var tallies))
            _byPath[report.Unit.Path] = tallies = _target!.AreasOf(report.Unit.Path).Select(Open).ToArray();
        foreach (var tally in tallies)
        {
            if (tally.TouchedIn != batch)
            {
                // Empty when the batch first touches it: the batch opens it.
                tally.TouchedIn = batch;
                tally.OpenedIn = tally.Population == 0 && tally.Denominator == 0 ? batch : 0;
                touched.Add(tally);
            }

            tally.Add(measured, sign);
        }
    }

    private AreaTally Open(AreaRef area)
    {
        if (!_tallies.TryGetValue(area.Id, out var tally))
            _tallies[area.Id] = tally = new AreaTally(area);
        return tally;
    }
}

public sealed class AreaTallyAggregatorFactory : IAggregatorFactory
{
    private IAggregateExpression? _target;

    public void Compile(AggregateElement element, IReadOnlyCollection<IAggregateExpression> compiledExpressions) =>
        _target = compiledExpressions.FindSingle("Target");

    public IAggregator Create(AggregationContext context) =>
        new AreaTallyAggregator(_target ?? throw new InvalidOperationException("the aggregator was not compiled"));
}

public static class AreaTallyQuery
{
    /// <summary>
    /// Folds the reports into one <see cref="AreaTally"/> per area on their paths, measuring each unit of the target's
    /// population with the target's rule. Naming the target makes NRules keep one tally per target; the aggregator
    /// reads it once and calls its measure directly (an expression call and a boxed result per unit and target cost
    /// more than the measure itself).
    /// </summary>
    public static IQuery<AreaTally> TallyByArea(this IQuery<UnitReport> source, Expression<Func<UnitReport, TargetFact>> target)
    {
        source.Builder.Aggregate<UnitReport, AreaTally>("AreaTally", [new KeyValuePair<string, LambdaExpression>("Target", target)], typeof(AreaTallyAggregatorFactory));
        return new QueryExpression<AreaTally>(source.Builder);
    }
}
