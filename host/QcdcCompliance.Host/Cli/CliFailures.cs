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
                case SqliteException sqlite:
                    return $"cannot use {where}: {sqlite.Message}";
                case SocketException socket:
                    return $"cannot connect to {where}: {socket.Message}; check that the server is running and the connection string (--db or QCDC_DB)";
                case DbException db when db.GetType().Namespace is "Npgsql" or "Microsoft.Data.SqlClient":
                    return $"cannot use {where}: {db.Message}; check that the server is running and the connection string (--db or QCDC_DB)";
                case TimeoutException timeout:
                    return $"cannot connect to {where}: {timeout.Message}";
            }
        }

        return null;
    }

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
