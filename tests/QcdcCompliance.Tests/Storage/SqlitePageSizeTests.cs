using Microsoft.Data.Sqlite;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Storage;

public sealed class SqlitePageSizeTests
{
    [Fact]
    public async Task A_new_SQLite_database_is_made_with_16_KB_pages_in_WAL_mode_and_an_older_one_keeps_its_pages_and_data()
    {
        var folder = TestFolders.NewFolder("page-size");
        var fresh = new StorageOptions { Provider = StorageProvider.Sqlite, Database = Path.Combine(folder, "new.db") };
        await DatabaseMigrator.MigrateAsync(fresh);
        (await PragmaAsync(fresh, "page_size")).Should().Be("16384");
        (await PragmaAsync(fresh, "journal_mode")).Should().Be("wal");

        // A database an older version made: SQLite's 4 KB pages and a row already stored.
        var older = new StorageOptions { Provider = StorageProvider.Sqlite, Database = Path.Combine(folder, "older.db") };
        await using (var connection = new SqliteConnection(older.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA page_size = 4096; CREATE TABLE Kept (Id INTEGER PRIMARY KEY); INSERT INTO Kept VALUES (7);";
            await command.ExecuteNonQueryAsync();
        }

        await DatabaseMigrator.MigrateAsync(older);
        (await PragmaAsync(older, "page_size")).Should().Be("4096");
        (await PragmaAsync(older, "journal_mode")).Should().Be("wal");
        (await ScalarAsync(older, "SELECT Id FROM Kept")).Should().Be("7");
        SqliteConnection.ClearAllPools();
    }

    private static Task<string> PragmaAsync(StorageOptions storage, string name) => ScalarAsync(storage, $"PRAGMA {name}");

    private static async Task<string> ScalarAsync(StorageOptions storage, string sql)
    {
        await using var connection = new SqliteConnection(storage.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
