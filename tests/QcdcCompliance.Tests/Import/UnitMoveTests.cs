using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QcdcCompliance.Decisions;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;
using QcdcCompliance.Submissions;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;
using QcdcCompliance.Tests.Security;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Import;

/// <summary>
/// A unit's area, kind and trade union are dated: a re-import that changes them takes effect from a day (the import's,
/// or <c>changed_on</c>), and a period is judged by the unit as it was on the period's last day, its sign-off included.
/// </summary>
public sealed class UnitMoveTests(ITestOutputHelper output)
{
    // 1/3/2021 in Viet Nam: after 2020, during 2021S1, while the districts of Province still exist.
    private static FakeTimeProvider Clock() => new(new DateTimeOffset(2021, 3, 1, 9, 0, 0, TimeSpan.FromHours(7)));

    private const string UnitsHeader = "code,name,kind,area_code,has_trade_union,headcount,contact_email,active_from,active_to,changed_on\n";

    // CQ1, a state agency of D1, moved to C3 (in D2); NQ02-1 counts it (population XA,CQ,SN,DNNN,DN,LL, per district).
    private static string MoveCq1(string changedOn = "") => UnitsHeader + $"CQ1,Phòng Nội vụ,StateAgency,C3,true,12,cq1@example.vn,,,{changedOn}\n";

    private static Task<Engine> ProvinceAsync(string provider = "Sqlite") =>
        ApiTestbed.ProvinceAsync(provider == "Sqlite"
            ? () => Engine.SqliteAsync(Clock(), configure: s => s.AddQcdcDecisions())
            : () => Engine.PostgresAsync("unitmove", Clock(), configure: s => s.AddQcdcDecisions()));

