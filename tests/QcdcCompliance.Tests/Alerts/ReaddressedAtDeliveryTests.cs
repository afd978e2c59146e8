using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QcdcCompliance.Alerts;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Alerts;

/// <summary>
/// A unit alert or reminder queued and not yet delivered when a units import changes the unit's contact address goes to
/// the address as it is at delivery, once: the row queued is withdrawn, saying where it went, and its copy to the new
/// address is what is sent and what <c>qcdc outbox show</c> shows, byte for byte. Through a real SMTP server on loopback.
/// </summary>
public sealed class ReaddressedAtDeliveryTests
{
    private const string NewContact = "xa2.moi@example.vn";

    private static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.FromHours(7)));

    private static Task ChangeXa2ContactAsync(Engine engine, string address = NewContact) =>
        engine.ImportAsync(ImportKind.Units, "units.csv", Province.UnitsHeader + $"XA2,UBND Xã Hai,Commune,C2,true,25,{address},,\n");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_pending_unit_alert_goes_to_the_units_contact_as_it_is_at_delivery_once_and_the_queued_row_says_where_it_went(bool postgres)
    {
        using var smtp = new LoopbackSmtp();
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options(smtp.Options), Clock(), postgres: postgres ? "readdressed_at_delivery" : null);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var queued = (await engine.OutboxAsync()).Single(m => m.Recipient == "xa2@example.vn");

        await ChangeXa2ContactAsync(engine);
        var report = await engine.Delivery().DeliverDueAsync();

        report.Readdressed.Should().Be(1);
        report.ToString().Should().Contain("1 re-addressed to their unit's contact now");
        var received = smtp.Received();
        received.Should().NotContain(m => m.To.Mailboxes.Any(a => a.Address == "xa2@example.vn"), "the unit's contact is no longer that address");
        received.Should().ContainSingle(m => m.To.Mailboxes.Single().Address == NewContact).Which.TextBody.Should().Contain("Kính gửi: UBND Xã Hai.")
            .And.Contain("Chỉ tiêu 1 (xây dựng quy chế dân chủ). Kết quả: ");

        // The auditor sees both addresses: the row queued, withdrawn, and where it went; the copy, sent, byte for byte as shown.
        await using var db = engine.Db();
        var old = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == queued.Id);
        var copy = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Key == $"{queued.Key}:to:{NewContact}");
        (old.Status, old.Recipient).Should().Be((MessageStatus.Withdrawn, "xa2@example.vn"));
        old.LastError.Should().Be($"withdrawn, never sent: re-addressed to {NewContact} (the unit's contact address now) as message {copy.Id}; "
                                  + "it was queued to xa2@example.vn, its unit's contact then");
        (copy.Status, copy.Recipient, copy.RunId).Should().Be((MessageStatus.Sent, NewContact, queued.RunId));
        using var shown = new MemoryStream();
        (await engine.Services.GetRequiredService<OutboxQueries>().WriteAsSentAsync(copy.Id, shown)).Should().BeTrue();
        var audit = Encoding.UTF8.GetString(shown.ToArray());
        audit.Should().Contain($"To: {NewContact}");
        smtp.ReceivedData().Single(d => d.Contains($"To: {NewContact}", StringComparison.Ordinal)).Should().EndWith(audit);

        // Once per change: the next round moves and sends nothing, and a contact changed again does not touch what went.
        await ChangeXa2ContactAsync(engine, "xa2.ba@example.vn");
        (await engine.Delivery().DeliverDueAsync()).Should().Match<DeliveryReport>(r => r.Sent == 0 && r.Readdressed == 0);
        smtp.Received().Should().HaveCount(received.Count);
    }

    [Fact]
    public async Task A_pending_reminder_goes_to_the_units_contact_as_it_is_at_delivery()
    {
        using var smtp = new LoopbackSmtp();
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options(smtp.Options), Clock());
        var key = OutboxKeys.Reminder("2020S1", "XA2", new DateOnly(2026, 11, 27));
        await engine.Services.GetRequiredService<OutboxWriter>().AddNewAsync(
            [new ComposedMessage(key, MessageKind.ReportingReminder, "xa2@example.vn", "[QCDC] Nhắc báo cáo", new MailBody().Paragraph("Kính gửi: UBND Xã Hai."))]);

        await ChangeXa2ContactAsync(engine);
        (await engine.Delivery().DeliverDueAsync()).Readdressed.Should().Be(1);

        smtp.Received().Should().ContainSingle().Which.To.Mailboxes.Single().Address.Should().Be(NewContact);
        await using var db = engine.Db();
        (await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Key == key)).Should()
            .Match<OutboxMessage>(m => m.Status == MessageStatus.Withdrawn && m.LastError!.StartsWith($"withdrawn, never sent: re-addressed to {NewContact}"));
        (await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Key == $"{key}:to:{NewContact}")).Status.Should().Be(MessageStatus.Sent);
        OutboxKeys.ReadReminder($"{key}:to:{NewContact}").Should().Be(("2020S1", "XA2", new DateOnly(2026, 11, 27)), "the copy is still the unit's reminder of that day");
    }
}
