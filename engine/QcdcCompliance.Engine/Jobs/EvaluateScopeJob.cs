using Hangfire;
using QcdcCompliance.Domain;
using QcdcCompliance.Runs;

namespace QcdcCompliance.Jobs;

/// <summary>
/// Evaluates one (period, province). Safe to run twice: a second run records a new run that finds nothing New, so it
/// queues no alert. Two evaluations of one scope never overlap, on any host (<see cref="ScopeLocks"/>: a lock of a
/// database session of its own, which the database frees when that session ends, so a retry after a restart of the
/// database does not wait for its own first attempt); other scopes run beside it. Retried when the database or the network fails for a while; an unknown period or area, or
/// a bug, fails at once and shows in the dashboard.
/// </summary>
public sealed class EvaluateScopeJob(EvaluationService evaluations, ScopeLocks locks)
{
    [JobDisplayName("Evaluate {0} {1} ({2})")]
    [RetryWhenTransient(Attempts = 5, DelaysInSeconds = [15, 60, 300, 900, 3600])]
    public async Task<string> RunAsync(string period, string province, RunTrigger trigger, CancellationToken ct)
    {
        await using var turn = await locks.TakeAsync(ScopeLocks.Resource(period, province), ct);
        return Describe(await evaluations.EvaluateScopeAsync(period, province, trigger, ct));
    }

    /// <summary>
    /// Re-evaluates the units an import changed: in this host's warm session of the scope when it has one, else the
    /// whole scope. Same lock as the scope's full evaluation: the two never overlap.
    /// </summary>
    [JobDisplayName("Re-evaluate {0} {1}: units changed")]
    [RetryWhenTransient(Attempts = 5, DelaysInSeconds = [15, 60, 300, 900, 3600])]
    public async Task<string> RunUnitsAsync(string period, string province, int[] units, RunTrigger trigger, CancellationToken ct)
    {
        await using var turn = await locks.TakeAsync(ScopeLocks.Resource(period, province), ct);
        return Describe(await evaluations.EvaluateUnitsAsync(period, province, units, trigger, ct));
    }

    private static string Describe(ScopeEvaluation result)
    {
        var run = result.Run;
        return $"run #{run.Id}: {run.UnitsEvaluated} units, {run.NewCount} new, {run.PersistingCount} persisting, {run.ResolvedCount} resolved";
    }
}
