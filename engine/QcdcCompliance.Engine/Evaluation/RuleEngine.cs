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

    /// <summary>
    /// What one session over the facts yields, fired as <paramref name="parts"/> sessions at once, each over its share
    /// of the reports and every target. A unit's rules read only its own report, and an area's figures are sums over its
    /// units (<see cref="SessionOutcome.Merge"/>), so the outcome is the single session's; no session is kept, so a scope
    /// kept warm fires one.
    /// </summary>
    public SessionOutcome Evaluate(ScopeFacts facts, int parts)
    {
        if (parts <= 1 || facts.Reports.Count < parts)
            return Evaluate(facts);
        var size = (facts.Reports.Count + parts - 1) / parts;
        var shares = facts.Reports.Chunk(size).ToArray();
        var outcomes = new SessionOutcome[shares.Length];
        Parallel.For(0, shares.Length, new ParallelOptions { MaxDegreeOfParallelism = shares.Length },
            i => outcomes[i] = Evaluate(facts with { Reports = shares[i] }));
        return SessionOutcome.Merge(outcomes);
    }

    /// <summary>A fired session over the facts, to read and, for a warm scope, to keep updating.</summary>
    public ISession Start(ScopeFacts facts)
    {
        var session = Sessions.CreateSession();
        session.InsertAll(facts.Targets);
        foreach (var batch in facts.Reports.Chunk(InsertBatch))
            session.InsertAll(batch);
        session.Fire();
        return session;
    }
}

/// <summary>What a fired session holds: the units that fall short and every (target, area) roll-up.</summary>
public sealed record SessionOutcome(IReadOnlyList<UnitShortfall> Shortfalls, IReadOnlyList<AreaOutcome> Areas)
{
    public static SessionOutcome Read(ISession session) =>
        new(session.Query<UnitShortfall>().ToList(), session.Query<AreaOutcome>().ToList());

    /// <summary>
    /// The outcome of sessions over disjoint shares of one scope's reports: every shortfall, and one roll-up per
    /// (target, area) whose figures are the sums of the shares' (an area none of a share's units counted in has none).
    /// </summary>
    public static SessionOutcome Merge(IReadOnlyList<SessionOutcome> shares)
    {
        var shortfalls = new List<UnitShortfall>(shares.Sum(s => s.Shortfalls.Count));
        var areas = new Dictionary<(TargetFact Target, int Area), AreaOutcome>();
        foreach (var share in shares)
        {
            shortfalls.AddRange(share.Shortfalls);
            foreach (var a in share.Areas)
            {
                var key = (a.Target, a.Area.Id);
                areas[key] = areas.TryGetValue(key, out var b)
                    ? b with { Population = b.Population + a.Population, Met = b.Met + a.Met, Missing = b.Missing + a.Missing,
                        Numerator = b.Numerator + a.Numerator, Denominator = b.Denominator + a.Denominator }
                    : a;
            }
        }

        return new SessionOutcome(shortfalls, [.. areas.Values]);
    }
}
