using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Audit;

/// <summary>
/// The tamper-evident chain over completed runs (and, through the same head, finding actions): each link hashes its
/// own content with the previous link's hash, so altering a stored run, finding or area result breaks every later
/// link and <c>audit verify</c> names the first one that no longer matches.
/// </summary>
public static class AuditChain
{
    /// <summary>
    /// The chain's head, locked until the caller's transaction ends: a writer that appends a link waits here for the
    /// one before it to commit and then reads its link, instead of reading the same head, numbering its link the same
    /// and failing at commit. Retrying a whole run after such a failure starved the largest province on PostgreSQL
    /// (a run of 260,000 units took longer to store than the small provinces took to get in before it, six times).
    /// A no-op update takes the row lock on every provider (SQLite's writers are serialised anyway).
    /// </summary>
    public static async Task<AuditChainHead> LockHeadAsync(QcdcDbContext db, CancellationToken ct)
    {
        await db.AuditChainHeads.Where(h => h.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(h => h.Sequence, h => h.Sequence), ct);
        return await db.AuditChainHeads.SingleAsync(h => h.Id == 1, ct);
    }

    public static string HashRun(EvaluationRun run, IEnumerable<Finding> findings, IEnumerable<AreaResult> areas)
    {
        var text = new StringBuilder();
        text.Append("run|").AppendJoin('|',
            run.Id, run.PeriodId, run.ScopeAreaId, run.Trigger, run.RuleSetVersion, run.Status, Time(run.StartedAt), Time(run.FinishedAt),
            run.PreviousRunId, run.UnitsEvaluated, run.FindingsOpen, run.NewCount, run.PersistingCount, run.ResolvedCount,
            run.ChainSequence, run.PreviousHash).Append('\n');
        foreach (var f in findings.OrderBy(f => f.TargetCode, StringComparer.Ordinal).ThenBy(f => f.SubjectType).ThenBy(f => f.SubjectId))
        {
            text.Append("finding|").AppendJoin('|',
                f.RunId, f.PeriodId, f.ScopeAreaId, f.TargetCode, f.SubjectType, f.SubjectId, f.SubjectCode, f.State, f.Severity, f.Measurement.Numerator,
                f.Measurement.Denominator, f.Measurement.Value, f.Measurement.Operator, f.Measurement.ThresholdMillionths, f.Measurement.Minimum, f.FirstRunId,
                f.Evidence);
            // Links written before findings had an outcome hashed none; Short is what their rows read now.
            if (f.Measurement.Outcome != FindingOutcome.Short)
                text.Append('|').Append(f.Measurement.Outcome);
            // Likewise the gap, which links written before it existed did not hash (their rows hold none).
            if (f.Measurement.Gap is { } gap)
                text.Append("|gap=").Append(gap);
            text.Append('\n');
        }

        foreach (var a in areas.OrderBy(a => a.TargetCode, StringComparer.Ordinal).ThenBy(a => a.AreaId))
        {
            text.Append("area|").AppendJoin('|',
                a.RunId, a.PeriodId, a.ScopeAreaId, a.TargetCode, a.AreaId, a.AreaLevel, a.PopulationUnits, a.MetUnits, a.MissingUnits,
                a.Numerator, a.Denominator, a.Status).Append('\n');
        }

        return Sha256(text.ToString());
    }

    public static string HashAction(FindingAction action) =>
        Sha256("action|" + string.Join('|', action.Id, action.FindingId, action.Kind, action.Reason, action.By, Time(action.At),
            action.ChainSequence, action.PreviousHash));

    public static string HashSignOff(SignOff s) =>
        Sha256("signoff|" + string.Join('|', s.Id, s.AreaId, s.PeriodId, s.Kind, s.Reason, s.By, Time(s.At), s.RunId, s.IncompleteUnits,
            s.ChainSequence, s.PreviousHash));

    /// <summary>Times as stored by every provider: whole milliseconds, UTC.</summary>
    public static DateTime Truncate(DateTime time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);

    private static string? Time(DateTime? time) =>
        time?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
