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
    public static async Task<IAsyncDisposable?> BeginReadSnapshotAsync(this QcdcDbContext db, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
            return await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        if (!db.Database.IsSqlite())
            return null;
        await db.Database.OpenConnectionAsync(ct);
        var transaction = ((SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: true);
        await db.Database.UseTransactionAsync(transaction, ct);
        return transaction;
    }
}
