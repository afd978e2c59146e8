using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace QcdcCompliance.Storage;

/// <summary>
/// Every statement the product steps through SQLite's C API (the load's and the fingerprint's reads, an import's units,
/// the bulk inserts) waits for a lock as Microsoft.Data.Sqlite's commands do. Microsoft.Data.Sqlite retries a
/// statement that finds the database busy or locked until the command's timeout; <c>sqlite3_step</c> alone returns
/// SQLITE_BUSY at once while another connection holds the lock it needs (a database not in write-ahead-log mode is
/// locked for readers while a writer commits, and a writer whose changes spill from its cache needs the readers gone),
/// which failed a reporting officer's unit page as a run was being stored.
/// </summary>
public static class SqliteLocks
{
    /// <summary>
    /// Until disposed, the connection's statements wait up to its default timeout (30 s unless set) for a lock, inside
    /// SQLite (<c>sqlite3_busy_timeout</c>); then the connection is handed back as Microsoft.Data.Sqlite keeps it (no wait inside SQLite).
    /// </summary>
    public static Waiting WaitForLocks(SqliteConnection connection)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        SQLitePCL.raw.sqlite3_busy_timeout(handle, connection.DefaultTimeout == 0 ? int.MaxValue : connection.DefaultTimeout * 1000);
        return new Waiting(handle);
    }

    /// <summary>
    /// Begins the context's write transaction on SQLite (<c>BEGIN IMMEDIATE</c>: the database's one writer) waiting at
    /// most <paramref name="wait"/> for the writer ahead of it (an import, a run being stored, a sign-off, in this process
    /// or another): null when that one still writes, and nothing has begun. The connection's own timeout (30 s a
    /// statement, each retried on conflict) no longer decides how long: a sign-off so waited on for minutes.
    /// </summary>
    public static async Task<IDbContextTransaction?> BeginWritingAsync(DbContext db, TimeSpan wait, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var timeout = connection.DefaultTimeout;
        // Microsoft.Data.Sqlite retries a busy BEGIN for the command's timeout, in whole seconds, which the command takes from this.
        connection.DefaultTimeout = (int)Math.Clamp(Math.Ceiling(wait.TotalSeconds), 1, int.MaxValue);
        try
        {
            return await db.Database.BeginTransactionAsync(ct);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == Busy)
        {
            return null;
        }
        finally
        {
            connection.DefaultTimeout = timeout;
        }
    }

    /// <summary>SQLITE_BUSY: another connection holds the lock a statement needs.</summary>
    private const int Busy = 5;

    public readonly struct Waiting(SQLitePCL.sqlite3 handle) : IDisposable
    {
        public void Dispose() => SQLitePCL.raw.sqlite3_busy_timeout(handle, 0);
    }
}
