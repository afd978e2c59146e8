using QcdcCompliance.Alerts;

namespace QcdcCompliance.Host.Cli;

/// <summary><c>qcdc outbox</c>: what is waiting, sent or dead; deliver now; put dead messages back in line.</summary>
public static class OutboxVerb
{
    public static Command Create()
    {
        var status = new Option<MessageStatus?>("--status") { Description = "Pending, Sent, Dead or Withdrawn (default: all)", CustomParser = r => CliValues.OneOf<MessageStatus>(r) };
        var after = new Option<long>("--after") { Description = "List messages after this id (the next page)", CustomParser = r => CliValues.WholeNumber(r, 0) ?? 0 };
        var limit = new Option<int>("--limit")
        {
            Description = "Messages per page (1 to 10000)", DefaultValueFactory = _ => 50, CustomParser = r => (int)(CliValues.WholeNumber(r, 1, 10_000) ?? 1),
        };
        var command = new Command("outbox", "List the e-mail outbox, a page at a time: counts per status, then each message with its attempts and last error.")
        {
            status, after, limit,
        };
        command.SetServicesAction(async (parse, services, ct) =>
        {
            var queries = services.GetRequiredService<OutboxQueries>();
            var counts = await queries.CountsAsync(ct);
            Console.WriteLine(string.Join(", ", counts.Select(c => $"{c.Key}: {c.Value}")));
            var page = await queries.PageAsync(parse.GetValue(status), parse.GetValue(after), parse.GetValue(limit), ct);
            var table = new TextTable("id", "status", "kind", "attempts", "recipient", "created (UTC)", "next attempt / sent (UTC)", "subject / last error");
            foreach (var m in page)
            {
                // A claimed message is said to be so, with what that means, rather than passed off as one waiting its turn.
                var claim = queries.ClaimNote(m);
                table.Add(m.Id, claim is null ? m.Status.ToString() : $"{m.Status}, claimed", m.Kind, m.Attempts, m.Recipient, $"{m.CreatedAt:yyyy-MM-dd HH:mm}",
                    $"{(m.Status == MessageStatus.Sent ? m.SentAt : m.NextAttemptAt):yyyy-MM-dd HH:mm}", m.Status == MessageStatus.Sent ? m.Subject : claim ?? m.LastError ?? m.Subject);
            }

            Console.Write(table);
            if (page.Count == parse.GetValue(limit))
                Console.WriteLine($"Next page: qcdc outbox --after {page[^1].Id}{(parse.GetValue(status) is { } s ? $" --status {s}" : "")}");
            return 0;
        });
        command.Subcommands.Add(Deliver());
        command.Subcommands.Add(Retry());
        command.Subcommands.Add(Show());
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<long>("id") { Description = "The message's id (first column of qcdc outbox)", CustomParser = r => CliValues.WholeNumber(r, 1) ?? 0 };
        var output = new Option<FileInfo?>("--out") { Description = "Write the message to this .eml file instead of printing it" };
        var command = new Command("show", "Show one message exactly as it is (or was) delivered: the whole e-mail, headers and bodies, byte for byte.") { id, output };
        command.SetServicesAction(async (parse, services, ct) =>
        {
            var queries = services.GetRequiredService<OutboxQueries>();
            // The message goes to the output byte for byte; that it is in flight goes beside it, to the error stream.
            var entry = await queries.EntryAsync(parse.GetValue(id), ct);
            if (entry is not null && queries.ClaimNote(entry) is { } claim)
                Console.Error.WriteLine($"Message {entry.Id} is {claim}.");
            else if (entry is { Status: MessageStatus.Withdrawn })
                Console.Error.WriteLine($"Message {entry.Id} was {entry.LastError}; it is shown as its run queued it.");
            if (parse.GetValue(output) is { } file)
            {
                // Read whole first: a message that is not there leaves no empty file behind.
                var path = CliFiles.Output(file.FullName);
                using var message = new MemoryStream();
                if (await queries.WriteAsSentAsync(parse.GetValue(id), message, ct))
                {
                    await CliFiles.WriteAsync(path, stream => stream.WriteAsync(message.GetBuffer().AsMemory(0, (int)message.Length), ct).AsTask());
                    return 0;
                }
            }
            else
            {
                await using var stream = Console.OpenStandardOutput();
                if (await queries.WriteAsSentAsync(parse.GetValue(id), stream, ct))
                    return 0;
            }

            Console.Error.WriteLine($"No message {parse.GetValue(id)} in the outbox: qcdc outbox lists them with their ids.");
            return 1;
        });
        return command;
    }

