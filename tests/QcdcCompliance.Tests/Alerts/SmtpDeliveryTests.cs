using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using QcdcCompliance.Alerts;
using QcdcCompliance.Domain;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Alerts;

/// <summary>Delivery with MailKit to a real SMTP server on loopback: what arrives, once, and what happens when it is down or refuses.</summary>
public sealed class SmtpDeliveryTests
{
    private static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.FromHours(7)));

    [Fact]
    public async Task The_alerts_arrive_with_their_recipients_subjects_and_Vietnamese_bodies_and_a_rerun_sends_nothing_new()
    {
        using var smtp = new LoopbackSmtp();
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options(smtp.Options), Clock());
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var outbox = await engine.OutboxAsync();

        var report = await engine.Delivery().DeliverDueAsync();

        report.Should().Be(new DeliveryReport(outbox.Count, 0, 0, $"smtp://127.0.0.1:{smtp.Port}"));
        var received = smtp.Received();
        received.Select(m => m.To.Mailboxes.Single().Address).Should().BeEquivalentTo(outbox.Select(m => m.Recipient));
        var xa2 = received.Single(m => m.To.Mailboxes.Single().Address == "xa2@example.vn");
        xa2.Subject.Should().StartWith("[QCDC] 6 tháng đầu năm 2020 – UBND Xã Hai: ");
        xa2.From.Mailboxes.Single().Name.Should().Be("Ban Chỉ đạo QCDC");
        xa2.TextBody.Should().Contain("Kính gửi: UBND Xã Hai.").And.Contain("Ban hành đầy đủ quy chế thực hiện dân chủ ở cơ sở: không");
        xa2.HtmlBody.Should().Contain("Kính gửi: UBND Xã Hai.");
        xa2.Date.Offset.Should().Be(TimeSpan.FromHours(7), "times are shown in Asia/Ho_Chi_Minh");
        xa2.MessageId.Should().Be(OutboxMail.MessageId(outbox.Single(m => m.Recipient == "xa2@example.vn").Key, "localhost"));
        (await engine.OutboxAsync()).Should().OnlyContain(m => m.Status == MessageStatus.Sent && m.Attempts == 1 && m.SentAt != null);

        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        (await engine.Delivery().DeliverDueAsync()).Sent.Should().Be(0);
        smtp.Received().Should().HaveCount(outbox.Count, "a re-run of the same period sends nothing new");
    }

    [Fact]
    public async Task A_relay_down_for_more_rounds_than_MaxAttempts_kills_no_message_and_once_it_is_back_each_arrives_once()
    {
        // Nothing listens on the port: every connection is refused.
        using var smtp = new LoopbackSmtp(start: false);
        var clock = Clock();
        var options = AlertScenario.Options(smtp.Options);
        options.MaxAttempts = 3;
        await using var engine = await AlertScenario.EngineAsync(options, clock);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var outbox = await engine.OutboxAsync();
        var destination = $"smtp://127.0.0.1:{smtp.Port}";

        for (var round = 1; round <= 3 * options.MaxAttempts; round++)
        {
            var down = await engine.Delivery().DeliverDueAsync();
            (down.Sent, down.Failed, down.Dead).Should().Be((0, 1, 0), "the round ends at the refused connection (round {0}) and kills nothing", round);
            down.RelayDown.Should().Contain("refused").And.Contain("no message used up an attempt");
            var waiting = await engine.Delivery().DeliverDueAsync();
            waiting.Should().Be(new DeliveryReport(0, 0, 0, destination, waiting.RelayDown), "a relay that just failed is not tried again at once");
            waiting.RelayDown.Should().Contain($"failed {round} time(s) in a row");
            clock.Advance(options.RelayRetryMaxDelay);
        }

        var during = await engine.OutboxAsync();
        during.Should().OnlyContain(m => m.Status == MessageStatus.Pending && m.Attempts == 0, "a relay's failure is no message's attempt");
        during.Where(m => m.LastError != null).Should().NotBeEmpty()
            .And.OnlyContain(m => m.LastError!.StartsWith("the relay failed (not counted as an attempt of this message): SocketException"));

        smtp.Start();
        (await engine.Delivery().DeliverDueAsync()).Should().Be(new DeliveryReport(outbox.Count, 0, 0, destination));
        smtp.Received().Select(m => m.MessageId).Should().OnlyHaveUniqueItems()
            .And.BeEquivalentTo(outbox.Select(m => OutboxMail.MessageId(m.Key, "localhost")));
        (await engine.OutboxAsync()).Should().OnlyContain(m => m.Status == MessageStatus.Sent && m.Attempts == 1 && m.LastError == null);
    }

    [Fact]
    public async Task After_a_relay_failure_a_new_process_sends_at_once_the_message_that_was_in_flight()
    {
        using var smtp = new LoopbackSmtp(start: false);
        var clock = Clock();
        var options = AlertScenario.Options(smtp.Options);
        await using var engine = await AlertScenario.EngineAsync(options, clock);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var outbox = await engine.OutboxAsync();
        (await engine.Delivery().DeliverDueAsync()).RelayDown.Should().Contain("refused");

        // The relay is back; a new `qcdc outbox deliver` (a new process, which has not seen the relay fail) runs at once.
        smtp.Start();
        var fresh = new OutboxDelivery(engine.Services.GetRequiredService<IDbContextFactory<QcdcCompliance.Storage.QcdcDbContext>>(), new SmtpTransport(options.Smtp),
            options, clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<OutboxDelivery>.Instance);
        var report = await fresh.DeliverDueAsync();

        report.Sent.Should().Be(outbox.Count, "the message in flight when the relay failed is not held back by the other process's backoff");
        smtp.Received().Select(m => m.MessageId).Should().BeEquivalentTo(outbox.Select(m => OutboxMail.MessageId(m.Key, "localhost")));
    }

    [Fact]
    public async Task The_audit_view_of_a_sent_message_is_byte_for_byte_what_the_relay_received()
    {
        using var smtp = new LoopbackSmtp();
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options(smtp.Options), Clock());
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        await engine.Delivery().DeliverDueAsync();
        var xa2 = (await engine.OutboxAsync()).Single(m => m.Recipient == "xa2@example.vn");

        using var shown = new MemoryStream();
        (await engine.Services.GetRequiredService<OutboxQueries>().WriteAsSentAsync(xa2.Id, shown)).Should().BeTrue();

        var received = smtp.ReceivedData().Single(d => d.Contains("To: xa2@example.vn", StringComparison.Ordinal));
        var audit = Encoding.UTF8.GetString(shown.ToArray());
        audit.Should().Contain("\r\n", "the wire has CRLF line ends").And.NotMatchRegex("[^\r]\n");
        // The server puts its own Received: header on top of what it took.
        received.Should().EndWith(audit, "an auditor compares the hash of what was received with the audit view's");
        received[..^audit.Length].Should().StartWith("Received: ");
    }

    [Fact]
    public async Task A_relay_failing_on_messages_at_their_last_attempt_ends_the_round_kills_none_and_each_arrives_once_when_it_is_back()
    {
        using var smtp = new LoopbackSmtp();
        await using var proxy = new SmtpFaultProxy(smtp);
        var clock = Clock();
        var options = AlertScenario.Options(proxy.Options(TimeSpan.FromSeconds(5)));
        options.MaxAttempts = 3;
        await using var engine = await AlertScenario.EngineAsync(options, clock);
        await engine.Services.GetRequiredService<OutboxWriter>().AddNewAsync(Enumerable.Range(1, 3)
            .Select(i => new ComposedMessage($"test:last:{i}", MessageKind.UnitAlert, $"unit{i}@example.vn", $"Thư {i}", new MailBody().Paragraph($"Nội dung {i}")))
            .ToList());
        // Each has used up all its attempts but the last (a busy mailbox, say).
        await using (var db = engine.Db())
            await db.OutboxMessages.ExecuteUpdateAsync(s => s.SetProperty(m => m.Attempts, options.MaxAttempts - 1));
        proxy.Plan(SmtpFault.DropInData, SmtpFault.RefuseConnection);

        var dropped = await engine.Delivery().DeliverDueAsync();
        clock.Advance(options.RelayRetryMaxDelay);
        var refused = await engine.Delivery().DeliverDueAsync();

        (dropped.Sent, dropped.Failed, dropped.Dead).Should().Be((0, 1, 0), "a connection dropped in DATA is the relay's failure: the round ends there");
        (refused.Sent, refused.Failed, refused.Dead).Should().Be((0, 1, 0), "so is a 421 on connect");
        (await engine.OutboxAsync()).Should().OnlyContain(m => m.Status == MessageStatus.Pending && m.Attempts == options.MaxAttempts - 1);

        clock.Advance(options.RelayRetryMaxDelay);
        (await engine.Delivery().DeliverDueAsync()).Sent.Should().Be(3);
        // The server keeps the headers of the message cut off in DATA (a conforming one discards them): count whole messages.
        smtp.Received().Where(m => m.TextBody is { Length: > 0 }).Select(m => m.Subject).Should().BeEquivalentTo(["Thư 1", "Thư 2", "Thư 3"]);
        (await engine.OutboxAsync()).Should().OnlyContain(m => m.Status == MessageStatus.Sent && m.Attempts == options.MaxAttempts);
    }

    [Fact]
    public async Task A_message_that_fails_the_maximum_number_of_times_is_dead_listed_and_never_retried_until_requeued()
    {
        using var smtp = new LoopbackSmtp();
        await using var proxy = new SmtpFaultProxy(smtp);
        proxy.RefuseRecipient("nobody@example.vn", 450);
        var clock = Clock();
        var options = AlertScenario.Options(proxy.Options(TimeSpan.FromSeconds(5)));
        options.MaxAttempts = 3;
        await using var engine = await AlertScenario.EngineAsync(options, clock);
        var writer = engine.Services.GetRequiredService<OutboxWriter>();
        await writer.AddNewAsync([new ComposedMessage("test:dead", MessageKind.UnitAlert, "nobody@example.vn", "Thử", new MailBody().Paragraph("Xin chào"))]);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            (await engine.Delivery().DeliverDueAsync()).Failed.Should().Be(1);
            clock.Advance(TimeSpan.FromHours(2));
        }

        var dead = (await engine.OutboxAsync()).Single();
        (dead.Status, dead.Attempts).Should().Be((MessageStatus.Dead, 3));
        dead.LastError.Should().Contain("SmtpCommandException: 450");
        var queries = engine.Services.GetRequiredService<OutboxQueries>();
        (await queries.PageAsync(MessageStatus.Dead, 0, 10)).Select(m => m.Key).Should().Equal("test:dead");
        (await queries.CountsAsync())[MessageStatus.Dead].Should().Be(1);

        proxy.AcceptRecipient("nobody@example.vn");
        (await engine.Delivery().DeliverDueAsync()).Sent.Should().Be(0, "a dead message is not retried");
        (await queries.RequeueAsync([dead.Id])).Count.Should().Be(1);
        (await engine.Delivery().DeliverDueAsync()).Sent.Should().Be(1);
        smtp.Received().Single().Subject.Should().Be("Thử");
    }

    /// <summary>
    /// `qcdc outbox retry` of a dead alert had sent it again to the stored address after the unit's contact was corrected,
    /// to be refused again, and nothing ever reached the new address; a committee's digest had kept its old address too.
    /// </summary>
    [Fact]
    public async Task A_dead_alert_retried_after_its_address_was_corrected_goes_to_the_new_address_and_the_old_row_says_where_it_went()
    {
        using var smtp = new LoopbackSmtp();
        await using var proxy = new SmtpFaultProxy(smtp);
        proxy.RefuseRecipient("xa2@example.vn", 550);
        proxy.RefuseRecipient(AlertScenario.DistrictCommittee, 550);
        var options = AlertScenario.Options(proxy.Options(TimeSpan.FromSeconds(5)));
        await using var engine = await AlertScenario.EngineAsync(options, Clock());
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        (await engine.Delivery().DeliverDueAsync()).Dead.Should().Be(2);
        var dead = (await engine.OutboxAsync()).Where(m => m.Status == MessageStatus.Dead).ToList();
        var alert = dead.Single(m => m.Recipient == "xa2@example.vn");
        var digest = dead.Single(m => m.Recipient == AlertScenario.DistrictCommittee);

        // The reporting officer corrects XA2's contact; the operator, the district committee's address.
        await engine.ImportAsync(QcdcCompliance.Import.ImportKind.Units, "units.csv", Province.UnitsHeader + "XA2,UBND Xã Hai,Commune,C2,true,25,xa2.moi@example.vn,,\n");
        options.Committees["D1"] = "bcd.d1.moi@example.vn";
        var queries = engine.Services.GetRequiredService<OutboxQueries>();
        var retried = await queries.RequeueAsync([alert.Id, digest.Id]);
        retried.Count.Should().Be(1);
        retried.Readdressed.Should().ContainSingle().Which.Should().Contain($"message {alert.Id} to xa2@example.vn goes to xa2.moi@example.vn");
        retried.Held.Should().ContainSingle().Which.Should()
            .Be($"message {digest.Id} stays Dead: {AlertScenario.DistrictCommittee} is no committee's address in Alerts:Committees any more; name the committee's address now: qcdc outbox retry {digest.Id} --to ADDRESS");
        (await queries.RequeueAsync([digest.Id], "bcd.d1.moi@example.vn")).Count.Should().Be(1);
        (await engine.Delivery().DeliverDueAsync()).Should().Match<DeliveryReport>(r => r.Sent == 2 && r.Failed == 0);

        var received = smtp.Received();
        received.Should().ContainSingle(m => m.To.Mailboxes.Single().Address == "xa2.moi@example.vn").Which.TextBody.Should().Contain("Kính gửi: UBND Xã Hai.");
        received.Should().ContainSingle(m => m.To.Mailboxes.Single().Address == "bcd.d1.moi@example.vn").Which.Subject.Should().StartWith("[QCDC] 6 tháng đầu năm 2020 – Huyện Một: ");
        received.Should().NotContain(m => m.To.Mailboxes.Any(a => a.Address == "xa2@example.vn" || a.Address == AlertScenario.DistrictCommittee));
        // The auditor sees both addresses: the old row, what the old address answered and where it went instead.
        await using var db = engine.Db();
        var old = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == alert.Id);
        (old.Status, old.Recipient).Should().Be((MessageStatus.Withdrawn, "xa2@example.vn"));
        old.LastError.Should().StartWith("withdrawn, never delivered: re-addressed to xa2.moi@example.vn (the unit's contact address now) as message ").And.Contain("550");
    }

    [Fact]
    public async Task Two_processes_delivering_the_same_outbox_at_once_send_each_message_once()
    {
        using var smtp = new LoopbackSmtp();
        var options = AlertScenario.Options(smtp.Options);
        options.BatchSize = 10;
        await using var engine = await AlertScenario.EngineAsync(options, postgres: "outbox_race");
        var messages = Enumerable.Range(1, 60)
            .Select(i => new ComposedMessage($"test:race:{i}", MessageKind.UnitAlert, $"unit{i}@example.vn", $"Thư {i}", new MailBody().Paragraph($"Nội dung {i}")))
            .ToList();
        await engine.Services.GetRequiredService<OutboxWriter>().AddNewAsync(messages);

        // Two deliveries with their own connections and sessions, as two hosts would run them.
        var second = new OutboxDelivery(engine.Services.GetRequiredService<IDbContextFactory<QcdcCompliance.Storage.QcdcDbContext>>(), new SmtpTransport(options.Smtp), options,
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<OutboxDelivery>.Instance);
        var reports = await Task.WhenAll(Task.Run(() => engine.Delivery().DeliverDueAsync()), Task.Run(() => second.DeliverDueAsync()));

        reports.Sum(r => r.Sent).Should().Be(60);
        smtp.Received().Select(m => m.Subject).Should().OnlyHaveUniqueItems().And.HaveCount(60);
    }

    [Fact]
    public async Task Without_SMTP_settings_the_messages_are_written_once_each_to_the_pickup_folder()
    {
        var options = AlertScenario.Options();
        await using var engine = await AlertScenario.EngineAsync(options);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var outbox = await engine.OutboxAsync();

        var report = await engine.Delivery().DeliverDueAsync();

        report.Destination.Should().Be(options.PickupFolder);
        var files = Directory.GetFiles(options.PickupFolder, "*.eml");
        files.Should().HaveCount(outbox.Count);
        var digest = files.Select(f => MimeMessage.Load(f)).Single(m => m.To.Mailboxes.Single().Address == AlertScenario.DistrictCommittee);
        digest.Subject.Should().StartWith("[QCDC] 6 tháng đầu năm 2020 – Huyện Một: ");
        digest.TextBody.Should().Contain("Huyện Một và các địa bàn trực thuộc");
    }
}
