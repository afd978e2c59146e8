using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace QcdcCompliance.Storage;

/// <summary>
/// Inserts many rows of a mapped entity inside the context's current transaction, with the model's own table,
/// column names and value converters: binary COPY on PostgreSQL, SQLite's C API with positional binding, multi-row
/// INSERTs on SQL Server. Change
/// tracking would cost more than the insert itself at a million rows.
/// </summary>
public static class BulkInserter
{
    public static async Task<int> InsertAsync<T>(QcdcDbContext db, IEnumerable<T> rows, CancellationToken ct = default)
        where T : class
    {
        var (table, columns) = Shape<T>(db);
        return await InsertValuesAsync(db, table, columns, rows, static (columns, row, c) => columns[c].Read(row), ct);
    }

    /// <summary>
    /// Rows made from <paramref name="items"/> on every core, a chunk ahead of the writer: each item is made into its
    /// entity by <paramref name="make"/> and read into the values the provider stores (value converters, such as an
    /// e-mail's compression, applied) in parallel while the chunk before it is written. The writer only binds and
    /// inserts, in the items' order.
    /// </summary>
    public static async Task<int> InsertAsync<TIn, T>(QcdcDbContext db, IEnumerable<TIn> items, Func<TIn, T> make, CancellationToken ct = default)
        where T : class
    {
        var (table, columns) = Shape<T>(db);
        return await InsertValuesAsync(db, table, columns, Pipelined(items, item => Read(columns, make(item)), ct), static (_, row, c) => row[c], ct);
    }

    /// <summary>
    /// <paramref name="map"/> over <paramref name="items"/>, in their order, a chunk at a time in parallel; up to
    /// <see cref="ChunksAhead"/> chunks are mapped while the caller consumes one, so that a chunk slow to map (a
    /// collection, a thread of the pool late to start) does not leave the writer waiting.
    /// </summary>
    public static IEnumerable<TOut> Pipelined<TIn, TOut>(IEnumerable<TIn> items, Func<TIn, TOut> map, CancellationToken ct, int chunk = 1024)
    {
        static TOut[] MapChunk(TIn[] inputs, Func<TIn, TOut> map, CancellationToken ct)
        {
            var outputs = new TOut[inputs.Length];
            Parallel.For(0, inputs.Length, new ParallelOptions { CancellationToken = ct }, i => outputs[i] = map(inputs[i]));
            return outputs;
        }

        using var chunks = items.Chunk(chunk).GetEnumerator();
        var pending = new Queue<Task<TOut[]>>(ChunksAhead);
        void Fill()
        {
            while (pending.Count < ChunksAhead && chunks.MoveNext())
            {
                var inputs = chunks.Current;
                pending.Enqueue(Task.Run(() => MapChunk(inputs, map, ct), ct));
            }
        }

        Fill();
        while (pending.TryDequeue(out var next))
        {
            var done = next.GetAwaiter().GetResult();
            Fill();
            foreach (var output in done)
                yield return output;
        }
    }

    /// <summary>How many chunks <see cref="Pipelined"/> maps ahead of the one consumed.</summary>
    internal const int ChunksAhead = 4;

    /// <summary>
    /// The shapes worked out for each model and entity type: a column's reader is a compiled delegate, and compiling
    /// them for every insert cost a warm scope's one-value change milliseconds of CPU, and the finalizer thread more.
    /// </summary>
    private static readonly ConditionalWeakTable<IModel, ConcurrentDictionary<Type, (string Table, ColumnWriter[] Columns)>> Shapes = new();

    private static (string Table, ColumnWriter[] Columns) Shape<T>(QcdcDbContext db) =>
        Shapes.GetOrCreateValue(db.Model).GetOrAdd(typeof(T), static (_, db) => NewShape<T>(db), db);

    private static (string Table, ColumnWriter[] Columns) NewShape<T>(QcdcDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties()
            .Where(p => p.ValueGenerated == Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never || !p.IsPrimaryKey())
            .Select(p => new ColumnWriter(p, p.GetColumnName(table)!, p.GetColumnType(table), p.GetTypeMapping().Converter))
            // A complex property (a finding's Measurement) is stored in its owner's columns.
            .Concat(entity.GetComplexProperties().SelectMany(c => c.ComplexType.GetProperties()
                .Select(p => new ColumnWriter(p, p.GetColumnName(table)!, p.GetColumnType(table), p.GetTypeMapping().Converter, c))))
            .ToArray();
        return (entity.GetTableName()!, columns);
    }

