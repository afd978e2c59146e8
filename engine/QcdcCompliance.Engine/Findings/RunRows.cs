using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Findings;

/// <summary>
/// A run's own rows (the run, the scope's latest run, the audit chain's head), written in the caller's transaction by
/// plain SQL on SQLite and PostgreSQL and through EF's change tracker on SQL Server, as <see cref="PeriodStore"/> writes
/// periods. A CLI evaluation is a process of its own, and EF's first <c>SaveChanges</c> in it spent 0.12-0.19 s before its
/// INSERT was sent (its update pipeline made ready), on the thread every phase waits for (issue 16). The checks EF makes
/// are made here too: a scope's latest run or the chain's head that moved since it was read is a
/// <see cref="DbUpdateConcurrencyException"/>, and a scope stored meanwhile by another run a unique-key violation, both
/// conflicts the caller's retry builds again on (<see cref="DatabaseErrors.IsConflict"/>). What a run reads of the rows
/// before it (the scope's latest run, that run, the current area results) is read by plain SQL on every provider, so that
/// a CLI evaluation compiles no LINQ query (<see cref="PlainSql"/>).
/// </summary>
internal static class RunRows
{
    private const string RunColumns = """
        "Id", "PeriodId", "ScopeAreaId", "Trigger", "RuleSetVersion", "Status", "StartedAt", "FinishedAt", "PreviousRunId", "UnitsEvaluated",
        "FindingsOpen", "NewCount", "PersistingCount", "ResolvedCount", "Error", "ChainSequence", "PreviousHash", "Hash", "InputFingerprint"
        """;

    private const string AreaResultColumns = """
        "Id", "RunId", "PeriodId", "ScopeAreaId", "TargetCode", "SupersededByRunId", "AreaId", "AreaLevel", "PopulationUnits", "MetUnits",
        "MissingUnits", "Numerator", "Denominator", "Status"
        """;

    /// <summary>The scope's latest-run row, or null for a scope never evaluated; tracked where EF stores it (SQL Server).</summary>
    public static async Task<ScopeState?> StateAsync(QcdcDbContext db, int periodId, int scopeAreaId, CancellationToken ct)
    {
        var state = (await PlainSql.ListAsync(db, """SELECT "LatestRunId", "UpdatedAt" FROM "ScopeStates" WHERE "PeriodId" = @p0 AND "ScopeAreaId" = @p1""",
            r => new ScopeState { PeriodId = periodId, ScopeAreaId = scopeAreaId, LatestRunId = r.GetInt64(0), UpdatedAt = r.UtcDateTime(1) }, ct,
            periodId, scopeAreaId)).SingleOrDefault();
        if (state is not null && !PlainSql.WritesReturning(db))
            db.ScopeStates.Attach(state);
        return state;
    }

    /// <summary>The scope's latest run as committed now (null for a scope never evaluated), untracked.</summary>
    public static async Task<long?> LatestRunIdAsync(QcdcDbContext db, int periodId, int scopeAreaId, CancellationToken ct) =>
        (await PlainSql.ListAsync(db, """SELECT "LatestRunId" FROM "ScopeStates" WHERE "PeriodId" = @p0 AND "ScopeAreaId" = @p1""",
            r => r.GetInt64(0), ct, periodId, scopeAreaId)).Cast<long?>().SingleOrDefault();

    /// <summary>The chain's head, locked (<see cref="Audit.AuditChain.LockHeadAsync"/>), tracked where EF stores it (SQL Server).</summary>
    public static Task<AuditChainHead> LockHeadAsync(QcdcDbContext db, CancellationToken ct) => Audit.AuditChain.LockHeadAsync(db, ct, track: !PlainSql.WritesReturning(db));

    /// <summary>The input fingerprint of the scope's latest run (null for none, or for a run that has none).</summary>
    public static async Task<string?> LatestFingerprintAsync(QcdcDbContext db, int periodId, int scopeAreaId, CancellationToken ct) =>
        (string?)await PlainSql.ScalarAsync(db, """
            SELECT r."InputFingerprint" FROM "ScopeStates" s INNER JOIN "EvaluationRuns" r ON r."Id" = s."LatestRunId"
            WHERE s."PeriodId" = @p0 AND s."ScopeAreaId" = @p1
            """, ct, periodId, scopeAreaId);

