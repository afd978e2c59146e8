using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace QcdcCompliance.Storage;

/// <summary>
/// Reads by plain SQL on a context's connection, in its transaction if one is open, for the few reads every process
/// starts with (the area tree, the periods, an import's lookups): EF compiles a LINQ query the first time a process runs
/// it, and in a short-lived process (a CLI verb) that compilation, JIT included, cost more than the import of a one-row
/// file. Identifiers are quoted the way all three providers read them; parameters are named <c>@p0</c>, <c>@p1</c>, ...
/// </summary>
public static class PlainSql
{
    /// <summary>Values a statement may name at once (SQL Server takes 2,100 parameters).</summary>
    public const int MaxParameters = 2000;

    /// <summary>Each row of the statement, read by <paramref name="read"/>.</summary>
    public static async Task<List<T>> ListAsync<T>(QcdcDbContext db, string sql, Func<DbDataReader, T> read, CancellationToken ct, params object[] parameters)
    {
        var rows = new List<T>();
        await using var _ = await OpenAsync(db, ct);
        await using var command = Command(db, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(read(reader));
        return rows;
    }

    /// <summary>The first column of the first row, or null when there is no row (or it is NULL).</summary>
    public static async Task<object?> ScalarAsync(QcdcDbContext db, string sql, CancellationToken ct, params object[] parameters)
    {
        await using var _ = await OpenAsync(db, ct);
        await using var command = Command(db, sql, parameters);
        var value = await command.ExecuteScalarAsync(ct);
        return value is DBNull ? null : value;
    }

    /// <summary><c>@p{first}, @p{first + 1}, ...</c>: the placeholders of an <c>IN (...)</c> list of <paramref name="count"/> values.</summary>
    public static string Placeholders(int count, int first = 0) => string.Join(", ", Enumerable.Range(first, count).Select(i => "@p" + i));

    /// <summary>An enum stored by name (<c>HasConversion&lt;string&gt;()</c>).</summary>
    public static TEnum Enum<TEnum>(this DbDataReader reader, int ordinal) where TEnum : struct, System.Enum => System.Enum.Parse<TEnum>(reader.GetString(ordinal));

    public static DateOnly? NullableDate(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateOnly>(ordinal);

    public static DateOnly Date(this DbDataReader reader, int ordinal) => reader.GetFieldValue<DateOnly>(ordinal);

    public static string? NullableString(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>A stored time: UTC, as <c>QcdcDbContext</c>'s converter reads it (SQLite gives it back unspecified).</summary>
    public static DateTime UtcDateTime(this DbDataReader reader, int ordinal) => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc);

    private static DbCommand Command(QcdcDbContext db, string sql, object[] parameters)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        if (db.Database.GetCommandTimeout() is { } timeout)
            command.CommandTimeout = timeout;
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i;
            parameter.Value = parameters[i];
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>Opens the context's connection for one statement unless it is open already (then it stays as it was).</summary>
    private static async Task<IAsyncDisposable> OpenAsync(QcdcDbContext db, CancellationToken ct)
    {
        if (db.Database.GetDbConnection().State == System.Data.ConnectionState.Open)
            return Nothing.Instance;
        await db.Database.OpenConnectionAsync(ct);
        return new Closing(db);
    }

    private sealed class Closing(QcdcDbContext db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await db.Database.CloseConnectionAsync();
    }

    private sealed class Nothing : IAsyncDisposable
    {
        public static readonly Nothing Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
