using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Alerts;

/// <summary>
/// Renders the unit alerts an evaluation stored as parts (<see cref="OutboxMessage.Parts"/>): from the run's words
/// (<see cref="AlertRunWords"/>) and the run's stored findings alone, so the bytes are those the evaluation would have
/// written. Delivery stores them on the row before it sends (a retry sends what is stored); the audit view renders a
/// pending one the same way without storing it.
/// </summary>
public static class DeferredAlerts
{
    /// <summary>Fills the bodies of a row that awaits rendering, in memory; a row composed whole is left as it is.</summary>
    /// <param name="words">The runs' words already read (by run id), filled as runs are read: a delivery round renders many messages of one run.</param>
    public static async Task RenderAsync(QcdcDbContext db, OutboxMessage row, Dictionary<long, UnitAlertWords>? words, CancellationToken ct)
    {
        if (!row.AwaitsRendering)
            return;
        var runId = row.RunId ?? throw new InvalidOperationException($"Outbox message {row.Id} ({row.Key}) has parts but no run.");
        if (words?.GetValueOrDefault(runId) is not { } said)
        {
            var stored = await db.AlertRunWords.AsNoTracking().Where(w => w.RunId == runId).Select(w => w.Words).SingleOrDefaultAsync(ct)
                ?? throw new InvalidOperationException($"Outbox message {row.Id} ({row.Key}): run {runId} stored no alert words.");
            said = UnitAlertWords.Unpack(stored);
            words?.Add(runId, said);
        }

        var units = UnitAlertPart.Read(row.Parts!);
        var ids = units.Select(u => u.Id).ToList();
        var findings = await db.Findings.AsNoTracking()
            .Where(f => f.RunId == runId && f.SubjectType == SubjectType.Unit && ids.Contains(f.SubjectId))
            .ToDictionaryAsync(f => (f.TargetCode, f.SubjectId), ct);
        var body = UnitAlerts.Render(runId, units, said, (target, unit) => findings.TryGetValue((target, unit), out var f) ? f
            : throw new InvalidOperationException($"Outbox message {row.Id} ({row.Key}): run {runId} stored no finding of {target} for unit {unit}."));
        row.PackedTextBody = body.PackText();
        row.PackedHtmlBody = body.PackHtml(row.Subject);
    }

    /// <summary>
    /// Renders a claimed row that awaits rendering and stores its bodies (conditionally on the claim), before it is sent:
    /// from then on the row holds exactly what was sent, and a later attempt sends the same bytes without rendering.
    /// </summary>
    public static async Task RenderAndStoreAsync(QcdcDbContext db, OutboxMessage row, Dictionary<long, UnitAlertWords>? words, CancellationToken ct)
    {
        if (!row.AwaitsRendering)
            return;
        await RenderAsync(db, row, words, ct);
        var (id, attempts, text, html) = (row.Id, row.Attempts, row.PackedTextBody, row.PackedHtmlBody);
        await db.OutboxMessages
            .Where(m => m.Id == id && m.Status == MessageStatus.Pending && m.Attempts == attempts)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.PackedTextBody, text).SetProperty(m => m.PackedHtmlBody, html), ct);
    }
}
