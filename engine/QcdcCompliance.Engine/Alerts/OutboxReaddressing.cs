using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Alerts;

/// <summary>
/// A unit's message goes to the unit's contact as it is now, not as it was when the message was queued: a unit alert
/// (one address for all its units) or a reporting reminder. Moving one never rewrites the row that was queued: it is
/// marked <see cref="MessageStatus.Withdrawn"/>, its last error saying where it went instead and why, and a copy (same
/// subject and bodies, its own key <c>{key}:to:{address}</c>, so its own Message-ID) is queued to the new address. The
/// key makes it once per change: a message is moved to an address once, and the auditor sees both addresses. Used by
/// <c>qcdc outbox retry</c> (<see cref="OutboxQueries.RequeueAsync"/>, a dead message) and by delivery, before it sends a
/// message no attempt of which can have reached the relay (<see cref="OutboxDelivery"/>).
/// </summary>
public static class OutboxReaddressing
{
    /// <summary>
    /// Where each of <paramref name="rows"/> would go now, and why, or no address and why not: a unit alert's units'
    /// contact (one for all of them), a reminder's unit's contact, a committee's message where it was unless no committee
    /// has that address any more. A unit with no contact now keeps the message's address (nothing better is known). One
    /// read of the units for all the rows.
    /// </summary>
    public static async Task<Dictionary<long, (string? Address, string Why)>> AddressesNowAsync(QcdcDbContext db, IReadOnlyCollection<OutboxMessage> rows,
        AlertOptions options, CancellationToken ct)
    {
        var unitsOf = new Dictionary<long, (List<int>? Ids, string? Code)>();
        foreach (var row in rows)
        {
            if (row is { Kind: MessageKind.UnitAlert, Parts: { } parts })
                unitsOf[row.Id] = (UnitAlertPart.Read(parts).Select(u => u.Id).ToList(), null);
            else if (row.Kind == MessageKind.ReportingReminder && OutboxKeys.ReadReminder(row.Key) is { } reminder)
                unitsOf[row.Id] = (null, reminder.Unit);
        }

        var (byId, byCode) = (new Dictionary<int, string?>(), new Dictionary<string, string?>(StringComparer.Ordinal));
        foreach (var chunk in unitsOf.Values.SelectMany(u => u.Ids ?? []).Distinct().Chunk(1000))
        {
            foreach (var unit in await db.Units.AsNoTracking().Where(u => chunk.Contains(u.Id)).Select(u => new { u.Id, u.ContactEmail }).ToListAsync(ct))
                byId[unit.Id] = unit.ContactEmail;
        }

        foreach (var chunk in unitsOf.Values.Select(u => u.Code).OfType<string>().Distinct().Chunk(1000))
        {
            foreach (var unit in await db.Units.AsNoTracking().Where(u => chunk.Contains(u.Code)).Select(u => new { u.Code, u.ContactEmail }).ToListAsync(ct))
                byCode[unit.Code] = unit.ContactEmail;
        }

        var addresses = new Dictionary<long, (string? Address, string Why)>();
        foreach (var row in rows)
        {
            if (unitsOf.TryGetValue(row.Id, out var units))
            {
                var contacts = units.Ids is { } ids ? ids.Where(byId.ContainsKey).Select(id => byId[id]) : byCode.TryGetValue(units.Code!, out var c) ? [c] : [];
                var now = contacts.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a!.Trim()).DistinctBy(OutboxKeys.Normalise).ToList();
                addresses[row.Id] = now.Count switch
                {
                    0 => (row.Recipient, "its unit has no contact address now"),
                    1 => (now[0], "the unit's contact address now"),
                    _ => (null, $"its units have different contact addresses now ({string.Join(", ", now)}); name one: qcdc outbox retry {row.Id} --to ADDRESS"),
                };
            }
            else if (row.Kind is MessageKind.AreaDigest or MessageKind.Escalation)
            {
                var known = options.Committees.Keys.SelectMany(options.CommitteeOf).Any(a => OutboxKeys.Normalise(a) == OutboxKeys.Normalise(row.Recipient));
                addresses[row.Id] = known
                    ? (row.Recipient, "a committee's address")
                    : (null, $"{row.Recipient} is no committee's address in Alerts:Committees any more; name the committee's address now: qcdc outbox retry {row.Id} --to ADDRESS");
            }
            else
            {
                addresses[row.Id] = (row.Recipient, "its address");
            }
        }

        return addresses;
    }

    /// <summary>Whether <paramref name="address"/> is another address than the message's.</summary>
    public static bool Elsewhere(OutboxMessage row, string address) => OutboxKeys.Normalise(address) != OutboxKeys.Normalise(row.Recipient);

    /// <summary>
    /// Moves a message in <paramref name="from"/> (and at the attempt it was read at) to <paramref name="address"/>: in one
    /// transaction, its copy queued (as <paramref name="row"/> holds it in memory: its bodies as rendered, if they were)
    /// and the row withdrawn, saying where it went and why. Nothing is moved when the message was moved to that address
    /// before (its copy's key is taken) or someone changed the row since it was read; <see cref="Moved.Held"/> says why.
    /// </summary>
    public static async Task<Moved> MoveAsync(QcdcDbContext db, OutboxMessage row, string address, string why, MessageStatus from, DateTime now,
        CancellationToken ct)
    {
        var key = $"{row.Key}:to:{OutboxKeys.Normalise(address)}";
        if (await db.OutboxMessages.AsNoTracking().Where(m => m.Key == key).Select(m => (long?)m.Id).SingleOrDefaultAsync(ct) is { } before)
            return new Moved(null, $"it was re-addressed to {address} before, as message {before} (key {key})", before);

        var copy = new OutboxMessage
        {
            Key = key, Kind = row.Kind, RunId = row.RunId, Recipient = address, Subject = row.Subject, PackedTextBody = row.PackedTextBody,
            PackedHtmlBody = row.PackedHtmlBody, Parts = row.Parts, SentFrom = row.SentFrom, MessageIdDomain = row.MessageIdDomain,
            CreatedAt = row.CreatedAt, Status = MessageStatus.Pending, Attempts = 0, NextAttemptAt = now,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.OutboxMessages.Add(copy);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsConflict(e))
        {
            // Another process moved it to the same address meanwhile: its copy stands.
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return new Moved(null, $"another process re-addressed it to {address} meanwhile (key {key})");
        }

        var note = from == MessageStatus.Dead
            ? $"withdrawn, never delivered: re-addressed to {address} ({why}) as message {copy.Id}; {row.Recipient} had refused it: {row.LastError}"
            : $"withdrawn, never sent: re-addressed to {address} ({why}) as message {copy.Id}; it was queued to {row.Recipient}, its unit's contact then"
              + (row.LastError is { } last ? $"; its last error there: {last}" : "");
        var (id, attempts) = (row.Id, row.Attempts);
        var marked = await db.OutboxMessages.Where(m => m.Id == id && m.Status == from && m.Attempts == attempts)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.Status, MessageStatus.Withdrawn).SetProperty(m => m.LastError, note.Length > 2000 ? note[..2000] : note), ct);
        if (marked != 1)
        {
            // Someone took it meanwhile (another retry, or a delivery's claim): nothing of this one stays.
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return new Moved(null, "another process took it meanwhile");
        }

        await transaction.CommitAsync(ct);
        db.Entry(copy).State = EntityState.Detached;
        return new Moved(copy, null);
    }
}

/// <summary>What a move did: the copy queued to the new address, or why nothing was moved (and the copy that stands, when the message was moved there before).</summary>
public sealed record Moved(OutboxMessage? Copy, string? Held, long? MovedBefore = null);