    private static object?[] Read(ColumnWriter[] columns, object row)
    {
        var values = new object?[columns.Length];
        for (var c = 0; c < columns.Length; c++)
            values[c] = columns[c].Read(row);
        return values;
    }

    /// <summary>The rows inserted, each column's provider value read by <paramref name="value"/> (an entity read through its columns, or values read ahead).</summary>
    private static async Task<int> InsertValuesAsync<TRow>(QcdcDbContext db, string table, ColumnWriter[] columns, IEnumerable<TRow> rows,
        Func<ColumnWriter[], TRow, int, object?> value, CancellationToken ct)
        where TRow : class
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
            await db.Database.OpenConnectionAsync(ct);
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();

        if (connection is Microsoft.Data.Sqlite.SqliteConnection)
        {
            // A bigger page cache for this connection: index pages of a million-row table stay in memory (64 MB instead of 2 MB).
            await using var pragma = connection.CreateCommand();
            pragma.Transaction = transaction;
            pragma.CommandText = "PRAGMA cache_size = -65536";
            await pragma.ExecuteNonQueryAsync(ct);
        }

        return connection switch
        {
            NpgsqlConnection npgsql => await CopyAsync(npgsql, table, columns, rows, value, ct),
            Microsoft.Data.Sqlite.SqliteConnection sqlite => SqliteRaw(sqlite, table, columns, rows, value),
            _ => await InsertBatchesAsync(connection, transaction, table, columns, rows, value, ct),
        };
    }

    private static async Task<int> CopyAsync<TRow>(NpgsqlConnection connection, string table, ColumnWriter[] columns, IEnumerable<TRow> rows,
        Func<ColumnWriter[], TRow, int, object?> read, CancellationToken ct)
    {
        var count = 0;
        await using (var copy = await PgBinaryCopy.BeginAsync(connection, Quote(table), columns.Select(c => Quote(c.Name)).ToArray(), ct))
        {
            foreach (var row in rows)
            {
                copy.StartRow();
                for (var c = 0; c < columns.Length; c++)
                    Write(copy, columns[c], read(columns, row, c));
                await copy.EndRowAsync(ct);
                count++;
            }

            await copy.CompleteAsync(ct);
        }

        return count;
    }

    /// <summary>A value as its column's PostgreSQL type is written (an integer of another width converted, as Npgsql converts it).</summary>
    private static void Write(PgBinaryCopy copy, ColumnWriter column, object? value)
    {
        if (value is null)
        {
            copy.Null();
            return;
        }

        switch (column.PgType)
        {
            case PgColumnType.Int16:
                copy.Int16(value as short? ?? Convert.ToInt16(value, CultureInfo.InvariantCulture));
                break;
            case PgColumnType.Int32:
                copy.Int32(value as int? ?? Convert.ToInt32(value, CultureInfo.InvariantCulture));
                break;
            case PgColumnType.Int64:
                copy.Int64(value as long? ?? Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case PgColumnType.Boolean:
                copy.Boolean((bool)value);
                break;
            case PgColumnType.Text:
                copy.Text((string)value);
                break;
            case PgColumnType.Bytes:
                copy.Bytes((byte[])value);
                break;
            case PgColumnType.Date:
                copy.Date(value as DateOnly? ?? DateOnly.FromDateTime((DateTime)value));
                break;
            case PgColumnType.TimestampTz:
                copy.TimestampTz((DateTime)value);
                break;
            default:
                throw new NotSupportedException($"Column {column.Name} is of type {column.StoreType}, which the binary COPY does not write.");
        }
    }

    /// <summary>
    /// SQLite through its C API: one statement prepared once, parameters bound by position. Microsoft.Data.Sqlite looks
    /// every parameter up by name on every execution, which costs more than the insert. Runs in the connection's open
    /// transaction (same database handle).
    /// </summary>
    private static int SqliteRaw<TRow>(Microsoft.Data.Sqlite.SqliteConnection connection, string table, ColumnWriter[] columns, IEnumerable<TRow> rows,
        Func<ColumnWriter[], TRow, int, object?> read)
    {
        var sql = $"INSERT INTO {Quote(table)} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) VALUES ({string.Join(", ", columns.Select((_, i) => "?" + (i + 1)))})";
        var db = connection.Handle!;
        using var waiting = SqliteLocks.WaitForLocks(connection);
        Check(db, SQLitePCL.raw.sqlite3_prepare_v2(db, sql, out var prepared));
        var count = 0;

        // A reset keeps what was bound: a column whose value is the row before's (a run's id, a finding's target and state,
        // an import's stamp) is not bound again. Texts and times are bound as UTF-8 (SQLite copies what is bound), encoded
        // into a buffer each column reuses. A column's values are of one type (or null): whether it holds arrays is known
        // from the column, not asked of each value (a type test against an array type is a call, 7 million of them).
        var bound = new object?[columns.Length];
        Array.Fill(bound, NotBound);
        var utf8 = new byte[columns.Length][];
        var arrays = columns.Select(c => c.ProviderType == typeof(byte[])).ToArray();
        using (prepared)
        using (var statement = new SqliteNative.Statement(prepared))
        {
            foreach (var row in rows)
            {
                for (var c = 0; c < columns.Length; c++)
                {
                    var value = read(columns, row, c);
                    // Equal values of immutable types only: an array may have been filled anew since it was bound.
                    if (!arrays[c] && (ReferenceEquals(value, bound[c]) || (value is not null && value.Equals(bound[c]))))
                        continue;
                    if (value is string or DateTime)
                    {
                        var chars = value as string ?? SqliteText((DateTime)value);
                        var most = Encoding.UTF8.GetMaxByteCount(chars.Length);
                        if (utf8[c] is not { } buffer || buffer.Length < most)
                            utf8[c] = new byte[Math.Max(most, 256)];
                        Check(db, statement.BindText(c + 1, utf8[c].AsSpan(0, Encoding.UTF8.GetBytes(chars, utf8[c]))));
                    }
                    else
                    {
                        Check(db, Bind(statement, c + 1, value));
                    }

                    bound[c] = value;
                }

                var step = statement.Step();
                if (step != SQLitePCL.raw.SQLITE_DONE)
                    Check(db, step);
                statement.Reset();
                count++;
            }
        }

        return count;
    }

    /// <summary>What no column's value is: the first row binds every column.</summary>
    private static readonly object NotBound = new();

    private static int Bind(in SqliteNative.Statement statement, int index, object? value) => value switch
    {
        null => statement.BindNull(index),
        long v => statement.BindInt64(index, v),
        int v => statement.BindInt64(index, v),
        short v => statement.BindInt64(index, v),
        byte v => statement.BindInt64(index, v),
        bool v => statement.BindInt64(index, v ? 1 : 0),
        double v => statement.BindDouble(index, v),
        byte[] v => statement.BindBlob(index, v),
        // The text format Microsoft.Data.Sqlite (and so EF Core) writes and reads (strings and times are bound by the caller).
        DateOnly v => statement.BindText(index, Encoding.UTF8.GetBytes(v.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))),
        _ => throw new NotSupportedException($"no SQLite binding for {value.GetType().Name}"),
    };

    /// <summary>The text format Microsoft.Data.Sqlite (and so EF Core) writes and reads for a time.</summary>
    internal static string SqliteText(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);

    internal static void Check(SQLitePCL.sqlite3 db, int result)
    {
        if (result != SQLitePCL.raw.SQLITE_OK)
            throw new Microsoft.Data.Sqlite.SqliteException($"SQLite Error {result}: {SQLitePCL.raw.sqlite3_errmsg(db).utf8_to_string()}", result);
    }

    private static async Task<int> InsertBatchesAsync<TRow>(DbConnection connection, DbTransaction? transaction, string table, ColumnWriter[] columns, IEnumerable<TRow> rows,
        Func<ColumnWriter[], TRow, int, object?> read, CancellationToken ct)
    {
        // SQL Server allows 2,100 parameters a command.
        var batchSize = Math.Max(1, Math.Min(200, 2000 / columns.Length));
        DbCommand? full = null;
        var pending = new List<TRow>(batchSize);
        var count = 0;
        try
        {
            foreach (var row in rows)
            {
                pending.Add(row);
                if (pending.Count < batchSize)
                    continue;
                full ??= Command(connection, transaction, table, columns, batchSize);
                count += await ExecuteAsync(full, columns, pending, read, ct);
                pending.Clear();
            }

            if (pending.Count > 0)
            {
                await using var rest = Command(connection, transaction, table, columns, pending.Count);
                count += await ExecuteAsync(rest, columns, pending, read, ct);
            }
        }
        finally
        {
            if (full is not null)
                await full.DisposeAsync();
        }

        return count;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string table, ColumnWriter[] columns, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandTimeout = 600;
        var sql = new StringBuilder($"INSERT INTO {Quote(table)} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) VALUES ");
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Length; c++)
            {
                var name = $"@p{(r * columns.Length) + c}";
                sql.Append(c == 0 ? name : ", " + name);
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                command.Parameters.Add(parameter);
            }

            sql.Append(')');
        }

        // Not prepared: SqlClient prepares only fully typed parameters.
        command.CommandText = sql.ToString();
        return command;
    }

    private static async Task<int> ExecuteAsync<TRow>(DbCommand command, ColumnWriter[] columns, List<TRow> rows, Func<ColumnWriter[], TRow, int, object?> read,
        CancellationToken ct)
    {
        var i = 0;
        foreach (var row in rows)
        {
            for (var c = 0; c < columns.Length; c++)
                command.Parameters[i++].Value = read(columns, row, c) ?? DBNull.Value;
        }

        await command.ExecuteNonQueryAsync(ct);
        return rows.Count;
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Reads one column's provider value from an entity: the property and its value converter, compiled into one delegate.</summary>
    private sealed class ColumnWriter
    {
        private readonly Func<object, object?> _read;

        public ColumnWriter(IProperty property, string name, string? storeType, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? converter,
            IComplexProperty? via = null)
        {
            Name = name;
            StoreType = storeType ?? throw new InvalidOperationException($"{property.Name} has no store type");
            PgType = PgColumnTypes.Of(StoreType);
            var entity = System.Linq.Expressions.Expression.Parameter(typeof(object), "entity");
            System.Linq.Expressions.Expression owner = via is null
                ? System.Linq.Expressions.Expression.Convert(entity, property.DeclaringType.ClrType)
                : System.Linq.Expressions.Expression.Property(System.Linq.Expressions.Expression.Convert(entity, via.DeclaringType.ClrType), via.PropertyInfo!);
            System.Linq.Expressions.Expression value = System.Linq.Expressions.Expression.Property(owner, property.PropertyInfo!);
            if (converter is not null)
            {
                var model = converter.ConvertToProviderExpression;
                var input = value.Type == model.Parameters[0].Type ? value : System.Linq.Expressions.Expression.Convert(value, model.Parameters[0].Type);
                var converted = new ReplaceParameter(model.Parameters[0], input).Visit(model.Body);
                // A nullable property converts only when it has a value: null stays null.
                value = Nullable.GetUnderlyingType(property.ClrType) is not null || !property.ClrType.IsValueType
                    ? System.Linq.Expressions.Expression.Condition(
                        System.Linq.Expressions.Expression.Equal(value, System.Linq.Expressions.Expression.Constant(null, value.Type)),
                        System.Linq.Expressions.Expression.Constant(null, typeof(object)),
                        System.Linq.Expressions.Expression.Convert(converted, typeof(object)))
                    : converted;
            }

            ProviderType = Nullable.GetUnderlyingType(converter?.ProviderClrType ?? property.ClrType) ?? converter?.ProviderClrType ?? property.ClrType;
            _read = System.Linq.Expressions.Expression.Lambda<Func<object, object?>>(System.Linq.Expressions.Expression.Convert(value, typeof(object)), entity).Compile();
        }

        public string Name { get; }
        public string StoreType { get; }

        /// <summary>How the binary COPY writes the column's values on PostgreSQL.</summary>
        public PgColumnType PgType { get; }

        /// <summary>The type of the values read (the provider's, after the value converter).</summary>
        public Type ProviderType { get; }

        public object? Read(object entity) => _read(entity);

        private sealed class ReplaceParameter(System.Linq.Expressions.ParameterExpression from, System.Linq.Expressions.Expression to) : System.Linq.Expressions.ExpressionVisitor
        {
            protected override System.Linq.Expressions.Expression VisitParameter(System.Linq.Expressions.ParameterExpression node) => node == from ? to : node;
        }
    }
}
