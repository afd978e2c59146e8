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

    /// <summary>
    /// The hash of a run's link: SHA-256 over its fields, every finding (with its evidence) and area result it recorded,
    /// one line each. The lines are hashed as they are written, a few thousand at a time (a run of 500,000 findings
    /// once built one string of half a gigabyte for this).
    /// </summary>
    public static string HashRun(EvaluationRun run, IEnumerable<Finding> findings, IEnumerable<AreaResult> areas)
    {
        using var text = new StreamingSha256();
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
            text.FlushIfFull();
        }

        foreach (var a in areas.OrderBy(a => a.TargetCode, StringComparer.Ordinal).ThenBy(a => a.AreaId))
        {
            text.Append("area|").AppendJoin('|',
                a.RunId, a.PeriodId, a.ScopeAreaId, a.TargetCode, a.AreaId, a.AreaLevel, a.PopulationUnits, a.MetUnits, a.MissingUnits,
                a.Numerator, a.Denominator, a.Status).Append('\n');
            text.FlushIfFull();
        }

        return text.Finish();
    }

    public static string HashAction(FindingAction action) =>
        Sha256("action|" + string.Join('|', action.Id, action.FindingId, action.Kind, action.Reason, action.By, Time(action.At),
            action.ChainSequence, action.PreviousHash));

    /// <summary>Times as stored by every provider: whole milliseconds, UTC.</summary>
    public static DateTime Truncate(DateTime time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);

    private static string? Time(DateTime? time) =>
        time?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>A text builder whose content goes into SHA-256 as UTF-8 whenever it grows past a few hundred kilobytes.</summary>
    private sealed class StreamingSha256 : IDisposable
    {
        private const int FlushAt = 1 << 18;
        private readonly StringBuilder _text = new(FlushAt + 4096);
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        // A stateful encoder: a surrogate pair split between two flushes is encoded whole.
        private readonly Encoder _utf8 = new UTF8Encoding(false).GetEncoder();
        private byte[] _bytes = [];

        public StringBuilder Append(string text) => _text.Append(text);

        public StringBuilder Append(char c) => _text.Append(c);

        public void FlushIfFull()
        {
            if (_text.Length >= FlushAt)
                Flush(final: false);
        }

        public string Finish()
        {
            Flush(final: true);
            return Convert.ToHexStringLower(_hash.GetHashAndReset());
        }

        private void Flush(bool final)
        {
            foreach (var chunk in _text.GetChunks())
            {
                var needed = _utf8.GetByteCount(chunk.Span, flush: false);
                if (_bytes.Length < needed)
                    _bytes = new byte[Math.Max(needed, FlushAt * 3)];
                var written = _utf8.GetBytes(chunk.Span, _bytes, flush: false);
                _hash.AppendData(_bytes, 0, written);
            }

            if (final)
            {
                var written = _utf8.GetBytes(ReadOnlySpan<char>.Empty, _bytes.Length == 0 ? _bytes = new byte[16] : _bytes, flush: true);
                _hash.AppendData(_bytes, 0, written);
            }

            _text.Clear();
        }

        public void Dispose() => _hash.Dispose();
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
