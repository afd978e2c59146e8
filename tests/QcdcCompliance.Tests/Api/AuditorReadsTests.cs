using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Import;
using QcdcCompliance.Rules;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Api;

/// <summary>
/// Review 56 (auditor): what an auditor reads through the API is right and scoped alike everywhere. A finding's
/// explanation quotes the target of the set its evidence names; a finding is listed to a key exactly when the key may
/// open it; a district auditor sees the sign-offs above its area that lock it.
/// </summary>
public sealed class AuditorReadsTests
{
    private const string UnitsHeader = "code,name,kind,area_code,has_trade_union,headcount,contact_email,active_from,active_to,changed_on\n";

    [Fact]
    public async Task A_finding_judged_by_a_set_that_replaced_another_mid_year_is_explained_with_that_sets_target_by_the_api_and_by_explain()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        // The committee's KPIs (KPI-MEDIATION "từ 70% trở lên") end on 30/6/2020; KPI-BCD-2 replaces them from 1/7 at 60%.
        var shipped = QcdcRules.TargetSets().Single(s => s.Name.Contains("committee-kpis", StringComparison.Ordinal)).Content;
        var old = JsonNode.Parse(shipped)!.AsObject();
        old["validTo"] = "2020-06-30";
        await bed.Engine.ImportTargetsAsync("old.json", Encoding.UTF8.GetBytes(old.ToJsonString()), "P");
        var replacement = JsonNode.Parse(shipped)!.AsObject();
        (replacement["code"], replacement["issued"], replacement["validFrom"]) = ("KPI-BCD-2", "2020-07-01", "2020-07-01");
        var mediation = replacement["targets"]!.AsArray().Single(t => t!["code"]!.GetValue<string>() == "KPI-MEDIATION")!;
        (mediation["threshold"], mediation["textVi"], mediation["textEn"]) = (0.6, "Tỷ lệ hòa giải thành đạt từ 60% trở lên", "At least 60% of mediation cases settled");
        await bed.Engine.ImportTargetsAsync("new.json", Encoding.UTF8.GetBytes(replacement.ToJsonString()), "P");

        // D1 settles 11 of 20 cases in each half: short of 70% in the first, of 60% in the second.
        var values = new StringBuilder(Province.ValuesHeader);
        foreach (var half in new[] { "2020S1", "2020S2" })
            values.Append($"XA1,{half},MEDIATION_CASES,10,\nXA1,{half},MEDIATION_SUCCESSES,5,\nXA2,{half},MEDIATION_CASES,10,\nXA2,{half},MEDIATION_SUCCESSES,6,\n");
        await bed.Engine.ImportAsync(ImportKind.Values, "mediation.csv", values.ToString());
        await bed.Engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        await bed.Engine.Evaluations.EvaluateAsync("2020S2", null, RunTrigger.Manual);