    /// <summary>A stored run, untracked.</summary>
    public static async Task<EvaluationRun> RunAsync(QcdcDbContext db, long id, CancellationToken ct) =>
        (await PlainSql.ListAsync(db, $"""SELECT {RunColumns} FROM "EvaluationRuns" WHERE "Id" = @p0""", r => new EvaluationRun
        {
            Id = r.GetInt64(0), PeriodId = r.GetInt32(1), ScopeAreaId = r.GetInt32(2), Trigger = r.Enum<RunTrigger>(3), RuleSetVersion = r.GetString(4),
            Status = r.Enum<RunStatus>(5), StartedAt = r.UtcDateTime(6), FinishedAt = r.IsDBNull(7) ? null : r.UtcDateTime(7), PreviousRunId = r.NullableInt64(8),
            UnitsEvaluated = r.GetInt32(9), FindingsOpen = r.GetInt32(10), NewCount = r.GetInt32(11), PersistingCount = r.GetInt32(12), ResolvedCount = r.GetInt32(13),
            Error = r.NullableString(14), ChainSequence = r.NullableInt64(15), PreviousHash = r.NullableString(16), Hash = r.NullableString(17),
            InputFingerprint = r.NullableString(18),
        }, ct, id)).Single();

    /// <summary>
    /// The area results of a (period, scope) that no later run superseded (<see cref="RunRecords.Unsuperseded{T}"/>),
    /// untracked; with <paramref name="areaIds"/>, only those of these areas.
    /// </summary>
    public static async Task<List<AreaResult>> CurrentAreasAsync(QcdcDbContext db, int periodId, int scopeAreaId, CancellationToken ct,
        IReadOnlyCollection<int>? areaIds = null)
    {
        var sql = $"""SELECT {AreaResultColumns} FROM "AreaResults" WHERE "PeriodId" = @p0 AND "ScopeAreaId" = @p1 AND "SupersededByRunId" IS NULL""";
        if (areaIds is null)
            return await PlainSql.ListAsync(db, sql, ReadAreaResult, ct, periodId, scopeAreaId);
        var rows = new List<AreaResult>();
        foreach (var chunk in areaIds.Chunk(PlainSql.MaxParameters))
            rows.AddRange(await PlainSql.ListAsync(db, $"""{sql} AND "AreaId" IN ({Names.List(chunk)})""", ReadAreaResult, ct, periodId, scopeAreaId));
        return rows;
    }

    /// <summary>
    /// Marks the rows of <paramref name="table"/> (findings or area results) with these ids as superseded by the run: the
    /// current rows a newer version of the same key replaced.
    /// </summary>
    public static async Task SupersedeAsync(QcdcDbContext db, string table, IEnumerable<long> ids, long runId, CancellationToken ct)
    {
        // Only ids read from the database are written into the statement.
        var run = runId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var chunk in ids.Chunk(5000))
        {
            var list = string.Join(',', chunk.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var sql = $"""UPDATE "{table}" SET "SupersededByRunId" = {run} WHERE "Id" IN ({list})""";
            await db.Database.ExecuteSqlRawAsync(sql, ct);
        }
    }

    /// <summary>The columns each read names, for the test that holds them to the model.</summary>
    public static IReadOnlyList<string> ColumnsOf<T>() => PlainSql.ColumnNames(typeof(T) == typeof(EvaluationRun) ? RunColumns : AreaResultColumns);

    private static AreaResult ReadAreaResult(System.Data.Common.DbDataReader r) => new()
    {
        Id = r.GetInt64(0), RunId = r.GetInt64(1), PeriodId = r.GetInt32(2), ScopeAreaId = r.GetInt32(3), TargetCode = r.GetString(4),
        SupersededByRunId = r.NullableInt64(5), AreaId = r.GetInt32(6), AreaLevel = r.Enum<AreaLevel>(7), PopulationUnits = r.GetInt32(8),
        MetUnits = r.GetInt32(9), MissingUnits = r.GetInt32(10), Numerator = r.GetInt64(11), Denominator = r.GetInt64(12), Status = r.Enum<AreaStatus>(13),
    };

