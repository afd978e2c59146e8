using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using QcdcCompliance.Alerts;
using QcdcCompliance.Audit;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Alerts;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Reliability;

/// <summary>
/// The components that retry, each made to lose a real race (or, for the one write that rides out an outage, to meet
/// one): what they store afterwards is what one undisturbed writer would have stored.
/// </summary>
public sealed class WriteRetryTests
{
    /// <param name="evaluatedBefore">
    /// The scope has a latest run already, which the second run read and finds changed at commit; or none, and both runs
    /// store the scope's first row.
    /// </param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_runs_of_one_scope_stored_at_once_are_chained_the_second_rebuilt_on_the_first(bool evaluatedBefore)
    {
        var point = new RunTransactionPoint();
        // With the committees' digests, which read the run's roll-ups as the scope's current ones (and once read both runs').
        await using var engine = await Engine.PostgresAsync(evaluatedBefore ? "run_race_again" : "run_race", configure: services =>
            {
                RunTransactionPoint.Register(point)(services);
                services.AddQcdcAlerts(AlertScenario.Options());
            })
            .WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", AlertScenario.Values);
        EvaluationRun? before = null;
        if (evaluatedBefore)
        {
            before = (await engine.Evaluations.EvaluateScopeAsync("2020S1", "P", RunTrigger.Manual)).Run;
            await engine.ImportAsync(ImportKind.Values, "correction.csv", AlertScenario.Correction);
        }

        // The first run is held inside its transaction; the second reads the scope as it was and loses at commit.
        point.Arm();
        var first = engine.Evaluations.EvaluateScopeAsync("2020S1", "P", RunTrigger.Manual);
        await point.Reached.WaitAsync(TimeSpan.FromMinutes(1));
        var second = engine.Evaluations.EvaluateScopeAsync("2020S1", "P", RunTrigger.Manual);
        await Task.Delay(TimeSpan.FromSeconds(1));
        point.Release();
        var (one, other) = ((await first).Run, (await second).Run);

        one.PreviousRunId.Should().Be(before?.Id);
        other.PreviousRunId.Should().Be(one.Id, "the second run was done again on top of the first, not beside it on what both had read");
        (other.NewCount, other.PersistingCount).Should().Be((0, one.FindingsOpen), "it found what the first had stored");
        await using var db = engine.Db();
        (await db.ScopeStates.SingleAsync()).LatestRunId.Should().Be(other.Id);
        (await db.EvaluationRuns.CountAsync(r => r.Status == RunStatus.Completed)).Should().Be(evaluatedBefore ? 3 : 2);
        (await db.EvaluationRuns.CountAsync(r => r.Status == RunStatus.Failed)).Should().Be(0);
        (await engine.Services.GetRequiredService<AuditVerifier>().VerifyAsync()).Ok.Should().BeTrue();
    }

    [Fact]
    public async Task A_message_key_taken_by_another_process_between_the_read_and_the_write_is_skipped_and_the_others_are_queued()
    {
        var messages = new[] { "remind:a", "remind:b", "remind:c" }
            .Select(key => new ComposedMessage(key, MessageKind.ReportingReminder, "unit@example.vn", key, new MailBody().Paragraph(key))).ToList();
        StorageOptions? storage = null;
        var rival = new CommandHook(sql => sql.Contains("INSERT INTO \"OutboxMessages\"", StringComparison.Ordinal), async _ =>
        {
            // Another host queues the same reminder first, and commits, while this writer is about to insert.
            await using var db = StorageRegistration.CreateContext(storage!);
            db.OutboxMessages.Add(messages[1].ToOutbox(DateTime.UtcNow));
            await db.SaveChangesAsync();
        });
        await using var engine = await Engine.PostgresAsync("outbox_key_race", configure: services =>
            services.AddQcdcAlerts(AlertScenario.Options()).ConfigureDbContext<QcdcDbContext>(o => o.AddInterceptors(rival)));
        storage = engine.Storage;

        var added = await engine.Services.GetRequiredService<OutboxWriter>().AddNewAsync(messages);

        rival.Struck.Should().Be(1);
        added.Should().Be(2, "the rival's key was read again and skipped");
        (await engine.OutboxAsync()).Select(m => m.Key).Should().BeEquivalentTo(["remind:a", "remind:b", "remind:c"], "each key once");
    }

