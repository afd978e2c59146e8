using System.Data.Common;
using QcdcCompliance.Host.Settings;

namespace QcdcCompliance.Host.Cli;

/// <summary>
/// The database a verb is about to use, checked before any work: a SQLite file that is not there (a verb run from the
/// wrong folder, a misspelt <c>--db</c>) and a connection string that is not one are refused naming what was looked for
/// and how to make one, and nothing is created.
/// </summary>
public static class CliDatabase
{
    public const string HowToCreate = "create it with 'qcdc demo' (the demo province) or 'qcdc migrate' and then 'qcdc import areas FILE', "
                                      + "or name yours with --db (or QCDC_DB)";

    public const string HowToCreateVi = "hãy tạo bằng 'qcdc demo' (tỉnh mẫu) hoặc 'qcdc migrate' rồi 'qcdc import areas TỆP', "
                                        + "hoặc chỉ rõ tệp của bạn bằng --db (hay biến môi trường QCDC_DB)";

    public static void Check(StorageOptions storage, bool readsExistingDatabase)
    {
        if (storage.Provider == StorageProvider.Sqlite)
        {
            var file = SqliteFileOf(storage);
            if (Directory.Exists(file))
                throw new CliException($"{file} is a folder, not a QCDC database; name the database file with --db",
                    $"{file} là một thư mục, không phải cơ sở dữ liệu QCDC; hãy chỉ rõ tệp cơ sở dữ liệu bằng --db");
            // A file of no bytes is what an earlier version left behind when a verb was run where there was no database.
            if (readsExistingDatabase && (!File.Exists(file) || new FileInfo(file).Length == 0))
                throw new CliException($"no QCDC database at {file}: {HowToCreate}", $"không có cơ sở dữ liệu QCDC tại {file}: {HowToCreateVi}");
            return;
        }

        try
        {
            _ = storage.ConnectionString;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // The text itself is not repeated: a connection string may hold a password.
            throw new CliException($"the {storage.Provider} database is named by a connection string (--db or QCDC_DB), such as "
                                   + $"\"Host=localhost;Database=qcdc;Username=qcdc;Password=…\"; the one given cannot be read: {FirstSentence(e.Message)}. "
                                   + "For a SQLite file use --provider Sqlite");
        }
    }

    /// <summary>
    /// The SQLite file the settings name, or a one-line refusal of a server's connection string given without its
    /// provider (<c>QCDC_DB</c> set and <c>QCDC_PROVIDER</c> forgotten): SQLite's reader refused its <c>Host</c> keyword with a
    /// stack trace, on every verb and on <c>serve</c>.
    /// </summary>
    private static string SqliteFileOf(StorageOptions storage)
    {
        try
        {
            return storage.SqliteFile!;
        }
        catch (ArgumentException e)
        {
            // The text itself is not repeated: a connection string may hold a password.
            var server = LooksLikeServer(storage.Database) ? "add --provider Postgres (or QCDC_PROVIDER=Postgres), or SqlServer for a SQL Server"
                : "name the SQLite file alone (--db qcdc.db), or add --provider Postgres (or QCDC_PROVIDER=Postgres) for a server";
            throw new CliException($"--db (or QCDC_DB) is a connection string, not a SQLite file ({e.Message.Split(". ", 2)[0].TrimEnd('.')}): {server}");
        }
    }

    private static bool LooksLikeServer(string? database)
    {
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = database };
            return new[] { "Host", "Server", "Username", "User ID", "Database", "Initial Catalog" }.Any(builder.ContainsKey);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Where a server database is (host, port and the database's name, never the password), or the SQLite file: for messages.</summary>
    public static string Describe(StorageOptions storage)
    {
        if (storage.SqliteFile is { } file)
            return file;
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = storage.Database };
            var host = new[] { "Host", "Server", "Data Source" }.Select(k => builder.TryGetValue(k, out var v) ? v?.ToString() : null).FirstOrDefault(v => v is not null);
            var port = builder.TryGetValue("Port", out var p) ? $":{p}" : "";
            var database = new[] { "Database", "Initial Catalog" }.Select(k => builder.TryGetValue(k, out var v) ? v?.ToString() : null).FirstOrDefault(v => !string.IsNullOrEmpty(v));
            var named = database is null ? "" : $" (database {database})";
            return host is null ? $"the {storage.Provider} database{named}" : $"the {storage.Provider} server at {host}{port}{named}";
        }
        catch (ArgumentException)
        {
            return $"the {storage.Provider} database";
        }
    }

    private static string FirstSentence(string message) => message.Split(" (Parameter", 2)[0].TrimEnd('.');
}
