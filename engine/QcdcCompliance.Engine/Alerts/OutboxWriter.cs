using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Alerts;

/// <summary>
/// Queues messages that are not part of a run (reminders, escalations): a message whose key is already in the outbox
/// is skipped, so a job that runs twice, or on two hosts at once, queues each message once.
/// </summary>
public sealed class OutboxWriter(IDbContextFactory<QcdcDbContext> contexts, TimeProvider clock)
{
    /// <summary>Adds the messages whose keys are new; returns how many were added.</summary>
    public async Task<int> AddNewAsync(IReadOnlyList<ComposedMessage> messages, CancellationToken ct = default)
    {
        if (messages.Count == 0)
            return 0;
        // Another process may add some of these keys between our read and our write: then they are read again.
        return await Resilience.WriteConflicts.ExecuteAsync(async token => await AddOnceAsync(messages, token), ct);
    }

    private async Task<int> AddOnceAsync(IReadOnlyList<ComposedMessage> messages, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in messages.Select(m => m.Key).Distinct().Chunk(1000))
            taken.UnionWith(await db.OutboxMessages.Where(m => chunk.Contains(m.Key)).Select(m => m.Key).ToListAsync(ct));

        var now = clock.GetUtcNow().UtcDateTime;
        var fresh = messages.Where(m => taken.Add(m.Key)).Select(m => m.ToOutbox(now)).ToList();
        db.OutboxMessages.AddRange(fresh);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return fresh.Count;
    }
}
