using System.Net;
using System.Text.RegularExpressions;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;
using QcdcCompliance.Tests.Security;

namespace QcdcCompliance.Tests.Dashboard;

/// <summary>A unit's page and its findings in the API are its history across periods: what was resolved stays there.</summary>
public sealed class UnitFindingsHistoryTests
{
    [Fact]
    public async Task A_resolved_finding_stays_on_the_units_page_and_in_its_findings_after_a_later_run_that_changes_nothing()
    {
        var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());
        // XA2 answered no to REGULATION_ISSUED in 2020S1; it then issues its regulation and the next run resolves the finding.
        await engine.ImportAsync(ImportKind.Values, "late.csv", Province.ValuesHeader + "XA2,2020S1,REGULATION_ISSUED,true,\n");
        await engine.Evaluations.EvaluateAsync(ApiTestbed.Period, null, RunTrigger.Manual);
        // A run of the period that changes nothing.
        await engine.Evaluations.EvaluateAsync(ApiTestbed.Period, null, RunTrigger.Manual);
        await using var bed = await ApiTestbed.StartAsync(engine);

        var (auditor, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Auditor, "P"), returnUrl: "");
        var page = WebUtility.HtmlDecode(await (await auditor.GetAsync("/units/XA2")).Content.ReadAsStringAsync());
        var row = Regex.Match(page, "<tr data-period=\"2020S1\" data-target=\"NQ02-1\">(.*?)</tr>", RegexOptions.Singleline);
        row.Success.Should().BeTrue("the finding resolved by the run before the last is part of XA2's history");
        Regex.Matches(row.Groups[1].Value, "<td[^>]*>([^<]*)</td>").Select(m => m.Groups[1].Value.Trim()).ElementAt(4).Should().Be("Đã khắc phục");

        var client = await bed.AsAsync(Role.Auditor, "P");
        var findings = await (await client.GetAsync("/api/units/XA2/findings")).ReadAsync<List<FindingDto>>();
        findings.Should().ContainSingle(f => f.Target == "NQ02-1" && f.Period == "2020S1").Which.State.Should().Be(FindingState.Resolved);
        // The period's list of current findings still shows only what the latest run resolved.
        (await engine.Findings.ListAsync(new FindingFilter(ApiTestbed.Period) { Unit = "XA2" })).Should().NotContain(f => f.TargetCode == "NQ02-1");
    }

    [Fact]
    public async Task A_finding_resolved_because_its_target_was_re_scoped_away_reads_no_longer_evaluated_on_the_pages_and_in_the_API()
    {
        var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());
        // P-REG binds the province and XA2 (D1) has not issued its regulation; then the committee moves P-REG to D2's own set.
        await engine.ImportTargetsAsync("p-set.json", Alerts.AlertScenario.ProvinceSet(), scope: null);
        await engine.Evaluations.EvaluateAsync(ApiTestbed.Period, null, RunTrigger.Manual);
        var rescoped = await Alerts.AlertScenario.RescopeRegulationToD2Async(engine);
        await using var bed = await ApiTestbed.StartAsync(engine);
        const string NoLongerEvaluated = "Không còn được đánh giá: chỉ tiêu không còn áp dụng";

        var (auditor, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Auditor, "P"), returnUrl: "");
        var page = WebUtility.HtmlDecode(await (await auditor.GetAsync("/units/XA2")).Content.ReadAsStringAsync());
        var row = Regex.Match(page, "<tr data-period=\"2020S1\" data-target=\"P-REG\">(.*?)</tr>", RegexOptions.Singleline);
        row.Success.Should().BeTrue();
        Regex.Matches(row.Groups[1].Value, "<td[^>]*>([^<]*)</td>").Select(m => m.Groups[1].Value.Trim()).ElementAt(4).Should().Be(NoLongerEvaluated,
            "XA2 issued nothing: D1 is no longer judged on P-REG");

        // The run's page counts the two (XA2 and D1) apart from what was put right (D2's two stay open, recorded again under D2's set).
        var run = WebUtility.HtmlDecode(await (await auditor.GetAsync($"/runs/{rescoped}")).Content.ReadAsStringAsync());
        Regex.Matches(run, "<tr data-target=\"P-REG\">(.*?)</tr>", RegexOptions.Singleline)
            .Select(m => string.Join("|", Regex.Matches(m.Groups[1].Value, "<td[^>]*>(?:<a[^>]*>)?([^<]*)").Select(c => c.Groups[1].Value.Trim()).Skip(1)))
            .Should().BeEquivalentTo("Chưa khắc phục|2", $"{NoLongerEvaluated}|2");

        var (reporter, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "D1"), returnUrl: "");
        var workspace = WebUtility.HtmlDecode(await (await reporter.GetAsync("/workspace/units/XA2?period=2020S1")).Content.ReadAsStringAsync());
        var entry = Regex.Match(workspace, "<tr data-target=\"P-REG\" data-state=\"Resolved\">(.*?)</tr>", RegexOptions.Singleline);
        entry.Success.Should().BeTrue();
        Regex.Matches(entry.Groups[1].Value, "<td>([^<]*)</td>").Select(m => m.Groups[1].Value.Trim()).ElementAt(1).Should().Be(NoLongerEvaluated);

        var client = await bed.AsAsync(Role.Auditor, "P");
        var findings = await (await client.GetAsync("/api/units/XA2/findings")).ReadAsync<List<FindingDto>>();
        findings.Should().ContainSingle(f => f.Target == "P-REG" && f.Period == "2020S1").Which.Resolution.Should().Be(FindingResolution.NoLongerEvaluated);
        findings.Should().ContainSingle(f => f.Target == "NQ02-1" && f.Period == "2020S1").Which.State.Should().NotBe(FindingState.Resolved,
            "the shipped target still binds D1: XA2 still falls short of it");
    }
}
