using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Alerts;

/// <summary>A line of the outbox, without the bodies.</summary>
public sealed record OutboxEntry(long Id, string Key, MessageKind Kind, string Recipient, string Subject, MessageStatus Status, int Attempts,
    DateTime CreatedAt, DateTime NextAttemptAt, DateTime? SentAt, string? LastError);

/// <summary>What the outbox holds: for operators (<c>qcdc outbox</c>), so that a dead message is seen, never lost.</summary>
public sealed class OutboxQueries(IDbContextFactory<QcdcDbContext> contexts, TimeProvider clock, AlertOptions options)
{
    /// <summary>
    /// The audit view of one message (<c>qcdc outbox show</c>): the e-mail as delivery sends it, byte for byte, from its
    /// stored row (the bodies are stored compressed, <see cref="CompactText"/>, and read back exactly). False when there is no such message.
    /// </summary>
    public async Task<bool> WriteAsSentAsync(long id, Stream output, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.OutboxMessages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct) is not { } row)
            return false;
        // A unit alert not delivered yet is rendered as delivery will render it (and store it, before it sends).
        await DeferredAlerts.RenderAsync(db, row, ct);
        await OutboxMail.WriteAsync(OutboxMail.Build(row, options), output, ct);
        return true;
    }

    public async Task<IReadOnlyDictionary<MessageStatus, int>> CountsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var counts = await db.OutboxMessages.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return Enum.GetValues<MessageStatus>().ToDictionary(s => s, s => counts.FirstOrDefault(c => c.Key == s)?.Count ?? 0);
    }

    /// <summary>One page of messages by id, after <paramref name="afterId"/>; every status when none is given.</summary>
    public async Task<IReadOnlyList<OutboxEntry>> PageAsync(MessageStatus? status, long afterId, int size, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.OutboxMessages.AsNoTracking().Where(m => m.Id > afterId);
        if (status is { } s)
            query = query.Where(m => m.Status == s);
        return await query.OrderBy(m => m.Id).Take(size)
            .Select(m => new OutboxEntry(m.Id, m.Key, m.Kind, m.Recipient, m.Subject, m.Status, m.Attempts, m.CreatedAt, m.NextAttemptAt, m.SentAt, m.LastError))
            .ToListAsync(ct);
    }

    /// <summary>Puts dead messages back in line with their attempts reset (after the address or the relay was fixed).</summary>
    public async Task<int> RequeueAsync(IReadOnlyCollection<long>? ids, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var query = db.OutboxMessages.Where(m => m.Status == MessageStatus.Dead);
        if (ids is not null)
            query = query.Where(m => ids.Contains(m.Id));
        return await query.ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Pending).SetProperty(m => m.Attempts, 0)
            .SetProperty(m => m.NextAttemptAt, now), ct);
    }
}
