using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Decisions;

/// <summary>Early warning on a controlled clock: before the deadline an area's run says whether its missing units can still meet the target.</summary>
public sealed class EarlyWarningTests
{
    [Fact]
    public async Task Before_the_deadline_an_area_is_at_risk_or_needs_all_its_missing_units_and_after_it_the_warning_is_gone()
    {
        // 2020S1 ends on 30/06/2020; its deadline is 20/07/2020.
        var clock = new FakeTimeProvider(new DateTimeOffset(2020, 7, 10, 3, 0, 0, TimeSpan.Zero));
        await using var engine = await Engine.SqliteAsync(clock).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        // D1 (XA1, XA2, CQ1, DN1, DN2): three issued, XA2 and DN2 missing; "100%" needs both. D2: XA3 did not issue, so P cannot reach 100%.
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader
            + "XA1,2020S1,REGULATION_ISSUED,true,\nCQ1,2020S1,REGULATION_ISSUED,true,\nDN1,2020S1,REGULATION_ISSUED,true,\nXA3,2020S1,REGULATION_ISSUED,false,\n");
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        var open = await AreaFindingsAsync(engine);
        var d1 = open["D1"]!["earlyWarning"]!;
        (d1["kind"]!.GetValue<string>(), d1["gap"]!.GetValue<long>(), d1["missingUnits"]!.GetValue<int>()).Should().Be(("needs-all", 2L, 2));
        d1["vi"]!.GetValue<string>().Should().StartWith("Cần gần như tất cả: 2 trong 2 đơn vị chưa báo cáo");
        var p = open["P"]!["earlyWarning"]!;
        p["kind"]!.GetValue<string>().Should().Be("at-risk");
        p["deadline"]!.GetValue<string>().Should().Be("2020-07-20");

