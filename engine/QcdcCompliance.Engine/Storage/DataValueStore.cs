using System.Buffers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Storage;

/// <summary>
/// A value an import stores: new (no old value) or changed (its old value and comment), with its audit row.
/// <see cref="Streamed"/>: a new value already in its table, sent while the file was checked (<see cref="DataValueStore.NewValueStream"/>); only its audit row is left to write.
/// </summary>
public readonly record struct ValueWrite(int UnitId, int PeriodId, int IndicatorId, long Value, string? Comment, bool IsNew, long? OldValue, string? OldComment)
{
    public bool Streamed { get; init; }

    /// <summary>A new value still to be inserted.</summary>
    public bool ToInsert => IsNew && !Streamed;
}

/// <summary>Who stores the values of one import, when, and from which file or form: the same for every row.</summary>
public sealed record ValueStamp(string By, DateTime At, string? Source);

/// <summary>
/// Writes an import's values and their audit rows (<see cref="DataValueAudit"/>, one a value stored, the first too) inside
/// the context's current transaction, ordered by the values' key so that every index grows at its end or close to it.
/// SQLite: the keys checked as sets, statements prepared once, the stamp bound once, each audit row written beside its
/// value or copied from a period's new values. PostgreSQL: the keys checked as sets, binary COPY straight into the tables. SQL Server: <see cref="BulkInserter"/>
/// and <see cref="DataValueWriter"/>.
/// </summary>
public static class DataValueStore
{
    public static async Task WriteAsync(QcdcDbContext db, List<ValueWrite> writes, ValueStamp stamp, CancellationToken ct = default)
    {
        if (writes.Count == 0)
            return;
        writes.SortUnlessSorted(static (a, b) => a.PeriodId != b.PeriodId ? a.PeriodId.CompareTo(b.PeriodId)
            : a.UnitId != b.UnitId ? a.UnitId.CompareTo(b.UnitId) : a.IndicatorId.CompareTo(b.IndicatorId));
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
            await db.Database.OpenConnectionAsync(ct);

        if (connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            using (Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.import.values"))
                WriteSqlite(sqlite, writes, stamp);
            return;
        }

        if (connection is Npgsql.NpgsqlConnection npgsql)
        {
            await WritePostgresAsync(npgsql, writes, stamp, ct);
            return;
        }

        using (Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.import.values"))
        {
            await BulkInserter.InsertAsync(db, writes.Where(w => w.ToInsert).Select(w => Value(w, stamp)), ct);
            await DataValueWriter.UpdateAsync(db, writes.Where(w => !w.IsNew).Select(w => Value(w, stamp)).ToList(), ct);
        }

        using (Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.import.audit"))
            await BulkInserter.InsertAsync(db, writes.Select(w => Audit(w, stamp)), ct);
    }

    /// <summary>
    /// PostgreSQL: the new values and every audit row by binary COPY straight into their tables (COPY writes a page of rows
    /// at a time), the changed values by one <c>UPDATE ... FROM</c> a temporary table COPied first (dropped at commit). On
    /// PostgreSQL <c>DataValues</c> has no foreign keys: checked row by row they cost four times the insert itself (a
    /// trigger a key a row); the import has checked every unit, period and indicator it writes, and they are checked
    /// again here as three sets, in the transaction, before anything is written (units, periods and indicators are never
    /// deleted).
    /// </summary>
    private static async Task WritePostgresAsync(Npgsql.NpgsqlConnection connection, List<ValueWrite> writes, ValueStamp stamp, CancellationToken ct)
    {
        using (Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.import.keys"))
            await RequireAllAsync(connection, writes, ct);

        var at = DateTime.SpecifyKind(stamp.At, DateTimeKind.Utc);
        using (Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.import.values"))
        {
            if (writes.Any(w => w.ToInsert))
            {
                await using var copy = await PgBinaryCopy.BeginAsync(connection, "\"DataValues\"", NewValueColumns, ct);
                foreach (var w in writes)
                {
                    if (w.ToInsert)
                        await NewValueRowAsync(copy, w.PeriodId, w.UnitId, w.IndicatorId, w.Value, w.Comment, stamp.By, at, ct);
                }

                await copy.CompleteAsync(ct);
            }

            if (writes.Any(w => !w.IsNew))
            {
                await ExecuteAsync(connection, """
                    CREATE TEMP TABLE "ChangedValues" ("PeriodId" integer NOT NULL, "UnitId" integer NOT NULL, "IndicatorId" integer NOT NULL, "Value" bigint NOT NULL,
                    "Comment" text NULL) ON COMMIT DROP
                    """, stamp, ct);
                await using (var copy = await PgBinaryCopy.BeginAsync(connection, "\"ChangedValues\"",
                                 ["\"PeriodId\"", "\"UnitId\"", "\"IndicatorId\"", "\"Value\"", "\"Comment\""], ct))
                {
                    foreach (var w in writes)
                    {
                        if (w.IsNew)
                            continue;
                        copy.StartRow();
                        Key(copy, w);
                        copy.Int64(w.Value);
                        copy.TextOrNull(w.Comment);
                        await copy.EndRowAsync(ct);
                    }

                    await copy.CompleteAsync(ct);
                }

                // The planner knows nothing of a temporary table until it is analysed (it guesses a thousand rows), nor
                // of a table that was just loaded and not yet analysed by autovacuum: it then hashed every stored value
                // to update one (0.35 s at 488,776 values, every change of a freshly loaded country). Analysed, one
                // changed row is looked up through the key, and many are joined by hash as before.
                await ExecuteAsync(connection, """ANALYZE "ChangedValues" """, stamp, ct);
                await ExecuteAsync(connection, """
                    UPDATE "DataValues" AS d SET "Value" = s."Value", "Comment" = s."Comment", "StoredBy" = @by, "StoredAt" = @at FROM "ChangedValues" AS s
                    WHERE d."PeriodId" = s."PeriodId" AND d."UnitId" = s."UnitId" AND d."IndicatorId" = s."IndicatorId"
                    """, stamp, ct);
            }
        }

        // Every write's audit row, in the values' key order (the ids grow with it), as the SQLite path writes them.
        using (Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.import.audit"))
        {
            await using var copy = await PgBinaryCopy.BeginAsync(connection, "\"DataValueAudits\"",
                ["\"PeriodId\"", "\"UnitId\"", "\"IndicatorId\"", "\"OldValue\"", "\"NewValue\"", "\"OldComment\"", "\"NewComment\"", "\"ChangedBy\"",
                 "\"ChangedAt\"", "\"Source\""], ct);
            foreach (var w in writes)
            {
                copy.StartRow();
                Key(copy, w);
                copy.Int64OrNull(w.OldValue);
                copy.Int64(w.Value);
                copy.TextOrNull(w.OldComment);
                copy.TextOrNull(w.Comment);
                copy.Text(stamp.By);
                copy.TimestampTz(at);
                copy.TextOrNull(stamp.Source);
                await copy.EndRowAsync(ct);
            }

            await copy.CompleteAsync(ct);
        }

        static void Key(PgBinaryCopy copy, ValueWrite w)
        {
            copy.Int32(w.PeriodId);
            copy.Int32(w.UnitId);
            copy.Int32(w.IndicatorId);
        }
    }

    private static readonly string[] NewValueColumns =
        ["\"PeriodId\"", "\"UnitId\"", "\"IndicatorId\"", "\"Value\"", "\"Comment\"", "\"StoredBy\"", "\"StoredAt\""];

    /// <summary>A new value's row of the COPY into <c>DataValues</c> (<see cref="NewValueColumns"/>).</summary>
    private static ValueTask NewValueRowAsync(PgBinaryCopy copy, int periodId, int unitId, int indicatorId, long value, string? comment, string by, DateTime at,
        CancellationToken ct)
    {
        copy.StartRow();
        copy.Int32(periodId);
        copy.Int32(unitId);
        copy.Int32(indicatorId);
        copy.Int64(value);
        copy.TextOrNull(comment);
        copy.Text(by);
        copy.TimestampTz(at);
        return copy.EndRowAsync(ct);
    }

    /// <summary>
    /// PostgreSQL: an import's new values sent into their table while the rest of its file is still being checked, so that
    /// the server inserts them on one core while the client checks on the other (the heavy profile's 444,122 values
    /// 2.57-3.04 s against 2.86-3.51 s, alternated, 06/12, once the background compiler no longer took that core: see the
    /// host's CallCountThreshold). A binary COPY in the import's
    /// transaction, begun before the check: a file refused later cancels it and rolls the transaction back, so nothing it
    /// sent is stored. The connection runs no other statement while a COPY is open: <see cref="PauseAsync"/> ends it,
    /// and the next value begins another. Null on another provider.
    /// </summary>
    public sealed class NewValueStream : IAsyncDisposable
    {
        private readonly Npgsql.NpgsqlConnection _connection;
        private readonly string _by;
        private readonly DateTime _at;
        private PgBinaryCopy? _copy;

        private NewValueStream(Npgsql.NpgsqlConnection connection, ValueStamp stamp)
        {
            _connection = connection;
            _by = stamp.By;
            _at = DateTime.SpecifyKind(stamp.At, DateTimeKind.Utc);
        }

        /// <summary>The values sent so far.</summary>
        public int Count { get; private set; }

        /// <summary>A stream on the context's connection, which an open transaction holds (null unless PostgreSQL).</summary>
        public static NewValueStream? On(QcdcDbContext db, ValueStamp stamp) =>
            db.Database.GetDbConnection() is Npgsql.NpgsqlConnection connection && db.Database.CurrentTransaction is not null ? new(connection, stamp) : null;

        public async ValueTask AddAsync(int periodId, int unitId, int indicatorId, long value, string? comment, CancellationToken ct)
        {
            _copy ??= await PgBinaryCopy.BeginAsync(_connection, "\"DataValues\"", NewValueColumns, ct);
            await NewValueRowAsync(_copy, periodId, unitId, indicatorId, value, comment, _by, _at, ct);
            Count++;
        }

        /// <summary>Ends the COPY under way, if any: what it sent is in the table, in the transaction, and the connection is free for a statement.</summary>
        public async Task PauseAsync(CancellationToken ct)
        {
            if (_copy is null)
                return;
            // Forgotten only once it ended: a COPY the server failed is still cancelled by DisposeAsync.
            await _copy.CompleteAsync(ct);
            _copy = null;
        }

        /// <summary>A COPY still open is cancelled (the file was refused, or the import failed), before its transaction is rolled back.</summary>
        public ValueTask DisposeAsync() => _copy?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    /// <summary>
    /// PostgreSQL, after an import has committed: when it wrote as many values as autovacuum waits for before it analyses
    /// (a tenth of the stored values, or any number into a table never analysed), the values' and audit rows' statistics
    /// are refreshed at once (<c>ANALYZE</c>, a sample of each table), as PostgreSQL's manual advises after a bulk load.
    /// Until then the planner plans for tables it does not know: a freshly loaded country (100,000 units) took 11-12 s to
    /// evaluate instead of 7-8 (each province hashed every stored value), and each change 227-236 ms instead of 22-25
    /// (the late units' read walked every audit row). Outside the import's transaction, so that imports of other scopes
    /// never wait on it; the import is stored whether it succeeds or not. It costs 0.3-0.5 s at 820,000 values.
    /// </summary>
    public static async Task AnalyzeAfterLoadAsync(QcdcDbContext db, int written, CancellationToken ct)
    {
        if (written == 0 || db.Database.GetDbConnection() is not Npgsql.NpgsqlConnection connection)
            return;
        var opened = connection.State != System.Data.ConnectionState.Open;
        using var activity = Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.import.analyze");
        try
        {
            if (opened)
                await connection.OpenAsync(ct);
            await using (var stored = new Npgsql.NpgsqlCommand("""SELECT reltuples FROM pg_class WHERE oid = '"DataValues"'::regclass""", connection))
            {
                var rows = Convert.ToDouble(await stored.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
                activity?.SetTag("qcdc.stored_estimate", rows);
                if (rows >= 0 && written * 10.0 < rows)
                    return;
            }

            // The two tables side by side, the audit rows' on a connection of its own: a server process analyses one table
            // at a time (0.24 s for both after 331,913 values, 0.12-0.13 s each, psql 05/12).
            await using var audits = new Npgsql.NpgsqlConnection(db.Database.GetConnectionString());
            await audits.OpenAsync(ct);
            await Task.WhenAll(AnalyzeAsync(connection, "DataValues"), AnalyzeAsync(audits, "DataValueAudits"));
            activity?.SetTag("qcdc.analyzed", true);
        }
        catch (Npgsql.NpgsqlException e)
        {
            // The statistics are a hint: autovacuum refreshes them later. The import itself is committed.
            activity?.AddEvent(new System.Diagnostics.ActivityEvent("analyze failed", tags: new System.Diagnostics.ActivityTagsCollection { ["exception.message"] = e.Message }));
        }
        finally
        {
            if (opened)
                await connection.CloseAsync();
        }

        async Task AnalyzeAsync(Npgsql.NpgsqlConnection on, string table)
        {
            await using var command = new Npgsql.NpgsqlCommand($"""ANALYZE "{table}" """, on) { CommandTimeout = 600 };
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// The foreign keys of the values, checked as one set a table: every id must name a stored row, else nothing is
    /// written (the transaction is not committed).
    /// </summary>
    private static async Task RequireAllAsync(Npgsql.NpgsqlConnection connection, List<ValueWrite> writes, CancellationToken ct)
    {
        (string Table, int[] Ids)[] sets =
        [
            ("Units", DistinctIds(writes, static w => w.UnitId)), ("Periods", DistinctIds(writes, static w => w.PeriodId)),
            ("Indicators", DistinctIds(writes, static w => w.IndicatorId)),
        ];
        // A count a table over the range of ids named. When every id from the smallest to the largest is stored (a
        // province's units are imported together, so a file's units are mostly one run of ids), every id named is, and the
        // ids are neither sent nor looked up: one round trip without them. The ids themselves go only for a set whose
        // range has a gap, joined from unnest(): named in the first statement, even in a branch never taken, 197,644 unit
        // ids cost 0.25-0.3 s of PostgreSQL's planning (it weighs each element of an "= ANY" array), against 0.05-0.07 s
        // for the ranges alone (a sparse file over 201,139 units, 06/12).
        long[] stored;
        await using (var ranges = new Npgsql.NpgsqlCommand("SELECT " + string.Join(", ", sets.Select((set, i) =>
                         $"""(SELECT count(*) FROM "{set.Table}" WHERE "Id" BETWEEN @first{i} AND @last{i})""")), connection) { CommandTimeout = 600 })
        {
            for (var i = 0; i < sets.Length; i++)
            {
                ranges.Parameters.AddWithValue("first" + i, sets[i].Ids[0]);
                ranges.Parameters.AddWithValue("last" + i, sets[i].Ids[^1]);
            }

            stored = await ReadCountsAsync(ranges, sets.Length, ct);
        }

        var gapped = Enumerable.Range(0, sets.Length).Where(i => stored[i] != (long)sets[i].Ids[^1] - sets[i].Ids[0] + 1).ToArray();
        if (gapped.Length > 0)
        {
            await using var named = new Npgsql.NpgsqlCommand("SELECT " + string.Join(", ", gapped.Select(i =>
                $"""(SELECT count(*) FROM "{sets[i].Table}" AS t JOIN unnest(@ids{i}) AS named("Id") ON t."Id" = named."Id")""")), connection) { CommandTimeout = 600 };
            foreach (var i in gapped)
                named.Parameters.AddWithValue("ids" + i, sets[i].Ids);
            var found = await ReadCountsAsync(named, gapped.Length, ct);
            for (var k = 0; k < gapped.Length; k++)
                NotStored(sets[gapped[k]].Table, sets[gapped[k]].Ids.Length, found[k]);
        }

        static async Task<long[]> ReadCountsAsync(Npgsql.NpgsqlCommand command, int count, CancellationToken ct)
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var counts = new long[count];
            for (var i = 0; i < count; i++)
                counts[i] = reader.GetInt64(i);
            return counts;
        }
    }

    /// <summary>One statement in the connection's open transaction, with the stamp as @by, @at and @source where it names them.</summary>
    private static async Task ExecuteAsync(Npgsql.NpgsqlConnection connection, string sql, ValueStamp stamp, CancellationToken ct)
    {
        await using var command = new Npgsql.NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        foreach (var (name, value) in new (string, object)[] { ("by", stamp.By), ("at", DateTime.SpecifyKind(stamp.At, DateTimeKind.Utc)), ("source", (object?)stamp.Source ?? DBNull.Value) })
        {
            if (sql.Contains("@" + name, StringComparison.Ordinal))
                command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(ct);
    }

    private static DataValue Value(ValueWrite w, ValueStamp stamp) => new()
    {
        UnitId = w.UnitId, PeriodId = w.PeriodId, IndicatorId = w.IndicatorId, Value = w.Value, Comment = w.Comment, StoredBy = stamp.By, StoredAt = stamp.At,
    };

    private static DataValueAudit Audit(ValueWrite w, ValueStamp stamp) => new()
    {
        UnitId = w.UnitId, PeriodId = w.PeriodId, IndicatorId = w.IndicatorId, OldValue = w.OldValue, NewValue = w.Value,
        OldComment = w.OldComment, NewComment = w.Comment, ChangedBy = stamp.By, ChangedAt = stamp.At, Source = stamp.Source,
    };

    private const string InsertSql =
        """INSERT INTO "DataValues" ("PeriodId", "UnitId", "IndicatorId", "Value", "Comment", "StoredBy", "StoredAt") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)""";

    private const string UpdateSql =
        """UPDATE "DataValues" SET "Value" = ?4, "Comment" = ?5, "StoredBy" = ?6, "StoredAt" = ?7 WHERE "PeriodId" = ?1 AND "UnitId" = ?2 AND "IndicatorId" = ?3""";

    private const string AuditSql =
        """INSERT INTO "DataValueAudits" ("PeriodId", "UnitId", "IndicatorId", "NewValue", "NewComment", "ChangedBy", "ChangedAt", "Source", "OldValue", "OldComment") """ +
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

    /// <summary>The audit rows of a period's values in the range of keys (?2, ?3) to (?4, ?5), read back in key order.</summary>
    private const string AuditCopiedSql =
        """INSERT INTO "DataValueAudits" ("PeriodId", "UnitId", "IndicatorId", "NewValue", "NewComment", "ChangedBy", "ChangedAt", "Source") """ +
        """SELECT "PeriodId", "UnitId", "IndicatorId", "Value", "Comment", "StoredBy", "StoredAt", ?6 FROM "DataValues" """ +
        """WHERE "PeriodId" = ?1 AND ("UnitId", "IndicatorId") >= (?2, ?3) AND ("UnitId", "IndicatorId") <= (?4, ?5) ORDER BY "UnitId", "IndicatorId" """;

    private const string CountInRangeSql =
        """SELECT count(*) FROM "DataValues" WHERE "PeriodId" = ?1 AND ("UnitId", "IndicatorId") >= (?2, ?3) AND ("UnitId", "IndicatorId") <= (?4, ?5)""";

    /// <summary>The first and last key of a period's new values, and how many there are.</summary>
    private readonly record struct KeyRange(int FirstUnit, int FirstIndicator, int LastUnit, int LastIndicator, int Count);

    /// <summary>The periods whose new values span a range of keys no stored value lies in (the writes are in key order).</summary>
    private static Dictionary<int, KeyRange> CopiedRanges(SQLitePCL.sqlite3 handle, List<ValueWrite> writes)
    {
        var ranges = new Dictionary<int, KeyRange>();
        foreach (var w in writes)
        {
            if (!w.IsNew)
                continue;
            ranges[w.PeriodId] = ranges.TryGetValue(w.PeriodId, out var r)
                ? r with { LastUnit = w.UnitId, LastIndicator = w.IndicatorId, Count = r.Count + 1 }
                : new KeyRange(w.UnitId, w.IndicatorId, w.UnitId, w.IndicatorId, 1);
        }

        foreach (var (period, range) in ranges.ToList())
        {
            // A few values are written beside their audit rows at no loss; a range with values stored before cannot be copied.
            if (range.Count < 1000 || Execute(handle, CountInRangeSql, period, range, source: null, query: true) != 0)
                ranges.Remove(period);
        }

        return ranges;
    }

    /// <summary>One statement over a period's range of keys: the rows it changed, or the count it read.</summary>
    private static long Execute(SQLitePCL.sqlite3 handle, string sql, int period, KeyRange range, string? source, bool query = false)
    {
        BulkInserter.Check(handle, SQLitePCL.raw.sqlite3_prepare_v2(handle, sql, out var statement));
        using (statement)
        {
            SQLitePCL.raw.sqlite3_bind_int(statement, 1, period);
            SQLitePCL.raw.sqlite3_bind_int(statement, 2, range.FirstUnit);
            SQLitePCL.raw.sqlite3_bind_int(statement, 3, range.FirstIndicator);
            SQLitePCL.raw.sqlite3_bind_int(statement, 4, range.LastUnit);
            SQLitePCL.raw.sqlite3_bind_int(statement, 5, range.LastIndicator);
            if (!query)
                BulkInserter.Check(handle, source is null ? SQLitePCL.raw.sqlite3_bind_null(statement, 6) : SQLitePCL.raw.sqlite3_bind_text(statement, 6, source));
            var step = SQLitePCL.raw.sqlite3_step(statement);
            if (step != (query ? SQLitePCL.raw.SQLITE_ROW : SQLitePCL.raw.SQLITE_DONE))
                BulkInserter.Check(handle, step);
            return query ? SQLitePCL.raw.sqlite3_column_int64(statement, 0) : SQLitePCL.raw.sqlite3_changes(handle);
        }
    }

    /// <summary>A new value's audit row: no old value or comment.</summary>
    private const string AuditNewSql =
        """INSERT INTO "DataValueAudits" ("PeriodId", "UnitId", "IndicatorId", "NewValue", "NewComment", "ChangedBy", "ChangedAt", "Source") """ +
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

    /// <summary>
    /// SQLite through its C API on the connection's handle (so in its open transaction): Microsoft.Data.Sqlite looks every
    /// parameter up by name on every execution, which costs more than the row. A value's audit row is written beside it,
    /// in the values' key order, except the new values of a period whose range of keys held none before: theirs are
    /// copied from them once they are written (<see cref="CopiedRanges"/>). The values' table is its key (WITHOUT ROWID):
    /// a value is one entry of one B-tree.
    /// </summary>
    private static void WriteSqlite(Microsoft.Data.Sqlite.SqliteConnection connection, List<ValueWrite> writes, ValueStamp stamp)
    {
        var handle = connection.Handle!;
        using var waiting = SqliteLocks.WaitForLocks(connection);
        // The keys first, through the connection's own page cache: the units' pages they read are not written, and read
        // into the large cache the write wants they cost three times as much (0.14 s against 0.05 s at 200,000 units).
        using (Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.import.keys"))
        {
            RequireAll(handle, "Units", writes, static w => w.UnitId);
            RequireAll(handle, "Periods", writes, static w => w.PeriodId);
            RequireAll(handle, "Indicators", writes, static w => w.IndicatorId);
        }

        BulkInserter.Check(handle, SQLitePCL.raw.sqlite3_exec(handle, "PRAGMA cache_size = -65536"));

        // A period whose new values lie in a range of keys that held none before (a file of first values): their audit rows
        // are copied from them by one INSERT ... SELECT once they are written (197,644 rows: 0.12 s, against about 0.21 s
        // written beside them, in process, 05/12). Other new values get theirs beside them.
        var copied = CopiedRanges(handle, writes);
        SQLitePCL.sqlite3_stmt? insert = null, update = null, audit = null, auditNew = null;
        try
        {
            BulkInserter.Check(handle, SQLitePCL.raw.sqlite3_prepare_v2(handle, InsertSql, out insert));
            BulkInserter.Check(handle, SQLitePCL.raw.sqlite3_prepare_v2(handle, UpdateSql, out update));
            BulkInserter.Check(handle, SQLitePCL.raw.sqlite3_prepare_v2(handle, AuditSql, out audit));
            BulkInserter.Check(handle, SQLitePCL.raw.sqlite3_prepare_v2(handle, AuditNewSql, out auditNew));

            // The stamp is the same for every row: bound once (a reset keeps the bindings).
            var by = Encoding.UTF8.GetBytes(stamp.By);
            var at = Encoding.UTF8.GetBytes(BulkInserter.SqliteText(stamp.At));
            var source = stamp.Source is null ? null : Encoding.UTF8.GetBytes(stamp.Source);
            foreach (var statement in new[] { insert, update, audit, auditNew })
            {
                BulkInserter.Check(handle, SQLitePCL.raw.sqlite3_bind_text(statement, 6, by));
                BulkInserter.Check(handle, SQLitePCL.raw.sqlite3_bind_text(statement, 7, at));
            }

            foreach (var statement in new[] { audit, auditNew })
                BulkInserter.Check(handle, source is null ? SQLitePCL.raw.sqlite3_bind_null(statement, 8) : SQLitePCL.raw.sqlite3_bind_text(statement, 8, source));

            using var inserting = new SqliteNative.Statement(insert);
            using var updating = new SqliteNative.Statement(update);
            using var auditing = new SqliteNative.Statement(audit);
            using var auditingNew = new SqliteNative.Statement(auditNew);
            foreach (var w in writes)
            {
                if (w.IsNew)
                {
                    Step(handle, inserting, w);
                    if (!copied.ContainsKey(w.PeriodId))
                        Step(handle, auditingNew, w);
                    continue;
                }

                Step(handle, updating, w);
                BulkInserter.Check(handle, w.OldValue is { } old ? auditing.BindInt64(9, old) : auditing.BindNull(9));
                BulkInserter.Check(handle, w.OldComment is { } oldComment ? auditing.BindText(10, Encoding.UTF8.GetBytes(oldComment)) : auditing.BindNull(10));
                Step(handle, auditing, w);
            }
        }
        finally
        {
            insert?.Dispose();
            update?.Dispose();
            audit?.Dispose();
            auditNew?.Dispose();
        }

        if (copied.Count == 0)
            return;
        using var _ = Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.import.audit");
        foreach (var (period, range) in copied)
        {
            var count = Execute(handle, AuditCopiedSql, period, range, source: stamp.Source);
            if (count != range.Count)
                throw new InvalidOperationException($"{range.Count} values of period {period} inserted, {count} audit rows copied: the range held values stored before");
        }

        static void Step(SQLitePCL.sqlite3 handle, in SqliteNative.Statement statement, in ValueWrite w)
        {
            statement.BindInt64(1, w.PeriodId);
            statement.BindInt64(2, w.UnitId);
            statement.BindInt64(3, w.IndicatorId);
            statement.BindInt64(4, w.Value);
            if (w.Comment is null)
                statement.BindNull(5);
            else
                statement.BindText(5, Encoding.UTF8.GetBytes(w.Comment));
            var step = statement.Step();
            statement.Reset();
            if (step != SQLitePCL.raw.SQLITE_DONE)
                BulkInserter.Check(handle, step);
        }
    }

    /// <summary>
    /// SQLite: every id stored in the table, checked by one statement before anything is written (the distinct ids as a
    /// JSON array, each looked up by its key): at 200,000 units 0.06-0.07 s, where the foreign keys checked a row cost 0.3 s.
    /// </summary>
    private static void RequireAll(SQLitePCL.sqlite3 handle, string table, List<ValueWrite> writes, Func<ValueWrite, int> id)
    {
        var distinct = DistinctIds(writes, id);
        var json = new ArrayBufferWriter<byte>(distinct.Length * 8 + 2);
        json.Write("["u8);
        for (var i = 0; i < distinct.Length; i++)
        {
            if (i > 0)
                json.Write(","u8);
            System.Buffers.Text.Utf8Formatter.TryFormat(distinct[i], json.GetSpan(11), out var written);
            json.Advance(written);
        }

        json.Write("]"u8);
        BulkInserter.Check(handle, SQLitePCL.raw.sqlite3_prepare_v2(handle,
            $"""SELECT count(*) FROM json_each(?1) AS "Key" JOIN "{table}" ON "{table}"."Id" = "Key".value""", out var statement));
        using (statement)
        {
            BulkInserter.Check(handle, SQLitePCL.raw.sqlite3_bind_text(statement, 1, json.WrittenSpan));
            var step = SQLitePCL.raw.sqlite3_step(statement);
            if (step != SQLitePCL.raw.SQLITE_ROW)
                BulkInserter.Check(handle, step);
            NotStored(table, distinct.Length, SQLitePCL.raw.sqlite3_column_int64(statement, 0));
        }
    }

    /// <summary>The distinct ids of one key of the writes, in order.</summary>
    private static int[] DistinctIds(List<ValueWrite> writes, Func<ValueWrite, int> id)
    {
        // The writes are in key order: a single period's units are in order already, and need no sort.
        var ids = new int[writes.Count];
        var sorted = true;
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = id(writes[i]);
            sorted &= i == 0 || ids[i - 1] <= ids[i];
        }

        if (!sorted)
            Array.Sort(ids);
        var count = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            if (count == 0 || ids[count - 1] != ids[i])
                ids[count++] = ids[i];
        }

        return ids[..count];
    }

    private static void NotStored(string table, int named, long found)
    {
        if (found != named)
            throw new InvalidOperationException($"{named - found} of the {named} {table} the values name are not stored: nothing was written");
    }
}
