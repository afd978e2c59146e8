using NRules;
using NRules.Extensibility;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Evaluation;

/// <summary>
/// The units a session's target rules find short, each (target, unit) with its measure as it now stands. A rule's
/// action sets it when the rule matches (again, for an updated report) and its undo removes it when the unit no longer
/// falls short: what a linked fact would hold, without one. A first run of a province yields hundreds of thousands of
/// shortfalls, and NRules inserted each linked fact into its working memory and fired it through the network (a quarter
/// to a third of the session's time, issue 16). One sink a session (<see cref="RuleEngine.CreateSession"/>), resolved by the rules
/// as a dependency.
/// </summary>
public sealed class ShortfallSink
{
    // By target, then by unit: a target's shortfalls come out together, in the order the rules first set them (the
    // reports' order), which is close to the order the findings are sorted in.
    private readonly Dictionary<TargetFact, Dictionary<int, UnitShortfall>> _current = [];

    /// <summary>A (target code, unit id) whose shortfall was set (the shortfall) or removed (null) while the session fired.</summary>
    public event Action<string, int, UnitShortfall?>? Changed;

    public int Count => _current.Values.Sum(units => units.Count);

    /// <summary>The unit falls short of the target, as measured.</summary>
    public void Set(TargetFact target, UnitReport report, Measured measured)
    {
        if (!_current.TryGetValue(target, out var units))
            _current[target] = units = [];
        var shortfall = new UnitShortfall(target, report, measured);
        units[report.Unit.Id] = shortfall;
        Changed?.Invoke(target.Code, report.Unit.Id, shortfall);
    }

    /// <summary>The unit no longer falls short of the target.</summary>
    public void Remove(TargetFact target, UnitReport report)
    {
        if (_current.TryGetValue(target, out var units) && units.Remove(report.Unit.Id))
            Changed?.Invoke(target.Code, report.Unit.Id, null);
    }

    /// <summary>The shortfalls as they stand, by target code, each target's in the order they were first set while none was removed.</summary>
    public List<UnitShortfall> ToList()
    {
        var list = new List<UnitShortfall>(Count);
        foreach (var (_, units) in _current.OrderBy(t => t.Key.Code, StringComparer.Ordinal))
            list.AddRange(units.Values);
        return list;
    }

    /// <summary>Gives a new session of the rules its own sink (<see cref="RuleEngine.CreateSession"/> does).</summary>
    public static ShortfallSink AttachTo(ISession session)
    {
        var sink = new ShortfallSink();
        session.DependencyResolver = new Resolver(sink);
        return sink;
    }

    /// <summary>The sink of a session made by <see cref="RuleEngine.CreateSession"/>.</summary>
    public static ShortfallSink Of(ISession session) =>
        (session.DependencyResolver as Resolver)?.Sink ?? throw new InvalidOperationException("the session has no shortfall sink: make it with RuleEngine.CreateSession");

    /// <summary>What a session's rules resolve: its sink, and nothing else.</summary>
    private sealed class Resolver(ShortfallSink sink) : IDependencyResolver
    {
        public ShortfallSink Sink { get; } = sink;

        public object Resolve(IResolutionContext context, Type serviceType) =>
            serviceType == typeof(ShortfallSink) ? Sink : throw new InvalidOperationException($"a rule asked for {serviceType.Name}; a session provides its ShortfallSink only");
    }
}
