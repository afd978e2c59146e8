using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using QcdcCompliance.Audit;
using QcdcCompliance.Decisions;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Import;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Decisions;

/// <summary>
/// A sign-off and the writes it locks out, when they overlap: a values import of the signed period in flight, and other
/// sign-offs or reopenings of the same (area, period). Whichever commits second sees the other, on PostgreSQL (read
/// committed, several writers at once) as on SQLite (one writer). Each overlap is made certain by holding the first
/// writer inside its transaction: the import at the start of its write, the sign-off at the audit chain's head.
/// </summary>
public sealed class SignOffRaceTests
{
    private const string XA1Value = Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,false,\n";

    // A state agency of D1, active since ever: one more unit of D1 in 2020S1.
    private const string NewAgencyOfD1 = Province.UnitsHeader + "CQ9,Phòng Mới,StateAgency,D1,true,5,,,\n";

    private static Task<Engine> ProvinceAsync(string provider, string name) => ApiTestbed.ProvinceAsync(provider == "Sqlite"
        ? () => Engine.SqliteAsync(configure: s => s.AddQcdcDecisions())
        : () => Engine.PostgresAsync(name, configure: s => s.AddQcdcDecisions()));

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public Task A_sign_off_that_arrives_while_an_import_of_its_period_is_being_stored_waits_for_it_to_commit(string provider) =>
        SignOffWaitsForHeldImportAsync(provider, "qcdc.import.write", "signoff_import_held",
            ImportKind.Values, XA1Value, summary => summary.Updated,
            Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,true,\n", "2020S1 of D1 was signed off by committee@D1");

    [Fact]
    public Task An_import_that_arrives_while_a_sign_off_of_its_period_is_being_stored_waits_and_is_refused_whole() =>
        ImportWaitsForHeldSignOffAsync("signoff_held", ImportKind.Values, XA1Value,
            "2020S1 of D1 was signed off by committee@D1", "values of unit XA1 for 2020S1 are locked");

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public Task A_sign_off_that_arrives_while_a_units_import_is_being_stored_waits_for_it_to_commit(string provider) =>
        SignOffWaitsForHeldImportAsync(provider, "qcdc.import.units.write", "signoff_units_held",
            ImportKind.Units, NewAgencyOfD1, summary => summary.Inserted,
            Province.UnitsHeader + "CQ8,Phòng Mới Hai,StateAgency,D1,true,5,,,\n", "signed off by committee@D1");

    /// <summary>
    /// An import held as it starts writing (it has checked the sign-offs: none) while the committee signs the period off:
    /// the sign-off waits for it to commit, and a sign-off that then stands refuses the next import of the same kind.
    /// </summary>
    private static async Task SignOffWaitsForHeldImportAsync(string provider, string span, string database, ImportKind kind, string file,
        Func<ImportSummary, int> stored, string again, string refusal)
    {
        using var point = new SpanPoint(span);
        await using var engine = await ProvinceAsync(provider, database);
        var signOffs = engine.Services.GetRequiredService<SignOffService>();

        point.Arm();
        var import = point.Watch(() => engine.ImportAsync(kind, "import.csv", file));
        await point.Reached.WaitAsync(TimeSpan.FromMinutes(1));
        var signOff = Task.Run(() => signOffs.SignOffAsync("2020S1", "D1", "Đã rà soát", "committee@D1"));
        var finishedFirst = await Task.WhenAny(signOff, Task.Delay(TimeSpan.FromSeconds(3)));
        point.Release();

        finishedFirst.Should().NotBeSameAs(signOff, "the sign-off waits for the import in flight to commit instead of signing the period under it");
        stored(await import).Should().Be(1, "the import began before the sign-off and commits whole");
        // Whatever the sign-off then says of the period (it reads what the import stored), a sign-off that stands locks it from then on.
        if (await Record.ExceptionAsync(() => signOff) is null)
        {
            var after = () => engine.ImportAsync(kind, "again.csv", again);
            (await after.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle()
                .Which.Message.Should().Contain(refusal);
        }
    }

    [Fact]
    public Task A_units_import_that_arrives_while_a_sign_off_is_being_stored_waits_and_is_refused_whole() =>
        ImportWaitsForHeldSignOffAsync("signoff_held_units", ImportKind.Units, NewAgencyOfD1,
            "unit CQ9 would join the units of 2020S1", "signed off by committee@D1");

    /// <summary>
    /// A sign-off held inside its transaction at the chain's head (as a run being stored holds it), after its checks,
    /// while an import of its period arrives (PostgreSQL): the import waits for it and is then refused whole.
    /// </summary>
    private static async Task ImportWaitsForHeldSignOffAsync(string name, ImportKind kind, string file, params string[] refusal)
    {
        await using var engine = await ProvinceAsync("Postgres", name);
        var signOffs = engine.Services.GetRequiredService<SignOffService>();
        var (server, database) = (await PostgresServer.InstanceAsync(), PostgresFaults.DatabaseOf(engine.Storage.ConnectionString));
        var before = await engine.CountsAsync();

        Task<SignOffOutcome> signOff;
        Task<ImportSummary> import;
        Task finishedFirst;
        await using (var head = await server.HoldAsync(database, """SELECT 1 FROM "AuditChainHeads" WHERE "Id" = 1 FOR UPDATE"""))
        {
            signOff = Task.Run(() => signOffs.SignOffAsync("2020S1", "D1", "Đã rà soát", "committee@D1"));
            await server.WaitForLockWaitAsync(database, ["UPDATE \"AuditChainHeads\"%"], TimeSpan.FromMinutes(1));
            import = Task.Run(() => engine.ImportAsync(kind, "import.csv", file));
            finishedFirst = await Task.WhenAny(import, Task.Delay(TimeSpan.FromSeconds(3)));
        }

        finishedFirst.Should().NotBeSameAs(import, "the import waits for the sign-off in flight instead of writing under it");
        (await signOff).SignOff.Kind.Should().Be(SignOffKind.SignOff);
        var refused = (await FluentActions.Awaiting(() => import).Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle().Which;
        foreach (var words in refusal)
            refused.Message.Should().Contain(words);
        (await engine.CountsAsync()).Should().Be(before, "nothing of the file was stored");
    }

    [Fact]
    public async Task A_sign_off_that_waits_too_long_for_an_import_in_flight_is_answered_try_again_and_records_nothing()
    {
        using var point = new SpanPoint("qcdc.import.write");
        await using var engine = await ProvinceAsync("Postgres", "signoff_busy");
        var services = engine.Services;
        // The wait shortened for the test (60 s in the product).
        var signOffs = new SignOffService(services.GetRequiredService<IDbContextFactory<QcdcDbContext>>(), services.GetRequiredService<FactLoader>(),
            services.GetRequiredService<TimeProvider>(), NullLogger<SignOffService>.Instance) { TurnWait = TimeSpan.FromSeconds(2) };

        // A large import of the period, held as it starts writing for longer than a sign-off may wait.
        point.Arm();
        var import = point.Watch(() => engine.ImportAsync(ImportKind.Values, "values.csv", XA1Value));
        await point.Reached.WaitAsync(TimeSpan.FromMinutes(1));
        var signOff = () => signOffs.SignOffAsync("2020S1", "D1", "Đã rà soát", "committee@D1");
        var refused = await Record.ExceptionAsync(signOff);
        point.Release();

        refused.Should().BeOfType<SignOffRefusedException>("a wait that runs out is answered as a refusal (409), not as the database's timeout");
        var busy = (SignOffRefusedException)refused!;
        busy.MessageVi.Should().StartWith("đang lưu một lần nhập số liệu").And.Contain("vui lòng thử lại sau ít phút");
        busy.Message.Should().StartWith("an import of 2020S1").And.Contain("nothing was recorded: try again");
        (await import).Updated.Should().Be(1, "the import goes on and commits whole");
        await using var db = engine.Db();
        (await db.SignOffs.CountAsync()).Should().Be(0, "nothing of the sign-off was recorded");
    }

    /// <summary>
    /// SQLite: another writer holds the database (here a connection of the test, as an import or a run being stored in
    /// another process would) while <c>qcdc signoff</c> runs, with <c>SignOffs:WaitSeconds</c> set to 3. Before, the
    /// sign-off waited 30 s at each of its six tries and then failed with the raw "database is locked".
    /// </summary>
    [Fact]
    public async Task On_SQLite_a_sign_off_waiting_for_another_writer_is_answered_try_again_within_its_bound_and_records_nothing()
    {
        await using var engine = await ProvinceAsync("Sqlite", "");
        var args = new[] { "signoff", "--period", "2020S1", "--area", "D1", "--reason", "Đã rà soát" };
        var settings = new Dictionary<string, string> { ["SignOffs__WaitSeconds"] = "3" };
        CliRun refused;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await using (var writer = new Microsoft.Data.Sqlite.SqliteConnection(
                         new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(engine.Storage.ConnectionString) { Pooling = false }.ToString()))
        {
            await writer.OpenAsync();
            await using (var begin = writer.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                await begin.ExecuteNonQueryAsync();
            }

            refused = await HostProcess.RunToExitAsync(engine.Storage, settings, args).WaitAsync(TimeSpan.FromSeconds(75));
        }

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), "the wait is bounded by SignOffs:WaitSeconds, not by six tries of the connection's 30 s");
        refused.ExitCode.Should().Be(2, refused.Error);
        var lines = refused.Error.Split('\n');
        lines[0].Should().StartWith("lỗi: Cơ sở dữ liệu đang được một việc khác ghi (nhập số liệu, lưu kết quả đánh giá hoặc một lần ký duyệt khác) chưa xong sau 3 giây")
            .And.Contain("chưa có gì được ghi nhận: vui lòng thử lại sau ít phút");
        lines.Should().Contain(l => l.StartsWith("error: the database is being written by another task", StringComparison.Ordinal)
                                    && l.Contains("within 3 s; nothing was recorded: try again", StringComparison.Ordinal));
        await using (var db = engine.Db())
            (await db.SignOffs.CountAsync()).Should().Be(0, "nothing of the sign-off was recorded");

        // The writer gone, the same sign-off is recorded.
        (await HostProcess.RunToExitAsync(engine.Storage, settings, args)).ExitCode.Should().Be(0);
        await using (var db = engine.Db())
            (await db.SignOffs.CountAsync()).Should().Be(1);
    }

    [Fact]
    public async Task Six_sign_offs_of_one_area_and_period_at_once_record_one_and_refuse_five_and_so_do_six_reopenings()
    {
        await using var engine = await ProvinceAsync("Postgres", "signoff_six");
        var signOffs = engine.Services.GetRequiredService<SignOffService>();
        var (server, database) = (await PostgresServer.InstanceAsync(), PostgresFaults.DatabaseOf(engine.Storage.ConnectionString));

        var signed = await SixAtOnceAsync(server, database, i => signOffs.SignOffAsync("2020S1", "D1", $"ký {i}", "committee@D1"));
        signed.Accepted.Should().Be(1);
        signed.Refused.Should().HaveCount(5).And.OnlyContain(e => e.Message.Contains("is signed off already"));
        var reopened = await SixAtOnceAsync(server, database, i => signOffs.ReopenAsync("2020S1", "D1", $"mở lại {i}", "committee@D1"));
        reopened.Accepted.Should().Be(1);
        reopened.Refused.Should().HaveCount(5).And.OnlyContain(e => e.Message.Contains("is not signed off"));

        await using var db = engine.Db();
        (await db.SignOffs.AsNoTracking().OrderBy(s => s.Id).Select(s => s.Kind).ToListAsync()).Should().Equal(SignOffKind.SignOff, SignOffKind.Reopen);
        (await engine.Services.GetRequiredService<AuditVerifier>().VerifyAsync()).Ok.Should().BeTrue();
    }

    [Fact]
    public void On_SQL_Server_the_turns_are_application_locks_owned_by_the_transaction_that_fail_loudly()
    {
        // SQL Server cannot run here: its statement is checked as text, the one the two other providers run is run above.
        using var db = StorageRegistration.CreateContext(new StorageOptions
            { Provider = StorageProvider.SqlServer, Database = Tests.Storage.ProviderTests.OfflineConnection(StorageProvider.SqlServer) });
        var keys = new[] { new PeriodCode(PeriodType.Year, 2020, 0), new PeriodCode(PeriodType.HalfYear, 2020, 1) };

        var shared = SignOffTurns.Statement(db, keys.Select(k => SignOffTurns.Turn.Of(k, shared: true)).ToList())!;
        shared.Should().StartWith("DECLARE @taken int;")
            .And.Contain("EXEC @taken = sp_getapplock @Resource = N'qcdc:signoff:2020', @LockMode = N'Shared', @LockOwner = N'Transaction', @LockTimeout = -1;")
            .And.Contain("@Resource = N'qcdc:signoff:2020S1', @LockMode = N'Shared'")
            .And.Contain("IF @taken < 0 THROW 51000,");
        SignOffTurns.Statement(db, [SignOffTurns.Turn.Of(keys[0], shared: false)]).Should().Contain("@LockMode = N'Exclusive', @LockOwner = N'Transaction'");
        // A sign-off takes the structure shared before its period; an import of units, areas or targets takes it alone.
        SignOffTurns.Statement(db, [SignOffTurns.Structure with { Shared = true }, SignOffTurns.Turn.Of(keys[1], shared: false)]).Should()
            .Contain("@Resource = N'qcdc:signoff:structure', @LockMode = N'Shared', @LockOwner = N'Transaction', @LockTimeout = -1;\n"
                     + "IF @taken < 0 THROW 51000, N'could not lock the units, areas and targets for a sign-off or an import of them', 1;\n"
                     + "EXEC @taken = sp_getapplock @Resource = N'qcdc:signoff:2020S1', @LockMode = N'Exclusive'");
        SignOffTurns.Statement(db, [SignOffTurns.Structure]).Should().Contain("@Resource = N'qcdc:signoff:structure', @LockMode = N'Exclusive', @LockOwner = N'Transaction'");
        // A sign-off's wait is bounded, and its end is an error of its own, which the service answers "try again".
        SignOffTurns.Statement(db, [SignOffTurns.Turn.Of(keys[1], shared: false)], TimeSpan.FromSeconds(60)).Should()
            .Contain("@LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 60000;\nIF @taken = -1 THROW 51001, N'waited 60000 ms for the turn of 2020S1', 1;\n");
    }

    /// <summary>
    /// Six acts started while the chain's head is held, so that each gets as far as it can before the first is stored
    /// (without the turns, all six past their check); then the head is let go. How many were recorded, and the refusals.
    /// </summary>
    private static async Task<(int Accepted, List<SignOffRefusedException> Refused)> SixAtOnceAsync(PostgresServer server, string database, Func<int, Task<SignOffOutcome>> act)
    {
        List<Task<SignOffOutcome>> acts;
        await using (var head = await server.HoldAsync(database, """SELECT 1 FROM "AuditChainHeads" WHERE "Id" = 1 FOR UPDATE"""))
        {
            acts = Enumerable.Range(1, 6).Select(i => Task.Run(() => act(i))).ToList();
            await WaitForWaitingAsync(server, database, 6);
        }

        await Task.WhenAll(acts).ContinueWith(_ => { }, TaskScheduler.Default);
        acts.Where(t => t.IsFaulted).Should().OnlyContain(t => t.Exception!.InnerException is SignOffRefusedException);
        return (acts.Count(t => t.IsCompletedSuccessfully), acts.Where(t => t.IsFaulted).Select(t => (SignOffRefusedException)t.Exception!.InnerException!).ToList());
    }

    /// <summary>Waits until that many sessions of the database wait for a lock (the chain's head, or a turn).</summary>
    private static async Task WaitForWaitingAsync(PostgresServer server, string database, int sessions)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await Eventually.WaitAsync(async () =>
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @db AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()", connection);
            command.Parameters.AddWithValue("db", database);
            return (long)(await command.ExecuteScalarAsync())!;
        }, n => n >= sessions, $"{sessions} sessions waiting for a lock", TimeSpan.FromMinutes(1));
    }
}