    /// <summary>How many units of NQ02-1's population the latest run of the period counts in the area.</summary>
    private static async Task<int> CountedInAsync(Engine engine, string period, string area, string target = "NQ02-1")
    {
        await using var db = engine.Db();
        var (periodId, areaId) = (await db.Periods.Where(p => p.Code == period).Select(p => p.Id).SingleAsync(),
            await db.Areas.Where(a => a.Code == area).Select(a => a.Id).SingleAsync());
        return await db.AreaResults.Where(r => r.PeriodId == periodId && r.AreaId == areaId && r.TargetCode == target && r.SupersededByRunId == null)
            .Select(r => r.PopulationUnits).SingleOrDefaultAsync();
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_unit_moved_today_keeps_its_signed_off_half_year_in_its_old_district_and_counts_in_the_new_one_after(string provider)
    {
        await using var engine = await ProvinceAsync(provider);
        (await CountedInAsync(engine, "2020S1", "D1")).Should().Be(5);
        (await CountedInAsync(engine, "2020S1", "D2")).Should().Be(1);
        await engine.Services.GetRequiredService<SignOffService>().SignOffAsync("2020S1", "D1", "Đã rà soát", "committee@D1");

        (await engine.ImportAsync(ImportKind.Units, "move.csv", MoveCq1())).Updated.Should().Be(1);

        // On 30/6/2020 CQ1 sat in D1: its late value of 2020S1 is locked by D1's sign-off.
        var late = () => engine.ImportAsync(ImportKind.Values, "late.csv", Province.ValuesHeader + "CQ1,2020S1,REGULATION_ISSUED,false,nộp muộn\n");
        var problem = (await late.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle().Which;
        output.WriteLine(problem.ToString());
        problem.Message.Should().Contain("2020S1 of D1 was signed off by committee@D1").And.Contain("values of unit CQ1 for 2020S1 are locked");

        // The half-year that ended before the move still counts CQ1 in D1, not in D2.
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        (await CountedInAsync(engine, "2020S1", "D1")).Should().Be(5);
        (await CountedInAsync(engine, "2020S1", "D2")).Should().Be(1);

        // Its findings of 2020S1 are D1's (the report and the API's findings of an area), not D2's.
        async Task<IEnumerable<string>> FlaggedIn(string area) =>
            (await engine.Findings.ListAsync(new FindingFilter("2020S1") { Area = area })).Select(f => f.SubjectCode);
        (await FlaggedIn("D1")).Should().Contain("CQ1");
        (await FlaggedIn("D2")).Should().NotContain("CQ1");

        // The officers' template of 2020S1 lists CQ1, with its stored value, in D1's and not in D2's.
        var templates = engine.Services.GetRequiredService<ReportingTemplates>();
        var d1 = await templates.ForAreaAsync("2020S1", "D1");
        d1.Rows.Should().ContainSingle(r => r.UnitCode == "CQ1").Which.Values.Should().Contain(1);
        (await templates.ForAreaAsync("2020S1", "D2")).Rows.Select(r => r.UnitCode).Should().NotContain("CQ1");
        (await templates.ForAreaAsync("2021S1", "D2")).Rows.Select(r => r.UnitCode).Should().Contain("CQ1");

        // The half-year the move falls in (it ends after it) counts CQ1 in D2.
        await engine.Evaluations.EvaluateAsync("2021S1", null, RunTrigger.Manual);
        (await CountedInAsync(engine, "2021S1", "D1")).Should().Be(4);
        (await CountedInAsync(engine, "2021S1", "D2")).Should().Be(2);
    }

    [Fact]
    public async Task A_move_dated_back_into_a_signed_off_period_is_refused_whole()
    {
        await using var engine = await ProvinceAsync();
        await engine.Services.GetRequiredService<SignOffService>().SignOffAsync("2020S1", "D2", "Đã rà soát", "committee@D2");
        var before = await engine.CountsAsync();

        // Dated 1/5/2020, the move would put CQ1 in D2's signed 2020S1.
        var refused = () => engine.ImportAsync(ImportKind.Units, "move.csv", MoveCq1("01/05/2020"));
        var problem = (await refused.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle().Which;
        output.WriteLine(problem.ToString());
        problem.Row.Should().Be(2);
        problem.Column.Should().Be("changed_on");
        problem.Message.Should().Contain("area D1 -> C3").And.Contain("2020S1 of D2 was signed off by committee@D2")
            .And.Contain("qcdc signoff reopen --period 2020S1 --area D2");
        (await engine.CountsAsync()).Should().Be(before, "nothing of the file is stored");
        await using (var db = engine.Db())
            (await db.Units.Where(u => u.Code == "CQ1").Select(u => u.AreaId).SingleAsync()).Should().Be(await db.Areas.Where(a => a.Code == "D1").Select(a => a.Id).SingleAsync());

        // Dated after the signed half-year's last day, it changes nothing signed.
        await engine.ImportAsync(ImportKind.Units, "move.csv", MoveCq1("2020-07-01"));

        // The same row dated back again (a correction: CQ1 already names C3) would still change D2's signed 2020S1.
        var correction = () => engine.ImportAsync(ImportKind.Units, "correction.csv", MoveCq1("2020-01-01"));
        (await correction.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle()
            .Which.Message.Should().Contain("the change of unit CQ1 (area D1 -> C3) takes effect from 2020-01-01").And.Contain("2020S1 of D2 was signed off");
    }

    [Fact]
    public async Task A_correction_dated_before_every_period_re_attributes_the_unit_while_a_move_of_today_does_not()
    {
        await using var engine = await ProvinceAsync();
        await engine.ImportAsync(ImportKind.Units, "move.csv", MoveCq1());
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        (await CountedInAsync(engine, "2020S1", "D2")).Should().Be(1, "moved on 1/3/2021, CQ1 sat in D1 on 30/6/2020");

        // CQ1 was never in D1: the province corrects its area from the beginning.
        await engine.ImportAsync(ImportKind.Units, "correction.csv", MoveCq1("2000-01-01"));
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        (await CountedInAsync(engine, "2020S1", "D1")).Should().Be(4);
        (await CountedInAsync(engine, "2020S1", "D2")).Should().Be(2);
    }

    [Fact]
    public async Task An_enterprise_that_forms_a_union_in_2021_is_not_in_the_2020_union_population()
    {
        await using var engine = await ProvinceAsync();
        await engine.ImportAsync(ImportKind.Units, "union.csv", UnitsHeader + "DN2,Công ty Hai,NonStateEnterprise,C2,true,40,,,,2021-01-01\n");

        // NQ02-6b: non-state enterprises with a union (DN-CĐ), per district, per year. DN1 had one all along.
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);
        (await CountedInAsync(engine, "2020", "D1", "NQ02-6b")).Should().Be(1);
        await engine.Evaluations.EvaluateAsync("2021", null, RunTrigger.Manual);
        (await CountedInAsync(engine, "2021", "D1", "NQ02-6b")).Should().Be(2);

        // Its collective agreement is asked of it (DNNN, DN-CĐ) from 2021 on, not for 2020.
        var of2020 = () => engine.ImportAsync(ImportKind.Values, "cla.csv", Province.ValuesHeader + "DN2,2020,CLA_SIGNED,true,\n");
        (await of2020.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle()
            .Which.Message.Should().Contain("CLA_SIGNED does not apply to unit DN2 (NonStateEnterprise, no trade union)");
        await engine.ImportAsync(ImportKind.Values, "cla.csv", Province.ValuesHeader + "DN2,2021,CLA_SIGNED,true,\n");
    }
    [Fact]
    public async Task A_unit_closed_back_before_or_added_into_a_signed_off_period_is_refused_whole_and_one_dated_after_it_goes_through()
    {
        await using var engine = await ProvinceAsync();
        await engine.Services.GetRequiredService<SignOffService>().SignOffAsync("2020S1", "D1", "Đã rà soát", "committee@D1");
        var before = await engine.CountsAsync();

        // CQ1 (D1) closed on 31/12/2019 would leave D1's signed 2020S1; DN9, new and active since 1/1/2020, would join it.
        var closed = () => engine.ImportAsync(ImportKind.Units, "closed.csv", UnitsHeader + "CQ1,Phòng Nội vụ,StateAgency,D1,true,12,cq1@example.vn,,2019-12-31,\n");
        var added = () => engine.ImportAsync(ImportKind.Units, "added.csv", UnitsHeader + "DN9,Công ty Chín,NonStateEnterprise,C1,true,10,dn9@example.vn,2020-01-01,,\n");
        var leaves = (await closed.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle().Which;
        var joins = (await added.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle().Which;
        output.WriteLine(leaves.ToString());
        output.WriteLine(ImportWording.Vietnamese(joins));

        leaves.Column.Should().Be("active_to");
        leaves.Message.Should().StartWith("unit CQ1 would leave the units of 2020S1 (active on its last day, 2020-06-30: yes -> no)")
            .And.Contain("2020S1 of D1 was signed off by committee@D1").And.Contain("qcdc signoff reopen --period 2020S1 --area D1");
        joins.Column.Should().Be("active_from");
        joins.Message.Should().StartWith("unit DN9 would join the units of 2020S1");
        ImportWording.Vietnamese(joins).Should().StartWith("đơn vị DN9 sẽ được tính vào các đơn vị của 6 tháng đầu năm 2020 (hoạt động vào ngày cuối kỳ 30/06/2020: không → có)")
            .And.Contain("đã được ký duyệt bởi");
        (await engine.CountsAsync()).Should().Be(before, "nothing of either file is stored");

        // Closed or opened after the signed half-year, they change nothing signed; D2 was not signed off.
        await engine.ImportAsync(ImportKind.Units, "later.csv", UnitsHeader
            + "CQ1,Phòng Nội vụ,StateAgency,D1,true,12,cq1@example.vn,,2020-12-31,\nDN9,Công ty Chín,NonStateEnterprise,C1,true,10,dn9@example.vn,2020-07-01,,\n"
            + "DN8,Công ty Tám,NonStateEnterprise,C3,true,10,,2020-01-01,,\n");
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        (await CountedInAsync(engine, "2020S1", "D1")).Should().Be(5, "D1's signed half-year counts the units it counted");
    }
    [Fact]
    public async Task A_unit_moved_away_is_still_read_by_its_old_districts_auditor_for_the_periods_it_sat_there_and_by_the_new_one_for_the_others()
    {
        var engine = await ProvinceAsync();
        await engine.ImportAsync(ImportKind.Values, "2021.csv", Province.ValuesHeader + "CQ1,2021S1,REGULATION_ISSUED,true,\n");
        // CQ1 moves from D1 to C3 (in D2) on 1/3/2021: 2020S1 was D1's, 2021S1 is D2's.
        await engine.ImportAsync(ImportKind.Units, "move.csv", MoveCq1());
        await using var bed = await ApiTestbed.StartAsync(engine);
        var (old, @new) = (await bed.AsAsync(Role.Auditor, "D1"), await bed.AsAsync(Role.Auditor, "D2"));

        var byOld = await (await old.GetAsync("/api/units/CQ1")).ReadAsync<Host.Api.UnitDto>();
        var byNew = await (await @new.GetAsync("/api/units/CQ1")).ReadAsync<Host.Api.UnitDto>();

        byOld.Values.Select(v => v.Period).Distinct().Should().Equal(["2020S1"], "D1's auditor reads CQ1's values of the periods it sat in D1");
        byNew.Values.Select(v => v.Period).Distinct().Should().Equal(["2021S1"], "D2's auditor reads those of the periods it sits in D2");
    }

    [Fact]
    public async Task A_unit_moved_after_the_period_leaves_its_finding_of_that_period_to_the_old_districts_keys_in_the_list_and_one_by_one()
    {
        var engine = await ProvinceAsync();
        // CQ1 moves from D1 to C3 (in D2) on 1/3/2021, after 2020S1 was evaluated: on 30/6/2020 it sat in D1.
        await engine.ImportAsync(ImportKind.Units, "move.csv", MoveCq1());
        await using var bed = await ApiTestbed.StartAsync(engine);
        Finding found;
        await using (var db = engine.Db())
            found = await db.Findings.AsNoTracking().Where(f => f.SubjectCode == "CQ1" && f.SupersededByRunId == null).OrderBy(f => f.TargetCode).FirstAsync();
        var (old, @new) = (await bed.AsAsync(Role.Committee, "D1"), await bed.AsAsync(Role.Committee, "D2"));

        async Task<IEnumerable<long>> Listed(HttpClient client) =>
            (await (await client.GetAsync($"/api/findings?period=2020S1&target={found.TargetCode}&limit=1000")).ReadAsync<Host.Api.FindingPage>()).Items.Select(f => f.Id);
        (await Listed(old)).Should().Contain(found.Id, "CQ1 sat in D1 on the last day of 2020S1");
        (await Listed(@new)).Should().NotContain(found.Id);

        // One finding is judged as the list judges it: D1's to open and acknowledge, unknown to D2.
        (await old.GetAsync($"/api/findings/{found.Id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await @new.GetAsync($"/api/findings/{found.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await @new.PostAsJsonAsync($"/api/findings/{found.Id}/acknowledge", new { reason = "Đã nhắc đơn vị" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await old.PostAsJsonAsync($"/api/findings/{found.Id}/acknowledge", new { reason = "Đã nhắc đơn vị" })).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_unit_moved_after_the_period_is_counted_on_the_run_page_of_the_district_it_sat_in_as_the_api_counts_it()
    {
        var engine = await ProvinceAsync();
        long runId;
        int cq1Findings;
        await using (var db = engine.Db())
        {
            var cq1 = await db.Findings.AsNoTracking().Where(f => f.SubjectCode == "CQ1" && f.SupersededByRunId == null).ToListAsync();
            cq1.Should().NotBeEmpty();
            runId = cq1[0].RunId;
            cq1Findings = await db.Findings.CountAsync(f => f.RunId == runId && f.SubjectCode == "CQ1");
        }

        // CQ1 moves from D1 to C3 (in D2) on 1/3/2021, after the run of 2020S1 that recorded its findings: on 30/6/2020 it sat in D1.
        await engine.ImportAsync(ImportKind.Units, "move.csv", MoveCq1());
        await using var bed = await ApiTestbed.StartAsync(engine);

        foreach (var district in new[] { "D1", "D2" })
        {
            var api = await (await (await bed.AsAsync(Role.Committee, district)).GetAsync($"/api/runs/{runId}")).ReadAsync<Host.Api.RunDetailDto>();
            var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, district), returnUrl: "");
            var page = WebUtility.HtmlDecode(await (await browser.GetAsync($"/runs/{runId}")).Content.ReadAsStringAsync());
            var counted = Regex.Matches(page, "<tr data-target=\"[^\"]+\">.*?<td class=\"num\">([^<]+)</td></tr>", RegexOptions.Singleline)
                .Sum(m => int.Parse(m.Groups[1].Value.Replace(".", ""), System.Globalization.CultureInfo.InvariantCulture));
            counted.Should().Be(api.FindingsRecorded, $"{district}'s key reads on the run's page what GET /api/runs/{runId} counts for it");
        }

        // The run's findings of CQ1 are D1's: counted where it sat on 30/6/2020, not in D2 where it sits now.
        cq1Findings.Should().BePositive("the run recorded findings of CQ1, which its page counted in D2, where CQ1 sits now");
    }

    [Fact]
    public async Task A_finding_resolved_because_its_unit_closed_in_the_period_reads_on_the_units_page_as_the_unit_leaving_not_as_remedied()
    {
        var engine = await ProvinceAsync();
        (await engine.Db().Findings.AnyAsync(f => f.TargetCode == "NQ02-1" && f.SubjectCode == "XA3" && f.SupersededByRunId == null)).Should().BeTrue();
        // XA3 closes on 31/5/2020, before the last day of 2020S1: it leaves the period's population, and its finding is resolved.
        await engine.ImportAsync(ImportKind.Units, "close.csv", Province.UnitsHeader + "XA3,UBND Xã Ba,Commune,C3,true,20,,,2020-05-31\n");
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        await using var bed = await ApiTestbed.StartAsync(engine);

        var (auditor, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Auditor, "P"), returnUrl: "");
        var page = WebUtility.HtmlDecode(await (await auditor.GetAsync("/units/XA3")).Content.ReadAsStringAsync());
        var row = Regex.Match(page, "<tr data-period=\"2020S1\" data-target=\"NQ02-1\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
        var state = Regex.Matches(row, "<td[^>]*>([^<]*)</td>").Select(m => m.Groups[1].Value.Trim()).ElementAt(4);
        state.Should().Be("Đơn vị ngừng hoạt động từ 31/05/2020, không còn thuộc diện", "the unit left, it remedied nothing: not \"Đã khắc phục\"");
    }

    [Fact]
    public async Task A_finding_resolved_because_its_unit_closed_says_so_with_the_day_in_explain_the_api_the_csv_and_the_run_page_and_a_remedied_one_still_reads_remedied()
    {
        var engine = await ProvinceAsync();
        // XA3 closes on 31/5/2020 (it left 2020S1's population); XA2 issues its regulation (it put NQ02-1 right).
        await engine.ImportAsync(ImportKind.Units, "close.csv", Province.UnitsHeader + "XA3,UBND Xã Ba,Commune,C3,true,20,,,2020-05-31\n");
        await engine.ImportAsync(ImportKind.Values, "fix.csv", Province.ValuesHeader + "XA2,2020S1,REGULATION_ISSUED,true,\n");
        var run = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single().Run;
        await using var bed = await ApiTestbed.StartAsync(engine);
        var auditor = await bed.AsAsync(Role.Auditor, "P");

        var closed = (await (await auditor.GetAsync("/api/units/XA3/findings")).ReadAsync<List<Host.Api.FindingDto>>()).Single(f => f.Target == "NQ02-1");
        (closed.State, closed.Resolution, closed.UnitClosedOn).Should().Be((FindingState.Resolved, FindingResolution.UnitClosed, new DateOnly(2020, 5, 31)));
        var remedied = (await (await auditor.GetAsync("/api/units/XA2/findings")).ReadAsync<List<Host.Api.FindingDto>>()).Single(f => f.Target == "NQ02-1");
        (remedied.State, remedied.Resolution, remedied.UnitClosedOn).Should().Be((FindingState.Resolved, FindingResolution.Remedied, (DateOnly?)null));

        var detail = await (await auditor.GetAsync($"/api/findings/{closed.Id}")).ReadAsync<Host.Api.FindingDetailDto>();
        detail.Finding.Resolution.Should().Be(FindingResolution.UnitClosed);
        detail.Explanation.Should().Contain("Trạng thái: Đơn vị ngừng hoạt động từ 31/05/2020, không còn thuộc diện (")
            .And.Contain("State: Closed (active until 31/05/2020): no longer in the population (").And.NotContain("Đã khắc phục").And.NotContain("State: Resolved");
        (await (await auditor.GetAsync($"/api/findings/{remedied.Id}")).ReadAsync<Host.Api.FindingDetailDto>()).Explanation
            .Should().Contain("Trạng thái: Đã khắc phục (").And.Contain("State: Resolved (");

        var explain = await HostProcess.RunAsync(engine.Storage, "explain", "--period", "2020S1", "--target", "NQ02-1", "--subject", "XA3");
        explain.Should().Contain("Trạng thái: Đơn vị ngừng hoạt động từ 31/05/2020, không còn thuộc diện").And.NotContain("Đã khắc phục");

        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, "/api/findings?period=2020S1&target=NQ02-1&state=Resolved");
        csvRequest.Headers.Accept.ParseAdd("text/csv");
        var csv = (await (await auditor.SendAsync(csvRequest)).Content.ReadAsStringAsync()).Split('\n');
        csv[0].Should().EndWith(",gap,resolution,unit_closed_on");
        csv.Single(l => l.Contains(",XA3,")).Should().EndWith(",UnitClosed,2020-05-31");
        csv.Single(l => l.Contains(",XA2,")).Should().EndWith(",Remedied,");

        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Auditor, "P"), returnUrl: "");
        var page = WebUtility.HtmlDecode(await (await browser.GetAsync($"/runs/{run.Id}")).Content.ReadAsStringAsync());
        var rows = Regex.Matches(page, "<tr data-target=\"NQ02-1\">(.*?)</tr>", RegexOptions.Singleline)
            .Select(r => Regex.Replace(r.Groups[1].Value, "<[^>]+>", "|").Replace("||", "|")).ToList();
        rows.Should().Contain(r => r.Contains("|Đơn vị ngừng hoạt động, không còn thuộc diện|1|"), "XA3 left the population")
            .And.Contain(r => r.Contains("|Đã khắc phục|3|"), "XA2 put it right, and so the areas' shares are met: they stay \"Đã khắc phục\"")
            .And.Contain(r => r.Contains("|Không còn được đánh giá: chỉ tiêu không còn áp dụng|1|"),
                "D2 is left with no unit of the population once XA3 closed: nothing was put right, nothing is left to judge");
        Regex.Match(page, "<dd>[^<]*đã khắc phục[^<]*</dd>").Value.Should().Contain("không còn thuộc diện do đơn vị ngừng hoạt động");
    }

    [Fact]
    public async Task A_moved_units_page_and_api_show_its_kept_versions_and_its_crumbs_are_where_it_sat()
    {
        var engine = await ProvinceAsync();
        await engine.ImportAsync(ImportKind.Values, "2021.csv", Province.ValuesHeader + "CQ1,2021S1,REGULATION_ISSUED,true,\n");
        // CQ1 moves from D1 to C3 (Xã Ba, in D2) on 1/3/2021.
        await engine.ImportAsync(ImportKind.Units, "move.csv", MoveCq1());
        await using var bed = await ApiTestbed.StartAsync(engine);

        var unit = await (await (await bed.AsAsync(Role.Auditor, "P")).GetAsync("/api/units/CQ1")).ReadAsync<Host.Api.UnitDto>();
        unit.Area.Code.Should().Be("C3");
        unit.Versions.Select(v => (v.From, v.Until, v.Area.Code, v.Area.Name, v.Kind, v.HasTradeUnion)).Should().Equal(
            (null, new DateOnly(2021, 2, 28), "D1", "Huyện Một", UnitKind.StateAgency, true),
            (new DateOnly(2021, 3, 1), null, "C3", "Xã Ba", UnitKind.StateAgency, true));

        var (district, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "D1"), returnUrl: "");
        var page = WebUtility.HtmlDecode(await (await district.GetAsync("/units/CQ1")).Content.ReadAsStringAsync());
        var crumbs = Regex.Match(page, "<nav class=\"crumbs\"[^>]*>(.*?)</nav>", RegexOptions.Singleline).Groups[1].Value;
        crumbs.Should().Contain("Huyện Một", "the page shows 2020S1, when CQ1 sat in D1").And.NotContain("Huyện Hai").And.NotContain("Xã Ba");
        foreach (Match link in Regex.Matches(crumbs, "href=\"([^\"]+)\""))
            (await district.GetAsync(link.Groups[1].Value)).StatusCode.Should().Be(HttpStatusCode.OK, $"the crumb {link.Groups[1].Value} opens");
        var versions = Regex.Match(page, "<table id=\"unit-versions\">(.*?)</table>", RegexOptions.Singleline).Groups[1].Value;
        Regex.Matches(versions, "<tr data-area[^>]*>(.*?)</tr>", RegexOptions.Singleline)
            .Select(r => Regex.Replace(Regex.Replace(r.Groups[1].Value, @">\s+<", "><"), "<[^>]+>", "|")).Should().Equal(
                "|đến 28/02/2021||Huyện Một, Tỉnh Thử||Cơ quan hành chính nhà nước||Có|",
                "|từ 01/03/2021 đến nay||Xã Ba, Tỉnh Thử||Cơ quan hành chính nhà nước||Có|");
    }

    [Fact]
    public async Task A_unit_closed_the_day_before_its_commune_merged_has_crumbs_of_the_commune_it_sat_in_not_of_the_successor()
    {
        var engine = await ProvinceAsync();
        // C5 (in D2) merged into C3 on 1/7/2020; its UBND XA5 closed on 30/6/2020, the last day C5 existed.
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", "code,name,level,parent_code,valid_from,valid_to\nC5,Xã Năm,Commune,D2,,2020-06-30\n");
        await engine.ImportAsync(ImportKind.Lineage, "lineage.csv", "predecessor_code,successor_code,effective_from\nC5,C3,2020-07-01\n");
        await engine.ImportAsync(ImportKind.Units, "units.csv", Province.UnitsHeader + "XA5,UBND Xã Năm,Commune,C5,false,10,,,2020-06-30\n");
        await using var bed = await ApiTestbed.StartAsync(engine);

        var (committee, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "P"), returnUrl: "");
        var page = WebUtility.HtmlDecode(await (await committee.GetAsync("/units/XA5")).Content.ReadAsStringAsync());

        var crumbs = Regex.Replace(Regex.Match(page, "<nav class=\"crumbs\"[^>]*>(.*?)</nav>", RegexOptions.Singleline).Groups[1].Value, "<[^>]+>|\\s+", " ");
        Regex.Replace(crumbs, " +", " ").Trim().Should().Be("Tỉnh Thử › Huyện Hai › Xã Năm › UBND Xã Năm",
            "XA5 last sat in Xã Năm, on its closing day; Xã Ba took Xã Năm's place only after XA5 had closed");
    }

    [Fact]
    public async Task A_moved_units_form_and_template_open_from_the_workspace_of_the_area_it_sat_in_for_each_period_before_and_after_the_move()
    {
        var engine = await ProvinceAsync();
        // CQ1 moves from D1 to C3 (Xã Ba, in D2) on 1/7/2020: 2020S1 is D1's to report, 2020S2 D2's.
        await engine.ImportAsync(ImportKind.Units, "move.csv", MoveCq1("2020-07-01"));
        await using var bed = await ApiTestbed.StartAsync(engine);

        foreach (var (area, period, other) in new[] { ("D1", "2020S1", "2020S2"), ("D2", "2020S2", "2020S1") })
        {
            var (reporter, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, area), returnUrl: "");
            var workspace = WebUtility.HtmlDecode(await (await reporter.GetAsync($"/workspace?period={period}")).Content.ReadAsStringAsync());
            var link = Regex.Match(workspace, "<tr data-unit=\"CQ1\".*?href=\"([^\"]+)\"", RegexOptions.Singleline).Groups[1].Value;
            link.Should().Be($"/workspace/units/CQ1?period={period}", $"CQ1 sat in {area} on the last day of {period}");
            if (area == "D1")
                workspace.Should().Contain("đã chuyển sang địa bàn khác", "the list says it sits elsewhere now");

            var form = await reporter.GetAsync(link);
            form.StatusCode.Should().Be(HttpStatusCode.OK, $"{area}'s link to CQ1's form for {period} opens");
            var options = Regex.Matches(WebUtility.HtmlDecode(await form.Content.ReadAsStringAsync()), "<option value=\"(20[0-9S]+)\"").Select(m => m.Groups[1].Value).ToList();
            options.Should().Contain(period).And.NotContain(other, $"{other} is the other area's to report");
            foreach (var offered in options)
                (await reporter.GetAsync($"/workspace/units/CQ1?period={offered}")).StatusCode.Should().Be(HttpStatusCode.OK, $"{area}: the offered period {offered} opens");
            var template = await reporter.GetAsync($"/workspace/template?period={period}&unit=CQ1");
            template.StatusCode.Should().Be(HttpStatusCode.OK, $"{area}: CQ1's template for {period}");
            template.Content.Headers.ContentDisposition!.FileName.Should().Contain($"qcdc-mau-{period}-CQ1");
            (await reporter.GetAsync($"/workspace/units/CQ1?period={other}")).StatusCode.Should().Be(HttpStatusCode.NotFound, $"{other} is not {area}'s");
        }

        // The old area stores CQ1's figures of the period it sat there through that form, as its import may.
        var (d1, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "D1"), returnUrl: "");
        var saved = await d1.SubmitAsync("/workspace/units/CQ1?period=2020S1", "/workspace/units/CQ1",
            new Dictionary<string, string> { ["period"] = "2020S1", ["PEOPLE_INFORMED"] = "12" });
        saved.StatusCode.Should().Be(HttpStatusCode.Redirect, await saved.Content.ReadAsStringAsync());
        saved.Headers.Location!.OriginalString.Should().Contain("saved=1");
    }
}