    [Fact]
    public async Task A_message_the_relay_accepted_is_marked_sent_though_the_database_timed_out_once_and_goes_out_once()
    {
        var options = AlertScenario.Options();
        var outage = new CommandHook(sql => sql.StartsWith("UPDATE", StringComparison.Ordinal) && sql.Contains("\"SentAt\"", StringComparison.Ordinal),
            _ => throw new TimeoutException("the database did not answer in time"));
        await using var engine = await Engine.SqliteAsync(configure: services =>
            services.AddQcdcAlerts(options).ConfigureDbContext<QcdcDbContext>(o => o.AddInterceptors(outage)));
        await engine.Services.GetRequiredService<OutboxWriter>().AddNewAsync(
            [new ComposedMessage("test:sent", MessageKind.UnitAlert, "xa1@example.vn", "Thử", new MailBody().Paragraph("Xin chào"))]);

        var report = await engine.Delivery().DeliverDueAsync();

        outage.Struck.Should().Be(1);
        report.Sent.Should().Be(1);
        var row = (await engine.OutboxAsync()).Single();
        (row.Status, row.Attempts).Should().Be((MessageStatus.Sent, 1));
        (await engine.Delivery().DeliverDueAsync()).Sent.Should().Be(0, "marked Sent, it is never sent again");
        Directory.GetFiles(options.PickupFolder, "*.eml").Should().ContainSingle();
    }

