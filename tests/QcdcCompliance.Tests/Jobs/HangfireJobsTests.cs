using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Jobs;
using QcdcCompliance.Tests.Alerts;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Jobs;

/// <summary>The jobs as <c>qcdc serve</c> runs them: Hangfire on in-memory storage beside SQLite, and on PostgreSQL.</summary>
public sealed class HangfireJobsTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task An_import_queues_the_evaluation_of_what_it_touched_and_the_delivered_digest_reports_a_correction_resolved(string provider)
    {
        var pickup = TestFolders.NewFolder("pickup");
        await using var host = await JobHost.StartAsync(await JobHost.StorageAsync(provider, "jobs_import"), pickup);
        await host.LoadProvinceAsync();

        await host.ImportAsync(ImportKind.Values, "values.csv", AlertScenario.Values);
        await host.RunsWhereAsync(runs => runs.Count(r => r.Status == RunStatus.Completed) == 1, "the evaluation queued by the import");
        await host.ImportAsync(ImportKind.Values, "fix.csv", AlertScenario.Correction);
        var runs = await host.RunsWhereAsync(runs => runs.Count(r => r.Status == RunStatus.Completed) == 2, "the evaluation queued by the correction");
        runs.Should().OnlyContain(r => r.Trigger == RunTrigger.Import);
        runs[1].ResolvedCount.Should().Be(2, "XA2 and D1 now meet NQ02-1");

        host.Trigger(DeliverAlertsJob.Id);
        var outbox = await host.OutboxAsync();
        var files = await JobHost.PickupWhereAsync(pickup, f => f.Length == outbox.Count, $"{outbox.Count} messages in the pickup folder");

        var digests = JobHost.Mails(files).Where(m => m.To.Mailboxes.Single().Address == AlertScenario.DistrictCommittee).ToList();
        digests.Should().HaveCount(2);
        var resolved = digests.Single(m => m.Subject!.EndsWith("0 trường hợp chưa đạt mới, 2 đã khắc phục", StringComparison.Ordinal));
        resolved.TextBody.Should().Contain("Đơn vị đã khắc phục:").And.MatchRegex(@"UBND Xã Hai\s+Chỉ tiêu 1[^\n]*\s+XA2\n");
    }

    [Fact]
    public async Task The_recurring_jobs_are_registered_with_stable_ids_and_crons_in_Asia_Ho_Chi_Minh()
    {
        await using var database = await SqliteDatabase.CreateAsync();
        await using var host = await JobHost.StartAsync(database.Storage, TestFolders.NewFolder("pickup"));

        using var connection = host.Services.GetRequiredService<JobStorage>().GetConnection();
        var recurring = connection.GetRecurringJobs().OrderBy(j => j.Id, StringComparer.Ordinal).Select(j => (j.Id, j.Cron, j.TimeZoneId)).ToList();

        recurring.Should().Equal(
            ("deliver-alerts", "* * * * *", "Asia/Ho_Chi_Minh"),
            ("escalate-open-findings", "0 7 * * 1", "Asia/Ho_Chi_Minh"),
            ("evaluate-open-periods", "0 2 * * *", "Asia/Ho_Chi_Minh"),
            ("remind-reporting", "0 8 * * *", "Asia/Ho_Chi_Minh"));
    }

    [Fact]
    public async Task The_nightly_job_evaluates_each_province_of_each_open_period_once_as_its_own_job()
    {
        // 1 August 2020: 2020S1 has ended and is open; 2019S2 closed on 20/3/2020 (deadline + 60 days), 2020S2 runs on.
        var clock = new FakeTimeProvider(new DateTimeOffset(2020, 8, 1, 2, 0, 0, TimeSpan.FromHours(7)));
        await using var database = await SqliteDatabase.CreateAsync();
        await using var host = await JobHost.StartAsync(database.Storage, TestFolders.NewFolder("pickup"), clock);
        await host.LoadProvinceAsync("Q,Tỉnh Khác,Province,,,\nQC1,Xã Khác,Commune,Q,,\n", "QX1,UBND Xã Khác,Commune,QC1,true,10,qx1@example.vn,,\n");

        host.Trigger(EvaluateOpenPeriodsJob.Id);
        var runs = await host.RunsWhereAsync(r => r.Count == 2, "one run per province");
        await Task.Delay(500);

        runs = await host.RunsAsync();
        runs.Should().HaveCount(2, "2020S1 of P and of Q, nothing else");
        runs.Should().OnlyContain(r => r.Trigger == RunTrigger.Schedule && r.Status == RunStatus.Completed);
        runs.Select(r => r.ScopeAreaId).Should().OnlyHaveUniqueItems();
        using var connection = host.Services.GetRequiredService<JobStorage>().GetConnection();
        var monitor = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        monitor.SucceededJobs(0, 10).Select(j => j.Value.Job.Type.Name).Should().Contain(nameof(EvaluateOpenPeriodsJob))
            .And.Contain(nameof(EvaluateScopeJob));
    }
}
