using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Jobs;
using QcdcCompliance.Tests.Alerts;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Jobs;

/// <summary>The daily reminders and the weekly escalations, run as Hangfire would run them, on a controlled clock.</summary>
public sealed class ReminderAndEscalationTests
{
    private static FakeTimeProvider At(int year, int month, int day) => new(new DateTimeOffset(year, month, day, 8, 0, 0, TimeSpan.FromHours(7)));

    /// <summary>Everything a state agency reports for a half-year.</summary>
    private static string EverythingOf(string unit, UnitKind kind, string period)
    {
        var text = new StringBuilder(Province.ValuesHeader);
        foreach (var indicator in IndicatorCatalogue.All.Where(i => i.PeriodType == PeriodType.HalfYear && i.Population.Includes(kind, true)))
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{unit},{period},{indicator.Code},{(indicator.ValueType == IndicatorValueType.Boolean ? "true" : "1")},\n");
        return text.ToString();
    }

    private static T Job<T>(Engine engine) where T : notnull => engine.Services.GetRequiredService<T>();

    [Fact]
    public async Task Units_that_have_not_reported_are_reminded_once_a_day_before_and_after_the_deadline_until_the_period_closes()
    {
        var clock = At(2020, 7, 15);
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options(), clock);
        await engine.ImportAsync(ImportKind.Values, "cq1.csv", EverythingOf("CQ1", UnitKind.StateAgency, "2020S1"));

        await Job<RemindReportingJob>(engine).RunAsync(CancellationToken.None);

        var reminders = (await engine.OutboxAsync()).Where(m => m.Kind == MessageKind.ReportingReminder).ToList();
        reminders.Select(m => m.Recipient).Should().BeEquivalentTo(["xa1@example.vn", "xa2@example.vn", "dn1@example.vn"], "CQ1 reported everything; XA3, DN2 have no address");
        var xa2 = reminders.Single(m => m.Recipient == "xa2@example.vn");
        xa2.Key.Should().Be("remind:2020S1:XA2:2020-07-15");
        xa2.Subject.Should().Be("[QCDC] Nhắc báo cáo 6 tháng đầu năm 2020 – UBND Xã Hai: hạn 20/07/2020");
        xa2.TextBody.Should().Contain("Đề nghị đơn vị giao cán bộ báo cáo nhập đủ số liệu trước ngày 20/07/2020")
            .And.Contain("Văn phòng Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở").And.NotContain("REPORTED").And.NotContain("REGULATION_ISSUED");
        xa2.TextBody.Should().Contain("Hạn báo cáo: ngày 20/07/2020 (còn 5 ngày).").And.Contain("  - Niêm yết công khai đầy đủ nội dung phải công khai")
            .And.NotContain("REGULATION_ISSUED —", "XA2 reported that one");

        // The reminder leads to the unit's own page in the workspace and to its own template (one row, what it owes).
        xa2.TextBody.Should().Contain("Nhập số liệu trên trang của đơn vị: https://qcdc.example.vn/workspace/units/XA2?period=2020S1")
            .And.Contain("Tải mẫu báo cáo (Excel): https://qcdc.example.vn/workspace/template?period=2020S1&unit=XA2");
        xa2.HtmlBody.Should().Contain("<a href=\"https://qcdc.example.vn/workspace/units/XA2?period=2020S1\">")
            .And.Contain("<a href=\"https://qcdc.example.vn/workspace/template?period=2020S1&amp;unit=XA2\">");

        await Job<RemindReportingJob>(engine).RunAsync(CancellationToken.None);
        (await engine.OutboxAsync()).Should().HaveCount(3, "never twice the same day");

        clock.Advance(TimeSpan.FromDays(10));
        await Job<RemindReportingJob>(engine).RunAsync(CancellationToken.None);
        var overdue = (await engine.OutboxAsync()).Single(m => m.Key == "remind:2020S1:XA2:2020-07-25");
        overdue.Subject.Should().StartWith("[QCDC] Quá hạn báo cáo 6 tháng đầu năm 2020 – UBND Xã Hai");
        overdue.TextBody.Should().Contain("(đã quá hạn 5 ngày)");

