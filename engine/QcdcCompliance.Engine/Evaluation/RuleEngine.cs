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
    public SessionOutcome Evaluate(ScopeFacts facts) => SessionOutcome.Read(Start(facts), facts);

    /// <summary>Reports from which <see cref="EvaluateInParts"/> shares them among sessions.</summary>
    public const int PartsFromReports = 50_000;

    /// <summary>
    /// What one session over the facts yields, from <paramref name="parts"/> sessions fired side by side, each over the
    /// targets and a share of the reports (a scope of fewer than <paramref name="fromReports"/> reports: one session). The
    /// rules measure each unit on its own and the roll-ups are sums of the units' contributions, so the union of the
    /// sessions' shortfalls and the sums of their roll-ups per (target, area) are exactly one session's. For a run that
    /// keeps no session: a warm scope's updates need its one session.
    /// </summary>
    public SessionOutcome EvaluateInParts(ScopeFacts facts, int parts, int fromReports = PartsFromReports)
    {
        if (parts <= 1 || facts.Reports.Count < fromReports)
            return Evaluate(facts);
        var size = (facts.Reports.Count + parts - 1) / parts;
        var outcomes = new SessionOutcome[parts];
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            var session = CreateSession();
            session.InsertAll(facts.Targets);
            foreach (var batch in facts.Reports.Skip(part * size).Take(size).Chunk(InsertBatch))
                session.InsertAll(batch);
            session.Fire();
            outcomes[part] = SessionOutcome.Read(session);
        });
        return CarriedFlows.Of(facts).AddTo(SessionOutcome.Merge(outcomes));
    }

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
    /// <summary>What the session itself yielded: the roll-ups of the reports inserted into it.</summary>
    public static SessionOutcome Read(ISession session) =>
        new(ShortfallSink.Of(session).ToList(), session.Query<AreaOutcome>().ToList());

    /// <summary>What a session over the facts yielded, with the year's carried counts added to its roll-ups (<see cref="CarriedFlows"/>).</summary>
    public static SessionOutcome Read(ISession session, ScopeFacts facts) => CarriedFlows.Of(facts).AddTo(Read(session));

    /// <summary>
    /// The outcome of sessions over disjoint shares of one scope's reports: every shortfall, by target code as one
    /// sink gives them, and one roll-up per (target, area), the sessions' figures added up, in the order first yielded.
    /// </summary>
    public static SessionOutcome Merge(IReadOnlyList<SessionOutcome> parts)
    {
        // Grouped by target (each part's are already), not sorted: 400,000 shortfalls sorted by their target's code cost a third of a second.
        var shortfalls = parts.SelectMany(p => p.Shortfalls).GroupBy(s => s.Target.Code, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => g).ToList();
        var areas = new Dictionary<(TargetFact Target, int Area), AreaOutcome>();
        foreach (var area in parts.SelectMany(p => p.Areas))
        {
            areas[(area.Target, area.Area.Id)] = areas.TryGetValue((area.Target, area.Area.Id), out var sum)
                ? sum with
                {
                    Population = sum.Population + area.Population, Met = sum.Met + area.Met, Missing = sum.Missing + area.Missing,
                    Numerator = sum.Numerator + area.Numerator, Denominator = sum.Denominator + area.Denominator,
                }
                : area;
        }

        return new SessionOutcome(shortfalls, [.. areas.Values]);
    }
}
