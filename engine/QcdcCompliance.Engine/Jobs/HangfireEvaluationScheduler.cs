using Hangfire;
using QcdcCompliance.Domain;
using QcdcCompliance.Runs;

namespace QcdcCompliance.Jobs;

/// <summary>Queues an evaluation as a Hangfire job, run by whichever host's server picks it up.</summary>
public sealed class HangfireEvaluationScheduler(IBackgroundJobClient jobs) : IEvaluationScheduler
{
    public Task<string> EnqueueAsync(string period, string provinceCode, RunTrigger trigger, CancellationToken ct = default)
    {
        // Upper-cased like every stored code, so that the per-scope lock has one name per scope.
        var (periodCode, scope) = (period.Trim().ToUpperInvariant(), provinceCode.Trim().ToUpperInvariant());
        return Task.FromResult(jobs.Enqueue<EvaluateScopeJob>(job => job.RunAsync(periodCode, scope, trigger, CancellationToken.None)));
    }

    public Task<string> EnqueueUnitsAsync(string period, string provinceCode, IReadOnlyList<int> unitIds, RunTrigger trigger, CancellationToken ct = default)
    {
        var (periodCode, scope) = (period.Trim().ToUpperInvariant(), provinceCode.Trim().ToUpperInvariant());
        var units = unitIds.ToArray();
        return Task.FromResult(jobs.Enqueue<EvaluateScopeJob>(job => job.RunUnitsAsync(periodCode, scope, units, trigger, CancellationToken.None)));
    }
}