        clock.Advance(TimeSpan.FromDays(60));
        await Job<RemindReportingJob>(engine).RunAsync(CancellationToken.None);
        (await engine.OutboxAsync()).Should().HaveCount(6, "2020S1 closed 60 days after its deadline");
    }

    /// <summary>
    /// A reminder queued while the relay was down had been delivered after its unit reported everything, listing all it had
    /// just reported: it is checked at delivery, as unit alerts are.
    /// </summary>
    [Fact]
    public async Task A_reminder_is_withdrawn_at_delivery_once_its_unit_reported_everything_and_says_only_what_is_still_missing()
    {
        var clock = At(2020, 7, 15);
        var options = AlertScenario.Options();
        await using var engine = await AlertScenario.EngineAsync(options, clock);
        await Job<RemindReportingJob>(engine).RunAsync(CancellationToken.None);
        var queued = (await engine.OutboxAsync()).Where(m => m.Kind == MessageKind.ReportingReminder).ToDictionary(m => m.Recipient);
        queued.Keys.Should().BeEquivalentTo(["xa1@example.vn", "xa2@example.vn", "cq1@example.vn", "dn1@example.vn"]);

        var owed = int.Parse(System.Text.RegularExpressions.Regex.Match(queued["xa2@example.vn"].TextBody, @"chưa báo cáo (\d+) nội dung").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);
        queued["xa2@example.vn"].TextBody.Should().Contain("Niêm yết công khai đầy đủ nội dung phải công khai");

        // The relay is down for a day; meanwhile XA1 reports everything, XA2 one of the figures it owed.
        clock.Advance(TimeSpan.FromDays(1));
        await engine.ImportAsync(ImportKind.Values, "xa1.csv", EverythingOf("XA1", UnitKind.Commune, "2020S1"));
        await engine.ImportAsync(ImportKind.Values, "xa2.csv", Province.ValuesHeader + "XA2,2020S1,DISCLOSURE_POSTED,true,\n");
        var report = await engine.Delivery().DeliverDueAsync();

        report.Withdrawn.Should().Be(1);
        await using (var db = engine.Db())
        {
            var xa1 = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == queued["xa1@example.vn"].Id);
            xa1.Status.Should().Be(MessageStatus.Withdrawn);
            xa1.LastError.Should().Be("withdrawn, never sent: unit XA1 has reported all it owes for 2020S1 since the reminder was queued");
        }

        var mails = Directory.GetFiles(options.PickupFolder, "*.eml").Select(f => MimeKit.MimeMessage.Load(f)).ToDictionary(m => m.To.Mailboxes.Single().Address);
        mails.Keys.Should().BeEquivalentTo(["xa2@example.vn", "cq1@example.vn", "dn1@example.vn"], "XA1 is not reminded of what it reported");
        mails["xa2@example.vn"].TextBody.Should().Contain($"Đến ngày 16/07/2020, đơn vị chưa báo cáo {owed - 1} nội dung số liệu 6 tháng đầu năm 2020.")
            .And.Contain("(còn 4 ngày)").And.NotContain("Niêm yết công khai đầy đủ nội dung phải công khai", "XA2 has reported that one since");
        mails["dn1@example.vn"].TextBody!.ReplaceLineEndings("\n").Should().Be(queued["dn1@example.vn"].TextBody, "DN1 reported nothing since: its reminder goes as queued");
        (await engine.OutboxAsync()).Single(m => m.Id == queued["xa2@example.vn"].Id).TextBody.Should().Be(mails["xa2@example.vn"].TextBody!.ReplaceLineEndings("\n"),
            "the row holds what was sent");
    }

    [Fact]
    public async Task A_reminder_window_that_reaches_a_period_not_begun_passes_it_over_and_the_job_succeeds()
    {
        // 20/12/2020, reminding from 365 days before the deadline: 2021S1 (due 20/07/2021) is in the window, yet begins on 01/01/2021.
        var clock = At(2020, 12, 20);
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options(), clock, jobs: new JobOptions { RemindDaysBefore = 365 });

        var result = await Job<RemindReportingJob>(engine).RunAsync(CancellationToken.None);

        var keys = (await engine.OutboxAsync()).Where(m => m.Kind == MessageKind.ReportingReminder).Select(m => m.Key).ToList();
        result.Should().EndWith("reminder(s) queued");
        keys.Should().Contain(k => k.StartsWith("remind:2020S2:", StringComparison.Ordinal))
            .And.NotContain(k => k.StartsWith("remind:2021S1:", StringComparison.Ordinal), "nobody can report for a half-year not begun");
        await using var db = engine.Db();
        db.Periods.Should().NotContain(p => p.Code == "2021S1");
    }

    [Fact]
    public async Task Findings_open_longer_than_the_setting_go_weekly_to_the_nearest_committee_above_their_subject()
    {
        var clock = At(2020, 7, 25);
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options(), clock);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Schedule);
        var alerts = (await engine.OutboxAsync()).Count;

        clock.Advance(TimeSpan.FromDays(10));
        await Job<EscalateOpenFindingsJob>(engine).RunAsync(CancellationToken.None);
        (await engine.OutboxAsync()).Should().HaveCount(alerts, "nothing has been open 30 days yet");

        clock.Advance(TimeSpan.FromDays(21));
        await engine.ImportAsync(ImportKind.Values, "dn1.csv", Province.ValuesHeader + "DN1,2020S1,REGULATION_ISSUED,false,\n");
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Import);
        var beforeEscalation = (await engine.OutboxAsync()).Count;
        await Job<EscalateOpenFindingsJob>(engine).RunAsync(CancellationToken.None);

        var escalations = (await engine.OutboxAsync()).Where(m => m.Kind == MessageKind.Escalation).ToList();
        escalations.Select(m => m.Recipient).Should().BeEquivalentTo([AlertScenario.DistrictCommittee, AlertScenario.ProvinceCommittee]);
        var district = escalations.Single(m => m.Recipient == AlertScenario.DistrictCommittee);
        district.Subject.Should().MatchRegex(@"^\[QCDC\] \d+ phát hiện quá 30 ngày chưa khắc phục – Huyện Một$");
        district.Key.Should().Be("escalate:bcd.d1@example.vn:2020-W35");
        district.TextBody.Should().MatchRegex(@"6 tháng đầu năm 2020\s+Chỉ tiêu 1\s+XA2\s+UBND Xã Hai\s+25/07/2020\s+31")
            .And.NotContain("XA3", "C3 is in D2, whose findings go to the province")
            .And.NotMatchRegex(@"Chỉ tiêu 1\s+DN1", "DN1's finding is a day old");
        var province = escalations.Single(m => m.Recipient == AlertScenario.ProvinceCommittee);
        province.TextBody.Should().Contain("XA3").And.MatchRegex(@"Chỉ tiêu 1\s+D1\s+Huyện Một", "an area's finding goes to the committee above the area")
            .And.NotMatchRegex(@"Chỉ tiêu 1\s+XA2", "XA2's goes to D1, the nearest committee");

        await Job<EscalateOpenFindingsJob>(engine).RunAsync(CancellationToken.None);
        (await engine.OutboxAsync()).Should().HaveCount(beforeEscalation + 2, "once a week");
    }

    /// <summary>
    /// A waiver is the committee's decision that a shortfall needs no more action: it had been escalated weekly to the very
    /// committee that waived it, without a word of the waiver. And a province's own finding, which has no area above it,
    /// had the operator told to "set Alerts:Committees" for a province whose committee is set.
    /// </summary>
    [Fact]
    public async Task A_finding_its_committee_waived_is_not_escalated_and_a_provinces_own_findings_ask_no_setting_of_the_operator()
    {
        var clock = At(2020, 7, 25);
        var logs = new QcdcCompliance.Tests.Api.LogCapture();
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options(), clock,
            configure: s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Schedule);
        await using (var db = engine.Db())
        {
            var xa2 = await db.Findings.SingleAsync(f => f.SubjectCode == "XA2" && f.TargetCode == "NQ02-1" && f.SupersededByRunId == null);
            await Job<QcdcCompliance.Audit.FindingActionRecorder>(engine).RecordAsync(xa2.Id, FindingActionKind.Waive, "Xã đã sáp nhập, quy chế ban hành theo xã mới", "bcd.d1");
            db.Findings.Should().Contain(f => f.SubjectType == SubjectType.Area && f.SubjectCode == "P" && f.SupersededByRunId == null && f.State != FindingState.Resolved,
                "the province has a finding of its own");
        }

        // A month on, a later run re-measures the period (the waived shortfall stands, as a new row of it), then the job runs.
        clock.Advance(TimeSpan.FromDays(31));
        await engine.ImportAsync(ImportKind.Values, "dn1.csv", Province.ValuesHeader + "DN1,2020S1,REGULATION_ISSUED,false,\n");
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Import);
        await Job<EscalateOpenFindingsJob>(engine).RunAsync(CancellationToken.None);

        var escalations = (await engine.OutboxAsync()).Where(m => m.Kind == MessageKind.Escalation).ToList();
        escalations.Should().Contain(m => m.Recipient == AlertScenario.ProvinceCommittee, "the findings nobody waived are escalated");
        escalations.Should().NotContain(m => System.Text.RegularExpressions.Regex.IsMatch(m.TextBody, @"Chỉ tiêu 1\s+XA2"), "its committee waived XA2's shortfall");
        logs.Lines.Should().NotContain(l => l.Contains("no committee above them", StringComparison.Ordinal), "every committee is set: P, and D1; C3's go to P");
    }
}
