using System.Net;
using System.Text.RegularExpressions;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Alerts;
using QcdcCompliance.Tests.Infrastructure;
using QcdcCompliance.Tests.Security;

namespace QcdcCompliance.Tests.Api;

/// <summary>
/// Review 55, resolution 1: a finding that resolved because the run that resolved it did not measure its unit, which
/// neither closed nor lost its target (it moved to another province, changed kind, lost its trade union), left the
/// target's population: "Không còn thuộc diện đánh giá", never "Đã khắc phục", on every surface that says why a finding
/// resolved (the API's list and one finding, the explanation, the CSV, the run's page, the committee's digest).
/// </summary>
public sealed class LeftPopulationTests
{
    private const string UnitsHeader = "code,name,kind,area_code,has_trade_union,headcount,contact_email,active_from,active_to,changed_on\n";
    private const string Left = "Không còn thuộc diện đánh giá";

    private static Task<Engine> Create(string provider, string name) =>
        provider == "Sqlite" ? Engine.SqliteAsync() : Engine.PostgresAsync(name);

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_unit_that_changed_kind_out_of_the_targets_population_left_it_and_did_not_remedy_its_shortfall(string provider)
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Create(provider, "leftkind")));
        var auditor = await bed.AsAsync(Role.Auditor, "P");
        var opened = (await (await auditor.GetAsync("/api/findings?period=2020S1&target=NQ02-1&unit=XA2")).ReadAsync<FindingPage>()).Items.Single();

        // XA2, short of NQ02-1 (no regulation), becomes a village on 1/6/2020: villages are not in NQ02-1's population.
        await bed.Engine.ImportAsync(ImportKind.Units, "kind.csv", UnitsHeader + "XA2,UBND Xã Hai,Village,C2,true,25,xa2@example.vn,,,2020-06-01\n");
        var run = (await bed.Engine.Evaluations.EvaluateAsync(ApiTestbed.Period, null, RunTrigger.Manual)).Single().Run;

        var listed = (await (await auditor.GetAsync("/api/findings?period=2020S1&target=NQ02-1&unit=XA2&state=Resolved")).ReadAsync<FindingPage>()).Items.Single();
        listed.Resolution.Should().Be(FindingResolution.LeftPopulation, "XA2 issued nothing: it left the target's population");
        var detail = await (await auditor.GetAsync($"/api/findings/{listed.Id}")).ReadAsync<FindingDetailDto>();
        detail.Finding.Resolution.Should().Be(FindingResolution.LeftPopulation);
        detail.Finding.LeftBecause.Should().Be(NotMeasuredBecause.Kind);
        detail.Finding.Measurement.Outcome.Should().Be(FindingOutcome.NotMeasured);
        detail.Evidence.GetProperty("notMeasured").GetString().Should().Be("Kind", "the resolving row says why its run measured nothing");
        detail.Explanation.Should().Contain($"Trạng thái: {Left} (đơn vị đổi loại hình, không thuộc đối tượng của chỉ tiêu)")
            .And.Contain("State: Left the target's population (the unit changed kind and is outside the target's population)")
            .And.NotContain("Đã khắc phục");
        var old = await (await auditor.GetAsync($"/api/findings/{opened.Id}")).ReadAsync<FindingDetailDto>();
        old.Explanation.Should().Contain($"đã được lần đánh giá #{run.Id} ghi nhận là {Left}").And.NotContain("Đã khắc phục");

        var csv = await (await auditor.GetAsync("/api/findings?period=2020S1&unit=XA2&state=Resolved&format=csv")).Content.ReadAsStringAsync();
        csv.Split('\n').Should().Contain(l => l.StartsWith("2020S1,NQ02-1,Unit,XA2,", StringComparison.Ordinal) && l.Contains(",LeftPopulation,", StringComparison.Ordinal))
            .And.NotContain(l => l.Contains(",Remedied,", StringComparison.Ordinal) && !l.StartsWith("2020S1,REPORTED,", StringComparison.Ordinal),
                "XA2 put none of its targets right (as a village it does report what a village owes: that one the run measured, met)");

        // The run's page counts it apart from what was put right.
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Auditor, "P"), returnUrl: "");
        var page = WebUtility.HtmlDecode(await (await browser.GetAsync($"/runs/{run.Id}")).Content.ReadAsStringAsync());
        Regex.Matches(page, "<tr data-target=\"NQ02-1\">(.*?)</tr>", RegexOptions.Singleline)
            .Select(m => string.Join("|", Regex.Matches(m.Groups[1].Value, "<td[^>]*>(?:<a[^>]*>)?([^<]*)").Select(c => c.Groups[1].Value.Trim()).Skip(1)))
            .Should().Contain($"{Left}|1", "XA2's finding is counted apart from D1's figure, which does meet now");
        var facts = Regex.Match(page, "<dl class=\"facts\" id=\"run-facts\">(.*?)</dl>", RegexOptions.Singleline).Groups[1].Value;
        facts.Should().MatchRegex(@"\d+ đã khắc phục, [1-9]\d* không còn thuộc diện đánh giá");
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_unit_that_moved_to_another_province_left_the_population_and_one_that_lost_its_union_too(string provider)
    {
        await using var engine = await ApiTestbed.ProvinceAsync(() => Create(provider, "leftmoved"));
        await engine.ImportAsync(ImportKind.Values, "disclosure.csv", Province.ValuesHeader + "DN1,2020S1,DISCLOSURE_POSTED,false,\n");
        await engine.Evaluations.EvaluateAsync(ApiTestbed.Period, null, RunTrigger.Manual);
        (await engine.Findings.ListAsync(new FindingFilter(ApiTestbed.Period) { Unit = "DN1", Target = "NQ02-4" })).Should().ContainSingle();

        // XA2 moves to province Q on 1/6/2020; DN1 (an enterprise: NQ02-4 counts one only with a trade union) loses its union.
        await engine.ImportAsync(ImportKind.Areas, "areas-q.csv", "code,name,level,parent_code,valid_from,valid_to\nQ,Tỉnh Khác,Province,,,\nQC1,Xã Khác,Commune,Q,,\n");
        await engine.ImportAsync(ImportKind.Units, "changes.csv", UnitsHeader
            + "XA2,UBND Xã Hai,Commune,QC1,true,25,xa2@example.vn,,,2020-06-01\nDN1,Công ty Một,NonStateEnterprise,C1,false,50,dn1@example.vn,,,2020-06-01\n");
        await engine.Evaluations.EvaluateAsync(ApiTestbed.Period, null, RunTrigger.Manual);

        var resolved = await engine.Findings.ListAsync(new FindingFilter(ApiTestbed.Period) { State = FindingState.Resolved });
        var moved = resolved.Single(f => f.SubjectCode == "XA2" && f.TargetCode == "NQ02-1");
        (moved.Resolution, moved.LeftBecause).Should().Be((FindingResolution.LeftPopulation, NotMeasuredBecause.OutOfScope));
        QcdcCompliance.Reports.FindingExplanation.State(moved, vietnamese: true).Should().Be($"{Left} (đơn vị chuyển ra ngoài địa bàn được đánh giá)");
        var union = resolved.Single(f => f.SubjectCode == "DN1" && f.TargetCode == "NQ02-4");
        (union.Resolution, union.LeftBecause).Should().Be((FindingResolution.LeftPopulation, NotMeasuredBecause.TradeUnion));
        resolved.Where(f => f.SubjectType == SubjectType.Unit).Should().OnlyContain(f => f.Resolution != FindingResolution.Remedied,
            "no unit put anything right");
    }

    [Fact]
    public async Task The_committees_digest_counts_a_unit_that_changed_kind_apart_from_those_put_right()
    {
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options());
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        await engine.ImportAsync(ImportKind.Units, "kind.csv", UnitsHeader + "XA2,UBND Xã Hai,Village,C2,true,25,xa2@example.vn,,,2020-06-01\n");
        var run = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single().Run;

        var district = (await engine.OutboxAsync()).Single(m => m.RunId == run.Id && m.Recipient == AlertScenario.DistrictCommittee);
        district.Subject.Should().MatchRegex(@", \d+ đã khắc phục, [1-9]\d* không còn thuộc diện đánh giá$");
        district.TextBody.Should().MatchRegex(@"[1-9]\d* trường hợp không còn thuộc diện đánh giá \(đơn vị chuyển đi, đổi loại hình…; không phải đã khắc phục\)")
            .And.Contain("Đơn vị không còn thuộc diện đánh giá của chỉ tiêu (không được đo ở lần đánh giá này, không phải đã khắc phục):")
            .And.MatchRegex(@"UBND Xã Hai\s+đơn vị đổi loại hình, không thuộc đối tượng của chỉ tiêu")
            .And.MatchRegex(@"Chỉ tiêu 1 \(xây dựng quy chế dân chủ\)\s+0\s+1\s+0\n", "D1's share was put right; XA2 issued nothing, it is no longer a commune")
            .And.Contain("left their target's population (moved away, changed kind; not put right):");
    }
}