    /// <summary>
    /// The relay (a real SMTP server) has accepted the message when the delivering process's connection is ended under
    /// it (<c>pg_terminate_backend</c>, as a restart of the server, a failover or an idle-session killer does), just as
    /// it marks the message Sent; with <paramref name="restartFor"/>, the database then refuses every new connection for
    /// that long, as a server restarting does. The mark is done again on a new connection: the message is Sent, and
    /// once its claim would have run out, no round sends it again.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task A_message_the_relay_accepted_is_marked_sent_on_a_new_connection_when_the_database_drops_the_one_marking_it(int restartFor)
    {
        using var smtp = new LoopbackSmtp();
        var options = AlertScenario.Options(smtp.Options);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(7)));
        var server = await PostgresServer.InstanceAsync();
        string? database = null;
        int? ended = null;
        Task reopened = Task.CompletedTask;
        var cut = new CommandHook(sql => sql.StartsWith("UPDATE", StringComparison.Ordinal) && sql.Contains("\"SentAt\"", StringComparison.Ordinal), async command =>
        {
            smtp.Received().Should().ContainSingle("the relay has the message before it is marked");
            ended = ((NpgsqlConnection)command.Connection!).ProcessID;
            await using var admin = new NpgsqlConnection(server.AdminConnectionString);
            await admin.OpenAsync();
            if (restartFor > 0)
                await Admin(admin, $"ALTER DATABASE \"{database}\" WITH ALLOW_CONNECTIONS false");
            await Admin(admin, $"SELECT pg_terminate_backend({ended})");
            // The backend is gone before the command is sent on its connection.
            while (await Admin(admin, $"SELECT count(*) FROM pg_stat_activity WHERE pid = {ended}") is not 0L)
                await Task.Delay(20);
            if (restartFor > 0)
                reopened = Task.Run(async () =>
                {
                    await Task.Delay(TimeSpan.FromSeconds(restartFor));
                    await using var again = new NpgsqlConnection(server.AdminConnectionString);
                    await again.OpenAsync();
                    await Admin(again, $"ALTER DATABASE \"{database}\" WITH ALLOW_CONNECTIONS true");
                });
        });
        await using var engine = await Engine.PostgresAsync(restartFor > 0 ? "mark_sent_restart" : "mark_sent_cut", clock, configure: services =>
            services.AddQcdcAlerts(options).ConfigureDbContext<QcdcDbContext>(o => o.AddInterceptors(cut)));
        database = new NpgsqlConnectionStringBuilder(engine.Storage.Database).Database;
        await engine.Services.GetRequiredService<OutboxWriter>().AddNewAsync(
            [new ComposedMessage("test:cut", MessageKind.UnitAlert, "xa1@example.vn", "Thử", new MailBody().Paragraph("Xin chào"))]);

        var report = await engine.Delivery().DeliverDueAsync();
        await reopened;

        (cut.Struck, ended).Should().NotBe((0, null), "the connection marking the message was ended");
        report.Sent.Should().Be(1);
        var row = (await engine.OutboxAsync()).Single();
        (row.Status, row.Attempts, row.LastError).Should().Be((MessageStatus.Sent, 1, (string?)null));
        clock.Advance(options.ClaimTimeout + TimeSpan.FromMinutes(1));
        (await engine.Delivery().DeliverDueAsync()).Sent.Should().Be(0, "marked Sent, it is never sent again");
        smtp.Received().Should().ContainSingle("the relay received it once").Which.Headers["X-Qcdc-Outbox-Key"].Should().Be("test:cut");
    }

    /// <summary>
    /// The relay (a real SMTP server) has accepted the message when the database goes out, every session of it ended and
    /// no new one allowed, for longer than the mark's patience (half the claim, 3 s here): the round ends with the
    /// database's error and the row stays claimed, the operator told that the relay has it. The database comes back, the
    /// claim runs out and delivery runs again, in the same process or, with <paramref name="restarted"/>, in a new one
    /// over the same journal: the row is marked Sent at the time the relay accepted it, and the relay has it once.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_message_the_relay_accepted_is_never_sent_again_after_a_database_outage_longer_than_the_marks_patience(bool restarted)
    {
        using var smtp = new LoopbackSmtp();
        var options = AlertScenario.Options(smtp.Options);
        options.ClaimTimeout = TimeSpan.FromSeconds(6);
        options.JournalFolder = TestFolders.NewFolder("journal");
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(7)));
        var server = await PostgresServer.InstanceAsync();
        string? database = null;
        DateTime? accepted = null;
        var outage = Stopwatch.StartNew();
        var cut = new CommandHook(sql => sql.StartsWith("UPDATE", StringComparison.Ordinal) && sql.Contains("\"SentAt\"", StringComparison.Ordinal), async _ =>
        {
            smtp.Received().Should().ContainSingle("the relay has the message before it is marked");
            accepted = clock.GetUtcNow().UtcDateTime;
            outage.Restart();
            await using var admin = new NpgsqlConnection(server.AdminConnectionString);
            await admin.OpenAsync();
            await Admin(admin, $"ALTER DATABASE \"{database}\" WITH ALLOW_CONNECTIONS false");
            await Admin(admin, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid()");
            while (await Admin(admin, $"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid()") is not 0L)
                await Task.Delay(20);
        });
        await using var engine = await Engine.PostgresAsync("mark_sent_outage", clock, configure: services =>
            services.AddQcdcAlerts(options).ConfigureDbContext<QcdcDbContext>(o => o.AddInterceptors(cut)));
        database = new NpgsqlConnectionStringBuilder(engine.Storage.Database).Database;
        await engine.Services.GetRequiredService<OutboxWriter>().AddNewAsync(
            [new ComposedMessage("test:outage", MessageKind.UnitAlert, "xa1@example.vn", "Thử", new MailBody().Paragraph("Xin chào"))]);

        var during = () => engine.Delivery().DeliverDueAsync();

        await during.Should().ThrowAsync<Exception>("the database stayed out for longer than the mark's patience");
        outage.Elapsed.Should().BeGreaterThan(options.ClaimTimeout / 2);
        await using (var admin = new NpgsqlConnection(server.AdminConnectionString))
        {
            await admin.OpenAsync();
            await Admin(admin, $"ALTER DATABASE \"{database}\" WITH ALLOW_CONNECTIONS true");
        }

        // The sessions the outage ended are dropped from the pool, as the next use would find them broken.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(engine.Storage.ConnectionString));
        var queries = engine.Services.GetRequiredService<OutboxQueries>();
        var claimed = (await engine.OutboxAsync()).Single();
        (claimed.Status, claimed.Attempts, claimed.SentAt).Should().Be((MessageStatus.Pending, 1, (DateTime?)null), "the mark could not be stored");
        queries.ClaimNote((await queries.EntryAsync(claimed.Id))!).Should().Contain("accepted by the relay", "the operator is told the truth: it is at the relay");

        clock.Advance(options.ClaimTimeout + TimeSpan.FromSeconds(1));
        var delivery = restarted
            ? new OutboxDelivery(engine.Services.GetRequiredService<IDbContextFactory<QcdcDbContext>>(), new SmtpTransport(options.Smtp), options, clock,
                Microsoft.Extensions.Logging.Abstractions.NullLogger<OutboxDelivery>.Instance)
            : engine.Delivery();
        var report = await delivery.DeliverDueAsync();

        (report.Sent, report.Marked).Should().Be((0, 1), "it was not sent again: the mark the outage held back was stored");
        var row = (await engine.OutboxAsync()).Single();
        (row.Status, row.Attempts, row.SentAt, row.LastError).Should().Be((MessageStatus.Sent, 1, accepted, (string?)null), "Sent when the relay accepted it");
        clock.Advance(options.ClaimTimeout + TimeSpan.FromMinutes(1));
        (await delivery.DeliverDueAsync()).Sent.Should().Be(0);
        smtp.Received().Should().ContainSingle("the relay received it once").Which.Headers["X-Qcdc-Outbox-Key"].Should().Be("test:outage");
        Directory.EnumerateFiles(options.JournalFolder!, "*", SearchOption.AllDirectories).Should().BeEmpty("the journal keeps a record only until its mark is stored");
    }

    private static async Task<object?> Admin(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Runs <paramref name="strike"/> once, just before the first command that matches is sent to the database.</summary>
    private sealed class CommandHook(Func<string, bool> matches, Func<DbCommand, Task> strike) : DbCommandInterceptor
    {
        private int _struck;

        public int Struck => _struck;

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            await StrikeAsync(command);
            return result;
        }

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            await StrikeAsync(command);
            return result;
        }

        private async Task StrikeAsync(DbCommand command)
        {
            if (matches(command.CommandText) && Interlocked.CompareExchange(ref _struck, 1, 0) == 0)
                await strike(command);
        }
    }
}
