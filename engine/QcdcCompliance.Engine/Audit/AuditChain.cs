using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Audit;

/// <summary>
/// How a run's link is hashed. A link keeps the format it was written in, and <c>audit verify</c> knows every format,
/// so a chain written by an earlier build still verifies.
/// </summary>
public enum RunLinkFormat
{
    /// <summary>Each finding's evidence as its JSON text (every run stored before the fourth step of issue 16).</summary>
    Text = 1,

    /// <summary>Each finding's evidence as the bytes stored (<see cref="CompactText.Evidence"/>), not unpacked (runs stored until 05/12/2026).</summary>
    Stored = 2,

    /// <summary>
    /// The findings' lines of <see cref="Stored"/> hashed on their own, and their count and SHA-256 in the link in their
    /// place: the findings' part is hashed while the rows are written, before the chain's head is known.
    /// </summary>
    Digested = 3,

    /// <summary>
    /// <see cref="Digested"/>, the run's input fingerprint added to its line, and the ids of the finding and area-result
    /// rows the run superseded (<see cref="SupersededRows"/>) after its findings' part: the supersession that decides which
    /// rows are current, and the fingerprint that lets a later run over the same facts be stored without evaluating, are
    /// covered (runs stored since 08/12/2026).
    /// </summary>
    Superseding = 4,
}

/// <summary>
/// The ids of the rows a run marked superseded (<c>SupersededByRunId</c>): the current findings and area results of its
/// period and scope it replaced. Hashed in id order by a <see cref="RunLinkFormat.Superseding"/> link.
/// </summary>
public sealed class SupersededRows
{
    public SupersededRows(IEnumerable<long> findings, IEnumerable<long> areas)
    {
        Findings = [.. findings.Order()];
        Areas = [.. areas.Order()];
    }

    public long[] Findings { get; }
    public long[] Areas { get; }

