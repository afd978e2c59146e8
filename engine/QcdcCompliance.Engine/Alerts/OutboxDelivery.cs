using System.Diagnostics;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MimeKit;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Storage;
using QcdcCompliance.Telemetry;

namespace QcdcCompliance.Alerts;

/// <summary>
/// What one delivery round did; <paramref name="RelayDown"/> says why it ended on (or waited for) a relay that failed;
/// <paramref name="Withdrawn"/> counts the unit alerts not sent because no line of them was still true, and the reminders
/// whose units had reported everything since; <paramref name="Readdressed"/> the unit alerts and reminders moved to their
/// unit's contact as it is now (<see cref="OutboxReaddressing"/>); <paramref name="Marked"/> the messages the relay had
/// accepted before whose Sent mark a database outage held back, marked Sent now instead of sent again (<see cref="OutboxJournal"/>).
/// </summary>
public sealed record DeliveryReport(int Sent, int Failed, int Dead, string Destination, string? RelayDown = null, int Withdrawn = 0, int Readdressed = 0,
    int Marked = 0)
{
    /// <summary>The round in a line, for the command line and the job's result.</summary>
    public override string ToString() =>
        $"{Sent} sent, {Failed} failed ({Dead} dead){(Withdrawn > 0 ? $", {Withdrawn} withdrawn (no longer true)" : "")}"
        + $"{(Readdressed > 0 ? $", {Readdressed} re-addressed to their unit's contact now" : "")}"
        + $"{(Marked > 0 ? $", {Marked} marked sent (accepted by the relay before, not sent again)" : "")} to {Destination}";
}

