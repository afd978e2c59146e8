using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QcdcCompliance.Alerts;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Alerts;

/// <summary>
/// Unit alerts are written by the evaluation as what they are made of and rendered at delivery: what is sent is what
/// the run would have written, whatever changed since, and once rendered for a send the stored bytes are what goes.
/// </summary>
public sealed class DeferredAlertTests
{
    private static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.FromHours(7)));

    [Fact]
    public async Task A_unit_alert_that_cannot_be_rendered_is_marked_dead_saying_why_and_the_others_are_sent()
    {
        // Only a bug or a database changed by hand leaves an alert without its findings: it must not stop every later round.
        var options = AlertScenario.Options();
        await using var engine = await AlertScenario.EngineAsync(options, Clock());
        var run = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single().Run;
        long broken;
        int others;
        await using (var db = engine.Db())
        {
            var alert = await db.OutboxMessages.Where(m => m.RunId == run.Id && m.Recipient == "xa2@example.vn").SingleAsync();
            broken = alert.Id;
            others = await db.OutboxMessages.CountAsync(m => m.Id != broken);
            var xa2 = await db.Units.Where(u => u.Code == "XA2").Select(u => u.Id).SingleAsync();
            await db.Findings.Where(f => f.RunId == run.Id && f.SubjectType == SubjectType.Unit && f.SubjectId == xa2).ExecuteDeleteAsync();
        }

        var report = await engine.Delivery().DeliverDueAsync();

        report.Sent.Should().Be(others, "the round goes on past the message it cannot render");
        report.Dead.Should().Be(1);
        await using var check = engine.Db();
        var dead = await check.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == broken);
        dead.Status.Should().Be(MessageStatus.Dead, "waiting would not render it");
        dead.LastError.Should().Contain($"run {run.Id} stored no finding of").And.Contain($"Outbox message {broken}");
        dead.PackedTextBody.Should().BeEmpty("nothing was rendered, so nothing is stored as sent");
        var show = async () => await engine.Services.GetRequiredService<OutboxQueries>().WriteAsSentAsync(broken, new MemoryStream());
        await show.Should().ThrowAsync<InvalidOperationException>().WithMessage($"*run {run.Id} stored no finding of*");
    }

    [Fact]
    public async Task A_unit_alert_delivered_after_the_unit_the_target_texts_the_settings_and_the_area_findings_changed_says_what_the_run_said()
    {
        var options = AlertScenario.Options();
        await using var engine = await AlertScenario.EngineAsync(options, Clock());
        var run = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single().Run;
        var queries = engine.Services.GetRequiredService<OutboxQueries>();
        List<OutboxMessage> stored;
        await using (var db = engine.Db())
            stored = await db.OutboxMessages.AsNoTracking().Where(m => m.RunId == run.Id && m.Kind == MessageKind.UnitAlert).ToListAsync();
        stored.Should().NotBeEmpty().And.OnlyContain(m => m.AwaitsRendering, "the evaluation stores what a unit alert is made of, not its bodies");
        var shown = new Dictionary<long, byte[]>();
        foreach (var message in stored)
        {
            using var output = new MemoryStream();
            (await queries.WriteAsSentAsync(message.Id, output)).Should().BeTrue();
            shown[message.Id] = output.ToArray();
        }

        await using (var db = engine.Db())
        {
            await db.Units.Where(u => u.Code == "XA2").ExecuteUpdateAsync(s => s.SetProperty(u => u.Name, "UBND Xã Đổi Tên"));
            await db.Targets.ExecuteUpdateAsync(s => s.SetProperty(t => t.NameVi, "Chỉ tiêu đổi: tên khác"));
        }

        options.UnitUrl = "https://other.example.vn/{unit}";
        options.TemplateUrl = "https://other.example.vn/template/{unit}";
        options.Signature = "Một chữ ký khác";
        options.FixWithinDays = 3;
        await engine.ImportAsync(ImportKind.Values, "correction.csv", AlertScenario.Correction);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        await engine.Delivery().DeliverDueAsync();

        // XA2's one line the correction resolved is left out of its alert (A_unit_alert_some_lines_of_which_...): the others are whole.
        foreach (var message in stored.Where(m => m.Recipient != "xa2@example.vn"))
        {
            var delivered = await File.ReadAllBytesAsync(Path.Combine(options.PickupFolder, OutboxMail.FileName(message)));
            delivered.Should().Equal(shown[message.Id], $"message {message.Id} says what run {run.Id} said, byte for byte");
        }

        var xa2 = MimeKit.MimeMessage.Load(new MemoryStream(shown[stored.Single(m => m.Recipient == "xa2@example.vn").Id]));
        xa2.TextBody.Should().Contain("Kính gửi: UBND Xã Hai.").And.Contain("Chỉ tiêu 1 (xây dựng quy chế dân chủ). Kết quả:")
            .And.Contain("https://qcdc.example.vn/workspace/units/XA2?period=2020S1").And.Contain("Văn phòng Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở")
            .And.NotContain("Đổi Tên").And.NotContain("other.example.vn").And.NotContain("Một chữ ký khác");
        (await engine.OutboxAsync()).Where(m => m.RunId == run.Id && m.Kind == MessageKind.UnitAlert).Should()
            .OnlyContain(m => m.Status == MessageStatus.Sent && !m.AwaitsRendering, "delivery stores the bodies it sent");
    }

    [Fact]
    public async Task A_unit_alert_every_line_of_which_a_later_run_resolved_is_withdrawn_saying_why_and_never_sent()
    {
        // 10 July, before 2020S1's deadline: XA2 is told only its regulation not issued. Two minutes later it reports it
        // issued, and the next run resolves that finding before delivery comes round.
        var clock = new FakeTimeProvider(new DateTimeOffset(2020, 7, 10, 2, 0, 0, TimeSpan.FromHours(7)));
        var options = AlertScenario.Options();
        var logs = new QcdcCompliance.Tests.Api.LogCapture();
        await using var engine = await AlertScenario.EngineAsync(options, clock, configure: s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        var run = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Import)).Single().Run;
        OutboxMessage queued;
        await using (var db = engine.Db())
            queued = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.RunId == run.Id && m.Recipient == "xa2@example.vn");
        queued.Subject.Should().EndWith("UBND Xã Hai: 1 chỉ tiêu chưa đạt");
        clock.Advance(TimeSpan.FromMinutes(2));
        await engine.ImportAsync(ImportKind.Values, "correction.csv", AlertScenario.Correction);
        var fix = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Import)).Single().Run;

        var report = await engine.Delivery().DeliverDueAsync();

        (report.Withdrawn, report.Failed).Should().Be((1, 0));
        report.ToString().Should().Contain("1 withdrawn");
        await using (var db = engine.Db())
        {
            var row = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == queued.Id);
            row.Status.Should().Be(MessageStatus.Withdrawn, "no line of it is true any more");
            row.LastError.Should().Be($"withdrawn, never sent: no line of it was still true at delivery (NQ02-1 of XA2 resolved by run {fix.Id})");
            row.PackedTextBody.Should().BeEmpty("nothing was sent");
            // The operator's log line says it once, with the stored reason.
            logs.Lines.Should().ContainSingle(l => l.Contains($"Outbox message {queued.Id} ", StringComparison.Ordinal)).Which.Should()
                .EndWith($"to xa2@example.vn: {row.LastError}").And.NotContain("withdrawn, never sent: withdrawn");
            (await db.OutboxMessages.CountAsync(m => m.Status == MessageStatus.Sent)).Should().Be(report.Sent).And.BePositive("the digests go");
        }

        var mails = Directory.GetFiles(options.PickupFolder, "*.eml").Select(f => MimeKit.MimeMessage.Load(f)).ToList();
        mails.Should().HaveCount(report.Sent).And.NotContain(m => m.To.Mailboxes.Any(a => a.Address == "xa2@example.vn"), "XA2 is not told what it put right");
        mails.Should().Contain(m => m.Subject!.EndsWith("0 trường hợp chưa đạt mới, 2 đã khắc phục", StringComparison.Ordinal), "the committee is told it was put right");
        clock.Advance(TimeSpan.FromHours(1));
        (await engine.Delivery().DeliverDueAsync()).Should().Match<DeliveryReport>(r => r.Sent == 0 && r.Withdrawn == 0, "a withdrawn message is never taken again");

        // The auditor sees it withdrawn, why, and what the run had queued.
        var queries = engine.Services.GetRequiredService<OutboxQueries>();
        (await queries.CountsAsync())[MessageStatus.Withdrawn].Should().Be(1);
        (await queries.EntryAsync(queued.Id))!.LastError.Should().Contain($"resolved by run {fix.Id}");
        using var shown = new MemoryStream();
        (await queries.WriteAsSentAsync(queued.Id, shown)).Should().BeTrue();
        shown.Position = 0;
        MimeKit.MimeMessage.Load(shown).TextBody.Should().Contain("Chỉ tiêu 1 (xây dựng quy chế dân chủ). Kết quả:");
    }

    [Fact]
    public async Task A_unit_alert_some_lines_of_which_a_later_run_resolved_is_sent_without_them_its_subject_counting_the_rest()
    {
        // After the deadline XA2 is told every figure it has not reported and its regulation not issued; then it reports
        // the regulation issued, and the next run resolves that one line before delivery.
        var options = AlertScenario.Options();
        await using var engine = await AlertScenario.EngineAsync(options, Clock());
        var run = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single().Run;
        OutboxMessage queued;
        await using (var db = engine.Db())
            queued = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.RunId == run.Id && m.Recipient == "xa2@example.vn");
        var lines = UnitAlertPart.Read(queued.Parts!).Single().Findings.Length / 2;
        lines.Should().BeGreaterThan(1);
        queued.Subject.Should().EndWith($"UBND Xã Hai: {lines} chỉ tiêu chưa đạt");
        await engine.ImportAsync(ImportKind.Values, "correction.csv", AlertScenario.Correction);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Import);

        var report = await engine.Delivery().DeliverDueAsync();

        report.Withdrawn.Should().Be(0);
        OutboxMessage sent;
        await using (var db = engine.Db())
            sent = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == queued.Id);
        sent.Status.Should().Be(MessageStatus.Sent);
        sent.Subject.Should().EndWith($"UBND Xã Hai: {lines - 1} chỉ tiêu chưa đạt", "the subject counts the lines sent");
        sent.Parts.Should().Equal(queued.Parts, "what the run queued stays on record");
        var mail = MimeKit.MimeMessage.Load(Path.Combine(options.PickupFolder, OutboxMail.FileName(sent)));
        mail.Subject.Should().Be(sent.Subject);
        sent.TextBody.Should().NotContain("Chỉ tiêu 1 (xây dựng quy chế dân chủ)", "the row holds what was sent");
        mail.TextBody.Should().NotContain("Chỉ tiêu 1 (xây dựng quy chế dân chủ)", "XA2 issued its regulation since")
            .And.Contain($"chưa đạt {lines - 1} chỉ tiêu sau:").And.Contain("Báo cáo đầy đủ. Kết quả: chưa báo cáo", "what it still has not reported stands");
    }

    [Fact]
    public async Task A_unit_alert_rendered_and_stored_but_not_sent_is_sent_later_with_the_same_bytes()
    {
        using var smtp = new LoopbackSmtp(start: false);
        var clock = Clock();
        var options = AlertScenario.Options(smtp.Options);
        await using var engine = await AlertScenario.EngineAsync(options, clock);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var rendered = (await engine.OutboxAsync()).ToDictionary(m => m.Id);

        (await engine.Delivery().DeliverDueAsync()).Failed.Should().Be(1, "the relay is down");

        OutboxMessage tried;
        await using (var db = engine.Db())
            tried = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.LastError != null); // the relay's failure counts no attempt, but is written on the message it was sending
        tried.Kind.Should().Be(MessageKind.UnitAlert);
        tried.AwaitsRendering.Should().BeFalse("the bodies are stored before the send is tried");
        (tried.TextBody, tried.HtmlBody).Should().Be((rendered[tried.Id].TextBody, rendered[tried.Id].HtmlBody));
        await using (var db = engine.Db())
            await db.Units.ExecuteUpdateAsync(s => s.SetProperty(u => u.Name, "Tên khác"));
        options.Signature = "Một chữ ký khác";
        smtp.Start();
        clock.Advance(TimeSpan.FromMinutes(1));
        (await engine.Delivery().DeliverDueAsync()).Sent.Should().Be(rendered.Count);

        var received = smtp.Received();
        received.Select(m => m.MessageId).Should().BeEquivalentTo(rendered.Values.Select(m => OutboxMail.MessageId(m.Key, "localhost")));
        received.Single(m => m.MessageId == OutboxMail.MessageId(tried.Key, "localhost")).TextBody.Should().NotContain("Tên khác").And.NotContain("Một chữ ký khác");
        foreach (var sent in await engine.OutboxAsync())
        {
            sent.Status.Should().Be(MessageStatus.Sent);
            (sent.TextBody, sent.HtmlBody).Should().Be((rendered[sent.Id].TextBody, rendered[sent.Id].HtmlBody),
                $"message {sent.Id} is stored as sent, and is what was rendered before the relay went down");
        }
    }

    [Fact]
    public void The_parts_of_a_unit_alert_and_a_run_s_words_read_back_as_written()
    {
        UnitAlertPart[] units = [new(7, "XA2", "UBND Xã \"Hai\"", [0, 0, 3, 2]), new(9, "CQ1", "Cơ quan Một", [])];

        var read = UnitAlertPart.Read(UnitAlertPart.Write(units));

        read.Should().HaveCount(2);
        read.Select(u => (u.Id, u.Code, u.Name)).Should().Equal(units.Select(u => (u.Id, u.Code, u.Name)));
        read.Select(u => u.Findings).Should().BeEquivalentTo(units.Select(u => u.Findings), o => o.WithStrictOrdering());
        var words = new UnitAlertWords("2020S1", "P", "6 tháng đầu năm 2020", "6 tháng đầu năm 2020", "09:00 ngày 27/11/2026", "27/12/2026",
            "u/{unit}", "t/{unit}", "Văn phòng", ["NQ02-1"], ["Chỉ tiêu 1 (xây dựng)"], ["Địa bàn X: cần thêm 1 đơn vị."]);
        UnitAlertWords.Unpack(words.Pack()).Should().BeEquivalentTo(words);
    }
}
