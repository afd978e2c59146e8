using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Storage;

public sealed class ReadSnapshotTests
{
    [Fact]
    public async Task A_SQLite_snapshot_reads_through_a_memory_map_sees_no_later_commit_and_lets_the_map_go()
    {
        await using var database = await SqliteDatabase.CreateAsync();
        // As `qcdc migrate` leaves a database: in WAL mode, where readers and the writer go on side by side.
        await DatabaseMigrator.MigrateAsync(database.Storage);
        await using (var setup = StorageRegistration.CreateContext(database.Storage))
        {
            setup.Areas.Add(new Area { Code = "T1", Name = "Tỉnh một", Level = AreaLevel.Province });
            await setup.SaveChangesAsync();
        }

        await using var reader = StorageRegistration.CreateContext(database.Storage);
        long mapped;
        await using (await reader.BeginReadSnapshotAsync(CancellationToken.None))
        {
            mapped = await MapSizeAsync(reader);
            (await reader.Areas.CountAsync()).Should().Be(1);

            // A writer commits to the log while the snapshot is open: the mapped reads must not see it.
            await using (var writer = StorageRegistration.CreateContext(database.Storage))
            {
                writer.Areas.Add(new Area { Code = "T2", Name = "Tỉnh hai", Level = AreaLevel.Province });
                await writer.SaveChangesAsync();
            }

            (await reader.Areas.Select(a => a.Code).ToListAsync()).Should().Equal("T1");
        }

        mapped.Should().Be(ReadSnapshot.SqliteMapBytes, "a scope's load reads every unit and value through indexes, and the page cache copies each page with a system call");
        (await MapSizeAsync(reader)).Should().Be(0, "the connection goes back to the pool without keeping the pages it read resident");
        (await reader.Areas.CountAsync()).Should().Be(2);
    }

    private static async Task<long> MapSizeAsync(QcdcDbContext db)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA mmap_size";
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction() as SqliteTransaction;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