/// <summary>
/// Sends the due messages of the outbox. Each message is claimed before it is sent: one conditional UPDATE moves its
/// next attempt past the claim timeout and counts the attempt, so another process (a second host, the CLI) skips it.
/// After the send the row is marked Sent. A refusal of the message (its recipient or its content) schedules its next
/// attempt with exponential backoff, and a message refused <see cref="AlertOptions.MaxAttempts"/> times, or for good,
/// is marked Dead and logged. A failure of the relay (no connection, TLS, login, a timeout, a dropped connection) is no
/// message's: it gives the claim back with its attempt, ends the round, and the relay waits its own
/// <see cref="RelayBackoff"/>, so that an outage, however long, kills nothing. A unit alert none of whose lines is still
/// true when it comes to be rendered (<see cref="DeferredAlerts"/>), or a reporting reminder whose unit has reported all
/// it owes since (<see cref="ReportingReminders.RecheckAsync"/>), is marked Withdrawn, saying why, and never sent.
/// A message the relay accepted is recorded in the <see cref="OutboxJournal"/> before it is marked Sent, and a message
/// the journal holds is marked Sent, never claimed and sent again, whatever became of the first mark.
/// Nothing is ever deleted.
/// </summary>
public sealed class OutboxDelivery(
    IDbContextFactory<QcdcDbContext> contexts,
    IMailTransport transport,
    AlertOptions options,
    TimeProvider clock,
    ILogger<OutboxDelivery> log,
    FactLoader? facts = null,
    OutboxJournal? journal = null)
{
    private readonly RelayBackoff _relay = new(options);

    // A delivery made without one (a test, `demo`) reads and writes the same folder as any other: the journal is its files.
    private readonly OutboxJournal _journal = journal ?? new OutboxJournal(options);

    public string Destination => transport.Destination;

    /// <summary>Delivers due messages until none is left, the round's time budget is spent, or the destination fails.</summary>
    public async Task<DeliveryReport> DeliverDueAsync(CancellationToken ct = default)
    {
        using var activity = QcdcTelemetry.Source.StartActivity("qcdc.alerts.deliver");
        activity?.SetTag("qcdc.alerts.destination", transport is SmtpTransport ? "smtp" : "pickup");
        await using var db = await contexts.CreateDbContextAsync(ct);
        // What the relay accepted in an earlier round, whose mark the database held back, is marked first, relay or not.
        var place = _journal.PlaceOf(db);
        var (_, marked) = await MarkAcceptedAsync(db, place);
        if (_relay.WaitingAt(clock.GetUtcNow().UtcDateTime) is { } waiting)
            return new DeliveryReport(0, 0, 0, transport.Destination, waiting, Marked: marked);

        var budget = Stopwatch.StartNew();
        var (sent, failed, dead, withdrawn, readdressed) = (0, 0, 0, 0, 0);
        var relayDown = false;
        await using var connection = new LazySession(transport);
        // The words of the runs whose unit alerts this round renders: few runs, many messages each.
        var words = new Dictionary<long, UnitAlertWords>();
        try
        {
            var stop = false;
            // A stop asked for (Ctrl+C, SIGTERM, the host shutting down) ends the round between two messages, never inside one.
            while (!stop && !ct.IsCancellationRequested && budget.Elapsed < options.RoundBudget)
            {
                var now = clock.GetUtcNow().UtcDateTime;
                var due = await db.OutboxMessages.AsNoTracking()
                    .Where(m => m.Status == MessageStatus.Pending && m.NextAttemptAt <= now)
                    .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id)
                    .Take(options.BatchSize)
                    .ToListAsync(ct);
                // One the journal holds (recorded since the round began, by another process using it) is marked, not sent.
                var (held, markedNow) = await MarkAcceptedAsync(db, place);
                marked += markedNow;
                var read = due.Count;
                due.RemoveAll(row => held.Contains(row.Id));
                // Unit alerts the evaluation stored as parts are rendered here, and their bodies stored with the claim.
                var rendering = await DeferredAlerts.RenderAsync(db, due, words, ct);
                // Reminders are checked too, against what their units reported since (without the loader, as in `qcdc demo`, they go as queued).
                if (facts is not null)
                    await ReportingReminders.RecheckAsync(db, facts, due, rendering, Vietnamese.LocalDate(now), options, ct);
                // A unit's message goes to the unit's contact as it is now: one queued to an address an import has changed since is moved.
                (due, var moved) = await ReaddressAsync(db, due, rendering, now, ct);
                readdressed += moved;
                foreach (var row in due)
                {
                    if (ct.IsCancellationRequested)
                    {
                        stop = true;
                        break;
                    }

                    if (rendering.Withdrawn.TryGetValue(row.Id, out var stale))
                    {
                        withdrawn += await WithdrawAsync(db, row, stale, ct) ? 1 : 0;
                        continue;
                    }

                    if (!await ClaimAsync(db, row, rendering.Rendered.Contains(row.Id), ct))
                        continue;
                    var outcome = rendering.Failed.TryGetValue(row.Id, out var why)
                        ? await UnrenderableAsync(db, row, why, ct)
                        : await SendAsync(db, place, row, connection, ct);
                    (sent, failed, dead) = outcome switch
                    {
                        Outcome.Sent => (sent + 1, failed, dead),
                        Outcome.Dead => (sent, failed + 1, dead + 1),
                        _ => (sent, failed + 1, dead),
                    };
                    relayDown = outcome == Outcome.RelayDown;
                    if (relayDown || budget.Elapsed >= options.RoundBudget)
                    {
                        stop = true;
                        break;
                    }
                }

                stop |= read < options.BatchSize;
            }
        }
        finally
        {
            activity?.SetTag("qcdc.alerts.sent", sent);
            activity?.SetTag("qcdc.alerts.failed", failed);
            activity?.SetTag("qcdc.alerts.dead", dead);
            activity?.SetTag("qcdc.alerts.withdrawn", withdrawn);
            activity?.SetTag("qcdc.alerts.readdressed", readdressed);
            activity?.SetTag("qcdc.alerts.marked", marked);
        }

        return new DeliveryReport(sent, failed, dead, transport.Destination, relayDown ? _relay.Describe() : null, withdrawn, readdressed, marked);
    }

    /// <summary>
    /// The due rows with each unit alert or reminder whose unit's contact is another address now moved there
    /// (<see cref="OutboxReaddressing.MoveAsync"/>: the row withdrawn, saying where it went, and its copy queued there,
    /// its bodies as rendered for this round) and its copy in its place, and how many were moved. Only a message no
    /// attempt of which can have reached the relay is moved (none made, or the last one answered with an error); one
    /// claimed and never marked may be at the relay already, and goes where it went. A row rendered for nothing (withdrawn,
    /// or failing to render) is left to its fate; a unit with no contact now, or units with different ones, keep the address.
    /// </summary>
    private async Task<(List<OutboxMessage> Due, int Moved)> ReaddressAsync(QcdcDbContext db, List<OutboxMessage> due, Rendering rendering, DateTime now,
        CancellationToken ct)
    {
        var movable = due.Where(r => r is { Kind: MessageKind.UnitAlert or MessageKind.ReportingReminder, Status: MessageStatus.Pending }
                                     && (r.Attempts == 0 || r.LastError is not null) && !rendering.Withdrawn.ContainsKey(r.Id) && !rendering.Failed.ContainsKey(r.Id))
            .ToList();
        if (movable.Count == 0)
            return (due, 0);
        var addresses = await OutboxReaddressing.AddressesNowAsync(db, movable, options, ct);
        var moved = 0;
        var result = new List<OutboxMessage>(due.Count);
        foreach (var row in due)
        {
            if (!addresses.TryGetValue(row.Id, out var to) || to.Address is not { } address || !OutboxReaddressing.Elsewhere(row, address))
            {
                result.Add(row);
                continue;
            }

            var move = await OutboxReaddressing.MoveAsync(db, row, address, to.Why, MessageStatus.Pending, now, ct);
            if (move.Copy is { } copy)
            {
                moved++;
                log.LogInformation("Outbox message {Id} ({Key}) to {Recipient} goes to {Address} ({Why}) as message {Copy}", row.Id, row.Key, row.Recipient, address,
                    to.Why, copy.Id);
                result.Add(copy);
            }
            else
            {
                // Moved there before and still pending here: it goes once, as that copy. Taken meanwhile: its taker sends it.
                if (move.MovedBefore is not null)
                    rendering.Withdrawn[row.Id] = $"withdrawn, never sent: {move.Held}";
                result.Add(row);
            }
        }

        return (result, moved);
    }

    private enum Outcome
    {
        Sent,
        Retry,
        Dead,
        RelayDown,
    }

    /// <summary>
    /// Counts the attempt and reserves the message, only if no one else changed it since it was read; a message rendered
    /// for this attempt (<paramref name="storeBodies"/>) has its bodies (and its subject, which says fewer lines when some
    /// were no longer true) stored with the claim, before it is sent, so that the row holds what was sent and any later
    /// attempt sends the same bytes.
    /// </summary>
    private async Task<bool> ClaimAsync(QcdcDbContext db, OutboxMessage row, bool storeBodies, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (id, seen, subject, text, html) = (row.Id, row.Attempts, row.Subject, row.PackedTextBody, row.PackedHtmlBody);
        // The first claim keeps the sender and the Message-ID's domain the message goes out with (OutboxMail.Build).
        var (from, domain) = (row.SentFrom ?? options.From, row.MessageIdDomain ?? options.MessageIdDomain
            ?? (MailboxAddress.TryParse(options.From, out var sender) ? sender.Domain : null));
        var claimed = await db.OutboxMessages
            .Where(m => m.Id == id && m.Status == MessageStatus.Pending && m.Attempts == seen && m.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s =>
            {
                // The last error is cleared: a claimed row without one is what `qcdc outbox` shows as in flight (OutboxEntry.ClaimedUntil).
                s.SetProperty(m => m.Attempts, seen + 1).SetProperty(m => m.NextAttemptAt, now + options.ClaimTimeout)
                    .SetProperty(m => m.SentFrom, from).SetProperty(m => m.MessageIdDomain, domain).SetProperty(m => m.LastError, (string?)null);
                if (storeBodies)
                    s.SetProperty(m => m.Subject, subject).SetProperty(m => m.PackedTextBody, text).SetProperty(m => m.PackedHtmlBody, html);
            }, ct);
        if (claimed == 1)
            (row.Attempts, row.SentFrom, row.MessageIdDomain, row.LastError) = (seen + 1, from, domain, null);
        return claimed == 1;
    }

    private async Task<Outcome> SendAsync(QcdcDbContext db, JournalPlace place, OutboxMessage row, LazySession connection, CancellationToken ct)
    {
        using var activity = QcdcTelemetry.Source.StartActivity("qcdc.alerts.send");
        activity?.SetTag("qcdc.outbox.id", row.Id);
        activity?.SetTag("qcdc.outbox.kind", row.Kind.ToString());
        activity?.SetTag("qcdc.outbox.attempt", row.Attempts);
        var kind = new KeyValuePair<string, object?>("qcdc.alert.kind", row.Kind.ToString());
        if (row.Attempts > options.MaxAttempts)
        {
            // Claimed and never marked, too often: the processes sending it stopped mid-send.
            await FailAsync(db, row, "abandoned while sending (the process stopped?) after the last allowed attempt", permanent: true, ct);
            QcdcTelemetry.AlertsFailed.Add(1, kind, new("qcdc.alert.outcome", "dead"));
            return Outcome.Dead;
        }

        MimeMessage message;
        try
        {
            message = OutboxMail.Build(row, options);
        }
        catch (ParseException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            await FailAsync(db, row, $"not a valid e-mail address: {e.Message}", permanent: true, ct);
            QcdcTelemetry.AlertsFailed.Add(1, kind, new("qcdc.alert.outcome", "dead"));
            return Outcome.Dead;
        }

        try
        {
            var session = await connection.GetAsync(ct);
            // Once the message is claimed and the connection made, its transaction runs to the server's answer (bounded by
            // Smtp:Timeout), whatever stop is asked: a relay may take the data and answer after the stop, and a message
            // abandoned then, never marked sent, would go out again once its claim ran out.
            await session.SendAsync(row, message, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            // The server's reply code is what tells an operator whether waiting helps (4xx) or not (5xx): keep it.
            var error = e is SmtpCommandException command ? $"{e.GetType().Name}: {(int)command.StatusCode} {e.Message}" : $"{e.GetType().Name}: {e.Message}";
            if (RefusesTheMessage(e) is { } refusal)
            {
                // A refused recipient or message concerns that message alone, and for good when the code is 5xx.
                _relay.Answered();
                var isDead = await FailAsync(db, row, error, (int)refusal.StatusCode >= 500, ct);
                QcdcTelemetry.AlertsFailed.Add(1, kind, new("qcdc.alert.outcome", isDead ? "dead" : "retry"));
                return isDead ? Outcome.Dead : Outcome.Retry;
            }

            // Anything else (connection, TLS, login, timeout, a dropped connection, a full disk) is the relay's, down for every message.
            await ReleaseAsync(db, row, error);
            QcdcTelemetry.AlertsFailed.Add(1, kind, new("qcdc.alert.outcome", "relay"));
            return Outcome.RelayDown;
        }

        _relay.Answered();
        await MarkSentAsync(place, row);
        QcdcTelemetry.AlertsSent.Add(1, kind);
        return Outcome.Sent;
    }

    /// <summary>
    /// The relay's refusal of this message (its recipient on RCPT, its content on DATA), or null. A <c>421</c> there is not
    /// one: it is the relay closing the connection (RFC 5321, 3.8), whatever command it answers.
    /// </summary>
    private static SmtpCommandException? RefusesTheMessage(Exception e) =>
        e is SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted } refusal
        && refusal.StatusCode != SmtpStatusCode.ServiceNotAvailable
            ? refusal
            : null;

    /// <summary>
    /// The relay failed, not the message: the claim is given back with the attempt it counted (conditionally on that
    /// attempt, as every update of a claimed row), and the message is due again at once, its last error saying so. This
    /// process waits for the relay's next try (<see cref="RelayBackoff"/>, in memory); another process, or a new
    /// <c>qcdc outbox deliver</c>, tries it at once rather than pass it over, unsaid, until this one's backoff ran out.
    /// Never cancelled: a claim left in place would count the attempt after all, once it ran out.
    /// </summary>
    private async Task ReleaseAsync(QcdcDbContext db, OutboxMessage row, string error)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var retryAt = _relay.Failed(now, error);
        var note = $"the relay failed (not counted as an attempt of this message): {error}";
        var text = note.Length > 2000 ? note[..2000] : note;
        var (id, attempts) = (row.Id, row.Attempts);
        await db.OutboxMessages
            .Where(m => m.Id == id && m.Status == MessageStatus.Pending && m.Attempts == attempts)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Attempts, attempts - 1).SetProperty(m => m.NextAttemptAt, now).SetProperty(m => m.LastError, text),
                CancellationToken.None);
        row.Attempts = attempts - 1;
        log.LogWarning("The relay {Destination} failed while sending outbox message {Id} ({Key}), which keeps its {Attempts} attempt(s); "
            + "the round ends and this process tries the relay again from {Next:u}: {Error}", transport.Destination, row.Id, row.Key, row.Attempts, retryAt, error);
    }

    /// <summary>
    /// A unit alert none of whose lines is still true is withdrawn, never sent: only if no one claimed it since it was read
    /// (one conditional update, so a crash before it leaves the row to be checked again, and one after it never sends
    /// it); its last error says which lines and which runs. Whether this process withdrew it.
    /// </summary>
    private async Task<bool> WithdrawAsync(QcdcDbContext db, OutboxMessage row, string why, CancellationToken ct)
    {
        var (id, attempts) = (row.Id, row.Attempts);
        var text = why.Length > 2000 ? why[..2000] : why;
        var withdrawn = await db.OutboxMessages
            .Where(m => m.Id == id && m.Status == MessageStatus.Pending && m.Attempts == attempts)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Withdrawn).SetProperty(m => m.LastError, text), ct) == 1;
        if (withdrawn)
            // The stored reason opens with "withdrawn, never sent": the line says it once.
            log.LogInformation("Outbox message {Id} ({Key}) to {Recipient}: {Why}", row.Id, row.Key, row.Recipient, text);
        return withdrawn;
    }

    /// <summary>
    /// A unit alert whose parts cannot be rendered (<see cref="DeferredAlerts"/>: only a bug or a database changed by hand
    /// does that) is marked dead, saying why, and the round goes on: waiting would not render it.
    /// </summary>
    private async Task<Outcome> UnrenderableAsync(QcdcDbContext db, OutboxMessage row, string why, CancellationToken ct)
    {
        using var activity = QcdcTelemetry.Source.StartActivity("qcdc.alerts.send");
        activity?.SetTag("qcdc.outbox.id", row.Id);
        activity?.SetStatus(ActivityStatusCode.Error, why);
        await FailAsync(db, row, why, permanent: true, ct);
        QcdcTelemetry.AlertsFailed.Add(1, new("qcdc.alert.kind", row.Kind.ToString()), new("qcdc.alert.outcome", "dead"));
        return Outcome.Dead;
    }

    /// <summary>How long the mark of a message the relay accepted is tried through an outage of the database, at most (<see cref="MarkSentAsync"/>).</summary>
    public static readonly TimeSpan MarkSentPatience = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The message was accepted: record it. Its loss would send the message again (once its claim runs out), so the
    /// acceptance is first written to the <see cref="OutboxJournal"/> (and flushed to the disk once the first try of
    /// the mark failed), and then the row is marked; the journal keeps it until the mark is stored. The mark rides out an outage of the database
    /// (<see cref="Resilience.ShortOutages"/>), each try on a context and a connection of its own: the round's may be
    /// the one the outage broke (a server restarted, a session ended), and every try on it would meet the same error.
    /// It is tried for <see cref="MarkSentPatience"/>, and never for more than half the claim
    /// (<see cref="AlertOptions.ClaimTimeout"/>, longer than a send), so that no other process claims the message while
    /// this one may still mark it. Past that the database is still out: the round ends with its error, the message stays
    /// claimed, and the next round of any process using the journal marks it Sent before it claims anything (README,
    /// "Exactly once").
    /// </summary>
    private async Task MarkSentAsync(JournalPlace place, OutboxMessage row)
    {
        var accepted = new AcceptedMessage(place.Database, row.Id, row.Key, row.Attempts, AcceptedMessage.Precise(clock.GetUtcNow().UtcDateTime), row.Recipient);
        await _journal.RecordAsync(place, accepted);
        var patience = options.ClaimTimeout / 2 < MarkSentPatience ? options.ClaimTimeout / 2 : MarkSentPatience;
        var tries = 0;
        try
        {
            // The update, and its tries, are never cancelled: the message is out, and saying so is what keeps it from going twice.
            await Resilience.ShortOutages(patience).ExecuteAsync(async _ =>
            {
                // The first try failed: the record may have to wait for the database, and is flushed to the disk.
                if (++tries == 2)
                    await _journal.SyncAsync(place, accepted);
                await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
                return await MarkAsync(db, place, accepted, late: false);
            }, CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogError(e, "Outbox message {Id} ({Key}) to {Recipient} was accepted by {Destination} but could not be marked Sent in {Patience}: {Error}. The "
                + "journal {Journal} holds it: the next delivery round of a process using that journal marks it Sent, and does not send it again; "
                + "`qcdc outbox` lists it as claimed and accepted by the relay. Another host sharing the database, which claims it before then, sends it "
                + "again (it may arrive twice)", row.Id, row.Key, row.Recipient, transport.Destination, patience, e.Message, place.Folder);
            throw;
        }
    }

    /// <summary>
    /// Marks Sent every message the journal holds for this database (the relay accepted it and its mark is not stored:
    /// the database was out), at the time the relay accepted it, instead of sending it again; the ids it settled, each
    /// forgotten by the journal (marked now, or found marked, dead or withdrawn meanwhile by another process), and how
    /// many of them this call marked (one found Sent already is not counted). Never cancelled, as the mark it makes up for.
    /// </summary>
    private async Task<(HashSet<long> Settled, int Marked)> MarkAcceptedAsync(QcdcDbContext db, JournalPlace place)
    {
        var settled = new HashSet<long>();
        var marked = 0;
        foreach (var accepted in _journal.Read(place))
        {
            if (await MarkAsync(db, place, accepted, late: true))
            {
                marked++;
                log.LogInformation("Outbox message {Id} ({Key}) to {Recipient}, accepted by the relay at {AcceptedAt:u} (attempt {Attempt}), is marked Sent "
                    + "now that the database answers: it is not sent again", accepted.Id, accepted.Key, accepted.Recipient, accepted.AcceptedAt, accepted.Attempt);
            }

            settled.Add(accepted.Id);
        }

        return (settled, marked);
    }

    /// <summary>
    /// Stores the Sent mark of a message the relay accepted, at the time it accepted it, and forgets its journal record;
    /// whether this mark was the one stored. The row is marked if it is still Pending, whatever attempt it is at: the
    /// relay has it, and a later claim (another process's, once this one's ran out) changes nothing to that. One no
    /// longer Pending was marked, or made dead or withdrawn, by another process meanwhile: that is logged, and kept.
    /// </summary>
    private async Task<bool> MarkAsync(QcdcDbContext db, JournalPlace place, AcceptedMessage accepted, bool late)
    {
        var (id, key, at) = (accepted.Id, accepted.Key, accepted.AcceptedAt);
        var marked = await db.OutboxMessages
            .Where(m => m.Id == id && m.Key == key && m.Status == MessageStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Sent).SetProperty(m => m.SentAt, at).SetProperty(m => m.LastError, (string?)null),
                CancellationToken.None) == 1;
        if (!marked)
        {
            var now = await db.OutboxMessages.AsNoTracking().Where(m => m.Id == id && m.Key == key).Select(m => new { m.Status, m.Attempts, m.SentAt })
                .SingleOrDefaultAsync(CancellationToken.None);
            if (now is null)
                log.LogWarning("Outbox message {Id} ({Key}), accepted by the relay at {AcceptedAt:u}, is not in the outbox of {Database}: its journal record "
                    + "is dropped", id, key, at, place.Database);
            else if (now.Status == MessageStatus.Sent && accepted.IsMarkOf(now.SentAt))
                // Its own mark, stored by a try whose answer the outage lost, or by a round that read the journal meanwhile.
                log.LogDebug("Outbox message {Id} ({Key}) was marked Sent already", id, key);
            else
                log.LogWarning("Outbox message {Id} ({Key}) was accepted by the relay at {AcceptedAt:u} (attempt {Attempt}){Late}, and another process has "
                    + "made it {Status} meanwhile (attempt {Attempts}{SentAt}): it may have arrived twice", id, key, at, accepted.Attempt,
                    late ? ", its mark held back by the database" : ", after its claim ran out", now.Status, now.Attempts,
                    now.SentAt is { } sentAt ? $", sent at {sentAt:u}" : "");
        }

        _journal.Forget(place, accepted);
        return marked;
    }

    /// <summary>Schedules the next attempt, or marks the message Dead; returns whether it is dead.</summary>
    private async Task<bool> FailAsync(QcdcDbContext db, OutboxMessage row, string error, bool permanent, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var dead = permanent || row.Attempts >= options.MaxAttempts;
        var next = dead ? now : now + Backoff(row.Attempts);
        var (id, attempts) = (row.Id, row.Attempts);
        var status = dead ? MessageStatus.Dead : MessageStatus.Pending;
        var text = error.Length > 2000 ? error[..2000] : error;
        await db.OutboxMessages
            .Where(m => m.Id == id && m.Status == MessageStatus.Pending && m.Attempts == attempts)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, status).SetProperty(m => m.NextAttemptAt, next).SetProperty(m => m.LastError, text), ct);
        if (dead)
        {
            log.LogError("Outbox message {Id} ({Key}) to {Recipient} is dead after {Attempts} attempt(s): {Error}. It stays in the outbox: "
                + "list it with `qcdc outbox --status Dead`, requeue it with `qcdc outbox retry {Id}`", row.Id, row.Key, row.Recipient, row.Attempts, text, row.Id);
        }
        else
        {
            log.LogWarning("Outbox message {Id} ({Key}) failed attempt {Attempts} of {Max}; next attempt at {Next:u}: {Error}",
                row.Id, row.Key, row.Attempts, options.MaxAttempts, next, text);
        }

        return dead;
    }

    /// <summary>One connection for a round, opened when the first claimed message needs it.</summary>
    private sealed class LazySession(IMailTransport transport) : IAsyncDisposable
    {
        private IMailSession? _session;

        public async Task<IMailSession> GetAsync(CancellationToken ct) => _session ??= await transport.OpenAsync(ct);

        public ValueTask DisposeAsync() => _session?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    /// <summary>30 s, 1 min, 2 min, ... up to the maximum, after a refusal of the message: a busy mailbox is not hammered.</summary>
    public TimeSpan Backoff(int failedAttempts)
    {
        var factor = Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(options.RetryBaseDelay.Ticks * factor, options.RetryMaxDelay.Ticks));
        return delay < options.RetryMaxDelay ? delay : options.RetryMaxDelay;
    }
}
