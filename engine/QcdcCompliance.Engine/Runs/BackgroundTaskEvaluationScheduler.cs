using Microsoft.Extensions.Logging;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Runs;

/// <summary>
/// Without a job system (the engine alone, e.g. in tests): evaluates on a background task of this process and returns
/// before the run is stored. Nothing survives the process; <c>qcdc serve</c> uses Hangfire instead.
/// </summary>
public sealed class BackgroundTaskEvaluationScheduler(EvaluationService evaluations, ILogger<BackgroundTaskEvaluationScheduler> log) : IEvaluationScheduler
{
    public Task<string> EnqueueAsync(string period, string provinceCode, RunTrigger trigger, CancellationToken ct = default) =>
        Run(period, provinceCode, () => evaluations.EvaluateScopeAsync(period, provinceCode, trigger, CancellationToken.None));

    public Task<string> EnqueueUnitsAsync(string period, string provinceCode, IReadOnlyList<int> unitIds, RunTrigger trigger, CancellationToken ct = default) =>
        Run(period, provinceCode, () => evaluations.EvaluateUnitsAsync(period, provinceCode, unitIds, trigger, CancellationToken.None));

    private Task<string> Run(string period, string provinceCode, Func<Task> evaluate)
    {
        var id = $"task-{Guid.NewGuid():N}";
        _ = Task.Run(async () =>
        {
            try
            {
                await evaluate();
            }
            catch (Exception e)
            {
                log.LogError(e, "Evaluation {Id} of {Period} {Scope} failed", id, period, provinceCode);
            }
        }, CancellationToken.None);
        return Task.FromResult(id);
    }
}
