using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace QcdcCompliance.Storage;

/// <summary>
/// Reads by plain SQL on a context's connection, in its transaction if one is open, for the reads every process starts
/// with (the area tree, the periods, an import's lookups) and every read of an evaluation's path: EF compiles a LINQ
/// query the first time a process runs it, and in a short-lived process (a CLI verb) that compilation, JIT included,
/// cost more than the import of a one-row file; an evaluation compiled nine, 0.3 s on the thread its phases wait for. The statements run through EF's command path all the same (its connection and transaction, its interceptors and
/// logging), without a query to compile. Identifiers are quoted the way all three providers read them; parameters are
/// named <c>@p0</c>, <c>@p1</c>, ...
/// </summary>
public static class PlainSql
{
    /// <summary>Values a statement may name at once (SQL Server takes 2,100 parameters).</summary>
    public const int MaxParameters = 2000;

    /// <summary>
    /// Whether the context's provider reads <c>INSERT ... RETURNING</c> and <c>UPDATE ... RETURNING</c> (SQLite and
    /// PostgreSQL): the writes made by plain SQL there; SQL Server keeps EF's own statements.
    /// </summary>
    public static bool WritesReturning(QcdcDbContext db) =>
        db.Database.GetDbConnection() is Microsoft.Data.Sqlite.SqliteConnection or Npgsql.NpgsqlConnection;

    /// <summary>Each row of the statement, read by <paramref name="read"/>.</summary>
    public static async Task<List<T>> ListAsync<T>(QcdcDbContext db, string sql, Func<DbDataReader, T> read, CancellationToken ct, params object[] parameters)
    {
        var rows = new List<T>();
        await using var reader = await ReaderAsync(db, sql, ct, parameters);
        while (await reader.DbDataReader.ReadAsync(ct))
            rows.Add(read(reader.DbDataReader));
        return rows;
    }

    /// <summary>The first column of the first row, or null when there is no row (or it is NULL).</summary>
    public static async Task<object?> ScalarAsync(QcdcDbContext db, string sql, CancellationToken ct, params object[] parameters)
    {
        var (command, values) = Command(db, sql, parameters);
        var value = await command.ExecuteScalarAsync(Arguments(db, values), ct);
        return value is DBNull ? null : value;
    }

    /// <summary>
    /// The statement's reader, run as EF runs its own commands (the context's connection, opened for the reader if it
    /// was closed, its transaction, command timeout, interceptors and logging); dispose it to close what it opened.
    /// </summary>
    public static Task<RelationalDataReader> ReaderAsync(QcdcDbContext db, string sql, CancellationToken ct, params object[] parameters)
    {
        var (command, values) = Command(db, sql, parameters);
        return command.ExecuteReaderAsync(Arguments(db, values), ct);
    }

    /// <summary><c>@p{first}, @p{first + 1}, ...</c>: the placeholders of an <c>IN (...)</c> list of <paramref name="count"/> values.</summary>
    public static string Placeholders(int count, int first = 0) => string.Join(", ", Enumerable.Range(first, count).Select(i => "@p" + i));

    /// <summary>The names in a list of quoted columns (<c>"Id", "Code"</c>): what a read names, for the tests that hold it to the model.</summary>
    public static IReadOnlyList<string> ColumnNames(string columns) => columns.Split(',', StringSplitOptions.TrimEntries).Select(c => c.Trim('"')).ToList();

    /// <summary>An enum stored by name (<c>HasConversion&lt;string&gt;()</c>).</summary>
    public static TEnum Enum<TEnum>(this DbDataReader reader, int ordinal) where TEnum : struct, System.Enum => System.Enum.Parse<TEnum>(reader.GetString(ordinal));

    public static DateOnly? NullableDate(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateOnly>(ordinal);

    public static DateOnly Date(this DbDataReader reader, int ordinal) => reader.GetFieldValue<DateOnly>(ordinal);

    public static string? NullableString(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? NullableInt64(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    /// <summary>A stored time: UTC, as <c>QcdcDbContext</c>'s converter reads it (SQLite gives it back unspecified).</summary>
    public static DateTime UtcDateTime(this DbDataReader reader, int ordinal) => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc);

    private static (IRelationalCommand Command, Dictionary<string, object?>? Values) Command(QcdcDbContext db, string sql, object[] parameters)
    {
        var builder = db.GetService<IRelationalCommandBuilderFactory>().Create().Append(sql);
        if (parameters.Length == 0)
            return (builder.Build(), null);
        var mappings = db.GetService<IRelationalTypeMappingSource>();
        var values = new Dictionary<string, object?>(parameters.Length);
        for (var i = 0; i < parameters.Length; i++)
        {
            // The provider's own mapping of the value's type: a date, a time or a bool is written as EF writes it.
            var mapping = mappings.FindMapping(parameters[i].GetType())
                          ?? throw new InvalidOperationException($"no store type for a parameter of type {parameters[i].GetType().Name}");
            builder.AddParameter("p" + i, "@p" + i, mapping, nullable: false);
            values["p" + i] = parameters[i];
        }

        return (builder.Build(), values);
    }

    private static RelationalCommandParameterObject Arguments(QcdcDbContext db, Dictionary<string, object?>? values) =>
        new(db.GetService<IRelationalConnection>(), values, null, db, db.GetService<IRelationalCommandDiagnosticsLogger>(), CommandSource.FromSqlQuery);
}
