using Npgsql;

namespace QcdcCompliance.Tests.Infrastructure;

/// <summary>
/// Faults a test injects into the PostgreSQL server from a connection of its own, as an operator or a network would:
/// a backend terminated (<c>pg_terminate_backend</c>, what a dropped connection or a server restart looks like to the
/// client), a lock held from a transaction of the test's own (so that a host process the test cannot hook, such as a
/// child <c>qcdc serve</c>, waits inside its transaction), and the sessions of a database watched in
/// <c>pg_stat_activity</c> (to strike while that host waits there).
/// </summary>
public static class PostgresFaults
{
    /// <summary>Terminates one backend; true when it existed.</summary>
    public static async Task<bool> TerminateBackendAsync(this PostgresServer server, int pid)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", connection);
        command.Parameters.AddWithValue("pid", pid);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Takes a lock in a database from a transaction of the test's own (<paramref name="sql"/>, e.g. a row <c>FOR UPDATE</c>
    /// or a <c>LOCK TABLE</c>) and holds it until disposed, when the transaction rolls back: what another session of the
    /// product holding the same row or table looks like. A host's statement that needs the lock then waits inside its own
    /// transaction for as long as the test wants, so that the host can be struck there whatever the machine's speed.
    /// </summary>
    public static async Task<IAsyncDisposable> HoldAsync(this PostgresServer server, string database, string sql)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = database }.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
            await command.ExecuteNonQueryAsync();
        return new HeldLock(connection, transaction);
    }

    /// <summary>
    /// Waits until a session of the database, inside a transaction, is waiting for a lock in a statement like one of
    /// the patterns (e.g. <c>UPDATE "AuditChainHeads"%</c>); its backend pid.
    /// </summary>
    public static async Task<int> WaitForLockWaitAsync(this PostgresServer server, string database, string[] like, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        while (true)
        {
            await using (var command = new NpgsqlCommand(
                             "SELECT pid FROM pg_stat_activity WHERE datname = @db AND state = 'active' AND wait_event_type = 'Lock' AND xact_start IS NOT NULL "
                             + "AND query LIKE ANY (@like) AND pid <> pg_backend_pid() LIMIT 1", connection))
            {
                command.Parameters.AddWithValue("db", database);
                command.Parameters.AddWithValue("like", like);
                if (await command.ExecuteScalarAsync() is int pid)
                    return pid;
            }

            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no session of {database} waited for a lock in '{string.Join("' or '", like)}' within {timeout.TotalSeconds:0} s");
            await Task.Delay(20);
        }
    }

    /// <summary>The state of a backend (<c>active</c>, <c>idle in transaction</c>, ...) and its latest statement, or null when it is gone.</summary>
    public static async Task<(string State, string Query)?> BackendStateAsync(this PostgresServer server, int pid)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT state, left(query, 60) FROM pg_stat_activity WHERE pid = @pid", connection);
        command.Parameters.AddWithValue("pid", pid);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    /// <summary>Waits until a backend has ended (its client gone, its transaction rolled back).</summary>
    public static async Task WaitForBackendGoneAsync(this PostgresServer server, int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        while (true)
        {
            await using (var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE pid = @pid", connection))
            {
                command.Parameters.AddWithValue("pid", pid);
                if ((long)(await command.ExecuteScalarAsync())! == 0)
                    return;
            }

            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"backend {pid} was still there after {timeout.TotalSeconds:0} s");
            await Task.Delay(20);
        }
    }

    /// <summary>The database a connection string names.</summary>
    public static string DatabaseOf(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Database!;

    /// <summary>A lock the test holds; released (its transaction rolled back) once, however often disposed.</summary>
    private sealed class HeldLock(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        private int released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref released, 1) == 1)
                return;
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
