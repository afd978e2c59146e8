using Microsoft.Extensions.Logging;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;

namespace QcdcCompliance.Evaluation;

/// <summary>
/// Asks for a scope to be evaluated soon, without waiting for it: the host's job system (Hangfire) in
/// <c>qcdc serve</c>, or a background task where no job system runs.
/// </summary>
public interface IEvaluationScheduler
{
    /// <summary>Queues the evaluation of one (period, province) and returns an id to follow it by.</summary>
    Task<string> EnqueueAsync(string period, string provinceCode, RunTrigger trigger, CancellationToken ct = default);
}

/// <summary>Without a job system: evaluates on a background task of this process.</summary>
public sealed class InProcessEvaluationScheduler(EvaluationService evaluations, ILogger<InProcessEvaluationScheduler> log) : IEvaluationScheduler
{
    public Task<string> EnqueueAsync(string period, string provinceCode, RunTrigger trigger, CancellationToken ct = default)
    {
        var id = $"inproc-{Guid.NewGuid():N}";
        _ = Task.Run(async () =>
        {
            try
            {
                await evaluations.EvaluateScopeAsync(period, provinceCode, trigger, CancellationToken.None);
            }
            catch (Exception e)
            {
                log.LogError(e, "Evaluation {Id} of {Period} {Scope} failed", id, period, provinceCode);
            }
        }, CancellationToken.None);
        return Task.FromResult(id);
    }
}

/// <summary>Told of every accepted import, after it committed (to schedule the evaluation of the scopes it touched).</summary>
public interface IImportObserver
{
    Task ImportedAsync(ImportSummary summary, ImportContext context, CancellationToken ct);
}

/// <summary>An accepted values import re-evaluates the (period, province) scopes whose data changed.</summary>
public sealed class EvaluateTouchedScopes(IEvaluationScheduler scheduler) : IImportObserver
{
    public async Task ImportedAsync(ImportSummary summary, ImportContext context, CancellationToken ct)
    {
        foreach (var (period, scope) in summary.TouchedScopes)
            await scheduler.EnqueueAsync(period, scope, RunTrigger.Import, ct);
    }
}

/// <summary>
/// An accepted values import re-evaluates the units it changed before the import returns: through a warm session
/// when the scope has one (milliseconds), else by evaluating the scope afresh.
/// </summary>
public sealed class ReevaluateChangedUnits(EvaluationService evaluations) : IImportObserver
{
    public async Task ImportedAsync(ImportSummary summary, ImportContext context, CancellationToken ct)
    {
        foreach (var scope in summary.TouchedUnits.GroupBy(u => (u.Period, u.Scope)))
            await evaluations.EvaluateUnitsAsync(scope.Key.Period, scope.Key.Scope, scope.Select(u => u.UnitId).ToList(), RunTrigger.Import, ct);
    }
}
