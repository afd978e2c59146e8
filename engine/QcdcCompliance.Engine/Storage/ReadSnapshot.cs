using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace QcdcCompliance.Storage;

/// <summary>
/// A read-only transaction in which every query sees the database as of its first: what an evaluation loads (the area
/// tree, the units, their values, the targets) takes several statements, and an import that commits between two of
/// them must be seen whole or not at all. PostgreSQL: REPEATABLE READ (a snapshot, never blocks writers). SQLite: a
/// deferred transaction, whose first read fixes a WAL snapshot (writers go on). SQL Server reads each statement
/// committed as of that statement: a snapshot there needs ALLOW_SNAPSHOT_ISOLATION on the database, which we cannot
/// assume, so it gets none.
/// </summary>
public static class ReadSnapshot
{
    /// <summary>
    /// How much of a SQLite file a snapshot reads through a memory map (<c>PRAGMA mmap_size</c>) rather than through
    /// the connection's 2 MB page cache, which copies each page it reads with a system call. A scope's load reads every
    /// unit of the scope and their values through indexes, page by page: at 200,000 units the two reads took 1.07 s
    /// through the page cache and 0.32 s mapped (the <c>sqlite3</c> shell, the same file and queries). The map is the
    /// file's own pages, shared with the kernel's cache; pages newer in the write-ahead log are still read from the
    /// log. It is let go when the snapshot ends, so that the process does not keep the pages it read resident.
    /// </summary>
    public const long SqliteMapBytes = 1L << 30;

    public static async Task<IAsyncDisposable?> BeginReadSnapshotAsync(this QcdcDbContext db, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
            return await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        if (!db.Database.IsSqlite())
            return null;
        await db.Database.OpenConnectionAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        Map(connection, SqliteMapBytes);
        var transaction = connection.BeginTransaction(deferred: true);
        await db.Database.UseTransactionAsync(transaction, ct);
        return new MappedSnapshot(db, connection, transaction);
    }

    private static void Map(SqliteConnection connection, long bytes)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA mmap_size = {bytes}";
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// The snapshot's transaction; when it ends, the context reads outside it, and the connection (back to the pool
    /// after) through its page cache again.
    /// </summary>
    private sealed class MappedSnapshot(QcdcDbContext db, SqliteConnection connection, SqliteTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await db.Database.UseTransactionAsync(null);
            if (connection.State == ConnectionState.Open)
                Map(connection, 0);
        }
    }
}
