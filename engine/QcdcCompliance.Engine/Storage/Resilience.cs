using System.Diagnostics;
using Polly;
using Polly.Retry;
using QcdcCompliance.Telemetry;

namespace QcdcCompliance.Storage;

/// <summary>
/// Every retry of the engine that happens inside one call, as one Polly pipeline per concern, each deciding with
/// <see cref="DatabaseErrors"/>. Two retries live elsewhere on purpose: Hangfire retries whole jobs (its attempts and
/// delays, decided by the same predicate through <c>Jobs.RetryWhenTransientAttribute</c>), and an outbox message's next
/// attempt is a row (<c>Alerts.OutboxDelivery.Backoff</c>), because it must outlive the process.
/// Delays are real time whatever clock the engine is given: they wait for another writer, not for a date.
/// </summary>
public static class Resilience
{
    /// <summary>
    /// A transaction that lost a race to another writer (the scope's latest run, the audit chain's head, a message key)
    /// is done again on top of what won: up to 5 more times, 50 ms doubling, with jitter so that two losers part.
    /// </summary>
    public static ResiliencePipeline WriteConflicts { get; } = Retry("write-conflicts", DatabaseErrors.IsConflict, new RetryStrategyOptions
    {
        MaxRetryAttempts = 5,
        BackoffType = DelayBackoffType.Exponential,
        Delay = TimeSpan.FromMilliseconds(50),
        UseJitter = true,
    });

    /// <summary>
    /// One small write whose loss costs more than a wait (a message the relay accepted must be marked Sent, or it goes
    /// again once its claim runs out) rides out a short outage: up to 3 more times, 200, 400, 600 ms apart.
    /// </summary>
    public static ResiliencePipeline ShortOutages { get; } = Retry("short-outages", DatabaseErrors.IsTransient, new RetryStrategyOptions
    {
        MaxRetryAttempts = 3,
        BackoffType = DelayBackoffType.Linear,
        Delay = TimeSpan.FromMilliseconds(200),
    });

    private static ResiliencePipeline Retry(string concern, Func<Exception, bool> retryable, RetryStrategyOptions options)
    {
        options.Name = concern;
        options.ShouldHandle = new PredicateBuilder().Handle<Exception>(retryable);
        options.OnRetry = args =>
        {
            var error = args.Outcome.Exception?.GetType().Name ?? "none";
            QcdcTelemetry.Retries.Add(1, new KeyValuePair<string, object?>("qcdc.retry.concern", concern), new("qcdc.retry.error", error));
            Activity.Current?.AddEvent(new ActivityEvent("qcdc.retry", tags: new ActivityTagsCollection
            {
                ["qcdc.retry.concern"] = concern,
                ["qcdc.retry.attempt"] = args.AttemptNumber + 1,
                ["qcdc.retry.error"] = error,
            }));
            return ValueTask.CompletedTask;
        };
        return new ResiliencePipelineBuilder().AddRetry(options).Build();
    }
}
