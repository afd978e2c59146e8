using Hangfire;
using QcdcCompliance.Host.Settings;
using QcdcCompliance.Jobs;
using QcdcCompliance.Runs;

namespace QcdcCompliance.Host.Jobs;

/// <summary>How a CLI verb has a scope evaluated after it changed data.</summary>
public static class CliJobs
{
    /// <summary>
    /// On PostgreSQL and SQL Server, a job in the shared Hangfire storage that any running <c>qcdc serve</c> picks up;
    /// on SQLite, whose job storage lives in the serving process's memory, an evaluation right here.
    /// </summary>
    public static IEvaluationScheduler Scheduler(IServiceProvider services, IConfiguration configuration)
    {
        var storage = QcdcConfiguration.Storage(configuration);
        if (!JobStorages.IsShared(storage))
            return new ImmediateEvaluationScheduler(services.GetRequiredService<EvaluationService>());
        var jobs = JobStorages.Create(storage, QcdcConfiguration.Jobs(configuration));
        return new HangfireEvaluationScheduler(new BackgroundJobClient(jobs));
    }
}
