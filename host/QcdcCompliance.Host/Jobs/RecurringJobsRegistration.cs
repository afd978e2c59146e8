using Hangfire;
using QcdcCompliance.Alerts;
using QcdcCompliance.Jobs;

namespace QcdcCompliance.Host.Jobs;

/// <summary>
/// Registers the recurring jobs when the host starts, with stable ids and their crons read in Asia/Ho_Chi_Minh.
/// AddOrUpdate is idempotent: every host does it, on shared storage too, and a changed cron setting takes effect.
/// </summary>
public sealed class RecurringJobsRegistration(IRecurringJobManager recurring, JobOptions options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var zone = new RecurringJobOptions { TimeZone = Vietnamese.TimeZone };
        recurring.AddOrUpdate<EvaluateOpenPeriodsJob>(EvaluateOpenPeriodsJob.Id, job => job.RunAsync(CancellationToken.None), options.EvaluateCron, zone);
        recurring.AddOrUpdate<DeliverAlertsJob>(DeliverAlertsJob.Id, job => job.RunAsync(CancellationToken.None), options.DeliverCron, zone);
        recurring.AddOrUpdate<RemindReportingJob>(RemindReportingJob.Id, job => job.RunAsync(CancellationToken.None), options.RemindCron, zone);
        recurring.AddOrUpdate<EscalateOpenFindingsJob>(EscalateOpenFindingsJob.Id, job => job.RunAsync(CancellationToken.None), options.EscalateCron, zone);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
