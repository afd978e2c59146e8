using Hangfire;
using QcdcCompliance.Telemetry;

namespace QcdcCompliance.Jobs;

/// <summary>Hangfire's process-wide filters as the product's jobs need them.</summary>
public static class JobFilters
{
    private static readonly Lock Gate = new();

    /// <summary>
    /// Removes Hangfire's default retry of every job on any exception (each job method says whether it is retried, with
    /// <see cref="RetryWhenTransientAttribute"/>) and adds the span filter. The filters belong to the process, not to a
    /// host: done once however many hosts start.
    /// </summary>
    public static void Configure()
    {
        lock (Gate)
        {
            GlobalJobFilters.Filters.Remove(typeof(AutomaticRetryAttribute));
            if (!GlobalJobFilters.Filters.Any(f => f.Instance is JobTelemetryFilter))
                GlobalJobFilters.Filters.Add(new JobTelemetryFilter());
        }
    }
}
