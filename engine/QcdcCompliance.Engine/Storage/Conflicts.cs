using Microsoft.EntityFrameworkCore;

namespace QcdcCompliance.Storage;

/// <summary>Errors that mean another writer committed first (a unique key, a concurrency token, a busy file): retry on top of it.</summary>
public static class Conflicts
{
    public static bool IsRetryable(Exception e) => e switch
    {
        DbUpdateConcurrencyException => true,
        DbUpdateException { InnerException: Npgsql.PostgresException { SqlState: "23505" or "40001" or "40P01" } } => true,
        DbUpdateException { InnerException: Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 or 19 } } => true,
        Npgsql.PostgresException { SqlState: "23505" or "40001" or "40P01" } => true,
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 } => true,
        _ => false,
    };
}
