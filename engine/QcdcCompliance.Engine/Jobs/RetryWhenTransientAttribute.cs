using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Jobs;

/// <summary>
/// Hangfire's own automatic retry (its attempts, its delays, the dashboard's Retries page) for the failures worth
/// trying again: what <see cref="DatabaseErrors.IsTransient"/> recognises, the predicate of every retry of the
/// product, and a scope lock still held by another evaluation. Anything else (an unknown period or area, a bug) fails
/// the job at once and shows in the dashboard. Hangfire's catch-all default retry is removed
/// (<see cref="JobFilters.Configure"/>), so a job method without this attribute is not retried.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RetryWhenTransientAttribute : JobFilterAttribute, IElectStateFilter, IApplyStateFilter
{
    private readonly AutomaticRetryAttribute _retry = new();

    public RetryWhenTransientAttribute() => Order = _retry.Order;

    /// <summary>Retries after the first failure; 0 never retries.</summary>
    public int Attempts
    {
        get => _retry.Attempts;
        set => _retry.Attempts = value;
    }

    /// <summary>The delay before each retry; Hangfire's growing default when not set.</summary>
    public int[]? DelaysInSeconds
    {
        get => _retry.DelaysInSeconds;
        set => _retry.DelaysInSeconds = value;
    }

    public static bool ShouldRetry(Exception error) => DatabaseErrors.IsTransient(error) || error is DistributedLockTimeoutException;

    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is FailedState failed && ShouldRetry(failed.Exception))
            _retry.OnStateElection(context);
    }

    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction) => _retry.OnStateApplied(context, transaction);

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction) => _retry.OnStateUnapplied(context, transaction);
}
