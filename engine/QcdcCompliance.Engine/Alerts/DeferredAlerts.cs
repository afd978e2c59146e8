using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Alerts;

/// <summary>
/// Renders the unit alerts an evaluation stored as parts (<see cref="OutboxMessage.Parts"/>): from the run's words
/// (<see cref="AlertRunWords"/>) and the run's stored findings alone, so the bytes are those the evaluation would have
/// written. Delivery stores them on the row with its claim, before it sends (a later attempt sends what is stored); the
/// audit view renders a pending one the same way without storing it.
/// </summary>
public static class DeferredAlerts
{
    /// <summary>
    /// Fills the bodies of a row that awaits rendering, in memory; a row composed whole is left as it is. Throws, saying
    /// why, for a row that cannot be rendered.
    /// </summary>
    public static async Task RenderAsync(QcdcDbContext db, OutboxMessage row, CancellationToken ct)
    {
        if ((await RenderAsync(db, [row], [], ct)).Failed.TryGetValue(row.Id, out var why))
            throw new InvalidOperationException(why);
    }

    /// <summary>
    /// Fills, in memory, the bodies of the rows that await rendering, with one read of their findings a thousand units.
    /// A row that cannot be rendered (its run's words or one of its findings missing, its parts unreadable: only a bug
    /// or a database changed by hand does that) is left as it is and named in <see cref="Rendering.Failed"/> with why,
    /// so that delivery marks it dead and goes on with the others.
    /// </summary>
    /// <param name="words">The runs' words already read (by run id), filled as runs are read: a delivery renders many messages of one run.</param>
    public static async Task<Rendering> RenderAsync(QcdcDbContext db, IReadOnlyCollection<OutboxMessage> rows, Dictionary<long, UnitAlertWords> words,
        CancellationToken ct)
    {
        var result = new Rendering([], []);
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
        // period and scope and not superseded by the run (a row stands until a later run writes the key again).
        var runIds = pending.Select(p => p.Run).Distinct().ToList();
        var runs = (await db.EvaluationRuns.AsNoTracking().Where(r => runIds.Contains(r.Id)).Select(r => new { r.Id, r.PeriodId, r.ScopeAreaId }).ToListAsync(ct))
            .ToDictionary(r => r.Id, r => (r.PeriodId, r.ScopeAreaId));
        var findings = new Dictionary<(long Run, string Target, int Unit), Finding>();
        foreach (var chunk in pending.SelectMany(p => p.Units.Select(u => u.Id)).Distinct().Chunk(1000))
        {
            var read = await db.Findings.AsNoTracking().Where(f => f.SubjectType == SubjectType.Unit && chunk.Contains(f.SubjectId)).ToListAsync(ct);
            foreach (var f in read.Where(f => f.State != FindingState.Resolved))
            {
                foreach (var (runId, (periodId, scopeId)) in runs)
                {
                    if (f.PeriodId == periodId && f.ScopeAreaId == scopeId && f.RunId <= runId && (f.SupersededByRunId is not { } by || by > runId))
                        findings[(runId, f.TargetCode, f.SubjectId)] = f;
                }
            }
        }

        foreach (var (row, runId, units) in pending)
        {
            if (result.Failed.ContainsKey(row.Id))
                continue;
            if (!words.TryGetValue(runId, out var runWords))
            {
                result.Failed[row.Id] = $"Outbox message {row.Id} ({row.Key}): run {runId} has unit alerts to render but stored no alert words.";
                continue;
            }

            var bodies = Try(row, () =>
            {
                var body = UnitAlerts.Render(runId, units, runWords, (target, unit) => findings.TryGetValue((runId, target, unit), out var f) ? f
                    : throw new InvalidOperationException($"Outbox message {row.Id} ({row.Key}): run {runId} stored no finding of {target} for unit {unit}."));
                return new[] { body.PackText(), body.PackHtml(row.Subject) };
            }, result);
            if (bodies is [var text, var html])
            {
                row.PackedTextBody = text;
                row.PackedHtmlBody = html;
                result.Rendered.Add(row.Id);
            }
        }

        return result;
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

/// <summary>The rows a delivery round rendered, and those it could not render, with why.</summary>
public sealed record Rendering(HashSet<long> Rendered, Dictionary<long, string> Failed);
