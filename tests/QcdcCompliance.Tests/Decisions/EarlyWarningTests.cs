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

    private static async Task<Dictionary<string, JsonNode?>> AreaFindingsAsync(Engine engine) =>
        (await engine.Findings.ListAsync(new FindingFilter("2020S1") { Target = "NQ02-1" }))
        .Where(f => f.SubjectType == SubjectType.Area && f.State != FindingState.Resolved)
        .ToDictionary(f => f.SubjectCode, f => JsonNode.Parse(f.Evidence));
}
