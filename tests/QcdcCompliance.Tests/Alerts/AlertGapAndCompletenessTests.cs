using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Submissions;

namespace QcdcCompliance.Tests.Alerts;

/// <summary>
/// What the e-mails add to a shortfall: a unit told it falls short of a share target is told what its area still needs
/// (the area finding's gap), and each committee section states its area's reporting, counted as GET /api/completeness counts.
/// </summary>
public sealed class AlertGapAndCompletenessTests
{
    [Fact]
    public async Task A_unit_short_of_a_share_target_is_told_the_gap_of_its_area_in_both_parts()
    {
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        var alert = (await engine.OutboxAsync()).Single(m => m.Recipient == "cq1@example.vn");
        var line = alert.TextBody.Split('\n').Single(l => l.Contains("Chỉ tiêu 4 (niêm yết công khai).", StringComparison.Ordinal));
        line.Should().EndWith("Mức độ: cao. Địa bàn Huyện Một: cần thêm 4 đơn vị niêm yết công khai đầy đủ nội dung phải công khai "
                              + "(4 đơn vị chưa báo cáo được tính là chưa đạt cho đến khi gửi đủ số liệu).",
            "Huyện Một, CQ1's area, falls short of Chỉ tiêu 4 by 4 units, the units not reported among them");
        alert.HtmlBody.Should().Contain("Địa bàn Huyện Một: cần thêm 4 đơn vị niêm yết công khai đầy đủ nội dung phải công khai");
        alert.TextBody.Split('\n').Single(l => l.Contains("Báo cáo đầy đủ. Kết quả:", StringComparison.Ordinal)).Should()
            .NotContain("Địa bàn", "the reporting target has no area gap to close");
    }

    [Fact]
    public async Task A_unit_of_a_commune_is_told_the_gap_of_the_district_that_measures_the_share()
    {
        // Shares are measured per district and province, never per commune: XA1 (in Xã Một, Huyện Một) short of
        // Chỉ tiêu 4 is told Huyện Một's gap, the nearest area on its path that falls short.
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        var alert = (await engine.OutboxAsync()).Single(m => m.Recipient == "xa1@example.vn");
        alert.TextBody.Split('\n').Single(l => l.Contains("Chỉ tiêu 4 (niêm yết công khai).", StringComparison.Ordinal)).Should()
            .EndWith("Địa bàn Huyện Một: cần thêm 4 đơn vị niêm yết công khai đầy đủ nội dung phải công khai "
                     + "(4 đơn vị chưa báo cáo được tính là chưa đạt cho đến khi gửi đủ số liệu).");
    }

    [Fact]
    public async Task A_year_line_short_of_a_half_names_it_and_links_the_halfs_form_and_template()
    {
        // XA1 held no dialogue in 2020S1 and reported nothing for 2020S2: its year count is unknown, and the year's
        // template has no column for it (a half-year figure is entered on its half).
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        await engine.ImportAsync(QcdcCompliance.Import.ImportKind.Values, "dialogue.csv", QcdcCompliance.Tests.Infrastructure.Province.ValuesHeader + "XA1,2020S1,DIALOGUE_CONFERENCES,0,\n");
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);

