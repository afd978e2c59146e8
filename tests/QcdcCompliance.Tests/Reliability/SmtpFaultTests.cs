using System.Globalization;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QcdcCompliance.Alerts;
using QcdcCompliance.Domain;
using QcdcCompliance.Tests.Alerts;
using QcdcCompliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Reliability;

/// <summary>
/// Delivery of the outbox (PostgreSQL) with MailKit through a proxy that breaks the SMTP conversation with a real
/// server on loopback: a refusal on connect, a server that never answers, a connection reset in the middle of DATA,
/// and the two cases where the server has taken the whole message but its <c>250</c> never reaches the client.
/// </summary>
public sealed class SmtpFaultTests(ITestOutputHelper output)
{
    private const string Busy = "busy@example.vn";
    private const string Nobody = "nobody@example.vn";

    [Fact]
    public async Task A_stop_asked_while_the_relay_holds_its_answer_to_a_message_lets_that_message_finish_and_it_arrives_once()
    {
        using var smtp = new LoopbackSmtp();
        await using var proxy = new SmtpFaultProxy(smtp) { SlowReply = TimeSpan.FromSeconds(2) };
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.FromHours(7)));
        var options = AlertScenario.Options(proxy.Options(TimeSpan.FromSeconds(10)));
        await using var engine = await AlertScenario.EngineAsync(options, clock);
        await engine.Services.GetRequiredService<OutboxWriter>().AddNewAsync(Enumerable.Range(1, 3)
            .Select(i => new ComposedMessage($"test:stop:{i}", MessageKind.UnitAlert, $"unit{i}@example.vn", $"Thư {i}", new MailBody().Paragraph($"Nội dung {i}")))
            .ToList());
        proxy.Plan(SmtpFault.SlowAfterData);

        // The relay has the first message and holds its 250 while the operator stops the process (Ctrl+C, SIGTERM).
        using var stop = new CancellationTokenSource();
        var round = engine.Delivery().DeliverDueAsync(stop.Token);
        await proxy.SlowReplyHeld.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        var stopped = await round;

        stopped.Sent.Should().Be(1, "the message the relay took is marked sent, and the round ends before the next");
        (await engine.OutboxAsync()).Count(m => m.Status == MessageStatus.Sent).Should().Be(1);
        clock.Advance(options.ClaimTimeout + TimeSpan.FromMinutes(1));
        (await engine.Delivery().DeliverDueAsync()).Sent.Should().Be(2);
        smtp.Received().Select(m => m.Subject).Should().BeEquivalentTo(["Thư 1", "Thư 2", "Thư 3"], "each arrived once");
    }

    [Fact]
    public async Task Outbox_deliver_stopped_by_SIGTERM_while_the_relay_holds_its_answer_waits_for_it_marks_the_message_sent_and_exits_0()
    {
        using var smtp = new LoopbackSmtp();
        await using var proxy = new SmtpFaultProxy(smtp) { SlowReply = TimeSpan.FromSeconds(4) };
        var options = AlertScenario.Options(proxy.Options(TimeSpan.FromSeconds(30)));
        await using var engine = await AlertScenario.EngineAsync(options);
        await engine.Services.GetRequiredService<OutboxWriter>().AddNewAsync(
            [new ComposedMessage("test:sigterm:1", MessageKind.UnitAlert, "unit1@example.vn", "Thư 1", new MailBody().Paragraph("Nội dung 1"))]);
        proxy.Plan(SmtpFault.SlowAfterData);
        var relay = new Dictionary<string, string>
        {
            ["Alerts__Smtp__Host"] = "127.0.0.1", ["Alerts__Smtp__Port"] = proxy.Port.ToString(CultureInfo.InvariantCulture), ["Alerts__Smtp__Security"] = "None",
        };

        // System.CommandLine ended the process 2 s after the signal, with the relay's answer 4 s away: the message stayed
        // claimed, not sent, and went out again once its claim ran out.
        var run = await HostProcess.RunAndStopAsync(engine.Storage, relay, proxy.SlowReplyHeld, "outbox", "deliver");

        output.WriteLine($"{run.ExitCode}\n{run.Output}\n{run.Error}");
        run.ExitCode.Should().Be(0);
        run.Error.Should().NotContain("Unhandled exception");
        (await engine.OutboxAsync()).Should().ContainSingle().Which.Status.Should().Be(MessageStatus.Sent);
        smtp.Received().Should().ContainSingle();
    }

    [Fact]
    public async Task A_message_claimed_and_not_marked_is_listed_and_shown_as_in_flight_until_its_claim_runs_out_and_maybe_at_the_relay()
    {
        using var smtp = new LoopbackSmtp();
        var proxy = new SmtpFaultProxy(smtp) { SlowReply = TimeSpan.FromSeconds(40) };
        // The system's time, moved on by hand: the claim's end must lie ahead for the CLI (another process, on the system clock) as for the test.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = AlertScenario.Options(proxy.Options(TimeSpan.FromMinutes(2)));
        await using var engine = await AlertScenario.EngineAsync(options, clock);
        await engine.Services.GetRequiredService<OutboxWriter>().AddNewAsync(
            [new ComposedMessage("test:claimed:1", MessageKind.UnitAlert, Busy, "Thư 1", new MailBody().Paragraph("Nội dung 1"))]);
        // A first attempt refused (450) leaves an error, which the next claim clears.
        proxy.RefuseRecipient(Busy, 450);
        (await engine.Delivery().DeliverDueAsync()).Failed.Should().Be(1);
        proxy.AcceptRecipient(Busy);
        clock.Advance(TimeSpan.FromMinutes(1));
        proxy.Plan(SmtpFault.SlowAfterData);

        // The relay has the message and holds its 250: the row is as a process killed now (kill -9) leaves it.
        var round = engine.Delivery().DeliverDueAsync();
        await proxy.SlowReplyHeld.WaitAsync(TimeSpan.FromSeconds(30));
        var row = (await engine.OutboxAsync()).Single();
        var until = $"until {row.NextAttemptAt:yyyy-MM-dd HH:mm} UTC";
        var listed = await HostProcess.RunAsync(engine.Storage, "outbox");
        var shown = await HostProcess.RunToExitAsync(engine.Storage, "outbox", "show", row.Id.ToString(CultureInfo.InvariantCulture));
        var queries = engine.Services.GetRequiredService<OutboxQueries>();
        clock.Advance(options.ClaimTimeout + TimeSpan.FromMinutes(1));
        var ranOut = queries.ClaimNote((await queries.EntryAsync(row.Id))!);
        await proxy.DisposeAsync();
        await round;

        output.WriteLine($"{listed}\n{shown.Error}\n{ranOut}");
        (row.Status, row.Attempts, row.LastError).Should().Be((MessageStatus.Pending, 2, (string?)null), "the claim counted the attempt and cleared the 450");
        var line = listed.Split('\n').Single(l => l.Contains(Busy, StringComparison.Ordinal));
        line.Should().Contain("Pending, claimed").And.Contain($"in flight: claimed for attempt 2 {until}").And.Contain("may already have reached the relay")
            .And.NotContain("450");
        shown.ExitCode.Should().Be(0);
        shown.Output.Should().Contain("X-Qcdc-Outbox-Key: test:claimed:1", "the message itself is printed as it is sent");
        shown.Error.Should().Contain($"Message {row.Id} is in flight: claimed for attempt 2 {until}").And.Contain("may already have reached the relay");
        ranOut.Should().Contain($"claimed for attempt 2 {until} and never marked: the process sending it stopped mid-send")
            .And.Contain("may already have reached the relay");
    }

    [Fact]
    public async Task After_refusals_timeouts_and_dropped_connections_every_message_arrives_and_one_that_keeps_failing_is_dead_and_listed()
    {
        using var smtp = new LoopbackSmtp();
        await using var proxy = new SmtpFaultProxy(smtp);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.FromHours(7)));
        var timeout = TimeSpan.FromSeconds(2);
        var options = AlertScenario.Options(proxy.Options(timeout));
        options.MaxAttempts = 4;
        options.RetryMaxDelay = TimeSpan.FromMinutes(5);
        await using var engine = await AlertScenario.EngineAsync(options, clock, postgres: "smtp_faults");
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var messages = Enumerable.Range(1, 10)
            .Select(i => new ComposedMessage($"test:fault:{i}", MessageKind.UnitAlert, $"unit{i}@example.vn", $"Thư {i}", new MailBody().Paragraph($"Nội dung {i}")))
            .Append(new ComposedMessage("test:fault:busy", MessageKind.UnitAlert, Busy, "Thư bận", new MailBody().Paragraph("Hộp thư bận")))
            .Append(new ComposedMessage("test:fault:nobody", MessageKind.UnitAlert, Nobody, "Thư không người nhận", new MailBody().Paragraph("Không có")))
            .ToList();
        await engine.Services.GetRequiredService<OutboxWriter>().AddNewAsync(messages);
        var outbox = await engine.OutboxAsync();
        proxy.RefuseRecipient(Busy, 450);
        proxy.RefuseRecipient(Nobody, 550);
        proxy.Plan(SmtpFault.RefuseConnection, SmtpFault.Silent, SmtpFault.DropInData, SmtpFault.DropAfterData, SmtpFault.SilentAfterData);

        var rounds = new List<(DeliveryReport Report, TimeSpan Took)>();
        for (var round = 0; round < 12 && (await engine.OutboxAsync()).Any(m => m.Status == MessageStatus.Pending); round++)
        {
            var watch = Stopwatch.StartNew();
            rounds.Add((await engine.Delivery().DeliverDueAsync(), watch.Elapsed));
            clock.Advance(options.RetryMaxDelay);
        }

        var after = await engine.OutboxAsync();
        var received = smtp.Received();
        var dead = await HostProcess.RunAsync(engine.Storage, "outbox", "--status", "Dead");
        var struck = proxy.Struck;
        output.WriteLine(string.Join("\n", rounds.Select((r, i) => $"round {i + 1}: {r.Report.Sent} sent, {r.Report.Failed} failed, {r.Report.Dead} dead in {r.Took.TotalSeconds:0.0} s")));
        output.WriteLine($"{outbox.Count} messages, {received.Count} arrived; struck: {string.Join(", ", struck.Select(s => $"{s.Fault} {s.MessageId}"))}");

        rounds.Select(r => (r.Report.Sent, r.Report.Failed, r.Report.Dead)).Take(5).Should().AllBeEquivalentTo((0, 1, 0),
            "each broken connection fails the message it carried and ends the round (the relay is down for every message)");
        rounds[1].Took.Should().BeGreaterThanOrEqualTo(timeout - TimeSpan.FromMilliseconds(100)).And.BeLessThan(TimeSpan.FromSeconds(30),
            "a silent server is given up on after Alerts:Smtp:Timeout");
        rounds[4].Took.Should().BeGreaterThanOrEqualTo(timeout - TimeSpan.FromMilliseconds(100)).And.BeLessThan(TimeSpan.FromSeconds(30));
        rounds[5].Report.Should().Be(new DeliveryReport(outbox.Count - 2, 2, 1, $"smtp://127.0.0.1:{proxy.Port}"),
            "once the relay answers, every message goes in one round but the two refused recipients; 550 is dead at once");
        rounds.Skip(6).Select(r => (r.Report.Sent, r.Report.Failed)).Should().AllBeEquivalentTo((0, 1), "only the busy mailbox is tried again");
        rounds.Should().HaveCount(9, "the busy mailbox's 4th attempt is its last");
        struck.Select(s => s.Fault).Should().Equal(SmtpFault.RefuseConnection, SmtpFault.Silent, SmtpFault.DropInData, SmtpFault.DropAfterData, SmtpFault.SilentAfterData);

        var sent = after.Where(m => m.Status == MessageStatus.Sent).ToList();
        sent.Should().HaveCount(outbox.Count - 2, "every message but the two refused ones is delivered");
        var busy = after.Single(m => m.Recipient == Busy);
        (busy.Status, busy.Attempts).Should().Be((MessageStatus.Dead, options.MaxAttempts));
        busy.LastError.Should().Contain("450");
        var nobody = after.Single(m => m.Recipient == Nobody);
        (nobody.Status, nobody.Attempts).Should().Be((MessageStatus.Dead, 1), "a 5xx refusal is final");
        nobody.LastError.Should().Contain("550");
        dead.Should().Contain("Dead: 2").And.Contain(Busy).And.Contain(Nobody);

        // What arrived: every sent message, whole; twice exactly those whose 250 was lost after the server had taken them.
        // The loopback server (netDumbster) also keeps the headers it got before the reset in DATA, where a conforming
        // server discards an unfinished message (RFC 5321, 4.1.1.4): that piece is not counted as a delivery.
        var taken = struck.Where(s => s.Fault is SmtpFault.DropAfterData or SmtpFault.SilentAfterData).Select(s => s.MessageId!).ToList();
        var brokenInData = struck.Single(s => s.Fault == SmtpFault.DropInData).MessageId;
        taken.Should().HaveCount(2).And.NotContainNulls();
        brokenInData.Should().NotBeNull();
        var whole = received.Where(m => m.TextBody is { Length: > 0 }).GroupBy(m => m.MessageId!).ToDictionary(g => g.Key, g => g.ToList());
        received.Where(m => m.TextBody is not { Length: > 0 }).Select(m => m.MessageId).Should().OnlyContain(id => id == brokenInData,
            "the only piece of a message is the one cut off in DATA");
        whole.Keys.Should().BeEquivalentTo(ServedJobs.MessageIds(sent), "every delivered message arrived whole, nothing else did");
        whole.Where(c => c.Value.Count > 1).Select(c => c.Key).Should().BeEquivalentTo(taken,
            "a message is sent again only when the server took it but its acceptance was lost (SMTP is at least once there)");
        whole[brokenInData!].Should().ContainSingle("a message cut off in DATA is sent again, whole, once");
        foreach (var id in taken)
        {
            whole[id].Should().HaveCount(2);
            whole[id].Select(m => m.Headers["X-Qcdc-Outbox-Key"]).Distinct().Should().ContainSingle("both copies carry the same outbox key and Message-ID: a duplicate that can be told");
        }
    }
}
