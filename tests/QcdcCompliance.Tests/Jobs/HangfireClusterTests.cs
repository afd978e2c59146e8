using System.Globalization;
using System.Text;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QcdcCompliance.Domain;
using QcdcCompliance.Jobs;
using QcdcCompliance.Runs;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Jobs;

/// <summary>Two hosts, each with its Hangfire server, on one PostgreSQL database: the distributed engine of DESIGN.md.</summary>
public sealed class HangfireClusterTests
{
    // 1 August 2020: 2020S1 is the one open period (see OpenPeriodsTests).
    private static FakeTimeProvider Clock() => new(new DateTimeOffset(2020, 8, 1, 2, 0, 0, TimeSpan.FromHours(7)));

    private static (string Areas, string Units) MoreProvinces(int count)
    {
        var (areas, units) = (new StringBuilder(), new StringBuilder());
        for (var i = 1; i <= count; i++)
        {
            areas.Append(CultureInfo.InvariantCulture, $"Q{i},Tỉnh {i},Province,,,\nQ{i}C,Xã {i},Commune,Q{i},,\n");
            units.Append(CultureInfo.InvariantCulture, $"Q{i}X,UBND Xã {i},Commune,Q{i}C,true,10,q{i}@example.vn,,\n");
        }

        return (areas.ToString(), units.ToString());
    }

    [Fact]
    public async Task Two_servers_share_the_nightly_jobs_and_each_scope_is_evaluated_once_per_trigger()
    {
        var clock = Clock();
        var storage = await JobHost.StorageAsync("Postgres", "cluster");
        var pickup = TestFolders.NewFolder("pickup");
        await using var first = await JobHost.StartAsync(storage, pickup, clock, workers: 1);
        await using var second = await JobHost.StartAsync(storage, pickup, clock, workers: 1);
        var (areas, units) = MoreProvinces(7);
        await first.LoadProvinceAsync(areas, units);

        first.Trigger(EvaluateOpenPeriodsJob.Id);
        await first.RunsWhereAsync(r => r.Count == 8, "a run of 2020S1 for each of the 8 provinces");
        await Task.Delay(TimeSpan.FromSeconds(1));

        var runs = await first.RunsAsync();
        runs.Should().HaveCount(8);
        runs.GroupBy(r => (r.PeriodId, r.ScopeAreaId)).Should().HaveCount(8).And.OnlyContain(g => g.Count() == 1, "each scope is evaluated once per trigger");
        var monitor = first.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var servers = monitor.SucceededJobs(0, 100)
            .Where(j => j.Value.Job.Type == typeof(EvaluateScopeJob))
            .Select(j => monitor.JobDetails(j.Key).History.First(h => h.StateName == "Processing").Data["ServerId"])
            .ToList();
        servers.Should().HaveCount(8);
        servers.Distinct().Should().HaveCount(2, "both hosts took scope jobs");
    }

    [Fact]
    public async Task Evaluations_of_one_scope_queued_on_both_hosts_at_once_never_overlap()
    {
        var storage = await JobHost.StorageAsync("Postgres", "cluster_lock");
        var pickup = TestFolders.NewFolder("pickup");
        await using var first = await JobHost.StartAsync(storage, pickup, workers: 2);
        await using var second = await JobHost.StartAsync(storage, pickup, workers: 2);
        await first.LoadProvinceAsync();
        var schedulers = new[] { first, second }.Select(h => h.Services.GetRequiredService<IEvaluationScheduler>()).ToList();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => schedulers[i % 2].EnqueueAsync("2020S1", "p", RunTrigger.Manual)));
        var runs = await first.RunsWhereAsync(r => r.Count(x => x.Status == RunStatus.Completed) == 4, "four runs of P");

        var ordered = runs.OrderBy(r => r.StartedAt).ToList();
        for (var i = 1; i < ordered.Count; i++)
            ordered[i].StartedAt.Should().BeOnOrAfter(ordered[i - 1].FinishedAt!.Value, "one evaluation of a scope at a time, across hosts");
        ordered.Skip(1).Should().OnlyContain(r => r.NewCount == 0 && r.ResolvedCount == 0, "each later run finds the same, so it would queue no alert");
    }
}
