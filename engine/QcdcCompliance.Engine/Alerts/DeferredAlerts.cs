using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Alerts;

/// <summary>
/// Renders the unit alerts an evaluation stored as parts (<see cref="OutboxMessage.Parts"/>): from the run's words
/// (<see cref="AlertRunWords"/>) and the run's stored findings alone, so the bytes are those the evaluation would have
/// written. Delivery stores them on the row with its claim, before it sends (a later attempt sends what is stored); the
/// audit view renders a pending one the same way without storing it.
/// <para>
/// A line is rendered only while it is still true: one whose finding a later run of the period resolved, or found anew
/// (that run tells it), is left out, and a message left with no line is withdrawn (<see cref="Rendering.Withdrawn"/>),
/// as a line held to the deadline is never told once the figure arrived in time. This is checked once, at the render
/// before the first send: from then on the stored bytes are what goes, as they may have reached the relay.
/// </para>
/// </summary>
public static class DeferredAlerts
{
    /// <summary>
    /// Fills the bodies of a row that awaits rendering, in memory; a row composed whole is left as it is. A row withdrawn,
    /// or that delivery would withdraw, is rendered as its run queued it (what was never sent). Throws, saying why, for a
    /// row that cannot be rendered.
    /// </summary>
    public static async Task RenderAsync(QcdcDbContext db, OutboxMessage row, CancellationToken ct)
    {
        var rendering = await RenderAsync(db, [row], [], ct);
        if (rendering.Withdrawn.ContainsKey(row.Id))
            rendering = await RenderAsync(db, [row], [], ct, asQueued: true);
        if (rendering.Failed.TryGetValue(row.Id, out var why))
            throw new InvalidOperationException(why);
    }

    /// <summary>
    /// Fills, in memory, the bodies (and, where lines were left out, the subject) of the rows that await rendering, with
    /// one read of their findings a thousand units. A row that cannot be rendered (its run's words or one of its findings
    /// missing, its parts unreadable: only a bug or a database changed by hand does that) is left as it is and named in
    /// <see cref="Rendering.Failed"/> with why, so that delivery marks it dead and goes on with the others. A Pending row
    /// none of whose lines is still true is left as it is and named in <see cref="Rendering.Withdrawn"/> with why.
    /// </summary>
    /// <param name="words">The runs' words already read (by run id), filled as runs are read: a delivery renders many messages of one run.</param>
    /// <param name="asQueued">Every line the run queued, true or not since (the audit view of a withdrawn message).</param>
    public static async Task<Rendering> RenderAsync(QcdcDbContext db, IReadOnlyCollection<OutboxMessage> rows, Dictionary<long, UnitAlertWords> words,
        CancellationToken ct, bool asQueued = false)
    {
        var result = new Rendering([], [], []);
        var pending = new List<(OutboxMessage Row, long Run, IReadOnlyList<UnitAlertPart> Units)>();
        foreach (var row in rows.Where(r => r.AwaitsRendering))
        {
            if (row.RunId is not { } run)
                result.Failed[row.Id] = $"Outbox message {row.Id} ({row.Key}) has parts but no run.";
            else if (Try(row, () => UnitAlertPart.Read(row.Parts!), result) is { } units)
                pending.Add((row, run, units));
        }

        if (pending.Count == 0)
            return result;
        foreach (var runId in pending.Select(p => p.Run).Distinct().Where(id => !words.ContainsKey(id)).ToList())
        {
            if (await db.AlertRunWords.AsNoTracking().Where(w => w.RunId == runId).Select(w => w.Words).SingleOrDefaultAsync(ct) is { } stored
                && Try(pending.First(p => p.Run == runId).Row, () => UnitAlertWords.Unpack(stored), result) is { } unpacked)
                words[runId] = unpacked;
        }

        // By subject (a unit has few rows across runs), then the run's: by the run's index the database would read a
        // province's whole first run (400,000 rows). The run's finding is the row that stands for the run: written by it,
        // or, for a finding held back before the deadline and told by the first run after it, by an earlier run of its
        // period and scope and not superseded by the run (a row stands until a later run writes the key again). The row
        // that stands now (superseded by none) says whether the line is still true.
        var runIds = pending.Select(p => p.Run).Distinct().ToList();
        var runs = (await db.EvaluationRuns.AsNoTracking().Where(r => runIds.Contains(r.Id)).Select(r => new { r.Id, r.PeriodId, r.ScopeAreaId }).ToListAsync(ct))
            .ToDictionary(r => r.Id, r => (r.PeriodId, r.ScopeAreaId));
        var findings = new Dictionary<(long Run, string Target, int Unit), Finding>();
        var scopes = runs.Values.ToHashSet();
        var standing = new Dictionary<(int Period, int Scope, string Target, int Unit), Finding>();
        foreach (var chunk in pending.SelectMany(p => p.Units.Select(u => u.Id)).Distinct().Chunk(1000))
        {
            var read = await db.Findings.AsNoTracking().Where(f => f.SubjectType == SubjectType.Unit && chunk.Contains(f.SubjectId)).ToListAsync(ct);
            foreach (var f in read)
            {
                if (f.SupersededByRunId is null && scopes.Contains((f.PeriodId, f.ScopeAreaId)))
                    standing[(f.PeriodId, f.ScopeAreaId, f.TargetCode, f.SubjectId)] = f;
                if (f.State == FindingState.Resolved)
                    continue;
                foreach (var (runId, (periodId, scopeId)) in runs)
                {
                    if (f.PeriodId == periodId && f.ScopeAreaId == scopeId && f.StoodAt(runId))
                        findings[(runId, f.TargetCode, f.SubjectId)] = f;
                }
            }
        }

        foreach (var (row, runId, queued) in pending)
        {
            if (result.Failed.ContainsKey(row.Id))
                continue;
            if (!words.TryGetValue(runId, out var runWords))
            {
                result.Failed[row.Id] = $"Outbox message {row.Id} ({row.Key}): run {runId} has unit alerts to render but stored no alert words.";
                continue;
            }

            Finding Told(string target, int unit) => findings.TryGetValue((runId, target, unit), out var f) ? f
                : throw new InvalidOperationException($"Outbox message {row.Id} ({row.Key}): run {runId} stored no finding of {target} for unit {unit}.");
            // Only a message not yet sent is checked: a withdrawn one is shown as queued, and one sent was rendered before.
            var (units, gone) = !asQueued && row.Status == MessageStatus.Pending
                ? Try(row, () => StillTrue(queued, runWords, runs[runId], Told, standing), result)
                : (queued, []);
            if (units is null)
                continue;
            if (units.Count == 0)
            {
                result.Withdrawn[row.Id] = $"withdrawn, never sent: no line of it was still true at delivery ({string.Join("; ", gone)})";
                continue;
            }

            var (subject, text, html) = Try(row, () =>
            {
                var body = UnitAlerts.Render(runId, units, runWords, Told);
                var subject = gone.Count == 0 ? row.Subject : Vietnamese.Nfc(UnitAlerts.Subject(runWords, units));
                return (subject, body.PackText(), body.PackHtml(subject));
            }, result);
            if (subject is not null)
            {
                (row.Subject, row.PackedTextBody, row.PackedHtmlBody) = (subject, text, html);
                result.Rendered.Add(row.Id);
            }
        }

        return result;
    }