        var auditor = await bed.AsAsync(Role.Auditor, "P");
        foreach (var (half, set, vi, en) in new[]
                 {
                     ("2020S2", "KPI-BCD-2", "Tỷ lệ hòa giải thành đạt từ 60% trở lên", "At least 60%"),
                     ("2020S1", "KPI-BCD", "Tỷ lệ hòa giải thành đạt từ 70% trở lên", "At least 70%"),
                 })
        {
            var listed = (await (await auditor.GetAsync($"/api/findings?period={half}&target=KPI-MEDIATION")).ReadAsync<FindingPage>()).Items.Single(f => f.SubjectCode == "D1");
            var detail = await (await auditor.GetAsync($"/api/findings/{listed.Id}")).ReadAsync<FindingDetailDto>();
            detail.Evidence.GetProperty("resolution").GetString().Should().Be(set, $"{half} is judged by the set in force on its last day");
            var other = vi.Contains("70%", StringComparison.Ordinal) ? "60%" : "70%";
            detail.Explanation.Should().Contain($"Chỉ tiêu: {vi}\n").And.Contain($"Target: {en}").And.NotContain(other,
                $"the finding of {half} was judged by {set}: another set's target text beside its requirement tells a wrong target");

            var explain = await HostProcess.RunAsync(bed.Engine.Storage, "explain", "--period", half, "--target", "KPI-MEDIATION", "--subject", "D1");
            explain.Should().Contain($"Chỉ tiêu: {vi}\n").And.Contain($"Target: {en}").And.NotContain(other, "explain says what the API says");
        }
    }

    /// <summary>
    /// XA2 (in C2, district D1 of P) is short of NQ02-1 in 2020S1; it moves to province Q on 1/6/2020 and P's next run
    /// resolves its findings as having left the population. The rule: a finding is visible to a key when the key's area
    /// holds the finding's scope, or the place of its subject for the period: a unit where it sat on the period's last
    /// day, or, for a unit that had left the finding's province by then, where it last sat in that province.
    /// </summary>
    [Fact]
    public async Task A_unit_moved_to_another_province_has_its_findings_listed_to_exactly_the_keys_that_may_open_them()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var opened = (await bed.Engine.Findings.ListAsync(new Findings.FindingFilter(ApiTestbed.Period) { Unit = "XA2" })).Select(f => f.Id).ToList();
        opened.Should().NotBeEmpty();
        await bed.Engine.ImportAsync(ImportKind.Areas, "areas-q.csv", "code,name,level,parent_code,valid_from,valid_to\nQ,Tỉnh Khác,Province,,,\nQC1,Xã Khác,Commune,Q,,\n");
        await bed.Engine.ImportAsync(ImportKind.Units, "move.csv", UnitsHeader + "XA2,UBND Xã Hai,Commune,QC1,true,25,xa2@example.vn,,,2020-06-01\n");
        await bed.Engine.Evaluations.EvaluateAsync(ApiTestbed.Period, null, RunTrigger.Manual);
        var resolved = (await bed.Engine.Findings.ListAsync(new Findings.FindingFilter(ApiTestbed.Period) { Unit = "XA2", State = FindingState.Resolved }))
            .Select(f => f.Id).ToList();
        resolved.Should().NotBeEmpty("P's run resolves the findings of the unit that left it");

        var province = await bed.AsAsync(Role.Auditor, "P");
        var district = await bed.AsAsync(Role.Auditor, "D1");
        var other = await bed.AsAsync(Role.Auditor, "Q");
        var ofP = opened.Concat(resolved).ToList();
        foreach (var (key, name, seesP) in new[] { (province, "P", true), (district, "D1", true), (other, "Q", false) })
        {
            var listed = (await (await key.GetAsync("/api/units/XA2/findings")).ReadAsync<List<FindingDto>>()).Select(f => f.Id).ToList();
            foreach (var id in listed)
                (await key.GetAsync($"/api/findings/{id}")).StatusCode.Should().Be(HttpStatusCode.OK, $"{name}'s list of XA2's findings names #{id}: it may open it");
            foreach (var id in ofP)
            {
                var status = (await key.GetAsync($"/api/findings/{id}")).StatusCode;
                status.Should().Be(seesP ? HttpStatusCode.OK : HttpStatusCode.NotFound, $"#{id} is P's finding of XA2 while it sat in D1 ({name})");
            }

            if (seesP)
                listed.Should().Contain(resolved, $"{name} sees P's findings of XA2 in its list of the unit's findings, as it opens them");
            else
                listed.Should().NotIntersectWith(ofP, "Q's auditor may not open P's findings, so they are not listed to it");

            var period = await (await key.GetAsync($"/api/findings?period={ApiTestbed.Period}&unit=XA2&state=Resolved")).ReadAsync<FindingPage>();
            if (seesP)
                period.Items.Select(f => f.Id).Should().Contain(resolved, $"{name}'s list of the period holds what it may open");
            else
                period.Items.Select(f => f.Id).Should().NotIntersectWith(ofP);
        }

        var csv = await (await district.GetAsync($"/api/findings?period={ApiTestbed.Period}&area=D1&state=Resolved&format=csv")).Content.ReadAsStringAsync();
        csv.Should().Contain(",Unit,XA2,", "the district's CSV lists the findings of the unit that sat in it, as its list does");
    }

    [Fact]
    public async Task A_district_auditor_lists_the_provinces_sign_off_that_locks_its_district_and_no_other_provinces()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        await bed.Engine.ImportAsync(ImportKind.Areas, "areas-q.csv", "code,name,level,parent_code,valid_from,valid_to\nQ,Tỉnh Khác,Province,,,\nQC1,Xã Khác,Commune,Q,,\n");
        var committee = await bed.AsAsync(Role.Committee, "P");
        (await committee.PostAsJsonAsync("/api/signoffs", new SignOffRequest(ApiTestbed.Period, "P", "Ký duyệt sơ kết"))).StatusCode.Should().Be(HttpStatusCode.OK);
        var signed = (await (await (await bed.AsAsync(Role.Auditor, "P")).GetAsync($"/api/signoffs?period={ApiTestbed.Period}")).ReadAsync<List<SignOffView>>()).Single();

        var district = await bed.AsAsync(Role.Auditor, "D1");
        foreach (var query in new[] { "/api/signoffs", $"/api/signoffs?period={ApiTestbed.Period}", $"/api/signoffs?period={ApiTestbed.Period}&area=D1" })
        {
            var listed = await (await district.GetAsync(query)).ReadAsync<List<SignOffView>>();
            listed.Should().ContainSingle(s => s.Area == "P" && s.RunId == signed.RunId && s.Kind == SignOffKind.SignOff,
                $"P's sign-off locks D1's values: D1's auditor finds it and the run it signed ({query})");
        }

        var commune = await (await (await bed.AsAsync(Role.Auditor, "C1")).GetAsync("/api/signoffs")).ReadAsync<List<SignOffView>>();
        commune.Should().ContainSingle(s => s.Area == "P", "the sign-off of the province above locks the commune too");
        (await (await (await bed.AsAsync(Role.Auditor, "Q")).GetAsync("/api/signoffs")).ReadAsync<List<SignOffView>>())
            .Should().BeEmpty("another province's sign-off is not above Q");
    }
}
