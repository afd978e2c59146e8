using QcdcCompliance.Domain;

namespace QcdcCompliance.Runs;

/// <summary>
/// Evaluates at once and returns when the run is stored: for a short-lived process (the CLI on SQLite) where nothing
/// would be left to run a queued job, and no other process can reach its queue.
/// </summary>
public sealed class ImmediateEvaluationScheduler(EvaluationService evaluations) : IEvaluationScheduler
{
    public async Task<string> EnqueueAsync(string period, string provinceCode, RunTrigger trigger, CancellationToken ct = default)
    {
        var result = await evaluations.EvaluateScopeAsync(period, provinceCode, trigger, ct);
        return $"run #{result.Run.Id} ({result.Run.NewCount} new, {result.Run.ResolvedCount} resolved)";
    }
}