    /// <summary>
    /// The parts with only the lines still true (units left with none dropped), and what was left out and why: a line
    /// whose finding a later run of the period resolved, or recorded anew after resolving it (that run tells it, if
    /// anyone). A line whose finding a later run only re-measured stays, as the run said it: the shortfall still stands.
    /// </summary>
    private static (IReadOnlyList<UnitAlertPart> Units, IReadOnlyList<string> Gone) StillTrue(IReadOnlyList<UnitAlertPart> queued, UnitAlertWords words,
        (int Period, int Scope) run, Func<string, int, Finding> told, Dictionary<(int, int, string, int), Finding> standing)
    {
        var (units, gone) = (new List<UnitAlertPart>(queued.Count), new List<string>());
        foreach (var unit in queued)
        {
            var kept = new List<int>(unit.Findings.Length);
            for (var i = 0; i + 1 < unit.Findings.Length; i += 2)
            {
                var target = words.TargetCodes[unit.Findings[i]];
                var was = told(target, unit.Id);
                var why = standing.TryGetValue((run.Period, run.Scope, target, unit.Id), out var now) && now.Id != was.Id
                    ? now.State == FindingState.Resolved ? $"resolved by run {now.RunId}"
                    : now.FirstRunId != was.FirstRunId ? $"resolved, then found anew by run {now.RunId}, which tells it" : null
                    : null;
                if (why is null)
                    kept.AddRange([unit.Findings[i], unit.Findings[i + 1]]);
                else
                    gone.Add($"{target} of {unit.Code} {why}");
            }

            if (kept.Count == unit.Findings.Length)
                units.Add(unit);
            else if (kept.Count > 0)
                units.Add(unit with { Findings = [.. kept] });
        }

        return (units, gone);
    }

    /// <summary>What <paramref name="make"/> gives, or default with the row named in <see cref="Rendering.Failed"/> and why.</summary>
    private static T? Try<T>(OutboxMessage row, Func<T> make, Rendering result)
    {
        try
        {
            return make();
        }
        catch (Exception e) when (e is InvalidOperationException or System.Text.Json.JsonException or FormatException or KeyNotFoundException or ArgumentException or InvalidDataException)
        {
            result.Failed[row.Id] = e.Message.Contains($"Outbox message {row.Id}", StringComparison.Ordinal)
                ? e.Message
                : $"Outbox message {row.Id} ({row.Key}) cannot be rendered: {e.GetType().Name}: {e.Message}";
            return default;
        }
    }
}

/// <summary>
/// The rows a delivery round rendered, those it could not render, with why, and those it must not send, no line of them
/// being true any more, with why (<see cref="MessageStatus.Withdrawn"/>).
/// </summary>
public sealed record Rendering(HashSet<long> Rendered, Dictionary<long, string> Failed, Dictionary<long, string> Withdrawn);
