using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Reliability;

/// <summary>
/// The same scope's evaluation asked for on two <c>qcdc serve</c> processes at once (real child processes, each with
/// its Hangfire server, on one PostgreSQL database, SMTP to one loopback server), through the API.
/// </summary>
public sealed class ConcurrentScopeTests(ITestOutputHelper output)
{
    /// <summary>
    /// The design (README, Jobs): every trigger is a run, and a run of a scope never overlaps another; run twice, the
    /// second records a run that finds nothing New, writes no finding, and so queues no alert.
    /// </summary>
    [Fact]
    public async Task The_same_scope_triggered_on_two_hosts_at_once_stores_its_findings_once_and_its_alerts_arrive_once()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (control, shared) = await ServedJobs.LoadedAsync("twice");
        await using var disposeControl = control;
        await using var disposeShared = shared;
        using var smtp = new LoopbackSmtp();
        var environment = ServedJobs.Environment(smtp);
        var key = await ServedJobs.CommitteeKeyAsync(shared);

        // The control: the same two triggers, one after the other, in one process.
        await control.Evaluations.EvaluateScopeAsync(RunFaults.Period, RunFaults.Scope, RunTrigger.Manual);
        await control.Evaluations.EvaluateScopeAsync(RunFaults.Period, RunFaults.Scope, RunTrigger.Manual);
        var expected = await RunFaults.StoredAsync(control);
        var expectedLetters = ServedJobs.Letters(await ServedJobs.OutboxAsync(control));

        var setUp = clock.Elapsed;
        var hosts = await Task.WhenAll(HostProcess.ServeAsync(shared.Storage, environment), HostProcess.ServeAsync(shared.Storage, environment));
        await using var first = hosts[0];
        await using var second = hosts[1];
        await Task.WhenAll(ServedJobs.EnqueueAsync(first, key), ServedJobs.EnqueueAsync(second, key));
        var runs = await Eventually.WaitAsync(() => ServedJobs.RunsAsync(shared), r => r.Count(x => x.Status == RunStatus.Completed) == 2,
            "two completed runs of P", TimeSpan.FromMinutes(2));
        var outbox = await ServedJobs.AllDeliveredAsync(shared, smtp, TimeSpan.FromMinutes(1));
        // Three more delivery rounds on each host: nothing more may arrive.
        await Task.Delay(TimeSpan.FromSeconds(6));
        runs = await ServedJobs.RunsAsync(shared);
        var received = smtp.Received();
        await using var db = shared.Db();
        var rowsPerRun = await db.Findings.GroupBy(f => f.RunId).Select(g => new { Run = g.Key, Rows = g.Count() }).ToDictionaryAsync(g => g.Run, g => g.Rows);
        var areaRowsPerRun = await db.AreaResults.GroupBy(a => a.RunId).Select(g => new { Run = g.Key, Rows = g.Count() }).ToDictionaryAsync(g => g.Run, g => g.Rows);
        var (one, other) = (runs[0], runs[^1]);
        output.WriteLine($"run #{one.Id} {one.StartedAt:HH:mm:ss.fff}-{one.FinishedAt:HH:mm:ss.fff}: {one.NewCount} new, {rowsPerRun.GetValueOrDefault(one.Id)} finding rows; "
                         + $"run #{other.Id} {other.StartedAt:HH:mm:ss.fff}-{other.FinishedAt:HH:mm:ss.fff}: {other.NewCount} new, {rowsPerRun.GetValueOrDefault(other.Id)} finding rows; "
                         + $"{outbox.Count} messages; set up in {setUp.TotalSeconds:0.0} s, hosts started, triggered and delivered in {(clock.Elapsed - setUp).TotalSeconds:0.0} s");

        runs.Should().HaveCount(2).And.OnlyContain(r => r.Status == RunStatus.Completed && r.Trigger == RunTrigger.Manual, "one run per trigger, none failed");
        other.StartedAt.Should().BeOnOrAfter(one.FinishedAt!.Value, "two evaluations of one scope never overlap, across hosts");
        other.PreviousRunId.Should().Be(one.Id);
        one.NewCount.Should().BeGreaterThan(0);
        rowsPerRun.Keys.Should().Equal([one.Id], "only the first run stores findings");
        areaRowsPerRun.Keys.Should().Equal([one.Id], "and area results");
        (other.NewCount, other.ResolvedCount, other.PersistingCount).Should().Be((0, 0, one.NewCount), "the second run finds everything unchanged");
        outbox.Should().OnlyContain(m => m.RunId == one.Id, "only the first run queues alerts");
        (await RunFaults.StoredAsync(shared)).Should().Be(expected, "two triggers at once end where the same two one after the other end");
        ServedJobs.Letters(outbox).Should().Equal(expectedLetters);
        received.Should().HaveCount(outbox.Count, "each alert arrives once, though both hosts deliver");
        ServedJobs.MessageIds(received).Should().Equal(ServedJobs.MessageIds(outbox));
    }
}
