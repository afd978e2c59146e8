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
    /// again once its claim runs out) rides out an outage of the database: tried again, 200 ms doubling up to 5 s apart,
    /// until it lands or <paramref name="patience"/> has passed since the pipeline was made (the try under way then ends
    /// within its connection's and command's timeouts). Each try must open a connection of its own: one that a restart
    /// or an ended session broke fails every try made on it. A pipeline for one write: its patience runs from here.
    /// </summary>
    public static ResiliencePipeline ShortOutages(TimeSpan patience)
    {
        var since = Stopwatch.StartNew();
        return Retry("short-outages", e => DatabaseErrors.IsTransient(e) && since.Elapsed < patience, new RetryStrategyOptions
        {
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(5),
        });
    }

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
