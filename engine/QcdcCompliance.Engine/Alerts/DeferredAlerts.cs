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
    /// <summary>Fills the bodies of a row that awaits rendering, in memory; a row composed whole is left as it is.</summary>
    public static Task RenderAsync(QcdcDbContext db, OutboxMessage row, CancellationToken ct) => RenderAsync(db, [row], [], ct);

    /// <summary>
    /// Fills, in memory, the bodies of the rows that await rendering, with one read of their findings a thousand units;
    /// returns the ids of the rows it rendered.
    /// </summary>
    /// <param name="words">The runs' words already read (by run id), filled as runs are read: a delivery renders many messages of one run.</param>
    public static async Task<HashSet<long>> RenderAsync(QcdcDbContext db, IReadOnlyCollection<OutboxMessage> rows, Dictionary<long, UnitAlertWords> words,
        CancellationToken ct)
    {
        var pending = rows.Where(r => r.AwaitsRendering).Select(r => (Row: r, Run: r.RunId ?? throw new InvalidOperationException(
            $"Outbox message {r.Id} ({r.Key}) has parts but no run."), Units: UnitAlertPart.Read(r.Parts!))).ToList();
        if (pending.Count == 0)
            return [];
        foreach (var runId in pending.Select(p => p.Run).Distinct().Where(id => !words.ContainsKey(id)).ToList())
        {
            var stored = await db.AlertRunWords.AsNoTracking().Where(w => w.RunId == runId).Select(w => w.Words).SingleOrDefaultAsync(ct)
                ?? throw new InvalidOperationException($"Run {runId} has unit alerts to render but stored no alert words.");
            words[runId] = UnitAlertWords.Unpack(stored);
        }

        // By subject (a unit has few rows across runs), then the run's: by the run's index the database would read a
        // province's whole first run (400,000 rows).
        var runs = pending.Select(p => p.Run).ToHashSet();
        var findings = new Dictionary<(long Run, string Target, int Unit), Finding>();
        foreach (var chunk in pending.SelectMany(p => p.Units.Select(u => u.Id)).Distinct().Chunk(1000))
        {
            var read = await db.Findings.AsNoTracking().Where(f => f.SubjectType == SubjectType.Unit && chunk.Contains(f.SubjectId)).ToListAsync(ct);
            foreach (var f in read.Where(f => runs.Contains(f.RunId)))
                findings[(f.RunId, f.TargetCode, f.SubjectId)] = f;
        }

        foreach (var (row, runId, units) in pending)
        {
            var body = UnitAlerts.Render(runId, units, words[runId], (target, unit) => findings.TryGetValue((runId, target, unit), out var f) ? f
                : throw new InvalidOperationException($"Outbox message {row.Id} ({row.Key}): run {runId} stored no finding of {target} for unit {unit}."));
            row.PackedTextBody = body.PackText();
            row.PackedHtmlBody = body.PackHtml(row.Subject);
        }

        return [.. pending.Select(p => p.Row.Id)];
    }
}
