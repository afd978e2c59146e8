using System.Text;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Reliability;

/// <summary>What the fault tests compare: the stored outcome of a scope, and what one run saw.</summary>
public static class RunFaults
{
    public const string Period = "2020S1";
    public const string Scope = "P";

    /// <summary>
    /// Everything a reader can see of a period's outcome: the current findings as the CLI's CSV, the completed runs with
    /// their counts, every finding and area-result row ever written, and the audit chain's head. Equal strings mean no
    /// reader can tell the two databases apart (ids and times aside).
    /// </summary>
    public static async Task<string> StoredAsync(Engine engine, string period = Period)
    {
        await using var db = engine.Db();
        var text = new StringBuilder();
        var runs = await db.EvaluationRuns.AsNoTracking().Where(r => r.Status == RunStatus.Completed).OrderBy(r => r.ChainSequence).ToListAsync();
        foreach (var r in runs)
            text.Append($"run #{r.ChainSequence}: {r.UnitsEvaluated} units, {r.NewCount} new, {r.PersistingCount} persisting, {r.ResolvedCount} resolved, {r.FindingsOpen} open\n");
        text.Append($"finding rows {await db.Findings.CountAsync()}, area result rows {await db.AreaResults.CountAsync()}, ")
            .Append($"chain head {(await db.AuditChainHeads.SingleAsync()).Sequence}, scope states {await db.ScopeStates.CountAsync()}\n");
        text.Append(FindingCsv.Write(await engine.Findings.ListAsync(new FindingFilter(period))));
        return text.ToString();
    }

    /// <summary>What a run found, in a form that stored rows can be compared with: one line per open finding, sorted.</summary>
    /// <summary>
    /// What a run saw: the findings it built, or, for a run stored without firing because its facts were the last
    /// run's (<see cref="Runs.ScopeEvaluation.Unchanged"/>), the open findings as the stored runs left them at its link.
    /// </summary>
    public static async Task<string> SeenAsync(Engine engine, Runs.ScopeEvaluation evaluation) =>
        evaluation.Unchanged
            ? (await StoredAfterEachRunAsync(engine, evaluation.Period.Code)).Single(r => r.Sequence == evaluation.Run.ChainSequence).Signature
            : Signature(evaluation.Findings);

    public static string Signature(IEnumerable<FindingDraft> findings) =>
        Signature(findings.Select(f => (f.TargetCode, f.SubjectType, f.SubjectCode, f.Measurement.Numerator, f.Measurement.Denominator, f.Measurement.Value)));

    public static string Signature(IEnumerable<(string Target, SubjectType Type, string Subject, long? Numerator, long? Denominator, long? Value)> findings) =>
        string.Join("\n", findings.Select(f => $"{f.Target}|{f.Type}|{f.Subject}|{f.Numerator}|{f.Denominator}|{f.Value}").Order(StringComparer.Ordinal));

    /// <summary>
    /// The open findings as each completed run of the period left them, rebuilt from the rows each run wrote (new,
    /// changed and resolved ones) in the order of the audit chain: what a reader saw right after each commit.
    /// </summary>
    public static async Task<List<(long Sequence, string Signature)>> StoredAfterEachRunAsync(Engine engine, string period = Period)
    {
        await using var db = engine.Db();
        var periodId = (await db.Periods.SingleAsync(p => p.Code == period)).Id;
        var runs = await db.EvaluationRuns.AsNoTracking().Where(r => r.PeriodId == periodId && r.Status == RunStatus.Completed)
            .OrderBy(r => r.ChainSequence).Select(r => new { r.Id, r.ChainSequence }).ToListAsync();
        var rows = (await db.Findings.AsNoTracking().Where(f => f.PeriodId == periodId).ToListAsync()).ToLookup(f => f.RunId);
        var open = new Dictionary<(string, SubjectType, int), Finding>();
        var result = new List<(long, string)>();
        foreach (var run in runs)
        {
            foreach (var row in rows[run.Id])
            {
                if (row.State == FindingState.Resolved)
                    open.Remove((row.TargetCode, row.SubjectType, row.SubjectId));
                else
                    open[(row.TargetCode, row.SubjectType, row.SubjectId)] = row;
            }

            result.Add((run.ChainSequence!.Value, Signature(open.Values.Select(f => (f.TargetCode, f.SubjectType, f.SubjectCode, f.Measurement.Numerator, f.Measurement.Denominator, f.Measurement.Value)))));
        }

        return result;
    }
}
