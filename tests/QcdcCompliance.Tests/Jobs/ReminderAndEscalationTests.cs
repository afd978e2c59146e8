using System.Text;
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
}
