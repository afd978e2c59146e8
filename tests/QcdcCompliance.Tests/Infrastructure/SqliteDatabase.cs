using Microsoft.Data.Sqlite;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Tests.Infrastructure;

/// <summary>
/// A real SQLite file per test, copied from one migrated template so that each test starts from an empty, current
/// schema in milliseconds. Deleted when the test ends.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);

    private SqliteDatabase(string path) => Path = path;

    public string Path { get; }

    public StorageOptions Storage => new() { Provider = StorageProvider.Sqlite, Database = Path };

    public static async Task<SqliteDatabase> CreateAsync()
    {
        var template = await Template.Value;
        var path = System.IO.Path.Combine(TestFolders.Root, $"test-{Guid.NewGuid():N}.db");
        File.Copy(template, path);
        return new SqliteDatabase(path);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A reader still holds it; the folder is temporary anyway.
            }
        }

        return ValueTask.CompletedTask;
    }

    private static async Task<string> CreateTemplateAsync()
    {
        var path = System.IO.Path.Combine(TestFolders.Root, $"template-{Guid.NewGuid():N}.db");
        await DatabaseMigrator.MigrateAsync(new StorageOptions { Provider = StorageProvider.Sqlite, Database = path });

        // Leaving WAL needs the only connection: the pool's idle one would make the pragma wait out the busy timeout.
        SqliteConnection.ClearAllPools();
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;";
            await command.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        return path;
    }
}