    private static Command Deliver()
    {
        var command = new Command("deliver", "Send the due messages now (over SMTP, or to the pickup folder when no SMTP host is set).");
        command.SetServicesAction(async (parse, services, ct) =>
        {
            var report = await services.GetRequiredService<OutboxDelivery>().DeliverDueAsync(ct);
            Console.WriteLine($"{report}.");
            if (report.RelayDown is { } down)
                Console.WriteLine($"The round ended: {down}.");
            return report.Failed > 0 ? 1 : 0;
        });
        return command;
    }

    private static Command Retry()
    {
        var ids = new Argument<long[]>("id")
        {
            Description = "Ids of dead messages", Arity = ArgumentArity.ZeroOrMore,
            CustomParser = r => r.Tokens.Select(t => CliValues.WholeNumber(t.Value, r, 1) ?? 0).ToArray(),
        };
        var all = new Option<bool>("--all-dead") { Description = "Every dead message" };
        var to = new Option<string?>("--to") { Description = "Send the named messages to this address instead (e.g. a committee's new address)" };
        var command = new Command("retry",
            "Put dead messages back in line with their attempts reset (after fixing the address or the relay); a unit's message goes to the unit's contact now.")
        {
            ids, all, to,
        };
        command.SetAction(async (parse, ct) =>
        {
            var chosen = parse.GetValue(ids) ?? [];
            if (chosen.Length == 0 && !parse.GetValue(all))
            {
                Console.Error.WriteLine("Name the dead messages to retry (qcdc outbox retry 12 15) or pass --all-dead.");
                return 2;
            }

            if (parse.GetValue(to) is { } address && (parse.GetValue(all) || !MimeKit.MailboxAddress.TryParse(address, out _)))
            {
                Console.Error.WriteLine(parse.GetValue(all)
                    ? "--to names one new address for the messages named: it cannot go with --all-dead."
                    : $"--to '{address}' is not an e-mail address; write e.g. --to bcd.qcdc@hatinh.gov.vn");
                return 2;
            }

            await using var services = CliServices.Create(parse);
            // Only a dead message goes back in line: a message named that is not one is said, not passed over.
            var notDead = new List<string>();
            if (!parse.GetValue(all))
            {
                await using var db = await services.GetRequiredService<IDbContextFactory<QcdcDbContext>>().CreateDbContextAsync(ct);
                var asked = chosen.Distinct().ToList();
                var status = await db.OutboxMessages.AsNoTracking().Where(m => asked.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Status, ct);
                notDead.AddRange(asked.Where(id => status.GetValueOrDefault(id, MessageStatus.Dead) != MessageStatus.Dead || !status.ContainsKey(id))
                    .Select(id => status.TryGetValue(id, out var st) ? $"message {id} is {st}, not Dead" : $"there is no message {id}"));
            }

            var requeued = await services.GetRequiredService<OutboxQueries>().RequeueAsync(parse.GetValue(all) ? null : chosen, parse.GetValue(to), ct);
            Console.WriteLine($"{requeued.Count} message(s) back in line.");
            foreach (var line in requeued.Readdressed)
                Console.WriteLine(line);
            foreach (var line in notDead)
                Console.Error.WriteLine($"error: {line}; only a dead message goes back in line (qcdc outbox --status Dead lists them)");
            foreach (var line in requeued.Held)
                Console.Error.WriteLine($"error: {line}");
            return notDead.Count == 0 && requeued.Held.Count == 0 ? 0 : 1;
        });
        return command;
    }
}
