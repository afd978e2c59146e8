using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Alerts;

/// <summary>What a stored run puts in the outbox, in its own transaction: unit alerts and committee digests.</summary>
public sealed class AlertComposerTests
{
    [Fact]
    public async Task A_run_queues_one_alert_per_unit_contact_and_one_digest_per_committee_with_keys_of_run_recipient_and_kind()
    {
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());

        var run = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single().Run;

        var outbox = await engine.OutboxAsync();
        outbox.Where(m => m.Kind == MessageKind.UnitAlert).Select(m => m.Recipient).Should()
            .BeEquivalentTo(["xa1@example.vn", "xa2@example.vn", "cq1@example.vn", "dn1@example.vn"], "XA3, DN2 and TH1 have no contact address");
        outbox.Where(m => m.Kind == MessageKind.AreaDigest).Select(m => m.Recipient).Should()
            .BeEquivalentTo([AlertScenario.ProvinceCommittee, AlertScenario.DistrictCommittee]);
        outbox.Should().OnlyContain(m => m.RunId == run.Id && m.Status == MessageStatus.Pending && m.Attempts == 0);
        outbox.Select(m => m.Key).Should().Contain($"run:{run.Id}:UnitAlert:xa2@example.vn").And.Contain($"run:{run.Id}:AreaDigest:bcd.d1@example.vn");
    }

    [Fact]
    public async Task The_unit_alert_names_the_target_the_figure_the_threshold_and_the_deadline_in_Vietnamese()
    {
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        var alert = (await engine.OutboxAsync()).Single(m => m.Recipient == "xa2@example.vn");

        alert.Subject.Should().StartWith("[QCDC] 6 tháng đầu năm 2020 – UBND Xã Hai: ").And.EndWith(" chỉ tiêu chưa đạt");
        alert.TextBody.Should().Contain("Kính gửi: UBND Xã Hai.")
            .And.Contain("Kết quả đánh giá thực hiện Quy chế dân chủ ở cơ sở 6 tháng đầu năm 2020")
            .And.Contain("Chỉ tiêu 1 (xây dựng quy chế dân chủ). Kết quả: Ban hành đầy đủ quy chế thực hiện dân chủ ở cơ sở: không. "
                         + "Yêu cầu: ban hành đầy đủ quy chế thực hiện dân chủ ở cơ sở. Mức độ: cao.")
            .And.Contain($"cập nhật số liệu trước ngày {DateTime.UtcNow.AddHours(7).AddDays(30):dd/MM/yyyy}", "a fix-by date: 30 days after the run, the deadline having passed")
            .And.Contain("Xem chi tiết và cập nhật số liệu: https://qcdc.example.vn/workspace/units/XA2?period=2020S1")
            .And.Contain("Tải mẫu báo cáo: https://qcdc.example.vn/workspace/template?period=2020S1&unit=XA2")
            .And.Contain("Trân trọng.\n\nVăn phòng Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở")
            .And.Contain("-- \nThư được gửi tự động từ hệ thống theo dõi thực hiện Quy chế dân chủ ở cơ sở").And.Contain(".\nThis is an automated message from QcdcCompliance");
        alert.TextBody.Should().MatchRegex(@"Evaluation run #\d+ of P for the first half of 2020 \(2020S1\) found", "the English footer names the period as every English sentence does");
        alert.TextBody[..alert.TextBody.IndexOf("-- \n", StringComparison.Ordinal)].Should()
            .NotContain("2020S1 ").And.NotContain("NQ02-1").And.NotContain("(XA2)").And.NotContain("Tiếp diễn").And.NotContain("luật");
        alert.HtmlBody.Should().Contain("<html lang=\"vi\">").And.Contain("Kính gửi: UBND Xã Hai.").And.Contain("<a href=\"https://qcdc.example.vn/workspace/units/XA2?period=2020S1\">")
            .And.Contain("Văn phòng Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở").And.Contain("trước ngày ");
        foreach (var text in new[] { alert.Subject, alert.TextBody, alert.HtmlBody! })
            text.IsNormalized(NormalizationForm.FormC).Should().BeTrue();
    }

    [Fact]
    public async Task The_district_digest_covers_its_subtree_only_and_the_province_digest_everything()
    {
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        var outbox = await engine.OutboxAsync();
        var district = outbox.Single(m => m.Recipient == AlertScenario.DistrictCommittee);
        var province = outbox.Single(m => m.Recipient == AlertScenario.ProvinceCommittee);

        district.Subject.Should().StartWith("[QCDC] 6 tháng đầu năm 2020 – Huyện Một: ").And.Contain(" trường hợp chưa đạt mới, 0 đã khắc phục");
        district.TextBody.Should().Contain("Kính gửi: Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở huyện Một.")
            .And.Contain("Kết quả đánh giá thực hiện Quy chế dân chủ ở cơ sở 6 tháng đầu năm 2020 trên địa bàn huyện Một, hoàn thành lúc ",
                "the district committee reads about its district, not the province the run covered")
            .And.NotContain("trên địa bàn tỉnh Thử")
            .And.MatchRegex(@"Đề nghị Ban Chỉ đạo chỉ đạo các đơn vị, địa bàn chưa đạt nêu trên khắc phục và cập nhật số liệu trước ngày \d\d/\d\d/\d{4}")
            .And.Contain("Văn phòng Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở")
            .And.Contain("XA2").And.Contain("CQ1").And.NotContain("XA3", "C3 is in D2")
            .And.Contain("Theo chỉ tiêu:").And.Contain("Xem trên trang tổng hợp: https://qcdc.example.vn/?period=2020S1&area=D1");
        province.TextBody.Should().Contain("XA3").And.Contain("XA2").And.Contain("6 tháng đầu năm 2020 trên địa bàn tỉnh Thử, hoàn thành lúc ");
    }

    [Fact]
    public async Task The_digest_lists_the_units_with_most_open_findings_first()
    {
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        await using var db = engine.Db();
        var openPerUnit = await db.Findings.Where(f => f.SubjectType == SubjectType.Unit).GroupBy(f => f.SubjectCode)
            .Select(g => new { Code = g.Key, Count = g.Count() }).ToListAsync();
        var expected = openPerUnit.OrderByDescending(u => u.Count).ThenBy(u => u.Code, StringComparer.Ordinal).Select(u => u.Code).ToList();

        var digest = (await engine.OutboxAsync()).Single(m => m.Recipient == AlertScenario.ProvinceCommittee).TextBody;

        var listed = digest[digest.IndexOf("Đơn vị có nhiều chỉ tiêu chưa khắc phục nhất", StringComparison.Ordinal)..]
            .Split('\n').Skip(4).TakeWhile(l => l.Length > 0).Select(l => l.Trim().Split(' ')[^1]).ToList();
        listed.Should().Equal(expected);
        openPerUnit.Select(u => u.Count).Distinct().Should().HaveCountGreaterThan(1, "the order is only tested when the counts differ");
    }

    [Fact]
    public async Task A_rerun_of_the_same_data_queues_nothing_and_a_correction_queues_digests_reporting_it_resolved()
    {
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var first = (await engine.OutboxAsync()).Count;

        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        (await engine.OutboxAsync()).Should().HaveCount(first, "Persisting findings are not sent again");

        await engine.ImportAsync(ImportKind.Values, "fix.csv", AlertScenario.Correction);
        var fix = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Import)).Single().Run;

        var queued = (await engine.OutboxAsync()).Where(m => m.RunId == fix.Id).ToList();
        queued.Select(m => (m.Kind, m.Recipient)).Should().BeEquivalentTo(new[]
        {
            (MessageKind.AreaDigest, AlertScenario.ProvinceCommittee), (MessageKind.AreaDigest, AlertScenario.DistrictCommittee),
        }, "a resolution is news for the committees; the unit has nothing new to fix");
        var district = queued.Single(m => m.Recipient == AlertScenario.DistrictCommittee);
        district.Subject.Should().EndWith("0 trường hợp chưa đạt mới, 2 đã khắc phục");
        district.TextBody.Should().Contain("Địa bàn đã đạt lại chỉ tiêu (đã khắc phục):\n\n  - Huyện Một — Chỉ tiêu 1 (xây dựng quy chế dân chủ): nay đã đạt")
            .And.Contain("Đơn vị đã khắc phục:").And.MatchRegex(@"UBND Xã Hai\s+Chỉ tiêu 1[^\n]*\s+XA2\n");
    }

    [Fact]
    public async Task A_finding_resolved_because_its_target_no_longer_applies_to_the_period_is_told_as_no_longer_judged_not_as_remedied()
    {
        // "Next year's set" (the what-if's example) imported: 02-NQ/TU re-dated to 2021, so 2020S1 leaves it and its findings resolve.
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var set = System.Text.Json.Nodes.JsonNode.Parse(QcdcCompliance.Rules.QcdcRules.TargetSets().Single(s => s.Name.EndsWith("hatinh-02-nq-tu.json", StringComparison.Ordinal)).Content)!;
        set["validFrom"] = "2021-01-01";
        await engine.ImportTargetsAsync("next-year.json", Encoding.UTF8.GetBytes(set.ToJsonString()), "P");
        var redated = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single().Run;
        redated.ResolvedCount.Should().BePositive();

        var queued = (await engine.OutboxAsync()).Where(m => m.RunId == redated.Id).ToList();

        queued.Should().OnlyContain(m => m.Kind == MessageKind.AreaDigest, "no unit is told anything: it put nothing right, and nothing new falls short");
        var district = queued.Single(m => m.Recipient == AlertScenario.DistrictCommittee);
        district.Subject.Should().MatchRegex(@"0 trường hợp chưa đạt mới, \d+ đã khắc phục, [1-9]\d* không còn được đánh giá$");
        district.TextBody.Should().MatchRegex(@"[1-9]\d* trường hợp không còn được đánh giá \(chỉ tiêu không còn áp dụng cho kỳ này\)")
            .And.Contain("Chỉ tiêu không còn áp dụng cho kỳ này (các trường hợp chưa đạt trước đây không còn được đánh giá, không phải đã khắc phục):")
            .And.MatchRegex(@"- Chỉ tiêu 1 \(xây dựng quy chế dân chủ\): [1-9]\d* trường hợp")
            .And.NotContain("Huyện Một — Chỉ tiêu 1 (xây dựng quy chế dân chủ): nay đã đạt", "the district did not recover: the target left the period")
            .And.NotMatchRegex(@"UBND Xã Hai\s+Chỉ tiêu 1", "XA2 did not issue its regulation")
            .And.Contain("no longer judged (the target no longer applies to this period):");
    }

    [Fact]
    public async Task A_finding_of_a_district_left_with_no_unit_of_the_population_is_told_as_no_longer_judged_not_as_remedied()
    {
        // XA3, D2's one commune, reported nothing in 2020S1: XA3, C3 and D2 fall short. It then closes on 31/5, before the
        // half ends: D2 is left with no unit of the population and nothing carried; nobody put anything right.
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        (await engine.Findings.ListAsync(new FindingFilter("2020S1"))).Should().Contain(f => f.SubjectCode == "D2");
        await engine.ImportAsync(ImportKind.Units, "close.csv", Province.UnitsHeader + "XA3,UBND Xã Ba,Commune,C3,true,20,,,2020-05-31\n");
        var closed = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single().Run;

        var province = (await engine.OutboxAsync()).Single(m => m.RunId == closed.Id && m.Recipient == AlertScenario.ProvinceCommittee);
        province.Subject.Should().MatchRegex(@", 0 đã khắc phục, [1-9]\d* của đơn vị ngừng hoạt động, [1-9]\d* không còn được đánh giá$",
            "D2's and C3's findings are no longer judged, XA3's left with it: none was put right");
        province.TextBody.Should().NotMatchRegex("Huyện Hai — [^\n]*nay đã đạt", "D2 did not recover: it has no unit left to judge");
        var resolved = await engine.Findings.ListAsync(new FindingFilter("2020S1") { State = FindingState.Resolved });
        resolved.Where(f => f.SubjectCode is "D2" or "C3").Should().NotBeEmpty().And.OnlyContain(f => f.Resolution == FindingResolution.NoLongerEvaluated);
    }

    [Fact]
    public async Task A_finding_resolved_because_its_target_was_re_scoped_to_another_district_is_told_as_no_longer_judged_not_as_remedied()
    {
        // P-REG binds the province: XA2 (D1) has not issued its regulation, so XA2 and D1 fall short of it.
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        await engine.ImportTargetsAsync("p-set.json", AlertScenario.ProvinceSet(), scope: null);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        (await engine.Findings.ListAsync(new FindingFilter("2020S1") { Target = "P-REG" })).Select(f => f.SubjectCode).Should().Contain(["XA2", "D1"]);

        // The committee moves P-REG to D2's own set: D1 and its units are no longer judged on it; XA2 issued nothing.
        var rescoped = await AlertScenario.RescopeRegulationToD2Async(engine);

        var district = (await engine.OutboxAsync()).Single(m => m.RunId == rescoped && m.Recipient == AlertScenario.DistrictCommittee);
        district.Subject.Should().EndWith("0 trường hợp chưa đạt mới, 0 đã khắc phục, 2 không còn được đánh giá");
        district.TextBody.Should().MatchRegex(@"- Mọi đơn vị ban hành quy chế dân chủ: 2 trường hợp")
            .And.NotContain("Đơn vị đã khắc phục:", "XA2 did not issue its regulation")
            .And.NotContain("nay đã đạt", "D1 did not recover: the target no longer binds it");
        var resolved = await engine.Findings.ListAsync(new FindingFilter("2020S1") { Target = "P-REG", State = FindingState.Resolved });
        resolved.Select(f => (f.SubjectCode, f.Resolution)).Should().BeEquivalentTo(new[]
        {
            ("D1", (FindingResolution?)FindingResolution.NoLongerEvaluated), ("XA2", FindingResolution.NoLongerEvaluated),
        });
        resolved.Select(f => FindingExplanation.State(f, vietnamese: true)).Should().AllBe("Không còn được đánh giá: chỉ tiêu không còn áp dụng");
    }

    [Fact]
    public async Task A_target_dropped_from_its_set_is_named_in_the_digest_by_the_words_it_was_alerted_with_not_by_its_code()
    {
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var set = System.Text.Json.Nodes.JsonNode.Parse(QcdcCompliance.Rules.QcdcRules.TargetSets().Single(s => s.Name.EndsWith("hatinh-02-nq-tu.json", StringComparison.Ordinal)).Content)!;
        var targets = set["targets"]!.AsArray();
        var dropped = (string)targets[0]!["code"]!;
        targets.RemoveAt(0);
        await engine.ImportTargetsAsync("dropped.json", Encoding.UTF8.GetBytes(set.ToJsonString()), "P");
        var run = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single().Run;

        var district = (await engine.OutboxAsync()).Single(m => m.RunId == run.Id && m.Recipient == AlertScenario.DistrictCommittee);

        district.TextBody.Should().Contain("Chỉ tiêu không còn áp dụng cho kỳ này")
            .And.MatchRegex(@"- Chỉ tiêu 1 \(xây dựng quy chế dân chủ\): [1-9]\d* trường hợp")
            .And.NotContain($"- {dropped}:", "a target is named in words, never by its code");
    }

    [Fact]
    public async Task A_warm_scope_updated_for_one_unit_writes_the_same_digests_as_a_full_run_of_the_same_data()
    {
        // The digests of an incremental run are written from the warm session's open findings, not read back: they
        // must say exactly what a full run over the database says.
        var clock = new FakeTimeProvider(new DateTimeOffset(2020, 9, 1, 2, 0, 0, TimeSpan.Zero));
        await using var warm = await AlertScenario.EngineAsync(AlertScenario.Options(), clock, keepWarm: true);
        await using var cold = await AlertScenario.EngineAsync(AlertScenario.Options(), clock);
        foreach (var engine in new[] { warm, cold })
        {
            await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
            await engine.ImportAsync(ImportKind.Values, "fix.csv", AlertScenario.Correction);
        }

        List<string> spans;
        using (var own = new OwnSpans("update"))
        {
            await using var db = warm.Db();
            var xa2 = await db.Units.Where(u => u.Code == "XA2").Select(u => u.Id).SingleAsync();
            await warm.Evaluations.EvaluateUnitsAsync("2020S1", "P", [xa2], RunTrigger.Import);
            spans = [.. own.Spans.Select(a => a.OperationName)];
        }

        spans.Should().Contain("qcdc.evaluate.incremental", "the warm session took the change").And.NotContain("qcdc.evaluate", "no full run of the scope");

        await cold.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Import);

        static async Task<List<(string Recipient, string Subject, string Body)>> Digests(Engine engine) =>
            (await engine.OutboxAsync()).Where(m => m.Kind == MessageKind.AreaDigest && m.RunId == 2).Select(m => (m.Recipient, m.Subject, m.TextBody)).ToList();
        var fromSession = await Digests(warm);
        fromSession.Should().HaveCount(2).And.Equal(await Digests(cold));
        await using var check = warm.Db();
        var open = await check.Findings.CountAsync(f => f.SupersededByRunId == null && f.State != FindingState.Resolved);
        fromSession.Single(d => d.Recipient == AlertScenario.ProvinceCommittee).Body.Should().Contain($"open: {open}.");
    }

    [Fact]
    public async Task Outbox_rows_exist_if_and_only_if_their_run_does()
    {
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);

        await using var db = engine.Db();
        var runs = await db.EvaluationRuns.Select(r => r.Id).ToListAsync();
        var outbox = await engine.OutboxAsync();
        outbox.Select(m => m.RunId!.Value).Distinct().Should().BeSubsetOf(runs);
        outbox.GroupBy(m => (m.RunId, m.Kind, m.Recipient)).Should().OnlyContain(g => g.Count() == 1, "one message per recipient, kind and run");
    }

    [Fact]
    public async Task Before_the_deadline_a_unit_is_not_told_it_has_not_reported_but_the_committee_sees_it()
    {
        // 10 July 2020: 2020S1 has ended, its reports are due on 20 July.
        var clock = new FakeTimeProvider(new DateTimeOffset(2020, 7, 10, 2, 0, 0, TimeSpan.FromHours(7)));
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options(), clock);

        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Schedule);

        var outbox = await engine.OutboxAsync();
        outbox.Where(m => m.Kind == MessageKind.UnitAlert).Should().NotContain(m => m.TextBody.Contains("Báo cáo đầy đủ. Kết quả", StringComparison.Ordinal));
        var unit = outbox.Single(m => m.Recipient == "xa2@example.vn").TextBody;
        unit.Should().Contain("Chỉ tiêu 1 (xây dựng quy chế dân chủ). Kết quả", "what a unit reported short is news at once");
        unit.Should().Contain("cập nhật số liệu trước ngày 20/07/2020", "before the deadline, the fix is due by the deadline");
        outbox.Single(m => m.Recipient == AlertScenario.ProvinceCommittee).TextBody.Should().Contain("Báo cáo đầy đủ");
    }

    [Fact]
    public async Task A_shortfall_of_missing_figures_is_held_before_the_deadline_and_told_once_after_it()
    {
        // 2020S1 has ended and is due on 20 July: what the nightly job evaluates every 1-20 July. XA1 reported only its
        // regulation (issued), XA2 its regulation not issued; every other figure of theirs is missing.
        var clock = new FakeTimeProvider(new DateTimeOffset(2020, 7, 10, 2, 0, 0, TimeSpan.FromHours(7)));
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options(), clock);
        async Task<List<OutboxMessage>> AlertsOf(long run) =>
            (await engine.OutboxAsync()).Where(m => m.Kind == MessageKind.UnitAlert && m.RunId == run).ToList();

        var early = await AlertsOf((await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Schedule)).Single().Run.Id);

        early.Select(m => m.Recipient).Should().NotContain("xa1@example.vn", "all XA1 falls short of is figures it has not given yet");
        early.Should().NotContain(m => m.TextBody.Contains("chưa báo cáo", StringComparison.Ordinal) || m.TextBody.Contains("không có số liệu", StringComparison.Ordinal));
        var xa2 = early.Single(m => m.Recipient == "xa2@example.vn");
        xa2.Subject.Should().EndWith("UBND Xã Hai: 1 chỉ tiêu chưa đạt", "only what XA2 reported short is news before the deadline");

        // 15 July: XA1 reports its disclosure not posted: a shortfall it was not told of as missing figures is told at once.
        clock.SetUtcNow(new DateTimeOffset(2020, 7, 15, 2, 0, 0, TimeSpan.FromHours(7)));
        await engine.ImportAsync(ImportKind.Values, "xa1.csv", Province.ValuesHeader + "XA1,2020S1,DISCLOSURE_POSTED,false,\n");
        var reported = await AlertsOf((await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Import)).Single().Run.Id);
        var xa1 = reported.Single(m => m.Recipient == "xa1@example.vn");
        xa1.Subject.Should().EndWith("UBND Xã Một: 1 chỉ tiêu chưa đạt");
        xa1.TextBody.Should().Contain("Chỉ tiêu 4 (niêm yết công khai). Kết quả: Niêm yết công khai đầy đủ nội dung phải công khai: không.");
        reported.Should().NotContain(m => m.Recipient == "xa2@example.vn");

        // 21 July, the deadline passed: each unit is told, once, what it still has not reported, and nothing it was told.
        clock.SetUtcNow(new DateTimeOffset(2020, 7, 21, 2, 0, 0, TimeSpan.FromHours(7)));
        var late = await AlertsOf((await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Schedule)).Single().Run.Id);
        late.Select(m => m.Recipient).Should().Contain(["xa1@example.vn", "xa2@example.vn"]);
        foreach (var alert in late.Where(m => m.Recipient is "xa1@example.vn" or "xa2@example.vn"))
        {
            alert.TextBody.Should().Contain("chưa báo cáo").And.Contain("Báo cáo đầy đủ. Kết quả: chưa báo cáo", "REPORTED is told after the deadline too")
                .And.NotContain("Chỉ tiêu 1 (xây dựng quy chế dân chủ)", "XA2 was told it before the deadline; XA1 issued its regulation")
                .And.NotContain("Chỉ tiêu 4 (niêm yết công khai). Kết quả: Niêm yết công khai đầy đủ nội dung phải công khai: không", "XA1 was told it on 15 July");
        }

        // 22 July: another unit reports, and the run that evaluates it tells XA1 and XA2 nothing again.
        clock.SetUtcNow(new DateTimeOffset(2020, 7, 22, 2, 0, 0, TimeSpan.FromHours(7)));
        await engine.ImportAsync(ImportKind.Values, "cq1.csv", Province.ValuesHeader + "CQ1,2020S1,DISCLOSURE_POSTED,true,\n");
        var next = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Import)).Single().Run;
        next.ResolvedCount.Should().BeGreaterThan(0, "the run is evaluated, not recorded as unchanged");
        (await AlertsOf(next.Id)).Should().BeEmpty("what was held is told once");
    }

    [Fact]
    public async Task A_first_run_of_many_units_groups_its_alerts_while_its_rows_are_written_one_per_address_whatever_its_case()
    {
        // 1,200 enterprises more, each short of target 1; every tenth gives the address of the one before it, in capitals
        // and spaced: 1,080 addresses. A run of more New findings than RunRecorder.PrepareAside groups its unit alerts on
        // another core while its rows are written; they must be what grouping them after would give.
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        string Address(int i) => i % 10 == 1 ? $" DN{i - 1:0000}@EXAMPLE.VN " : $"dn{i:0000}@example.vn";
        var units = new StringBuilder(Province.UnitsHeader);
        var values = new StringBuilder(Province.ValuesHeader);
        for (var i = 0; i < 1200; i++)
        {
            units.Append($"DN{i:0000},Công ty Số {i},NonStateEnterprise,C1,true,20,{Address(i)},,\n");
            values.Append($"DN{i:0000},2020S1,REGULATION_ISSUED,false,\n");
        }

        await engine.ImportAsync(ImportKind.Units, "more-units.csv", units.ToString());
        await engine.ImportAsync(ImportKind.Values, "more-values.csv", values.ToString());

        var run = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single().Run;

        run.NewCount.Should().BeGreaterThan(QcdcCompliance.Findings.RunRecorder.PrepareAside);
        var alerts = (await engine.OutboxAsync()).Where(m => m.Kind == MessageKind.UnitAlert).ToList();
        alerts.Should().HaveCount(4 + 1080, "the four of the province's own units, and one per address of the enterprises");
        alerts.Select(m => m.Key).Should().OnlyHaveUniqueItems();
        var shared = alerts.Single(m => m.Key == $"run:{run.Id}:UnitAlert:dn0010@example.vn");
        shared.Subject.Should().Be("[QCDC] 6 tháng đầu năm 2020 – 2 đơn vị: " + shared.Subject.Split(": ")[1]);
        shared.TextBody.Should().Contain("Kính gửi: Công ty Số 10 (mã DN0010); Công ty Số 11 (mã DN0011).");
        alerts.Single(m => m.Key == $"run:{run.Id}:UnitAlert:dn0012@example.vn").TextBody.Should().Contain("Kính gửi: Công ty Số 12.");
        (await engine.OutboxAsync()).Single(m => m.Recipient == AlertScenario.ProvinceCommittee).Subject.Should()
            .MatchRegex(@": \d\.\d{3} trường hợp chưa đạt mới, 0 đã khắc phục$", "a count of thousands is grouped the Vietnamese way, as in the body");
    }

    [Fact]
    public async Task A_contact_of_several_units_gets_each_units_own_links_and_tells_units_of_one_name_apart()
    {
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        await engine.ImportAsync(ImportKind.Units, "twins.csv", Province.UnitsHeader
            + "DNX1,Công ty Trùng Tên,NonStateEnterprise,C1,true,20,chung@example.vn,,\nDNX2,Công ty Trùng Tên,NonStateEnterprise,C2,true,20,chung@example.vn,,\n");
        await engine.ImportAsync(ImportKind.Values, "twins-values.csv", Province.ValuesHeader
            + "DNX1,2020S1,REGULATION_ISSUED,false,\nDNX2,2020S1,REGULATION_ISSUED,false,\n");
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        var body = (await engine.OutboxAsync()).Single(m => m.Recipient == "chung@example.vn").TextBody;

        body.Should().Contain("Kính gửi: Công ty Trùng Tên (mã DNX1); Công ty Trùng Tên (mã DNX2).");
        var second = body.IndexOf("Công ty Trùng Tên (mã DNX2)\n=", StringComparison.Ordinal);
        second.Should().BePositive("each unit has its own section");
        body[..second].Should().Contain("Xem chi tiết và cập nhật số liệu: https://qcdc.example.vn/workspace/units/DNX1?period=2020S1")
            .And.Contain("Tải mẫu báo cáo: https://qcdc.example.vn/workspace/template?period=2020S1&unit=DNX1").And.NotContain("unit=DNX2");
        body[second..body.IndexOf("-- \n", StringComparison.Ordinal)].Should().Contain("Xem chi tiết và cập nhật số liệu: https://qcdc.example.vn/workspace/units/DNX2?period=2020S1")
            .And.Contain("Tải mẫu báo cáo: https://qcdc.example.vn/workspace/template?period=2020S1&unit=DNX2").And.NotContain("DNX1");
    }

    [Fact]
    public async Task One_address_for_a_province_and_its_district_counts_each_finding_once()
    {
        var options = AlertScenario.Options();
        options.Committees["D1"] = AlertScenario.ProvinceCommittee;
        await using var engine = await AlertScenario.EngineAsync(options);
        var run = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single().Run;

        var digest = (await engine.OutboxAsync()).Single(m => m.Kind == MessageKind.AreaDigest);

        digest.Subject.Should().Be($"[QCDC] 6 tháng đầu năm 2020 – Tỉnh Thử, Huyện Một: {run.NewCount} trường hợp chưa đạt mới, 0 đã khắc phục",
            "Huyện Một's findings are the province's too: counted once");
        digest.TextBody.Should().Contain($"New: {run.NewCount}, resolved: 0, open: {run.FindingsOpen}.")
            .And.Contain("Huyện Một và các địa bàn trực thuộc", "the district keeps its own section");
    }

    [Fact]
    public async Task A_finding_resolved_because_its_unit_closed_is_not_reported_as_remedied()
    {
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        await engine.ImportAsync(ImportKind.Units, "closed.csv", Province.UnitsHeader + "DN1,Công ty Một,NonStateEnterprise,C1,true,50,dn1@example.vn,,2020-03-31\n");
        var run = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single().Run;
        await using var db = engine.Db();
        var resolved = await db.Findings.Where(f => f.RunId == run.Id && f.State == FindingState.Resolved).Select(f => f.SubjectCode).ToListAsync();
        var closed = resolved.Count(c => c == "DN1");
        closed.Should().BePositive("DN1 fell short of something before it was known to have closed");

        var digest = (await engine.OutboxAsync()).Single(m => m.RunId == run.Id && m.Recipient == AlertScenario.ProvinceCommittee);

        digest.Subject.Should().EndWith($" {resolved.Count - closed} đã khắc phục, {closed} của đơn vị ngừng hoạt động");
        digest.TextBody.Should().Contain($"{closed} trường hợp không còn theo dõi do đơn vị ngừng hoạt động")
            .And.Contain("Đơn vị ngừng hoạt động (không còn tính trong kỳ đánh giá, chỉ tiêu chưa đạt trước đây không còn theo dõi):")
            .And.MatchRegex(@"Công ty Một\s+31/03/2020\s+[^\n]*DN1\n");
        var remedied = digest.TextBody.IndexOf("Đơn vị đã khắc phục:", StringComparison.Ordinal);
        if (remedied >= 0)
            digest.TextBody[remedied..digest.TextBody.IndexOf("Đơn vị ngừng hoạt động (", StringComparison.Ordinal)].Should().NotContain("DN1");
    }

    [Fact]
    public async Task A_shortfall_whose_unit_moves_is_told_once_to_the_committee_of_the_district_it_enters_and_of_the_one_it_leaves()
    {
        const string d2Committee = "bcd.d2@example.vn";
        var options = AlertScenario.Options();
        options.Committees["D2"] = d2Committee;
        var crash = new CrashAfterAlerts();
        await using var engine = await AlertScenario.EngineAsync(options, configure: services => services.AddSingleton<IRunContributor>(crash));
        await engine.ImportAsync(ImportKind.Values, "dn1.csv", Province.ValuesHeader + "DN1,2020S1,REGULATION_ISSUED,false,\n");
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        const string units = "code,name,kind,area_code,has_trade_union,headcount,contact_email,active_from,active_to,changed_on\n";
        await engine.ImportAsync(ImportKind.Units, "move.csv", units + "DN1,Công ty Một,NonStateEnterprise,C3,true,50,dn1@example.vn,,,2020-05-01\n");

        // The first try dies after the alerts were written, before the run commits: nothing of it stays, and the retry tells it all.
        crash.Arm();
        await FluentActions.Awaiting(() => engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Import)).Should().ThrowAsync<InvalidOperationException>();
        var moved = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Import)).Single().Run;
        await using (var db = engine.Db())
        {
            (await db.Findings.AnyAsync(f => f.RunId == moved.Id && f.SubjectCode == "DN1" && f.State == FindingState.Persisting && f.TargetCode == "NQ02-1"))
                .Should().BeTrue("DN1's shortfall persists: it moved, it was not put right");
        }

        var outbox = await engine.OutboxAsync();
        var queued = outbox.Where(m => m.RunId == moved.Id).ToList();
        queued.Select(m => (m.Kind, m.Recipient)).Should().BeEquivalentTo(new[]
            {
                (MessageKind.AreaDigest, d2Committee), (MessageKind.AreaDigest, AlertScenario.DistrictCommittee), (MessageKind.AreaDigest, AlertScenario.ProvinceCommittee),
            },
            "the districts' subtrees changed, and Huyện Hai, \"chưa đủ số liệu\" before, now falls short with DN1: its province is told that, not the move");
        queued.Single(m => m.Recipient == AlertScenario.ProvinceCommittee).TextBody.Should()
            .MatchRegex(@"Huyện Hai — Chỉ tiêu 1[^\n]*\(lần trước: chưa đủ số liệu\)").And.NotContain("chuyển đến").And.NotContain("chuyển đi");
        var entered = queued.Single(m => m.Recipient == d2Committee);
        entered.Subject.Should().Contain(" chuyển đến");
        entered.TextBody.Should().Contain("trường hợp chưa đạt chuyển đến địa bàn cùng đơn vị")
            .And.Contain("Đơn vị chuyển địa bàn (chỉ tiêu chưa đạt, chưa khắc phục, chuyển theo đơn vị):")
            .And.MatchRegex(@"Công ty Một\s+chuyển đến từ Huyện Một\s+[^\n]*Chỉ tiêu 1[^\n]*DN1\n");
        var left = queued.Single(m => m.Recipient == AlertScenario.DistrictCommittee);
        left.Subject.Should().Contain(" chuyển đi");
        left.TextBody.Should().Contain("trường hợp chưa đạt chuyển khỏi địa bàn cùng đơn vị")
            .And.MatchRegex(@"Công ty Một\s+chuyển đi Huyện Hai\s+[^\n]*Chỉ tiêu 1[^\n]*DN1\n");
        outbox.Where(m => m.TextBody.Contains("Công ty Một") && m.TextBody.Contains("chuyển đến từ Huyện Một")).Should().ContainSingle("told once, the crashed try left nothing");

        // Its findings written again where they now sit (its name changed), and a re-run of the same data: nothing is news.
        await engine.ImportAsync(ImportKind.Units, "rename.csv", units + "DN1,Công ty Một Thành Viên,NonStateEnterprise,C3,true,50,dn1@example.vn,,,\n");
        var renamed = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Import)).Single().Run;
        var again = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single().Run;
        await using (var db = engine.Db())
            (await db.Findings.AnyAsync(f => f.RunId == renamed.Id && f.SubjectCode == "DN1")).Should().BeTrue("the new name rewrote DN1's findings, compared with the moved ones");
        (await engine.OutboxAsync()).Where(m => m.RunId == renamed.Id || m.RunId == again.Id).Should().BeEmpty();
    }

    [Fact]
    public async Task A_warm_scope_updated_for_a_unit_that_moved_tells_both_districts_as_a_full_run_does()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2020, 9, 1, 2, 0, 0, TimeSpan.Zero));
        var options = AlertScenario.Options();
        options.Committees["D2"] = "bcd.d2@example.vn";
        await using var engine = await AlertScenario.EngineAsync(options, clock, keepWarm: true);
        await engine.ImportAsync(ImportKind.Values, "dn1.csv", Province.ValuesHeader + "DN1,2020S1,REGULATION_ISSUED,false,\n");
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        await engine.ImportAsync(ImportKind.Units, "move.csv",
            "code,name,kind,area_code,has_trade_union,headcount,contact_email,active_from,active_to,changed_on\nDN1,Công ty Một,NonStateEnterprise,C3,true,50,dn1@example.vn,,,2020-05-01\n");

        List<string> spans;
        long run;
        using (var own = new OwnSpans("update"))
        {
            await using var db = engine.Db();
            var dn1 = await db.Units.Where(u => u.Code == "DN1").Select(u => u.Id).SingleAsync();
            run = (await engine.Evaluations.EvaluateUnitsAsync("2020S1", "P", [dn1], RunTrigger.Import)).Run.Id;
            spans = [.. own.Spans.Select(a => a.OperationName)];
        }

        spans.Should().Contain("qcdc.evaluate.incremental", "the warm session took the move");
        var queued = (await engine.OutboxAsync()).Where(m => m.RunId == run).ToList();
        queued.Single(m => m.Recipient == "bcd.d2@example.vn").TextBody.Should().MatchRegex(@"Công ty Một\s+chuyển đến từ Huyện Một\s+[^\n]*DN1\n");
        queued.Single(m => m.Recipient == AlertScenario.DistrictCommittee).TextBody.Should().MatchRegex(@"Công ty Một\s+chuyển đi Huyện Hai\s+[^\n]*DN1\n");
    }

    /// <summary>A contributor after the alerts that fails once when armed: the run dies with its outbox rows written, before it commits.</summary>
    private sealed class CrashAfterAlerts : IRunContributor
    {
        private int _armed;

        public void Arm() => _armed = 1;

        public Task ContributeAsync(QcdcDbContext db, RecordedRun run, object? prepared, CancellationToken ct) =>
            Interlocked.Exchange(ref _armed, 0) == 1 ? throw new InvalidOperationException("the process died here") : Task.CompletedTask;
    }
}