        var alert = (await engine.OutboxAsync()).Single(m => m.Recipient == "xa1@example.vn" && m.Subject.StartsWith("[QCDC] Năm 2020", StringComparison.Ordinal));
        alert.TextBody.Split('\n').Single(l => l.Contains("Số hội nghị đối thoại của người đứng đầu cấp ủy, chính quyền với Nhân dân: chưa báo cáo", StringComparison.Ordinal))
            .Should().Contain("Số liệu còn thiếu: 6 tháng cuối năm 2020 (nội dung báo cáo theo từng 6 tháng).").And.NotContain("6 tháng đầu năm 2020", "S1 was reported");
        alert.TextBody.Should().Contain("Nhập số liệu 6 tháng cuối năm 2020: https://qcdc.example.vn/workspace/units/XA1?period=2020S2")
            .And.Contain("Tải mẫu báo cáo 6 tháng cuối năm 2020: https://qcdc.example.vn/workspace/template?period=2020S2&unit=XA1")
            .And.Contain("Tải mẫu báo cáo: https://qcdc.example.vn/workspace/template?period=2020&unit=XA1", "the year's own figures are still entered on the year");
    }

    [Fact]
    public async Task Each_committee_section_states_its_areas_reporting_as_the_completeness_query_counts_it()
    {
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var completeness = engine.Services.GetRequiredService<CompletenessQueries>();

        foreach (var (committee, area) in new[] { (AlertScenario.ProvinceCommittee, "P"), (AlertScenario.DistrictCommittee, "D1") })
        {
            var totals = (await completeness.ForAreaAsync("2020S1", area)).Totals;
            totals.Expected.Should().BeGreaterThan(0);
            var digest = (await engine.OutboxAsync()).Single(m => m.Kind == MessageKind.AreaDigest && m.Recipient == committee);
            var expected = $"Tình hình báo cáo: {totals.Complete}/{totals.Expected} đơn vị báo cáo đầy đủ (tỷ lệ {(totals.Complete == 0 ? "0,0%" : "")}";
            digest.TextBody.Should().Contain(expected).And.Contain(Rest(totals));
            digest.HtmlBody.Should().Contain($"<p>Tình hình báo cáo: {totals.Complete}/{totals.Expected} đơn vị báo cáo đầy đủ");
        }
    }

    [Fact]
    public async Task The_digest_tells_units_that_reported_part_from_units_that_reported_nothing()
    {
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        var totals = await new CompletenessProbe(engine).TotalsAsync("P");
        totals.Partial.Should().BeGreaterThan(0, "the scenario has units that stored part of what they owe");
        totals.Missing.Should().BeGreaterThan(0, "and units that stored nothing");
        var digest = (await engine.OutboxAsync()).Single(m => m.Kind == MessageKind.AreaDigest && m.Recipient == AlertScenario.ProvinceCommittee);
        digest.TextBody.Should().Contain($"; {totals.Partial} đơn vị báo cáo chưa đủ, {totals.Missing} đơn vị chưa báo cáo.");
        digest.HtmlBody.Should().Contain($"; {totals.Partial} đơn vị báo cáo chưa đủ, {totals.Missing} đơn vị chưa báo cáo.");
    }

    /// <summary>The end of the digest's reporting sentence, worded from the completeness query's own counts.</summary>
    private static string Rest(AreaSubmissions t)
    {
        var rest = new[] { t.Partial > 0 ? $"{t.Partial} đơn vị báo cáo chưa đủ" : null, t.Missing > 0 ? $"{t.Missing} đơn vị chưa báo cáo" : null }.OfType<string>().ToList();
        return (t.Late > 0 ? $", trong đó {t.Late} đơn vị nộp muộn" : "") + (rest.Count > 0 ? "; " + string.Join(", ", rest) : "") + ".";
    }

    [Fact]
    public async Task A_unit_that_completed_its_report_after_the_deadline_is_counted_late()
    {
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        // DN2 owes Chỉ tiêu 3's two counts besides the regulation: stored now, years after the 2020S1 deadline.
        var before = await new CompletenessProbe(engine).TotalsAsync("D1");
        await engine.ImportAsync(QcdcCompliance.Import.ImportKind.Values, "dn2.csv", CompletenessProbe.CompleteDn2);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        var after = await new CompletenessProbe(engine).TotalsAsync("D1");
        after.Late.Should().Be(before.Late + 1, "DN2 now owes nothing, and stored the last of it after the deadline");
        var digest = (await engine.OutboxAsync()).Single(m => m.Kind == MessageKind.AreaDigest && m.Recipient == AlertScenario.DistrictCommittee);
        digest.TextBody.Should().Contain($"Tình hình báo cáo: {after.Complete}/{after.Expected} đơn vị báo cáo đầy đủ")
            .And.Contain($"trong đó {after.Late} đơn vị nộp muộn;").And.Contain(Rest(after));
    }

    [Fact]
    public async Task A_correction_after_the_deadline_leaves_a_unit_that_reported_everything_in_time_on_time_in_the_digest_and_the_completeness()
    {
        // DN2 reports everything before the 2020S1 deadline (20 July); a committee corrects one of its values in September.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2020, 7, 1, 2, 0, 0, TimeSpan.Zero));
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options(), clock);
        await engine.ImportAsync(QcdcCompliance.Import.ImportKind.Values, "dn2.csv", CompletenessProbe.CompleteDn2);
        clock.SetUtcNow(new DateTimeOffset(2020, 9, 1, 2, 0, 0, TimeSpan.Zero));
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var completeness = engine.Services.GetRequiredService<CompletenessQueries>();
        var inTime = await completeness.ForAreaAsync("2020S1", "D1");
        inTime.Units.Single(u => u.UnitCode == "DN2").State.Should().Be(SubmissionState.OnTime);

        clock.Advance(TimeSpan.FromDays(1));
        await engine.ImportAsync(QcdcCompliance.Import.ImportKind.Values, "fix.csv", "unit_code,period,indicator,value,comment\nDN2,2020S1,PEOPLE_INFORMED,4,sửa\n");
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Import);

        var corrected = await completeness.ForAreaAsync("2020S1", "D1");
        var dn2 = corrected.Units.Single(u => u.UnitCode == "DN2");
        dn2.LastStoredAt.Should().Be(clock.GetUtcNow().UtcDateTime, "the correction is the last value it stored");
        dn2.State.Should().Be(SubmissionState.OnTime, "it first reported every value it owes before the deadline");
        corrected.Totals.Late.Should().Be(inTime.Totals.Late).And.Be(0);
        var outbox = await engine.OutboxAsync();
        var digest = outbox.Where(m => m.Kind == MessageKind.AreaDigest && m.Recipient == AlertScenario.DistrictCommittee).MaxBy(m => m.Id)!;
        digest.RunId.Should().Be(outbox.Max(m => m.RunId), "the correction changed a finding, so the committee is written to");
        digest.TextBody.Split('\n').Should().Contain(new QcdcCompliance.Alerts.DigestCompleteness(
            corrected.Totals.Expected, corrected.Totals.Complete, corrected.Totals.Late, corrected.Totals.Partial, corrected.Totals.Missing).Sentence());
        digest.TextBody.Should().NotContain("nộp muộn");

        // A process reading the period's late units afresh (from the values, not the audit rows since) says the same.
        await using var db = engine.Db();
        var period = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Periods.Where(p => p.Code == "2020S1"));
        var unitId = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Units.Where(u => u.Code == "DN2").Select(u => u.Id));
        var afresh = await new QcdcCompliance.Alerts.LateUnits(clock).ForAsync(db, period.Id, VietnamTime.EndOfDayUtc(period.Deadline), CancellationToken.None);
        afresh.Contains(unitId).Should().BeFalse();
    }

    [Fact]
    public async Task A_warm_scope_counts_late_units_change_after_change_as_a_full_run_of_the_same_data_does()
    {
        // A warm scope keeps its late count per area between changes and only looks at what changed: after each change
        // its digests must say what a full run over the same database says, and what the completeness query counts.
        // DN2 completes its report before the 2020S1 deadline (20 July); the rest is stored after it.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2020, 7, 1, 2, 0, 0, TimeSpan.Zero));
        await using var warm = await AlertScenario.EngineAsync(AlertScenario.Options(), clock, keepWarm: true);
        await using var cold = await AlertScenario.EngineAsync(AlertScenario.Options(), clock);
        foreach (var engine in new[] { warm, cold })
            await engine.ImportAsync(QcdcCompliance.Import.ImportKind.Values, "dn2.csv", CompletenessProbe.CompleteDn2);
        clock.SetUtcNow(new DateTimeOffset(2020, 9, 1, 2, 0, 0, TimeSpan.Zero));
        foreach (var engine in new[] { warm, cold })
            await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        // XA2 stores after the deadline and still owes the rest: late, but not complete, so not counted late.
        var steps = new (string Unit, string Csv)[]
        {
            ("XA2", AlertScenario.Correction),
            ("XA2", "unit_code,period,indicator,value,comment\nXA2,2020S1,PEOPLE_INFORMED,10,\n"),
        };
        var digests = 0;
        foreach (var (unit, csv) in steps)
        {
            clock.Advance(TimeSpan.FromHours(1));
            foreach (var engine in new[] { warm, cold })
                await engine.ImportAsync(QcdcCompliance.Import.ImportKind.Values, "step.csv", csv);
            await using (var db = warm.Db())
            {
                var id = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Units.Where(u => u.Code == unit).Select(u => u.Id));
                await warm.Evaluations.EvaluateUnitsAsync("2020S1", "P", [id], RunTrigger.Import);
            }

            await cold.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Import);
            var fromSession = await LatestDigestsAsync(warm);
            fromSession.Should().Equal(await LatestDigestsAsync(cold), $"after {unit}'s change the warm scope's digests say what a full run says");
            foreach (var (committee, area) in new[] { (AlertScenario.ProvinceCommittee, "P"), (AlertScenario.DistrictCommittee, "D1") })
            {
                if (fromSession.SingleOrDefault(d => d.Recipient == committee) is not { Body: { } body })
                    continue;
                digests++;
                var t = await new CompletenessProbe(warm).TotalsAsync(area);
                body.Split('\n').Should().Contain(new QcdcCompliance.Alerts.DigestCompleteness(t.Expected, t.Complete, t.Late, t.Partial, t.Missing).Sentence(),
                    $"{committee}'s section states its area's reporting as the completeness query counts it");
            }
        }

        digests.Should().BeGreaterThan(0, "the correction resolves a finding, so committees are written to");
        var province = await new CompletenessProbe(warm).TotalsAsync("P");
        (province.Complete, province.Late).Should().Be((1, 0), "DN2 completed before the deadline; XA2 stored late but still owes");
    }

    [Fact]
    public async Task A_warm_scope_run_that_changed_nothing_counts_its_late_units_for_the_change_after_it()
    {
        // A warm scope's full run keeps a new list of reports even when nothing changed and no digest is written: the
        // late units are counted over it with that run, so the change after it looks only at the units that became late,
        // and its digest still states the area's reporting as the completeness query counts it.
        await using var warm = await AlertScenario.EngineAsync(AlertScenario.Options(), keepWarm: true);
        await warm.ImportAsync(QcdcCompliance.Import.ImportKind.Values, "dn2.csv", CompletenessProbe.CompleteDn2);
        await warm.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var reports = (await new CompletenessProbe(warm).TotalsAsync("P")).Expected;
        (await warm.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Should().OnlyContain(e => e.Run.NewCount == 0 && e.Run.ResolvedCount == 0,
            "the second run sees the same data");
        await warm.ImportAsync(QcdcCompliance.Import.ImportKind.Values, "xa2.csv", AlertScenario.Correction);

        List<int> walked;
        using (var spans = new Infrastructure.OwnSpans("change"))
        {
            await using var db = warm.Db();
            var xa2 = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Units.Where(u => u.Code == "XA2").Select(u => u.Id));
            await warm.Evaluations.EvaluateUnitsAsync("2020S1", "P", [xa2], RunTrigger.Import);
            walked = [.. spans.Spans.Where(a => a.OperationName == "qcdc.alerts.late").Select(a => (int)a.GetTagItem("qcdc.late.reports_walked")!)];
        }

        walked.Should().ContainSingle("the change writes the committee digests, which count the late units once")
            .Which.Should().BeLessThanOrEqualTo(1, $"only XA2, which stored after the deadline, is new to the late set; not the scope's {reports} reports again");
        var digest = (await warm.OutboxAsync()).Where(m => m.Kind == MessageKind.AreaDigest && m.Recipient == AlertScenario.ProvinceCommittee).MaxBy(m => m.Id)!;
        var t = await new CompletenessProbe(warm).TotalsAsync("P");
        digest.TextBody.Split('\n').Should().Contain(new QcdcCompliance.Alerts.DigestCompleteness(t.Expected, t.Complete, t.Late, t.Partial, t.Missing).Sentence());
        t.Late.Should().Be(1, "DN2 completed its report after the deadline");
    }

    /// <summary>The committee digests of an engine's latest run.</summary>
    private static async Task<List<(string Recipient, string Subject, string Body)>> LatestDigestsAsync(Infrastructure.Engine engine)
    {
        var outbox = await engine.OutboxAsync();
        var latest = outbox.Max(m => m.RunId);
        return outbox.Where(m => m.Kind == MessageKind.AreaDigest && m.RunId == latest).OrderBy(m => m.Recipient, StringComparer.Ordinal)
            .Select(m => (m.Recipient, m.Subject, m.TextBody)).ToList();
    }

    private sealed class CompletenessProbe(Infrastructure.Engine engine)
    {
        public const string CompleteDn2 = "unit_code,period,indicator,value,comment\nDN2,2020S1,PEOPLE_INFORMED,10,\nDN2,2020S1,PEOPLE_TO_INFORM,10,\n";

        public async Task<AreaSubmissions> TotalsAsync(string area) =>
            (await engine.Services.GetRequiredService<CompletenessQueries>().ForAreaAsync("2020S1", area)).Totals;
    }
}
