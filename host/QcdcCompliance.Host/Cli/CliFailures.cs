using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;

namespace QcdcCompliance.Host.Cli;

/// <summary>
/// What the world did to a verb, told in a line (what, where, how to fix it) instead of a stack trace: a database that
/// cannot be reached or is not a QCDC database, a file that cannot be written. Anything else is a bug and still throws.
/// </summary>
public static class CliFailures
{
    public static string? Describe(Exception e, StorageOptions? storage)
    {
        var where = storage is null ? "the database" : CliDatabase.Describe(storage);
        foreach (var inner in Chain(e))
        {
            switch (inner)
            {
                case SqliteException { SqliteErrorCode: 1 } sqlite when sqlite.Message.Contains("no such table", StringComparison.Ordinal):
                    return $"{where} is not a QCDC database, or one made by an older version ({sqlite.Message.Replace("SQLite Error 1: ", "", StringComparison.Ordinal)}): "
                           + $"run 'qcdc migrate' to bring it up to date, or {CliDatabase.HowToCreate}";
                case SqliteException sqlite when SqliteWorld.Contains(sqlite.SqliteErrorCode):
                    return $"cannot use {where}: {sqlite.Message.TrimEnd('.')}; check the file, or name the QCDC database with --db (or QCDC_DB)";
                case SocketException socket:
                    return $"cannot connect to {where}: {socket.Message}; check that the server is running and the connection string (--db or QCDC_DB)";
                case DbException { SqlState: "42P01" } db when db.GetType().Namespace is "Npgsql":
                    return $"{where} is not a QCDC database, or one made by an older version ({FirstLine(db.Message)}): run 'qcdc migrate' to bring it up to date";
                case DbException db when db.GetType().Namespace is "Npgsql" && ServerWorld(db.SqlState):
                    return $"cannot use {where}: {FirstLine(db.Message)}; check that the server is running and the connection string (--db or QCDC_DB)";
                case TimeoutException timeout:
                    return $"cannot connect to {where}: {timeout.Message}";
            }
        }

        return null;
    }

    /// <summary>
    /// Whether the failure is a mistake in the settings rather than the world's (README: exit 2): a database that is not
    /// there (PostgreSQL's 3D000, SQL Server's 4060) or credentials the server refuses (28xxx, SQL Server's 18456).
    /// </summary>
    public static bool IsSettingsMistake(Exception e) => Chain(e).Any(x => x switch
    {
        DbException { SqlState: { } state } when x.GetType().Namespace is "Npgsql" => state == "3D000" || state.StartsWith("28", StringComparison.Ordinal),
        Microsoft.Data.SqlClient.SqlException sql => DatabaseErrors.SqlServerNumbers(sql).Any(n => n is 4060 or 18456),
        _ => false,
    });

    /// <summary>A server's message without what follows its first line (PostgreSQL's <c>POSITION: 96</c>, a detail, a hint).</summary>
    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    /// <summary>SQLite's codes for the file and its surroundings (busy, read-only, I/O, corrupt, full, cannot open, not a database), not for a statement.</summary>
    private static readonly int[] SqliteWorld = [5, 8, 10, 11, 13, 14, 26];

    /// <summary>
    /// A server's refusal that the user can put right: no answer (no state), connection (08), authorisation (28), an
    /// unknown database (3D000), resources (53), shutting down (57P). A statement the server refuses is a bug and throws.
    /// </summary>
    private static bool ServerWorld(string? state) =>
        state is null || state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("28", StringComparison.Ordinal)
        || state == "3D000" || state.StartsWith("53", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal);

    private static IEnumerable<Exception> Chain(Exception e)
    {
        // The innermost first: the socket's refusal says more than the retry strategy that gave up on it.
        var chain = new List<Exception>();
        for (Exception? x = e; x is not null; x = x.InnerException)
            chain.Add(x);
        chain.Reverse();
        return chain;
    }
}
