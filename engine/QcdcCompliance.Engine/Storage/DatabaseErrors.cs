using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace QcdcCompliance.Storage;

/// <summary>
/// What a failure means for trying again, on the three providers. Every retry of the product decides with these two
/// questions (<see cref="Resilience"/>, and Hangfire's job retry through <c>Jobs.RetryWhenTransientAttribute</c>);
/// anything they do not recognise (bad data, a missing table, a bug) fails at once, since trying again cannot help.
/// </summary>
public static class DatabaseErrors
{
    // SQL Server: 2601 and 2627 a duplicate key (unique index, unique constraint), 1205 chosen as a deadlock victim.
    private static readonly int[] SqlServerConflicts = [2601, 2627, 1205];

    // SQL Server: a timeout (-2) and the connection and availability errors that SqlClient's own retry logic lists.
    private static readonly int[] SqlServerOutages = [-2, 20, 64, 233, 4060, 4221, 10053, 10054, 10060, 10928, 10929, 40143, 40197, 40501, 40540, 40613, 49918, 49919, 49920];

    /// <summary>
    /// Another writer committed first: a key taken, a serialization failure, a deadlock victim, a SQLite file busy or
    /// locked, a concurrency token moved. The same transaction, read and written again, builds on what won.
    /// </summary>
    public static bool IsConflict(Exception e) => e switch
    {
        DbUpdateConcurrencyException => true,
        DbUpdateException { InnerException: { } inner } => IsConflict(inner),
        InvalidOperationException { InnerException: DbException inner } => IsConflict(inner),
        // SQLITE_BUSY, SQLITE_LOCKED; SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY (never NOT NULL or a foreign key).
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6 || sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure
            or PostgresErrorCodes.DeadlockDetected,
        SqlException sqlServer => SqlServerNumbers(sqlServer).Any(SqlServerConflicts.Contains),
        _ => false,
    };

    /// <summary>
    /// Worth trying again later: a conflict, or the database or the network under it failing for a while (a dropped
    /// connection, a timeout, a server restarting or out of connections).
    /// </summary>
    public static bool IsTransient(Exception e) => IsConflict(e) || e switch
    {
        DbUpdateException { InnerException: { } inner } => IsTransient(inner),
        // EF's execution strategy without retries (Npgsql's default) wraps the provider's error it takes for transient
        // ("likely due to a transient failure"): a server restarting (57P01) came out so, and was taken for a bug.
        InvalidOperationException { InnerException: DbException inner } => IsTransient(inner),
        SqlException sqlServer => SqlServerNumbers(sqlServer).Any(SqlServerOutages.Contains),
        // Npgsql answers this itself: connection failures, timeouts, a server shutting down or out of resources.
        DbException provider => provider.IsTransient,
        TimeoutException or IOException or SocketException => true,
        _ => false,
    };

    /// <summary>The error numbers of a SQL Server exception (one exception can carry several errors).</summary>
    public static IEnumerable<int> SqlServerNumbers(SqlException e) => e.Errors.Cast<SqlError>().Select(error => error.Number);
}
