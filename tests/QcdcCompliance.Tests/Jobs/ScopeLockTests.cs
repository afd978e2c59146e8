using System.Diagnostics;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using QcdcCompliance.Domain;
using QcdcCompliance.Jobs;
using QcdcCompliance.Runs;
using QcdcCompliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Jobs;

/// <summary>
/// The lock that keeps two evaluations of one scope apart (<see cref="ScopeLocks"/>): held against every other session
/// and host, and gone with the session that held it, so that an evaluation whose database went away under it is
/// retried as soon as the database is back instead of waiting for its own first attempt's lock to age out.
/// </summary>
public sealed class ScopeLockTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_scope_lock_keeps_out_every_other_session_until_the_database_ends_the_session_that_holds_it()
    {
        var server = await PostgresServer.InstanceAsync();
        var storage = await server.CreateDatabaseAsync("scope_lock", migrate: false);
        var database = PostgresFaults.DatabaseOf(storage.ConnectionString);
        // Two instances, as two hosts have: nothing is shared but the database.
        var (first, second) = (new ScopeLocks(storage), new ScopeLocks(storage));

        await using var held = await first.TakeAsync(ScopeLocks.Resource("2020S1", "P"), CancellationToken.None);
        var other = await second.TakeAsync(ScopeLocks.Resource("2020S1", "Q"), CancellationToken.None, TimeSpan.FromSeconds(1));
        await other.DisposeAsync();
        var same = () => second.TakeAsync(ScopeLocks.Resource("2020s1", "p"), CancellationToken.None, TimeSpan.FromSeconds(2));
        (await same.Should().ThrowAsync<DistributedLockTimeoutException>("the scope is held by another session, whatever the case of its codes"))
            .Which.Should().Match<Exception>(e => RetryWhenTransientAttribute.ShouldRetry(e), "an evaluation that finds its scope held is retried later");

        // The holder's session ended by the database (a restart, an administrator): its lock goes with it at once.
        (await server.TerminateBackendAsync(await HolderAsync(server, database))).Should().BeTrue();
        var watch = Stopwatch.StartNew();
        await using var taken = await second.TakeAsync(ScopeLocks.Resource("2020S1", "P"), CancellationToken.None, TimeSpan.FromSeconds(30));
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "nothing is left behind to age out");
        await held.DisposeAsync();
    }

    [Fact]
    public async Task An_evaluation_whose_database_went_away_under_it_is_retried_without_waiting_for_its_own_lock()
    {
        var server = await PostgresServer.InstanceAsync();
        var storage = await JobHost.StorageAsync("Postgres", "scope_lock_retry");
        var database = PostgresFaults.DatabaseOf(storage.ConnectionString);
        // A lock left behind would be removed after 3 minutes: well beyond what the retry (15 s after the failure) may take.
        await using var host = await JobHost.StartAsync(storage, TestFolders.NewFolder("pickup"), workers: 1,
            settings: new Dictionary<string, string?> { ["Jobs:LockTimeout"] = "00:03:00" });
        await host.LoadProvinceAsync();

        // The run held inside its transaction at the chain's head, then every session of the database ended, as a restart does.
        var head = await server.HoldAsync(database, """SELECT 1 FROM "AuditChainHeads" WHERE "Id" = 1 FOR UPDATE""");
        var job = await host.Services.GetRequiredService<IEvaluationScheduler>().EnqueueAsync("2020S1", "P", RunTrigger.Manual);
        await server.WaitForLockWaitAsync(database, ["UPDATE \"AuditChainHeads\"%"], TimeSpan.FromMinutes(1));
        var ended = await TerminateAllAsync(server, database);
        // The test's own reads below must not take an idle pooled connection that the restart ended (a 57P01 of the test, not of the job).
        Npgsql.NpgsqlConnection.ClearAllPools();
        var watch = Stopwatch.StartNew();
        await Record.ExceptionAsync(() => head.DisposeAsync().AsTask());

        var runs = await host.RunsWhereAsync(r => r.Any(x => x.Status == RunStatus.Completed), "the retried evaluation to complete");
        var after = watch.Elapsed;
        output.WriteLine($"{ended} sessions ended; the retry completed the run {after.TotalSeconds:0.0} s later");

        runs.Where(r => r.Status == RunStatus.Completed).Should().ContainSingle("the retry stored its run once").Which.Trigger.Should().Be(RunTrigger.Manual);
        runs.Where(r => r.Status != RunStatus.Completed).Should().OnlyContain(r => r.Status == RunStatus.Failed && r.Error!.Contains("57P01"), "the first attempt is recorded as failed, with the database's reason");
        after.Should().BeLessThan(TimeSpan.FromSeconds(60), "the retry comes 15 s after the failure and finds its scope free");
        var monitor = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        // Hangfire records the job's success after the run has committed: wait for it rather than read it at once.
        var history = await Eventually.WaitAsync(() => Task.FromResult(monitor.JobDetails(job).History), h => h.FirstOrDefault()?.StateName != "Processing",
            "the job's attempt to end", TimeSpan.FromSeconds(30));
        history.Should().Contain(h => h.StateName == "Scheduled" && h.Reason.Contains("57P01"), "the first attempt failed with the database and was retried");
        history.First().StateName.Should().Be("Succeeded");

        // The scope is free once the run is done: the next trigger runs at once, not behind a lock.
        await host.Services.GetRequiredService<IEvaluationScheduler>().EnqueueAsync("2020S1", "P", RunTrigger.Manual);
        await Eventually.WaitAsync(host.RunsAsync, r => r.Count(x => x.Status == RunStatus.Completed) == 2, "a second run", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void On_SQL_Server_the_scope_lock_is_an_application_lock_owned_by_the_session()
    {
        // SQL Server cannot run here: its statement is checked as text; PostgreSQL's is run above.
        ScopeLocks.SqlServerStatement.Should()
            .Contain("EXEC @taken = sp_getapplock @Resource = @resource, @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = @wait;")
            .And.Contain("IF @taken < -1 THROW 51000,")
            .And.EndWith("SELECT @taken;");
        ScopeLocks.PostgresStatement(TimeSpan.FromMinutes(30)).Should().Contain("SET lock_timeout = 1800000;").And.EndWith("SELECT pg_advisory_lock(hashtextextended(@resource, 0))");
    }

    /// <summary>
    /// SQLite: the scope held by this process (as a job of <c>qcdc serve</c> or another <c>qcdc evaluate</c> holds it)
    /// while <c>qcdc evaluate</c> of the same scope runs as a process of its own on the same file. Before, the lock was
    /// a semaphore of each process: the other one did not see it, evaluated at once beside the holder, and said nothing.
    /// </summary>
    [Fact]
    public async Task On_SQLite_qcdc_evaluate_in_another_process_waits_for_the_scope_held_here_and_runs_once_it_is_let_go()
    {
        await using var engine = await Api.ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());
        async Task<int> RunsAsync()
        {
            await using var db = engine.Db();
            return await db.EvaluationRuns.CountAsync();
        }

        var before = await RunsAsync();
        var held = await new ScopeLocks(engine.Storage).TakeAsync(ScopeLocks.Resource("2020S1", "P"), CancellationToken.None);
        var evaluate = HostProcess.RunToExitAsync(engine.Storage, "evaluate", "--period", "2020S1", "--area", "P");
        var first = await Task.WhenAny(evaluate, Task.Delay(TimeSpan.FromSeconds(20)));
        var storedMeanwhile = await RunsAsync();
        await held.DisposeAsync();
        var run = await evaluate.WaitAsync(TimeSpan.FromMinutes(2));
        output.WriteLine(run.Error);

        first.Should().NotBeSameAs(evaluate, "the other process waits for the scope held here");
        storedMeanwhile.Should().Be(before, "nothing is evaluated beside the holder");
        run.ExitCode.Should().Be(0, run.Error);
        run.Error.Should().Contain("chờ: 2020S1 P đang được đánh giá ở nơi khác").And.Contain("waiting: 2020S1 P is being evaluated elsewhere");
        (await RunsAsync()).Should().Be(before + 1, "it evaluates once the scope is let go");
        File.Exists(engine.Storage.SqliteFile + ".evaluate-2020S1-P.lock").Should().BeTrue("the lock is a file beside the database");
    }

    /// <summary>The backend that holds an advisory lock in the database.</summary>
    private static async Task<int> HolderAsync(PostgresServer server, string database)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND l.granted AND d.datname = @db", connection);
        command.Parameters.AddWithValue("db", database);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Ends every session of the database, as a restart of the server does; how many.</summary>
    private static async Task<int> TerminateAllAsync(PostgresServer server, string database)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @db AND pid <> pg_backend_pid()", connection);
        command.Parameters.AddWithValue("db", database);
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }
}
