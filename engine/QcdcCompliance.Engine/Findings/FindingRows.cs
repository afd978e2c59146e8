using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Findings;

/// <summary>
/// A scope's stored findings read whole by plain SQL rather than materialised by EF Core: what a full run compares with,
/// and the open findings a run left. On SQLite through its C API (<see cref="SqliteNative"/>), as the facts are; on the
/// other providers through <see cref="PlainSql"/>. A province's 498,788 current findings took EF Core 3.96 s on one
/// core, a third of a full evaluation of 2020S1 in which every finding persisted (after an import, or a new build, 06/12);
/// SQLite reads the same rows in 0.19 s. The rows are the same <see cref="Finding"/>s; the measurements and target codes
/// that rows repeat are held once.
/// </summary>
public static class FindingRows
{
    private static readonly string[] Columns =
    [
        nameof(Finding.Id), nameof(Finding.RunId), nameof(Finding.TargetCode), nameof(Finding.SubjectType), nameof(Finding.SubjectId),
        nameof(Finding.SubjectCode), nameof(Finding.State), nameof(Finding.Severity), "Measurement.Outcome", "Measurement.Numerator",
        "Measurement.Denominator", "Measurement.Value", "Measurement.Operator", "Measurement.ThresholdMillionths", "Measurement.Minimum",
        "Measurement.Gap", nameof(Finding.PackedEvidence), nameof(Finding.FirstRunId), nameof(Finding.SupersededByRunId),
    ];

    /// <summary>
    /// The rows of a (period, scope) that no later run superseded (<see cref="RunRecords.Unsuperseded{T}"/>); without
    /// <paramref name="evidence"/>, read with an empty one (what compares standings only: a what-if).
    /// </summary>
    public static Task<List<Finding>> CurrentAsync(QcdcDbContext db, int periodId, int scopeAreaId, CancellationToken ct, bool evidence = true)
    {
        var n = Names.Of<Finding>(db);
        return ReadAsync(db, n, $"{n[nameof(Finding.SupersededByRunId)]} IS NULL", periodId, scopeAreaId, ct, evidence);
    }

    /// <summary>
    /// The open findings of a (period, scope) as run <paramref name="runId"/> left them: rows it or an earlier run wrote,
    /// not superseded by then, not resolved.
    /// </summary>
    public static Task<List<Finding>> OpenAsOfAsync(QcdcDbContext db, int periodId, int scopeAreaId, long runId, CancellationToken ct)
    {
        var n = Names.Of<Finding>(db);
        var (superseded, run) = (n[nameof(Finding.SupersededByRunId)], runId.ToString(CultureInfo.InvariantCulture));
        // Only an id read from the database and an enum's name are written into the statement.
        return ReadAsync(db, n, $"{n[nameof(Finding.RunId)]} <= {run} AND ({superseded} IS NULL OR {superseded} > {run}) "
                                + $"AND {n[nameof(Finding.State)]} <> '{nameof(FindingState.Resolved)}'", periodId, scopeAreaId, ct);
    }

