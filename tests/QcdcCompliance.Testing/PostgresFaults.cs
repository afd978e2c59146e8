using Npgsql;

namespace QcdcCompliance.Tests.Infrastructure;

/// <summary>
/// Faults a test injects into the PostgreSQL server from a connection of its own, as an operator or a network would:
/// a backend terminated (<c>pg_terminate_backend</c>, what a dropped connection or a server restart looks like to the
/// client), and the sessions of a database watched in <c>pg_stat_activity</c> (e.g. to strike while a host process
/// that the test cannot hook, such as a child <c>qcdc serve</c>, holds a transaction open).
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

    /// <summary>Terminates every session of a database in the given state (e.g. <c>idle in transaction</c>, or any when null); how many.</summary>
    public static async Task<int> TerminateSessionsAsync(this PostgresServer server, string database, string? state = null)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @db AND pid <> pg_backend_pid() AND (@state::text IS NULL OR state = @state)",
            connection);
        command.Parameters.AddWithValue("db", database);
        command.Parameters.AddWithValue("state", (object?)state ?? DBNull.Value);
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Waits until a session of the database is in the state (e.g. <c>idle in transaction</c>); its backend pid.</summary>
    public static async Task<int> WaitForSessionAsync(this PostgresServer server, string database, string state, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        while (true)
        {
            await using (var command = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = @db AND state = @state AND pid <> pg_backend_pid() LIMIT 1", connection))
            {
                command.Parameters.AddWithValue("db", database);
                command.Parameters.AddWithValue("state", state);
                if (await command.ExecuteScalarAsync() is int pid)
                    return pid;
            }

            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no session of {database} was '{state}' within {timeout.TotalSeconds:0} s");
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Waits until a session of the database is inside a transaction (running, or idle between statements) whose latest
    /// statement is like one of the patterns (e.g. <c>COPY "Findings"%</c>); its backend pid. Catches a transaction
    /// between two statements too, which a wait for a running statement alone can miss (a COPY of a few tenths of a second).
    /// </summary>
    public static async Task<int> WaitForTransactionAsync(this PostgresServer server, string database, string[] like, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        while (true)
        {
            await using (var command = new NpgsqlCommand(
                             "SELECT pid FROM pg_stat_activity WHERE datname = @db AND state IN ('active', 'idle in transaction') AND xact_start IS NOT NULL "
                             + "AND query LIKE ANY (@like) AND pid <> pg_backend_pid() LIMIT 1", connection))
            {
                command.Parameters.AddWithValue("db", database);
                command.Parameters.AddWithValue("like", like);
                if (await command.ExecuteScalarAsync() is int pid)
                    return pid;
            }

            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no session of {database} was in a transaction running '{string.Join("' or '", like)}' within {timeout.TotalSeconds:0} s");
            await Task.Delay(5);
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
}
