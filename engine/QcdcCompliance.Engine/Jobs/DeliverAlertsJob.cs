using Hangfire;
using QcdcCompliance.Alerts;

namespace QcdcCompliance.Jobs;

/// <summary>
/// Sends the due outbox messages. Not retried by Hangfire (no <see cref="RetryWhenTransientAttribute"/>): the outbox keeps each message's own attempts and backoff,
/// and the job runs again a minute later anyway. Two of these at once (two hosts) share the work through the claims.
/// </summary>
public sealed class DeliverAlertsJob(OutboxDelivery delivery)
{
    public const string Id = "deliver-alerts";

    [JobDisplayName("Deliver alerts")]
    public async Task<string> RunAsync(CancellationToken ct)
    {
        var report = await delivery.DeliverDueAsync(ct);
        return $"{report}{(report.RelayDown is { } down ? $"; {down}" : "")}";
    }
}
