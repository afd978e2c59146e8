using System.Reflection;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using QcdcCompliance.Jobs;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Jobs;

/// <summary>
/// Hangfire retries a job as its own feature, but only on what the product's one predicate calls transient; its
/// default retry of anything is gone, so every job method says whether it is retried.
/// </summary>
public sealed class JobRetryTests
{
    [Fact]
    public async Task A_job_that_met_a_transient_database_error_is_scheduled_again_and_one_that_met_anything_else_fails_at_once()
    {
        await using var database = await SqliteDatabase.CreateAsync();
        await using var host = await JobHost.StartAsync(database.Storage, TestFolders.NewFolder("pickup"));
        var jobs = host.Services.GetRequiredService<IBackgroundJobClient>();

        var deadlock = jobs.Enqueue<FailingJob>(job => job.RetriedAsync(FailingJob.Deadlock));
        var bug = jobs.Enqueue<FailingJob>(job => job.RetriedAsync(FailingJob.Bug));
        var undeclared = jobs.Enqueue<FailingJob>(job => job.NotRetriedAsync(FailingJob.Deadlock));

        var retried = await SettledAsync(host, deadlock);
        retried.Name.Should().Be("Scheduled");
        retried.Reason.Should().StartWith("Retry attempt 1 of 2", "Hangfire's own retry took it, with its count and delays");
        (await SettledAsync(host, bug)).Name.Should().Be("Failed", "a bug is not worth a second attempt");
        (await SettledAsync(host, undeclared)).Name.Should().Be("Failed", "Hangfire's default retry of everything is off");
    }

    [Fact]
    public void Every_job_method_but_the_delivery_is_retried_on_transient_failures_and_a_scope_evaluation_five_times()
    {
        var methods = typeof(EvaluateScopeJob).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(EvaluateScopeJob).Namespace)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<JobDisplayNameAttribute>() is not null)
            .ToDictionary(m => $"{m.DeclaringType!.Name}.{m.Name}", m => m.GetCustomAttribute<RetryWhenTransientAttribute>()?.Attempts);

        methods.Should().BeEquivalentTo(new Dictionary<string, int?>
        {
            ["EvaluateScopeJob.RunAsync"] = 5,
            ["EvaluateScopeJob.RunUnitsAsync"] = 5,
            ["EvaluateOpenPeriodsJob.RunAsync"] = 3,
            ["RemindReportingJob.RunAsync"] = 3,
            ["EscalateOpenFindingsJob.RunAsync"] = 3,
            // The outbox keeps each message's own attempts; the job runs again a minute later anyway.
            ["DeliverAlertsJob.RunAsync"] = null,
        });
    }

    private static async Task<Hangfire.Storage.StateData> SettledAsync(TestWebHost host, string id) =>
        await Eventually.WaitAsync(() =>
        {
            using var connection = host.Services.GetRequiredService<JobStorage>().GetConnection();
            return Task.FromResult(connection.GetStateData(id));
        }, state => state.Name is "Scheduled" or "Failed", $"job {id} failed once");
}

/// <summary>A job that fails as it is told (activated by the host's Hangfire like any job class).</summary>
public sealed class FailingJob
{
    public const string Deadlock = "deadlock";
    public const string Bug = "bug";

    [RetryWhenTransient(Attempts = 2, DelaysInSeconds = [3600, 3600])]
    public async Task RetriedAsync(string error)
    {
        await Task.Yield();
        throw Error(error);
    }

    public async Task NotRetriedAsync(string error)
    {
        await Task.Yield();
        throw Error(error);
    }

    private static Exception Error(string error) => error == Deadlock
        ? new PostgresException("deadlock detected", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected)
        : new InvalidOperationException("a bug");
}