    private static async Task<List<Finding>> ReadAsync(QcdcDbContext db, Names n, string where, int periodId, int scopeAreaId, CancellationToken ct,
        bool evidence = true)
    {
        var columns = Columns.Select(c => evidence || c != nameof(Finding.PackedEvidence) ? n[c] : "NULL");
        var sql = $"SELECT {string.Join(", ", columns)} FROM {n.Table} WHERE {n[nameof(Finding.PeriodId)]} = "
                  + $"{periodId.ToString(CultureInfo.InvariantCulture)} AND {n[nameof(Finding.ScopeAreaId)]} = {scopeAreaId.ToString(CultureInfo.InvariantCulture)} AND {where}";
        var rows = new Rows(periodId, scopeAreaId);
        if (db.Database.GetDbConnection() is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            await FactLoader.OnSqliteAsync(db, sqlite, handle => ReadSqlite(handle, sql, rows, ct), ct);
            return rows.List;
        }

        await using var reader = await PlainSql.ReaderAsync(db, sql, ct);
        var r = reader.DbDataReader;
        while (await r.ReadAsync(ct))
        {
            rows.Add(r.GetInt64(0), r.GetInt64(1), rows.Target(r.GetString(2)), r.Enum<SubjectType>(3), r.GetInt32(4), r.GetString(5), r.Enum<FindingState>(6),
                r.Enum<Severity>(7), new Measurement(r.Enum<FindingOutcome>(8), Long(r, 9), Long(r, 10), Long(r, 11), r.Enum<ComparisonOperator>(12), r.GetInt64(13),
                    Long(r, 14), Long(r, 15)), r.IsDBNull(16) ? [] : r.GetFieldValue<byte[]>(16), r.GetInt64(17), Long(r, 18));
        }

        return rows.List;

        static long? Long(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
    }

    /// <summary>SQLite: the same rows through its C API, the enums matched on the UTF-8 SQLite stores.</summary>
    private static void ReadSqlite(SQLitePCL.sqlite3 handle, string sql, Rows rows, CancellationToken ct)
    {
        BulkInserter.Check(handle, SQLitePCL.raw.sqlite3_prepare_v2(handle, sql, out var prepared));
        using (prepared)
        using (var s = new SqliteNative.Statement(prepared))
        {
            int step, read = 0;
            while ((step = s.Step()) == SQLitePCL.raw.SQLITE_ROW)
            {
                if ((++read & 4095) == 0)
                    ct.ThrowIfCancellationRequested();
                rows.Add(s.ColumnInt64(0), s.ColumnInt64(1), rows.Target(s.ColumnBlob(2)), Utf8Enum<SubjectType>.Parse(s.ColumnBlob(3)), s.ColumnInt(4),
                    Encoding.UTF8.GetString(s.ColumnBlob(5)), Utf8Enum<FindingState>.Parse(s.ColumnBlob(6)), Utf8Enum<Severity>.Parse(s.ColumnBlob(7)),
                    new Measurement(Utf8Enum<FindingOutcome>.Parse(s.ColumnBlob(8)), Long(s, 9), Long(s, 10), Long(s, 11), Utf8Enum<ComparisonOperator>.Parse(s.ColumnBlob(12)),
                        s.ColumnInt64(13), Long(s, 14), Long(s, 15)), s.ColumnBlob(16).ToArray(), s.ColumnInt64(17), Long(s, 18));
            }

            if (step != SQLitePCL.raw.SQLITE_DONE)
                BulkInserter.Check(handle, step);
        }

        static long? Long(in SqliteNative.Statement statement, int index) => statement.ColumnIsNull(index) ? null : statement.ColumnInt64(index);
    }

    /// <summary>The rows read, with the measurements and target codes they repeat held once.</summary>
    private sealed class Rows(int periodId, int scopeAreaId)
    {
        private readonly Dictionary<Measurement, Measurement> _measurements = new();
        private readonly List<(byte[] Utf8, string Text)> _targets = new();

        public List<Finding> List { get; } = new();

        public string Target(string code)
        {
            foreach (var (_, text) in _targets)
            {
                if (text == code)
                    return text;
            }

            _targets.Add((Encoding.UTF8.GetBytes(code), code));
            return code;
        }

        public string Target(ReadOnlySpan<byte> utf8)
        {
            foreach (var (bytes, text) in _targets)
            {
                if (utf8.SequenceEqual(bytes))
                    return text;
            }

            var code = Encoding.UTF8.GetString(utf8);
            _targets.Add((utf8.ToArray(), code));
            return code;
        }

        public void Add(long id, long runId, string target, SubjectType subjectType, int subjectId, string subjectCode, FindingState state, Severity severity,
            Measurement measurement, byte[] evidence, long firstRunId, long? supersededBy)
        {
            if (!_measurements.TryAdd(measurement, measurement))
                measurement = _measurements[measurement];
            List.Add(new Finding
            {
                Id = id, RunId = runId, PeriodId = periodId, ScopeAreaId = scopeAreaId, TargetCode = target, SubjectType = subjectType, SubjectId = subjectId,
                SubjectCode = subjectCode, State = state, Severity = severity, Measurement = measurement, PackedEvidence = evidence, FirstRunId = firstRunId,
                SupersededByRunId = supersededBy,
            });
        }
    }

    /// <summary>An enum stored by name (<c>HasConversion&lt;string&gt;()</c>), matched on its UTF-8 without making a string.</summary>
    private static class Utf8Enum<T> where T : struct, Enum
    {
        private static readonly (byte[] Name, T Value)[] Names = Enum.GetValues<T>().Select(v => (Encoding.UTF8.GetBytes(v.ToString()), v)).ToArray();

        public static T Parse(ReadOnlySpan<byte> utf8)
        {
            foreach (var (name, value) in Names)
            {
                if (utf8.SequenceEqual(name))
                    return value;
            }

            return Enum.Parse<T>(Encoding.UTF8.GetString(utf8));
        }
    }
}
