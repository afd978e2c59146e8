using System.Data.Common;
using System.Reflection;
using Hangfire.Storage;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using QcdcCompliance.Domain;
using QcdcCompliance.Jobs;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Storage;

/// <summary>
/// The one predicate behind every retry, against errors the real databases raise (SQLite files, the PostgreSQL server)
/// and, for SQL Server, which cannot run here, against <see cref="SqlException"/>s built with the error numbers it sends.
/// </summary>
public sealed class DatabaseErrorsTests
{
    [Fact]
    public async Task On_SQLite_a_taken_key_and_a_busy_file_are_conflicts_and_a_missing_value_is_not()
    {
        await using var database = await SqliteDatabase.CreateAsync();
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database.Path, DefaultTimeout = 1 }.ToString());
        await connection.OpenAsync();
        await ExecuteAsync(connection, """INSERT INTO "Areas" ("Code", "Name", "Level") VALUES ('P', 'Tỉnh', 'Province')""");

        var taken = await ErrorAsync(connection, """INSERT INTO "Areas" ("Code", "Name", "Level") VALUES ('P', 'Tỉnh khác', 'Province')""");
        var missing = await ErrorAsync(connection, """INSERT INTO "Areas" ("Code", "Name", "Level") VALUES (NULL, 'Tỉnh', 'Province')""");
        var unknown = await ErrorAsync(connection, """INSERT INTO "NoSuchTable" VALUES (1)""");

        // Another connection holds the write lock past the busy timeout (1 s).
        await using var other = new SqliteConnection(connection.ConnectionString);
        await other.OpenAsync();
        await ExecuteAsync(other, "BEGIN IMMEDIATE");
        var busy = await ErrorAsync(connection, """INSERT INTO "Areas" ("Code", "Name", "Level") VALUES ('Q', 'Tỉnh', 'Province')""");
        await ExecuteAsync(other, "ROLLBACK");

        ((SqliteException)busy).SqliteErrorCode.Should().Be(5, "SQLITE_BUSY");
        Classify(taken).Should().Be((true, true));
        Classify(new DbUpdateException("saving", taken)).Should().Be((true, true), "EF wraps what SaveChanges meets");
        Classify(busy).Should().Be((true, true));
        Classify(new SqliteException("database table is locked", 6)).Should().Be((true, true), "SQLITE_LOCKED");
        Classify(missing).Should().Be((false, false), "a NOT NULL violation is a bug, never a race");
        Classify(unknown).Should().Be((false, false));
    }

    [Fact]
    public async Task On_PostgreSQL_a_taken_key_is_a_conflict_a_dropped_server_is_transient_and_a_missing_value_is_neither()
    {
        var storage = await (await PostgresServer.InstanceAsync()).CreateDatabaseAsync("db_errors");
        await using var connection = new NpgsqlConnection(storage.ConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, """INSERT INTO "Areas" ("Code", "Name", "Level") VALUES ('P', 'Tỉnh', 'Province')""");

        var taken = await ErrorAsync(connection, """INSERT INTO "Areas" ("Code", "Name", "Level") VALUES ('P', 'Tỉnh khác', 'Province')""");
        var missing = await ErrorAsync(connection, """INSERT INTO "Areas" ("Code", "Name", "Level") VALUES (NULL, 'Tỉnh', 'Province')""");
        await using var nowhere = new NpgsqlConnection($"Host=127.0.0.1;Port={ClosedPort()};Username=postgres;Timeout=5");
        var unreachable = await Assert.ThrowsAnyAsync<NpgsqlException>(() => nowhere.OpenAsync());

        ((PostgresException)taken).SqlState.Should().Be(PostgresErrorCodes.UniqueViolation);
        Classify(taken).Should().Be((true, true));
        Classify(new DbUpdateException("saving", taken)).Should().Be((true, true));
        Classify(Postgres(PostgresErrorCodes.SerializationFailure)).Should().Be((true, true));
        Classify(Postgres(PostgresErrorCodes.DeadlockDetected)).Should().Be((true, true));
        Classify(unreachable).Should().Be((false, true), "a server that does not answer is an outage, not a race");
        Classify(Postgres(PostgresErrorCodes.AdminShutdown)).Should().Be((false, true), "a backend terminated by the administrator");
        Classify(missing).Should().Be((false, false));
        Classify(Postgres(PostgresErrorCodes.UndefinedTable)).Should().Be((false, false));
    }

    [Theory]
    [InlineData(2601, true, true)] // a duplicate key in a unique index
    [InlineData(2627, true, true)] // a duplicate key of a unique constraint
    [InlineData(1205, true, true)] // chosen as a deadlock victim
    [InlineData(-2, false, true)] // a timeout
    [InlineData(40613, false, true)] // database not available right now
    [InlineData(547, false, false)] // a foreign key violated: a bug
    [InlineData(208, false, false)] // an invalid object name
    public void On_SQL_Server_the_error_number_decides(int number, bool conflict, bool transient)
    {
        var error = SqlServerError(number);

        error.Number.Should().Be(number);
        Classify(error).Should().Be((conflict, transient));
        Classify(new DbUpdateException("saving", error)).Should().Be((conflict, transient));
    }

    [Fact]
    public void Anything_else_is_retried_only_when_the_network_or_a_timeout_failed()
    {
        Classify(new DbUpdateConcurrencyException("a concurrency token moved")).Should().Be((true, true));
        Classify(new TimeoutException()).Should().Be((false, true));
        Classify(new IOException("connection reset")).Should().Be((false, true));
        Classify(new System.Net.Sockets.SocketException(111)).Should().Be((false, true));
        Classify(new InvalidOperationException("a bug")).Should().Be((false, false));
        Classify(new EvaluationRequestException("no period 2031S1")).Should().Be((false, false));
        Classify(new OperationCanceledException()).Should().Be((false, false));
    }

    [Fact]
    public void A_job_is_retried_on_what_the_predicate_calls_transient_and_on_a_scope_lock_held_elsewhere_only()
    {
        RetryWhenTransientAttribute.ShouldRetry(Postgres(PostgresErrorCodes.DeadlockDetected)).Should().BeTrue();
        RetryWhenTransientAttribute.ShouldRetry(SqlServerError(1205)).Should().BeTrue();
        RetryWhenTransientAttribute.ShouldRetry(new TimeoutException()).Should().BeTrue();
        RetryWhenTransientAttribute.ShouldRetry(new DistributedLockTimeoutException("qcdc:evaluate:2020S1:P")).Should().BeTrue();
        RetryWhenTransientAttribute.ShouldRetry(new EvaluationRequestException("no period 2031S1")).Should().BeFalse();
        RetryWhenTransientAttribute.ShouldRetry(Postgres(PostgresErrorCodes.UndefinedTable)).Should().BeFalse();
    }

    private static (bool Conflict, bool Transient) Classify(Exception e) => (DatabaseErrors.IsConflict(e), DatabaseErrors.IsTransient(e));

    private static PostgresException Postgres(string sqlState) => new("test", "ERROR", "ERROR", sqlState);

    /// <summary>
    /// A <see cref="SqlException"/> carrying one error, built the way SqlClient builds it from the server's reply (its
    /// constructors are internal): the edge of the world we cannot run, so the numbers are what the test controls.
    /// </summary>
    internal static SqlException SqlServerError(int number)
    {
        const BindingFlags Internal = BindingFlags.NonPublic | BindingFlags.Instance;
        var errors = (SqlErrorCollection)Activator.CreateInstance(typeof(SqlErrorCollection), nonPublic: true)!;
        // SqlError(infoNumber, errorState, errorClass, server, errorMessage, procedure, lineNumber, exception)
        var error = typeof(SqlError).GetConstructors(Internal)
            .Single(c => c.GetParameters().Select(p => p.ParameterType).SequenceEqual(
                [typeof(int), typeof(byte), typeof(byte), typeof(string), typeof(string), typeof(string), typeof(int), typeof(Exception)]))
            .Invoke([number, (byte)1, (byte)16, "sqlserver", $"error {number}", "", 1, null]);
        typeof(SqlErrorCollection).GetMethod("Add", Internal)!.Invoke(errors, [error]);
        var create = typeof(SqlException).GetMethod("CreateException", BindingFlags.NonPublic | BindingFlags.Static, [typeof(SqlErrorCollection), typeof(string)])!;
        return (SqlException)create.Invoke(null, [errors, "16.00.1000"])!;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<DbException> ErrorAsync(DbConnection connection, string sql) =>
        await Assert.ThrowsAnyAsync<DbException>(() => ExecuteAsync(connection, sql));

    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
