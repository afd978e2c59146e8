using QcdcCompliance.Storage;

namespace QcdcCompliance.Audit;

/// <summary>
/// What the verifier checks of <c>SupersededByRunId</c>, the column that decides which findings and area results are
/// current (every list, CSV, dashboard and digest reads the rows it leaves null). A run supersedes, in its own period and
/// scope, exactly the current row of each key it records again, and (a full run) the area results it no longer computes;
/// nothing else ever writes the column. So, for the rows of one key in one (period, scope), in run order:
/// <list type="bullet">
/// <item>a finding is superseded by the run of the next finding of its key, and the last one by none (a run records a
/// row for every key whose current row it replaces: the rule holds whole);</item>
/// <item>an area result is superseded by a later completed run of its period and scope, and at the latest by the run of
/// the next result of its key (a result a full run dropped and a later run computed again was superseded by the first).</item>
/// </list>
/// A row that breaks this was altered after it was recorded. The rule holds for links of every format; a
/// <see cref="RunLinkFormat.Superseding"/> link also hashes the ids its run superseded, which is what catches an area
/// result marked dropped by a later full run that did not drop it.
/// </summary>
internal static class Supersessions
{
    /// <summary>
    /// The rows of each of <paramref name="runIds"/> superseded, as stored now (every run's, read once: the column has no
    /// index of its own, and one pass over each table costs what one run's findings do).
    /// </summary>
    public static async Task<Func<long, SupersededRows>> SupersededAsync(QcdcDbContext db, IReadOnlyCollection<long> runIds, CancellationToken ct)
    {
        if (runIds.Count == 0)
            return _ => SupersededRows.None;
        var (low, high) = (runIds.Min(), runIds.Max());
        var findings = await ByRunAsync(db, "Findings", low, high, ct);
        var areas = await ByRunAsync(db, "AreaResults", low, high, ct);
        return run => findings.Contains(run) || areas.Contains(run) ? new SupersededRows(findings[run], areas[run]) : SupersededRows.None;
    }

    private static async Task<ILookup<long, long>> ByRunAsync(QcdcDbContext db, string table, long low, long high, CancellationToken ct) =>
        (await PlainSql.ListAsync(db, $"""
            SELECT "SupersededByRunId", "Id" FROM "{table}" WHERE "SupersededByRunId" >= @p0 AND "SupersededByRunId" <= @p1
            """, r => (Run: r.GetInt64(0), Id: r.GetInt64(1)), ct, low, high)).ToLookup(r => r.Run, r => r.Id);

    /// <summary>
    /// Every row whose supersession breaks the rule, worded as a chain break, under each run it involves (its own, the
    /// run it names, the run of the next row of its key): a check of part of the chain names it at the first of these
    /// it covers. The rows are found by the database (a window over each key's rows in run order), so only those at
    /// fault are read.
    /// </summary>
    public static async Task<ILookup<long, string>> FaultsAsync(QcdcDbContext db, CancellationToken ct)
    {
        var faults = new List<(long Run, string Problem)>();
        foreach (var f in await PlainSql.ListAsync(db, """
                     SELECT f."Id", f."RunId", f."SupersededByRunId", f."NextRunId", f."TargetCode", f."SubjectType", f."SubjectCode"
                     FROM (SELECT "Id", "RunId", "SupersededByRunId", "TargetCode", "SubjectType", "SubjectCode",
                                  LEAD("RunId") OVER (PARTITION BY "PeriodId", "ScopeAreaId", "TargetCode", "SubjectType", "SubjectId" ORDER BY "RunId", "Id") AS "NextRunId"
                           FROM "Findings") f
                     WHERE (f."SupersededByRunId" IS NULL AND f."NextRunId" IS NOT NULL)
                        OR (f."SupersededByRunId" IS NOT NULL AND (f."NextRunId" IS NULL OR f."SupersededByRunId" <> f."NextRunId"))
                     ORDER BY f."Id"
                     """, r => new Row(r.GetInt64(0), r.GetInt64(1), r.NullableInt64(2), r.NullableInt64(3), $"{r.GetString(4)}, {r.GetString(5)} {r.GetString(6)}"),
                     ct))
        {
            // Two rows of one key in one run: the run's own hash tells what was altered.
            if (f.Next == f.Run)
                continue;
            faults.AddRange(Involved(f).Select(run => (run, Problem("finding", f))));
        }

        foreach (var a in await PlainSql.ListAsync(db, """
                     SELECT a."Id", a."RunId", a."SupersededByRunId", a."NextRunId", a."TargetCode", ar."Code"
                     FROM (SELECT "Id", "RunId", "PeriodId", "ScopeAreaId", "SupersededByRunId", "TargetCode", "AreaId",
                                  LEAD("RunId") OVER (PARTITION BY "PeriodId", "ScopeAreaId", "TargetCode", "AreaId" ORDER BY "RunId", "Id") AS "NextRunId"
                           FROM "AreaResults") a
                     LEFT JOIN "EvaluationRuns" r ON r."Id" = a."SupersededByRunId"
                     LEFT JOIN "Areas" ar ON ar."Id" = a."AreaId"
                     WHERE (a."NextRunId" IS NOT NULL AND (a."SupersededByRunId" IS NULL OR a."SupersededByRunId" > a."NextRunId"))
                        OR (a."SupersededByRunId" IS NOT NULL AND (r."Id" IS NULL OR r."ChainSequence" IS NULL OR r."PeriodId" <> a."PeriodId"
                            OR r."ScopeAreaId" <> a."ScopeAreaId" OR r."Id" <= a."RunId"))
                     ORDER BY a."Id"
                     """, r => new Row(r.GetInt64(0), r.GetInt64(1), r.NullableInt64(2), r.NullableInt64(3),
                         $"{r.GetString(4)}, area {(r.IsDBNull(5) ? "?" : r.GetString(5))}"), ct))
        {
            if (a.Next == a.Run)
                continue;
            faults.AddRange(Involved(a).Select(run => (run, Problem("area result", a))));
        }

        return faults.ToLookup(f => f.Run, f => f.Problem);
    }

    /// <summary>A row at fault: its id and run, the run it names as superseding it, the run of the next row of its key, its key.</summary>
    private sealed record Row(long Id, long Run, long? SupersededBy, long? Next, string Key);

    private static IEnumerable<long> Involved(Row row) =>
        new[] { row.Run, row.SupersededBy, row.Next }.OfType<long>().Distinct();

    /// <summary>The break, in the words of the chain's other breaks: the row, the runs, and what became of its supersession.</summary>
    private static string Problem(string what, Row row)
    {
        var subject = $"{what} #{row.Id} of run {row.Run} ({row.Key})";
        return (row.SupersededBy, row.Next) switch
        {
            (null, { } next) => $"{subject} is not marked superseded, but run {next} recorded its key again: its supersession was removed after it was recorded",
            ({ } by, { } next) => $"{subject} is marked superseded by run {by}, but run {next} recorded its key again: its supersession was altered after it was recorded",
            ({ } by, null) when what == "finding" =>
                $"{subject} is marked superseded by run {by}, but no later run of its period and scope recorded its key again: its supersession was altered after it was recorded",
            // An area result whose key no later run recorded is found only when the run it names is no later completed run of its period and scope.
            ({ } by, null) => $"{subject} is marked superseded by run {by}, which is not a later run of its period and scope: its supersession was altered after it was recorded",
            _ => $"{subject}: its supersession was altered after it was recorded",
        };
    }
}
