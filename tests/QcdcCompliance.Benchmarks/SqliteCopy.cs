using Microsoft.Data.Sqlite;

namespace QcdcCompliance.Benchmarks;

/// <summary>
/// A SQLite database copied through SQLite's backup API: what a file copy would miss (pages still in the write-ahead
/// log of a connection not yet closed) is in the copy, and the copy is a database of its own with no log beside it.
/// </summary>
public static class SqliteCopy
{
    public static void Copy(string from, string to)
    {
        foreach (var file in new[] { to, to + "-wal", to + "-shm" })
            File.Delete(file);
        using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = from, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = to, Pooling = false }.ConnectionString);
        source.Open();
        target.Open();
        source.BackupDatabase(target);
    }
}