    /// <summary>Stores a new run and gives it its id.</summary>
    public static async Task InsertAsync(QcdcDbContext db, EvaluationRun run, CancellationToken ct)
    {
        if (!PlainSql.WritesReturning(db))
        {
            db.EvaluationRuns.Add(run);
            await db.SaveChangesAsync(ct);
            return;
        }

        var id = await ExecuteAsync(db, """
            INSERT INTO "EvaluationRuns" ("PeriodId", "ScopeAreaId", "Trigger", "RuleSetVersion", "Status", "StartedAt", "FinishedAt", "PreviousRunId",
            "UnitsEvaluated", "FindingsOpen", "NewCount", "PersistingCount", "ResolvedCount", "Error", "ChainSequence", "PreviousHash", "Hash", "InputFingerprint")
            VALUES ({0}) RETURNING "Id"
            """, ct, run.PeriodId, run.ScopeAreaId, run.Trigger.ToString(), run.RuleSetVersion, run.Status.ToString(), Utc(run.StartedAt), Utc(run.FinishedAt),
            run.PreviousRunId, run.UnitsEvaluated, run.FindingsOpen, run.NewCount, run.PersistingCount, run.ResolvedCount, run.Error, run.ChainSequence,
            run.PreviousHash, run.Hash, run.InputFingerprint);
        run.Id = Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// How a run was linked: the scope's latest-run row as it is to be stored (new, or read when it named
    /// <see cref="StateRunBefore"/>), and the chain's head as it is to be stored (read at <see cref="HeadSequenceBefore"/>).
    /// </summary>
    public sealed record Link(ScopeState State, bool NewScope, long StateRunBefore, AuditChainHead Head, long HeadSequenceBefore);

    /// <summary>
    /// Stores what the run became once written and linked (its counts, end and link), the scope's latest run (which must
    /// still be the one read) and the chain's head (which must not have moved since it was read).
    /// </summary>
    public static async Task CompleteAsync(QcdcDbContext db, EvaluationRun run, Link link, CancellationToken ct)
    {
        var (state, newScope, stateRunBefore, head, headSequenceBefore) = link;
        if (!PlainSql.WritesReturning(db))
        {
            // The run, the scope's row read and the head are tracked: EF writes what changed, and a new scope's row.
            if (newScope)
                db.ScopeStates.Add(state);
            await db.SaveChangesAsync(ct);
            return;
        }

        await ExecuteAsync(db, """
            UPDATE "EvaluationRuns" SET "FinishedAt" = @p0, "FindingsOpen" = @p1, "NewCount" = @p2, "PersistingCount" = @p3, "ResolvedCount" = @p4,
            "ChainSequence" = @p5, "PreviousHash" = @p6, "Hash" = @p7 WHERE "Id" = @p8
            """, ct, Utc(run.FinishedAt), run.FindingsOpen, run.NewCount, run.PersistingCount, run.ResolvedCount, run.ChainSequence, run.PreviousHash, run.Hash,
            run.Id);
        if (newScope)
        {
            await ExecuteAsync(db, """INSERT INTO "ScopeStates" ("PeriodId", "ScopeAreaId", "LatestRunId", "UpdatedAt") VALUES ({0})""", ct,
                state.PeriodId, state.ScopeAreaId, state.LatestRunId, Utc(state.UpdatedAt));
        }
        else if (await ExecuteAsync(db, """
                     UPDATE "ScopeStates" SET "LatestRunId" = @p0, "UpdatedAt" = @p1 WHERE "PeriodId" = @p2 AND "ScopeAreaId" = @p3 AND "LatestRunId" = @p4
                     RETURNING "LatestRunId"
                     """, ct, state.LatestRunId, Utc(state.UpdatedAt), state.PeriodId, state.ScopeAreaId, stateRunBefore) is null)
        {
            throw new DbUpdateConcurrencyException($"the latest run of period {state.PeriodId}, scope {state.ScopeAreaId} is no longer run {stateRunBefore}");
        }

        if (await ExecuteAsync(db, """UPDATE "AuditChainHeads" SET "Sequence" = @p0, "Hash" = @p1 WHERE "Id" = @p2 AND "Sequence" = @p3 RETURNING "Id" """, ct,
                head.Sequence, head.Hash, head.Id, headSequenceBefore) is null)
            throw new DbUpdateConcurrencyException($"the audit chain's head is no longer at {headSequenceBefore}");
    }

    /// <summary>Stored as UTC, as the context's converter stores a time.</summary>
    private static DateTime? Utc(DateTime? value) => value is { } v ? QcdcDbContext.UtcConverter.ToStore(v) : null;

    /// <summary>
    /// One statement; <c>{0}</c> in it becomes the list of all the values (a NULL written as such, every other value a
    /// parameter); without it the values are <c>@p0</c>, <c>@p1</c>, ... and none may be null. The first column of the
    /// first row it returns, or null.
    /// </summary>
    private static Task<object?> ExecuteAsync(QcdcDbContext db, string sql, CancellationToken ct, params object?[] values)
    {
        if (!sql.Contains("{0}", StringComparison.Ordinal))
            return PlainSql.ScalarAsync(db, sql, ct, values.Select(v => v ?? throw new ArgumentException($"a NULL in a statement without a list: {sql}")).ToArray());
        var parameters = new List<object>(values.Length);
        var list = string.Join(", ", values.Select(v =>
        {
            if (v is null)
                return "NULL";
            parameters.Add(v);
            return "@p" + (parameters.Count - 1);
        }));
        return PlainSql.ScalarAsync(db, sql.Replace("{0}", list, StringComparison.Ordinal), ct, [.. parameters]);
    }
}
