using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Alerts;

/// <summary>A line of the outbox, without the bodies.</summary>
public sealed record OutboxEntry(long Id, string Key, MessageKind Kind, string Recipient, string Subject, MessageStatus Status, int Attempts,
    DateTime CreatedAt, DateTime NextAttemptAt, DateTime? SentAt, string? LastError)
{
    /// <summary>
    /// Until when a process that claimed the message to send it holds it, or null when none does. Every attempt that ends
    /// marks the row Sent or writes its error, and the claim clears the last error: a Pending message tried and without
    /// one is in flight, or was left so by a process that stopped mid-send (then it goes again once the claim runs out).
    /// </summary>
    public DateTime? ClaimedUntil => Status == MessageStatus.Pending && Attempts > 0 && LastError is null ? NextAttemptAt : null;
}

/// <summary>What the outbox holds: for operators (<c>qcdc outbox</c>), so that a dead message is seen, never lost.</summary>
public sealed class OutboxQueries(IDbContextFactory<QcdcDbContext> contexts, TimeProvider clock, AlertOptions options, OutboxJournal? journal = null)
{
    private readonly OutboxJournal _journal = journal ?? new OutboxJournal(options);

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

    /// <summary>One message's line, or null when there is no such message.</summary>
    public async Task<OutboxEntry?> EntryAsync(long id, CancellationToken ct = default) =>
        (await PageAsync(null, id - 1, 1, ct)).SingleOrDefault(m => m.Id == id);

    /// <summary>
    /// What an operator is told of a claimed message (<see cref="OutboxEntry.ClaimedUntil"/>), or null: accepted by the
    /// relay, its mark held back by the database, when this machine's journal holds it (<see cref="OutboxJournal"/>);
    /// else in flight until when, or left by a process that stopped; either way it may already have reached the relay,
    /// the one window where sending is at least once (README, "Exactly once").
    /// </summary>
    public string? ClaimNote(OutboxEntry entry)
    {
        if (entry.Status == MessageStatus.Pending && Accepted(entry.Id) is { } found)
            return $"accepted by the relay at {found.Accepted.AcceptedAt:yyyy-MM-dd HH:mm} UTC ({Vietnamese.Time(found.Accepted.AcceptedAt)} giờ Việt Nam), attempt "
                   + $"{found.Accepted.Attempt}, and not marked Sent yet, the database being out then: the journal {found.Folder} holds it, and the next delivery round "
                   + "of a process using that journal marks it Sent without sending it again";
        if (entry.ClaimedUntil is not { } until)
            return null;
        return until > clock.GetUtcNow().UtcDateTime
            ? $"in flight: claimed for attempt {entry.Attempts} until {until:yyyy-MM-dd HH:mm} UTC by the process sending it; it may already have reached "
              + "the relay, and if that process stopped, it is sent again after that time and may arrive twice"
            : $"claimed for attempt {entry.Attempts} until {until:yyyy-MM-dd HH:mm} UTC and never marked: the process sending it stopped mid-send; it may "
              + "already have reached the relay, and the next round sends it again, so it may arrive twice";
    }

    /// <summary>The journal's record of a message the relay accepted and the outbox does not say so yet, and the journal's folder; or null.</summary>
    private (AcceptedMessage Accepted, string Folder)? Accepted(long id)
    {
        using var db = contexts.CreateDbContext();
        var place = _journal.PlaceOf(db);
        return _journal.Find(place, id) is { } accepted ? (accepted, place.Folder) : null;
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

    /// <summary>
    /// Puts dead messages back in line with their attempts reset, once the address or the relay is fixed; a message whose
    /// recipient's address has changed since goes to the new one (<see cref="Requeued"/> says what went where). A unit
    /// alert or a reminder goes to its unit's contact now: when that is no longer the address the message was refused at,
    /// the dead row is marked <see cref="MessageStatus.Withdrawn"/>, saying where it went instead, and a copy of it, same
    /// bodies, is queued to the new address under its own key (so its own Message-ID): the auditor sees both addresses,
    /// and what was refused at the old one. <paramref name="to"/> names the new address outright, for any message (a
    /// committee's, whose address is a setting: a digest or escalation to an address no committee has any more is not
    /// put back in line without it, as it could only be refused again).
    /// </summary>
    public async Task<Requeued> RequeueAsync(IReadOnlyCollection<long>? ids, string? to = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var query = db.OutboxMessages.AsNoTracking().Where(m => m.Status == MessageStatus.Dead);
        if (ids is not null)
            query = query.Where(m => ids.Contains(m.Id));
        var dead = await query.OrderBy(m => m.Id).ToListAsync(ct);
        var (back, moved, held) = (new List<long>(), new List<string>(), new List<string>());
        var addresses = to is null ? await OutboxReaddressing.AddressesNowAsync(db, dead, options, ct) : [];
        foreach (var row in dead)
        {
            var (address, why) = to is not null ? (to.Trim(), "as asked") : addresses[row.Id];
            if (address is null)
            {
                held.Add($"message {row.Id} stays Dead: {why}");
                continue;
            }

            if (!OutboxReaddressing.Elsewhere(row, address))
            {
                back.Add(row.Id);
                continue;
            }

            var move = await OutboxReaddressing.MoveAsync(db, row, address, why, MessageStatus.Dead, now, ct);
            if (move.Copy is { } copy)
                moved.Add($"message {row.Id} to {row.Recipient} goes to {address} ({why}) as message {copy.Id}");
            else if (move.MovedBefore is not null)
                held.Add($"message {row.Id} stays Dead: {move.Held}");
        }

        var requeued = back.Count == 0 ? 0 : await db.OutboxMessages.Where(m => back.Contains(m.Id) && m.Status == MessageStatus.Dead)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Pending).SetProperty(m => m.Attempts, 0).SetProperty(m => m.NextAttemptAt, now), ct);
        return new Requeued(requeued + moved.Count, moved, held);
    }
}

/// <summary>
/// What a retry did: how many messages are back in line (at their address, or re-addressed), the re-addressed ones with
/// where they went, and the dead ones left dead with why.
/// </summary>
public sealed record Requeued(int Count, IReadOnlyList<string> Readdressed, IReadOnlyList<string> Held);