    /// <summary>A run that superseded nothing (a scope's first run; a run stored unchanged).</summary>
    public static SupersededRows None { get; } = new([], []);
}

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
    /// A no-op update takes the row lock on every provider (SQLite's writers are serialised anyway). Both statements are
    /// plain SQL (see <see cref="PlainSql"/>): a run takes the lock in every CLI process. The head is tracked for the caller
    /// to change and save, unless <paramref name="track"/> is false (a run on SQLite or PostgreSQL stores it by plain SQL,
    /// <see cref="Findings.RunRows"/>); a head this context already tracks is returned as it is tracked.
    /// </summary>
    public static async Task<AuditChainHead> LockHeadAsync(QcdcDbContext db, CancellationToken ct, bool track = true)
    {
        await db.Database.ExecuteSqlRawAsync("""UPDATE "AuditChainHeads" SET "Sequence" = "Sequence" WHERE "Id" = 1""", ct);
        if (db.AuditChainHeads.Local.FindEntry(HeadId) is { } tracked)
            return tracked.Entity;
        var head = (await PlainSql.ListAsync(db, """SELECT "Sequence", "Hash" FROM "AuditChainHeads" WHERE "Id" = 1""",
            r => new AuditChainHead { Id = HeadId, Sequence = r.GetInt64(0), Hash = r.GetString(1) }, ct)).Single();
        if (track)
            db.AuditChainHeads.Attach(head);
        return head;
    }

    /// <summary>The chain's one head row.</summary>
    private const int HeadId = 1;

    /// <summary>
    /// Appends a committee's act (an acknowledgement, a waiver, a sign-off) to the chain inside the caller's
    /// transaction: the head locked, the act numbered after it and stored, then hashed (the hash covers the id the
    /// database has just given) and made the head. The caller commits.
    /// </summary>
    public static async Task<T> AppendAsync<T>(QcdcDbContext db, T act, Func<T, string> hash, CancellationToken ct) where T : CommitteeAct
    {
        var head = await LockHeadAsync(db, ct);
        (act.ChainSequence, act.PreviousHash, act.Hash) = (head.Sequence + 1, head.Hash, "");
        db.Add(act);
        await db.SaveChangesAsync(ct);
        act.Hash = hash(act);
        (head.Sequence, head.Hash) = (act.ChainSequence, act.Hash);
        await db.SaveChangesAsync(ct);
        return act;
    }

    /// <summary>The link format a new run is hashed with.</summary>
    public const RunLinkFormat CurrentRunFormat = RunLinkFormat.Superseding;

    /// <summary>
    /// The hash of a run's link in the given format (see <see cref="RunLinkFormat"/>): SHA-256 over its fields, every
    /// finding (with its evidence) and area result it recorded, one line each, in key order, and (since
    /// <see cref="RunLinkFormat.Superseding"/>) the rows it superseded (none when not given).
    /// </summary>
    public static string HashRun(EvaluationRun run, IEnumerable<Finding> findings, IEnumerable<AreaResult> areas, RunLinkFormat format = CurrentRunFormat,
        SupersededRows? superseded = null) =>
        HashRun(run, findings, format == RunLinkFormat.Text ? [] : findings.Order(FindingOrder.Instance).ToArray(), areas, format, superseded ?? SupersededRows.None);

    /// <summary>A link in the given format, the findings given as stored and in the link's order.</summary>
    private static string HashRun(EvaluationRun run, IEnumerable<Finding> findings, Finding[] inLinkOrder, IEnumerable<AreaResult> areas, RunLinkFormat format,
        SupersededRows superseded) =>
        format switch
        {
            RunLinkFormat.Text => HashRunText(run, findings, areas),
            RunLinkFormat.Stored => HashRunStored(run, inLinkOrder, areas),
            RunLinkFormat.Digested => HashRunDigested(run, Digest(inLinkOrder), areas, null),
            _ => HashRunDigested(run, Digest(inLinkOrder), areas, superseded),
        };

    /// <summary>
    /// The current format's link over findings already put in the link's order and digested (<see cref="InLinkOrder"/>),
    /// with the rows the run superseded.
    /// </summary>
    public static string HashRun(EvaluationRun run, LinkOrderedFindings findings, IEnumerable<AreaResult> areas, SupersededRows superseded) =>
        HashRunDigested(run, findings.Digest, areas, superseded);

    /// <summary>
    /// A run's findings in the order its link hashes them, and their lines' digest (<see cref="RunLinkFormat.Digested"/>),
    /// made apart from the link: the writer makes them on another core while the rows are written (the order and the
    /// lines are all of the link's cost at 400,000 findings; the link itself needs the run's counts and the chain's
    /// head, known only once the rows are written).
    /// </summary>
    public static LinkOrderedFindings InLinkOrder(IEnumerable<Finding> findings)
    {
        var rows = findings.ToArray();
        Array.Sort(rows, FindingOrder.Instance);
        // An unstable sort gives the verifier's (stable) order only when no two rows share a key; a run writes one per key.
        for (var i = 1; i < rows.Length; i++)
        {
            if (FindingOrder.Instance.Compare(rows[i - 1], rows[i]) == 0)
                throw new InvalidOperationException($"two findings of one run for {rows[i].TargetCode} {rows[i].SubjectType} {rows[i].SubjectId}");
        }

        return new LinkOrderedFindings(Digest(rows));
    }

    /// <summary>
    /// Whether a stored run, its findings and area results give its stored hash in a format this build knows: the
    /// current one, or one an earlier build wrote (a run's link keeps the format it was written in).
    /// </summary>
    /// <param name="superseded">The rows that name the run in <c>SupersededByRunId</c> now.</param>
    public static (bool Matches, string Computed) CheckRun(EvaluationRun run, IReadOnlyCollection<Finding> findings, IReadOnlyCollection<AreaResult> areas,
        SupersededRows superseded)
    {
        // Put in the link's order once for every format tried (a run of 400,000 findings written before run.v3 is tried twice).
        var inLinkOrder = findings.Order(FindingOrder.Instance).ToArray();
        var current = HashRun(run, findings, inLinkOrder, areas, CurrentRunFormat, superseded);
        if (current == run.Hash)
            return (true, current);
        foreach (var format in Enum.GetValues<RunLinkFormat>().Where(f => f != CurrentRunFormat).OrderDescending())
        {
            if (HashRun(run, findings, inLinkOrder, areas, format, superseded) == run.Hash)
                return (true, run.Hash);
        }

        return (false, current);
    }

    /// <summary>
    /// <see cref="RunLinkFormat.Text"/>: each finding's evidence as JSON text. The lines are hashed as they are written, a
    /// few hundred kilobytes at a time (a run of 500,000 findings once built one string of half a gigabyte for this).
    /// </summary>
    private static string HashRunText(EvaluationRun run, IEnumerable<Finding> findings, IEnumerable<AreaResult> areas)
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

    /// <summary>
    /// <see cref="RunLinkFormat.Stored"/>: the same fields written as UTF-8 straight into the hash, and each finding's
    /// evidence as the bytes stored (its length, a colon, the bytes), not unpacked: a province's first run hashed
    /// 400,000 evidences unpacked to text (and an area finding's runs to megabytes).
    /// </summary>
    private static string HashRunStored(EvaluationRun run, IEnumerable<Finding> inLinkOrder, IEnumerable<AreaResult> areas) =>
        HashLink(run, "run.v2", link =>
        {
            foreach (var f in inLinkOrder)
                FindingLine(link, f);
        }, areas);

    /// <summary>
    /// <see cref="RunLinkFormat.Digested"/>: the lines of <see cref="RunLinkFormat.Stored"/>, the findings' lines replaced
    /// by one, <c>findings|count|SHA-256 of their lines</c>. Altering a finding alters that digest, so the link, as before.
    /// With <paramref name="superseded"/>, <see cref="RunLinkFormat.Superseding"/>: the run's line marked <c>run.v4</c> and
    /// ending with its input fingerprint, and after the findings' line one per table of the ids the run superseded,
    /// <c>supersedes|findings|count|id|id…</c> and <c>supersedes|areas|count|id…</c>.
    /// </summary>
    private static string HashRunDigested(EvaluationRun run, FindingsDigest findings, IEnumerable<AreaResult> areas, SupersededRows? superseded) =>
        HashLink(run, superseded is null ? "run.v3" : "run.v4", link =>
        {
            link.Text("findings").Next().Number(findings.Count).Next().Text(findings.Sha256).End();
            if (superseded is null)
                return;
            Ids(link, "findings", superseded.Findings);
            Ids(link, "areas", superseded.Areas);
        }, areas, superseded is null ? null : run.InputFingerprint ?? "");

    private static void Ids(LinkHash link, string table, long[] ids)
    {
        link.Text("supersedes").Next().Text(table).Next().Number(ids.Length);
        foreach (var id in ids)
            link.Next().Number(id);
        link.End();
    }

    /// <summary>
    /// The SHA-256 of findings' lines (<see cref="RunLinkFormat.Stored"/>'s), in the link's order: by key, and a run writes
    /// one row per key, so the order is the same for the writer and the verifier.
    /// </summary>
    private static FindingsDigest Digest(IEnumerable<Finding> inLinkOrder)
    {
        using var link = new LinkHash();
        var count = 0;
        foreach (var f in inLinkOrder)
        {
            FindingLine(link, f);
            count++;
        }

        return new FindingsDigest(count, link.Finish());
    }

    /// <summary>
    /// A run's line first (marked with its format's version, and ending with <paramref name="fingerprint"/> where the
    /// format hashes it), then its findings' part, then a line per area result by key.
    /// </summary>
    private static string HashLink(EvaluationRun run, string version, Action<LinkHash> findings, IEnumerable<AreaResult> areas, string? fingerprint = null)
    {
        using var link = new LinkHash();
        link.Text(version).Next().Number(run.Id).Next().Number(run.PeriodId).Next().Number(run.ScopeAreaId).Next().Text(run.Trigger.ToString()).Next()
            .Text(run.RuleSetVersion).Next().Text(run.Status.ToString()).Next().Text(Time(run.StartedAt)).Next().Text(Time(run.FinishedAt)).Next()
            .Number(run.PreviousRunId).Next().Number(run.UnitsEvaluated).Next().Number(run.FindingsOpen).Next().Number(run.NewCount).Next()
            .Number(run.PersistingCount).Next().Number(run.ResolvedCount).Next().Number(run.ChainSequence).Next().Text(run.PreviousHash);
        if (fingerprint is not null)
            link.Next().Text(fingerprint);
        link.End();
        findings(link);
        foreach (var a in areas.OrderBy(a => a.TargetCode, StringComparer.Ordinal).ThenBy(a => a.AreaId))
        {
            link.Text("area").Next().Number(a.RunId).Next().Number(a.PeriodId).Next().Number(a.ScopeAreaId).Next().Text(a.TargetCode).Next().Number(a.AreaId).Next()
                .Text(a.AreaLevel.ToString()).Next().Number(a.PopulationUnits).Next().Number(a.MetUnits).Next().Number(a.MissingUnits).Next()
                .Number(a.Numerator).Next().Number(a.Denominator).Next().Text(a.Status.ToString()).End();
        }

        return link.Finish();
    }

    /// <summary>A finding's line: its fields, then its evidence as the bytes stored.</summary>
    private static void FindingLine(LinkHash link, Finding f)
    {
        var m = f.Measurement;
        link.Text("finding").Next().Number(f.RunId).Next().Number(f.PeriodId).Next().Number(f.ScopeAreaId).Next().Text(f.TargetCode).Next()
            .Text(f.SubjectType.ToString()).Next().Number(f.SubjectId).Next().Text(f.SubjectCode).Next().Text(f.State.ToString()).Next()
            .Text(f.Severity.ToString()).Next().Number(m.Numerator).Next().Number(m.Denominator).Next().Number(m.Value).Next().Text(m.Operator.ToString()).Next()
            .Number(m.ThresholdMillionths).Next().Number(m.Minimum).Next().Number(f.FirstRunId).Next().Text(m.Outcome.ToString()).Next().Number(m.Gap).Next()
            .Bytes(f.PackedEvidence).End();
    }

    /// <summary>How many findings a run recorded and the SHA-256 of their lines, in hex.</summary>
    internal readonly record struct FindingsDigest(int Count, string Sha256);

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

    /// <summary>A run's findings digested in their link's order, made only by <see cref="InLinkOrder"/>.</summary>
    public sealed class LinkOrderedFindings
    {
        internal LinkOrderedFindings(FindingsDigest digest) => Digest = digest;

        internal FindingsDigest Digest { get; }

        public static LinkOrderedFindings None { get; } = new(AuditChain.Digest([]));
    }

    /// <summary>Findings in the chain's order: target (ordinal), subject type, subject.</summary>
    private sealed class FindingOrder : IComparer<Finding>
    {
        public static readonly FindingOrder Instance = new();

        public int Compare(Finding? x, Finding? y)
        {
            var byTarget = string.CompareOrdinal(x!.TargetCode, y!.TargetCode);
            if (byTarget != 0)
                return byTarget;
            // As integers: an enum's own CompareTo takes an object, and boxed both values in every comparison (438 MB in
            // the sort of a first run's 400,000 findings).
            var byType = ((int)x.SubjectType).CompareTo((int)y.SubjectType);
            return byType != 0 ? byType : x.SubjectId.CompareTo(y.SubjectId);
        }
    }

    /// <summary>
    /// A link's lines written as UTF-8 into a buffer that goes into SHA-256 whenever it fills: fields separated by '|',
    /// lines ended by '\n', a null written as nothing, bytes as their length, a colon and the bytes.
    /// </summary>
    private sealed class LinkHash : IDisposable
    {
        private const int Size = 1 << 18;
        // Rented: a buffer this large is a large object, and a warm scope's change hashes two (its findings' digest and its
        // link) in its 1.5 MB; allocated anew, they brought a second full collection into goal 5's hundred changes.
        private readonly byte[] _buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Size);
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private int _length;

        public LinkHash Text(string? text)
        {
            if (text is null)
                return this;
            Room(Encoding.UTF8.GetMaxByteCount(text.Length));
            if (Size - _length >= Encoding.UTF8.GetMaxByteCount(text.Length))
                _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
            else
            {
                // A text larger than the buffer.
                _hash.AppendData(Encoding.UTF8.GetBytes(text));
            }

            return this;
        }

        public LinkHash Number(long? number)
        {
            if (number is not { } value)
                return this;
            Room(20);
            value.TryFormat(_buffer.AsSpan(_length), out var written, provider: CultureInfo.InvariantCulture);
            _length += written;
            return this;
        }

        public LinkHash Bytes(ReadOnlySpan<byte> bytes)
        {
            Number(bytes.Length);
            Room(1);
            _buffer[_length++] = (byte)':';
            if (bytes.Length > Size - _length)
            {
                Flush();
                _hash.AppendData(bytes);
            }
            else
            {
                bytes.CopyTo(_buffer.AsSpan(_length));
                _length += bytes.Length;
            }

            return this;
        }

        public LinkHash Next() => Byte((byte)'|');

        public LinkHash End() => Byte((byte)'\n');

        public string Finish()
        {
            Flush();
            return Convert.ToHexStringLower(_hash.GetHashAndReset());
        }

        public void Dispose()
        {
            _hash.Dispose();
            System.Buffers.ArrayPool<byte>.Shared.Return(_buffer);
        }

        private LinkHash Byte(byte b)
        {
            Room(1);
            _buffer[_length++] = b;
            return this;
        }

        private void Room(int bytes)
        {
            if (Size - _length < bytes)
                Flush();
        }

        private void Flush()
        {
            _hash.AppendData(_buffer, 0, _length);
            _length = 0;
        }
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
