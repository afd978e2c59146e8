using NRules;
using NRules.Fluent;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Evaluation;

/// <summary>The rules compiled once per process; a session per (period, scope) run.</summary>
public sealed class RuleEngine
{
    public const int InsertBatch = 10_000;

    public RuleEngine(TargetRuleCatalogue catalogue)
    {
        var repository = new RuleRepository();
        repository.Load(x => x.From(catalogue.RuleTypes));
        Sessions = repository.Compile();
    }

    public ISessionFactory Sessions { get; }

    /// <summary>Inserts the facts in batches (an aggregate recomputes per batch, never per fact) and fires.</summary>
    public SessionOutcome Evaluate(ScopeFacts facts) => SessionOutcome.Read(Start(facts));

    /// <summary>A session of the compiled rules with its own <see cref="ShortfallSink"/>, where its target rules put the units that fall short.</summary>
    public ISession CreateSession()
    {
        var session = Sessions.CreateSession();
        ShortfallSink.AttachTo(session);
        return session;
    }

    /// <summary>A fired session over the facts, to read and, for a warm scope, to keep updating.</summary>
    public ISession Start(ScopeFacts facts)
    {
        var session = CreateSession();
        session.InsertAll(facts.Targets);
        foreach (var batch in facts.Reports.Chunk(InsertBatch))
            session.InsertAll(batch);
        session.Fire();
        return session;
    }
}

/// <summary>What a fired session holds: the units that fall short (its <see cref="ShortfallSink"/>) and every (target, area) roll-up.</summary>
public sealed record SessionOutcome(IReadOnlyList<UnitShortfall> Shortfalls, IReadOnlyList<AreaOutcome> Areas)
{
    public static SessionOutcome Read(ISession session) =>
        new(ShortfallSink.Of(session).ToList(), session.Query<AreaOutcome>().ToList());
}
