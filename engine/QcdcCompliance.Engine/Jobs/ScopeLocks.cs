using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Hangfire.Storage;
using Microsoft.Data.SqlClient;
using Npgsql;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Jobs;

/// <summary>
/// The lock that keeps two evaluations of one scope from overlapping, on any host. It belongs to a session of its own,
/// so the database frees it the moment that session ends, whichever way it ends: the job finishes, its host dies (the
/// socket closes; a host cut off is found by TCP keepalives within a minute and a half), or the database restarts.
/// Hangfire's <c>DisableConcurrentExecution</c> kept the lock as a row that only a live connection could delete: when
/// the database restarted under a job, the row outlived the connection that had to delete it, and the job's retry, on
/// the same live host, waited for it to age out (<c>Jobs:LockTimeout</c>, 10 minutes). PostgreSQL: a session-level
/// advisory lock; SQL Server: an application lock owned by the session; SQLite (its jobs in memory): a lock file beside
/// the database, held open alone, which the system frees when the process ends, so that two processes on one file (two
/// <c>qcdc evaluate</c>, or one beside <c>qcdc serve</c>) take turns too. The lock's connection is not pooled, so that
/// closing it ends the session.
/// </summary>
public sealed class ScopeLocks(StorageOptions storage)
{
    /// <summary>How long an evaluation waits for the one before it, as Hangfire's lock waited, before it is retried later.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromMinutes(30);

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> InProcess = new(StringComparer.Ordinal);

    /// <summary>The lock's name for a scope: the same whatever the case of the codes a trigger gave.</summary>
    public static string Resource(string period, string province) =>
        string.Create(CultureInfo.InvariantCulture, $"qcdc:evaluate:{period.Trim().ToUpperInvariant()}:{province.Trim().ToUpperInvariant()}");

    /// <summary>
    /// Waits up to <paramref name="wait"/> (<see cref="Wait"/> when null) for the lock and holds it until disposed; throws
    /// <see cref="DistributedLockTimeoutException"/> when another holder keeps it that long (the job is then retried).
    /// </summary>
    public async Task<IAsyncDisposable> TakeAsync(string resource, CancellationToken ct, TimeSpan? wait = null)
    {
        var limit = wait ?? Wait;
        return storage.Provider switch
        {
            StorageProvider.Sqlite => await InProcessAsync(resource, limit, ct),
            StorageProvider.SqlServer => await SessionAsync(new SqlConnection(new SqlConnectionStringBuilder(storage.ConnectionString) { Pooling = false }.ConnectionString),
                SqlServerStatement, resource, limit, taken => taken is int code && code >= 0, ct),
            _ => await SessionAsync(new NpgsqlConnection(new NpgsqlConnectionStringBuilder(storage.ConnectionString) { Pooling = false }.ConnectionString),
                PostgresStatement(limit), resource, limit, _ => true, ct),
        };
    }

    /// <summary>
    /// PostgreSQL: waits for the advisory lock of the name's hash (one bigint key, a key space apart from the sign-off
    /// turns' pairs) until <c>lock_timeout</c>; the server's keepalives find a vanished host within 30 + 6 × 10 s.
    /// </summary>
    internal static string PostgresStatement(TimeSpan wait) =>
        "SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 6; "
        + $"SET lock_timeout = {((long)wait.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}; "
        + "SELECT pg_advisory_lock(hashtextextended(@resource, 0))";

    /// <summary>SQL Server: an exclusive application lock owned by the session; 0 or 1 granted, -1 timed out, below that an error.</summary>
    internal const string SqlServerStatement =
        "DECLARE @taken int;\n"
        + "EXEC @taken = sp_getapplock @Resource = @resource, @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = @wait;\n"
        + "IF @taken < -1 THROW 51000, N'could not take the lock of an evaluation scope', 1;\n"
        + "SELECT @taken;";

    private static async Task<IAsyncDisposable> SessionAsync(DbConnection connection, string sql, string resource, TimeSpan wait, Func<object?, bool> granted,
        CancellationToken ct)
    {
        try
        {
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            // The wait is bounded by the lock's own timeout, not the command's.
            command.CommandTimeout = 0;
            Add(command, "resource", resource);
            Add(command, "wait", (int)Math.Min(int.MaxValue, wait.TotalMilliseconds));
            if (!granted(await command.ExecuteScalarAsync(ct)))
                throw new DistributedLockTimeoutException(resource);
            return new Session(connection);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            await connection.DisposeAsync();
            throw new DistributedLockTimeoutException(resource);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        if (!command.CommandText.Contains("@" + name, StringComparison.Ordinal))
            return;
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>How often a scope's lock file held by another process is tried again while waiting for it.</summary>
    internal static readonly TimeSpan FilePoll = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// SQLite: the evaluations of this process wait in turn on a semaphore, and the holder also holds a lock file beside
    /// the database (<see cref="LockFile"/>), opened alone (<see cref="FileShare.None"/>: an exclusive <c>flock</c> on
    /// Linux and macOS, a sharing lock on Windows), so that another <c>qcdc</c> process on the same file (a second
    /// <c>qcdc evaluate</c>, <c>qcdc serve</c>'s job) waits for it too. The system lets go of it when the process ends,
    /// however it ends; the empty file stays (removing it would let a waiter lock a file another then replaces).
    /// </summary>
    private async Task<IAsyncDisposable> InProcessAsync(string resource, TimeSpan wait, CancellationToken ct)
    {
        var path = LockFile(storage.SqliteFile!, resource);
        var gate = InProcess.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        var deadline = DateTime.UtcNow + wait;
        if (!await gate.WaitAsync(wait, ct))
            throw new DistributedLockTimeoutException(resource);
        try
        {
            while (true)
            {
                try
                {
                    var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                    return new Released(gate, file);
                }
                catch (IOException e) when (e is not (DirectoryNotFoundException or FileNotFoundException or PathTooLongException))
                {
                    // Held by another process (a sharing violation): tried again until the wait runs out.
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero)
                        throw new DistributedLockTimeoutException(resource);
                    await Task.Delay(left < FilePoll ? left : FilePoll, ct);
                }
            }
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    /// <summary>
    /// The lock file of a scope beside the SQLite file: <c>qcdc.db.evaluate-2020S1-HT.lock</c> for the database
    /// <c>qcdc.db</c>. A code with a character other than a letter, a digit, '-' or '_' is written with '_' and the name's hash.
    /// </summary>
    internal static string LockFile(string database, string resource)
    {
        var name = resource.StartsWith("qcdc:", StringComparison.Ordinal) ? resource[5..] : resource;
        var safe = string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : c == ':' ? '-' : '_'));
        if (safe.Replace('-', ':') != name)
            safe += "-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..12];
        return $"{database}.{safe}.lock";
    }

    /// <summary>Closing the unpooled connection ends the session, and with it the lock (an unlock first would only add a round trip that can fail).</summary>
    private sealed class Session(DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await connection.DisposeAsync();
            }
            catch (Exception e) when (e is DbException or IOException or TimeoutException)
            {
                // A session that cannot even be closed is gone already, and its lock with it: the job's own outcome stands.
            }
        }
    }

    private sealed class Released(SemaphoreSlim gate, FileStream file) : IAsyncDisposable
    {
        private int released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                // The file first: once the semaphore is free, the next evaluation of this process opens it.
                file.Dispose();
                gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
