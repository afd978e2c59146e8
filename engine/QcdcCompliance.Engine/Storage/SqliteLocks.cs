using Microsoft.Data.Sqlite;

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

    public readonly struct Waiting(SQLitePCL.sqlite3 handle) : IDisposable
    {
        public void Dispose() => SQLitePCL.raw.sqlite3_busy_timeout(handle, 0);
    }
}
