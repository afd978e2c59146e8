using System.Diagnostics;
using QcdcCompliance.Domain;
using QcdcCompliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Reliability;

/// <summary>
/// A <c>qcdc serve</c> process (a real child process, Hangfire on PostgreSQL, SMTP to a loopback server) killed with
/// SIGKILL while the evaluation that its API queued is being stored (its rows written, waiting for the audit chain's
/// head inside its transaction), then started again: the job it had taken must be taken again and run to the end
/// once, and its alerts must arrive once.
/// </summary>
public sealed class RunKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_host_killed_while_it_stores_a_run_leaves_nothing_and_the_restarted_host_completes_it_once_with_its_alerts_sent_once()
    {
        var clock = Stopwatch.StartNew();
        var server = await PostgresServer.InstanceAsync();
        var (control, faulty) = await ServedJobs.LoadedAsync("kill_run");
        await using var disposeControl = control;
        await using var disposeFaulty = faulty;
        var database = PostgresFaults.DatabaseOf(faulty.Storage.Database!);
        using var smtp = new LoopbackSmtp();
        // A dead host's job is taken again 5 s after its last heartbeat, its scope lock removed 10 s after it was taken.
        var environment = ServedJobs.Environment(smtp, invisibility: TimeSpan.FromSeconds(5), lockTimeout: TimeSpan.FromSeconds(10));
        var key = await ServedJobs.CommitteeKeyAsync(faulty);

        var undisturbed = await control.Evaluations.EvaluateScopeAsync(RunFaults.Period, RunFaults.Scope, RunTrigger.Manual);
        var expected = await RunFaults.StoredAsync(control);
        var expectedLetters = ServedJobs.Letters(await ServedJobs.OutboxAsync(control));
        var before = await RunFaults.StoredAsync(faulty);

        var setUp = clock.Elapsed;
        int storing;
        (string State, string Query)? frozen;
        await using (var first = await HostProcess.ServeAsync(faulty.Storage, environment))
        {
            // The chain's head held by the test, as a committee's act being signed holds it: the run writes its run row, its
            // findings and its area results, then waits for the head inside its transaction, where it is struck.
            await using var head = await server.HoldAsync(database, """SELECT 1 FROM "AuditChainHeads" WHERE "Id" = 1 FOR UPDATE""");
            await ServedJobs.EnqueueAsync(first, key);
            storing = await server.WaitForLockWaitAsync(database, ["UPDATE \"AuditChainHeads\"%"], TimeSpan.FromMinutes(2));
            // Stopped at once, so that nothing more leaves the host (no COMMIT), then checked: its transaction is still open.
            first.Freeze();
            frozen = await server.BackendStateAsync(storing);
            await first.KillAsync();
            // The head released: the dead host's backend takes it, finds its client gone and rolls back.
            await head.DisposeAsync();
            await server.WaitForBackendGoneAsync(storing, TimeSpan.FromSeconds(30));
        }

        var killedAt = clock.Elapsed;
        var afterKill = await RunFaults.StoredAsync(faulty);
        var runsAfterKill = await ServedJobs.RunsAsync(faulty);
        var outboxAfterKill = await ServedJobs.OutboxAsync(faulty);

        await using var second = await HostProcess.ServeAsync(faulty.Storage, environment);
        var runs = await Eventually.WaitAsync(() => ServedJobs.RunsAsync(faulty), r => r.Any(x => x.Status == RunStatus.Completed),
            "the restarted host to complete the run", TimeSpan.FromMinutes(2));
        var completedAt = clock.Elapsed;
        var outbox = await ServedJobs.AllDeliveredAsync(faulty, smtp, TimeSpan.FromMinutes(1));
        // Three more delivery rounds of the restarted host: nothing more may arrive.
        await Task.Delay(TimeSpan.FromSeconds(6));
        runs = await ServedJobs.RunsAsync(faulty);
        var received = smtp.Received();
        output.WriteLine($"set up in {setUp.TotalSeconds:0.0} s; killed {(killedAt - setUp).TotalSeconds:0.0} s after the first host started while backend {storing} stored the run ({frozen?.State}: {frozen?.Query}); completed by the restarted host "
                         + $"{(completedAt - killedAt).TotalSeconds:0.0} s after the kill; {outbox.Count} messages; {undisturbed.Findings.Count} open findings");

        // Waiting for the frozen host inside the transaction, or running a statement of it that is not its COMMIT: it can only roll back.
        frozen.Should().Match<(string State, string Query)?>(f => f != null && (f.Value.State == "idle in transaction" || (f.Value.State == "active" && !f.Value.Query.StartsWith("COMMIT"))),
            "the host was stopped inside the run's transaction, before its COMMIT");
        afterKill.Should().Be(before, "nothing of a run whose host died before it committed is stored");
        runsAfterKill.Should().BeEmpty("a SIGKILL leaves no run row, not even a failed one");
        outboxAfterKill.Should().BeEmpty("alerts exist only with their run");
        runs.Should().ContainSingle("the job taken by the dead host is run again once, by the restarted host: {0}", second.Output)
            .Which.Should().Match<EvaluationRun>(r => r.Status == RunStatus.Completed && r.Trigger == RunTrigger.Manual);
        (await RunFaults.StoredAsync(faulty)).Should().Be(expected, "the run ends exactly where an undisturbed run does");
        ServedJobs.Letters(outbox).Should().Equal(expectedLetters, "the alerts are those of an undisturbed run");
        received.Should().HaveCount(outbox.Count, "each alert arrives once");
        ServedJobs.MessageIds(received).Should().Equal(ServedJobs.MessageIds(outbox));
        ServedJobs.Letters(received).Should().Equal(expectedLetters);
        outbox.Should().OnlyContain(m => m.Attempts == 1, "each message was sent at its first attempt");
    }
}