        // The dashboard's target page shows the warning of the run that recorded it.
        await using (var bed = await ApiTestbed.StartAsync(engine))
        {
            var (browser, _, _) = await Security.Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "P"));
            var page = System.Net.WebUtility.HtmlDecode(await (await browser.GetAsync("/targets/NQ02-1?period=2020S1&area=P")).Content.ReadAsStringAsync());
            page.Should().Contain("class=\"early-warning\" data-area=\"D1\"").And.Contain("Cần gần như tất cả").And.Contain("Nguy cơ không đạt");
        }
    }

    [Fact]
    public async Task After_the_deadline_the_same_facts_make_a_new_run_without_the_warning()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2020, 7, 10, 3, 0, 0, TimeSpan.Zero));
        await using var engine = await Engine.SqliteAsync(clock).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,true,\nCQ1,2020S1,REGULATION_ISSUED,true,\n");
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        (await AreaFindingsAsync(engine)).Values.Should().Contain(e => e!["earlyWarning"] != null);

        // The same facts after the deadline: a new run, and no warning (it said what was known then; the old rows keep it).
        clock.SetUtcNow(new DateTimeOffset(2020, 7, 25, 3, 0, 0, TimeSpan.Zero));
        var later = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();
        later.Run.Id.Should().BeGreaterThan(1, "the fingerprint tells the facts before the deadline from the same after it");
        var closed = await AreaFindingsAsync(engine);
        closed.Values.Should().OnlyContain(e => e!["earlyWarning"] == null);
    }

    [Fact]
    public async Task The_committee_digest_of_a_run_before_the_deadline_lists_the_areas_at_risk()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2020, 7, 10, 3, 0, 0, TimeSpan.Zero));
        // XA3 has not reported: P's five reported units include XA2's "no", so even with XA3 P cannot reach 100%.
        await using var engine = await Alerts.AlertScenario.EngineAsync(Alerts.AlertScenario.Options(), clock);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var digest = (await Alerts.AlertScenario.OutboxAsync(engine)).Single(m => m.Recipient == Alerts.AlertScenario.ProvinceCommittee).TextBody;
        digest.Should().Contain("Cảnh báo sớm (trước hạn báo cáo):").And.MatchRegex(@"Tỉnh Thử — Chỉ tiêu 1[^\n]*: Nguy cơ không đạt").And.NotContain("NQ02-1:");
    }

    /// <summary>
    /// Huyện Một's five units of "XA,CQ,DN" (XA1, XA2, CQ1, DN1, DN2), before the deadline: those named answer yes, those
    /// named "no" answer no, the rest have not reported. Under a cap a unit answering yes is counted against it.
    /// </summary>
    [Theory]
    [InlineData(">=", "60%", "XA1", "CQ1,DN1", "needs-all", 2L, 2, "Cần gần như tất cả: 2 trong 2 đơn vị chưa báo cáo phải báo cáo và đạt trước hạn")] // 3 of 5 only if XA2 and DN2 answer yes
    [InlineData(">=", "60%", "", "XA1,CQ1,DN1", "at-risk", 3L, 2, "Nguy cơ không đạt: dù 2 đơn vị chưa báo cáo đều đạt vẫn không đủ ngưỡng")] // at most 2 of 5
    [InlineData(">=", "60%", "XA1,CQ1", "", null, null, 3, null)] // 1 of the 3 missing suffices
    [InlineData("<=", "40%", "XA1,CQ1", "", "needs-all", 3L, 3, "Cần gần như tất cả: 3 trong 3 đơn vị chưa báo cáo phải báo cáo và đạt (không được tính vào tỷ lệ)")] // exactly at the cap: 2 of 5 holds only if none of the three is counted
    [InlineData("<=", "40%", "XA1,CQ1,DN1", "", "at-risk", 3L, 2, "Nguy cơ không đạt: riêng các đơn vị đã báo cáo được tính vào tỷ lệ đã vượt ngưỡng tối đa")] // one over: 3 of 5 whatever XA2 and DN2 say
    [InlineData("<=", "40%", "XA1", "CQ1", null, null, 3, null)] // 1 of 5 counted: two of the three missing may be counted too
    [InlineData("<", "40%", "XA1,CQ1", "", "at-risk", 4L, 3, "Nguy cơ không đạt: riêng các đơn vị đã báo cáo")] // exactly at the cap: 40% is not under 40%
    [InlineData("<", "40%", "XA1", "", "needs-all", 4L, 4, "Cần gần như tất cả: 4 trong 4 đơn vị chưa báo cáo")] // under 40% of 5 is one counted at most: XA1 is
    public async Task Under_a_cap_the_warning_counts_the_units_counted_against_it_and_a_floor_counts_the_units_for_it(string op, string threshold, string yes,
        string no, string? kind, long? gap, int missing, string? vi)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2020, 7, 10, 3, 0, 0, TimeSpan.Zero));
        await using var engine = await Engine.SqliteAsync(clock).WithProvinceAsync();
        var set = $$"""
            {
              "code": "09-NQ/P", "title": "Nghị quyết của Tỉnh ủy", "issued": "2019-01-01", "scope": "P",
              "targets": [ { "code": "P-CAP", "rule": "NQ02-1", "population": "XA,CQ,DN", "operator": "{{op}}", "threshold": "{{threshold}}",
                             "measuredOver": ["District", "Province"], "periods": ["S1", "S2"], "textVi": "Tỷ lệ đơn vị ban hành quy chế" } ]
            }
            """;
        await engine.ImportTargetsAsync("p.json", System.Text.Encoding.UTF8.GetBytes(set), scope: null);
        var answers = yes.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(u => $"{u},2020S1,REGULATION_ISSUED,true,\n")
            .Concat(no.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(u => $"{u},2020S1,REGULATION_ISSUED,false,\n"));
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + string.Concat(answers));
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        var d1 = (await engine.Findings.ListAsync(new FindingFilter("2020S1") { Target = "P-CAP" }))
            .Single(f => f.SubjectType == SubjectType.Area && f.SubjectCode == "D1" && f.State != FindingState.Resolved);
        var warning = JsonNode.Parse(d1.Evidence)!["earlyWarning"];
        if (kind is null)
        {
            warning.Should().BeNull();
            return;
        }

        warning.Should().NotBeNull($"{yes} answering yes against {op} {threshold} with {missing} not reported");
        (warning!["kind"]!.GetValue<string>(), warning["gap"]!.GetValue<long>(), warning["missingUnits"]!.GetValue<int>()).Should().Be((kind, gap!.Value, missing));
        warning["vi"]!.GetValue<string>().Should().StartWith(vi);
        d1.Measurement.Outcome.Should().Be(kind == "at-risk" ? FindingOutcome.Short : FindingOutcome.Incomplete,
            "an area no answer can save is short already; one that needs all its missing units is not judged yet");
    }

    private static async Task<Dictionary<string, JsonNode?>> AreaFindingsAsync(Engine engine) =>
        (await engine.Findings.ListAsync(new FindingFilter("2020S1") { Target = "NQ02-1" }))
        .Where(f => f.SubjectType == SubjectType.Area && f.State != FindingState.Resolved)
        .ToDictionary(f => f.SubjectCode, f => JsonNode.Parse(f.Evidence));
}
