using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Submissions;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;
using QcdcCompliance.Tests.Security;

namespace QcdcCompliance.Tests.Submissions;

/// <summary>
/// The reporting officer's own unit page and the workspace's period list, read and posted as a browser does: the form
/// reads figures by the file import's rule, the unit's state is the list's, the periods offered open.
/// </summary>
public sealed class WorkspaceEntryFormTests
{
    private static async Task<long?> StoredAsync(ApiTestbed bed, string unit, string period, string indicator)
    {
        await using var db = bed.Engine.Db();
        var id = IndicatorCatalogue.Get(indicator).Id;
        return await (from v in db.DataValues
                      join u in db.Units on v.UnitId equals u.Id
                      join p in db.Periods on v.PeriodId equals p.Id
                      where u.Code == unit && p.Code == period && v.IndicatorId == id
                      select (long?)v.Value).SingleOrDefaultAsync();
    }

    [Fact]
    public async Task The_entry_form_reads_a_figure_as_a_files_text_cell_is_so_2_000_is_refused_naming_both_readings_never_stored_as_2()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "D1"), returnUrl: "");
        var before = await StoredAsync(bed, "XA1", "2020S1", "PEOPLE_TO_INFORM");

        // Two thousand and twelve thousand as Vietnamese writes them: read as JSON reads them, they were stored as 2 and 12.
        var typed = await browser.SubmitAsync("/workspace/units/XA1?period=2020S1", "/workspace/units/XA1",
            new Dictionary<string, string> { ["period"] = "2020S1", ["PEOPLE_TO_INFORM"] = "2.000", ["MEDIATORS"] = "12.000" });
        typed.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, "'2.000' reads two ways, as it does in a ',' file or a workbook's text cell");
        var page = WebUtility.HtmlDecode(await typed.Content.ReadAsStringAsync());
        page.Should().Contain("'2.000' đọc được hai cách").And.Contain("(2 hoặc 2000)").And.Contain("'12.000' đọc được hai cách").And.Contain("Chưa lưu");
        (await StoredAsync(bed, "XA1", "2020S1", "PEOPLE_TO_INFORM")).Should().Be(before, "nothing was stored");
        (await StoredAsync(bed, "XA1", "2020S1", "MEDIATORS")).Should().NotBe(12);

        // The same text in a file the upload page takes is refused in the same words.
        var csv = Encoding.UTF8.GetBytes(Province.ValuesHeader + "XA1,2020S1,PEOPLE_TO_INFORM,2.000,\n");
        var upload = WebUtility.HtmlDecode(await (await WorkspaceTests.UploadAsync(browser, "v.csv", csv)).Content.ReadAsStringAsync());
        var said = Regex.Match(upload, "'2\\.000' đọc được hai cách[^<]*").Value;
        said.Should().NotBeEmpty();
        page.Should().Contain(said, "the form refuses what the file import refuses, in its words");

        // What reads one way only is read as the file import reads it: thousands grouped by '.' or by ','.
        var saved = await browser.SubmitAsync("/workspace/units/XA1?period=2020S1", "/workspace/units/XA1",
            new Dictionary<string, string> { ["period"] = "2020S1", ["PEOPLE_TO_INFORM"] = "1.327.453", ["PEOPLE_INFORMED"] = "1,500" });
        saved.StatusCode.Should().Be(HttpStatusCode.Redirect, WebUtility.HtmlDecode(await saved.Content.ReadAsStringAsync()));
        (await StoredAsync(bed, "XA1", "2020S1", "PEOPLE_TO_INFORM")).Should().Be(1_327_453);
        (await StoredAsync(bed, "XA1", "2020S1", "PEOPLE_INFORMED")).Should().Be(1_500);
    }

    [Fact]
    public async Task A_units_page_keeps_it_on_time_after_a_correction_past_the_deadline_as_the_workspace_list_says()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        // DN2 (an enterprise without a union, in D1) reports everything it owes for 2020S1, all of it before the deadline (20/07/2020).
        var template = await bed.Engine.Services.GetRequiredService<ReportingTemplates>().ForUnitAsync("2020S1", "DN2");
        var open = template!.Columns.Where((_, c) => template.Rows[0].Cells[c] == TemplateCell.Open).ToList();
        open.Should().NotBeEmpty();
        var rows = string.Concat(open.Select(i => $"DN2,2020S1,{i.Code},{(i.ValueType == IndicatorValueType.Boolean ? "có" : i.ValueType == IndicatorValueType.Percentage ? "50" : "5")},\n"));
        await bed.Engine.ImportAsync(ImportKind.Values, "dn2.csv", Province.ValuesHeader + rows);
        var inTime = new DateTime(2020, 7, 10, 3, 0, 0, DateTimeKind.Utc);
        await using (var db = bed.Engine.Db())
        {
            var unit = await db.Units.Where(u => u.Code == "DN2").Select(u => u.Id).SingleAsync();
            await db.DataValues.Where(v => v.UnitId == unit).ExecuteUpdateAsync(v => v.SetProperty(x => x.StoredAt, inTime));
            await db.DataValueAudits.Where(a => a.UnitId == unit).ExecuteUpdateAsync(a => a.SetProperty(x => x.ChangedAt, inTime));
        }

        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "D1"), returnUrl: "");
        static string State(string page) => Regex.Match(page, "id=\"unit-state\">([^<]*)<").Groups[1].Value;
        State(WebUtility.HtmlDecode(await (await browser.GetAsync("/workspace/units/DN2?period=2020S1")).Content.ReadAsStringAsync())).Should().Be("Đủ, đúng hạn");

        // A correction today, years after the deadline, through the unit's own form.
        var corrected = await browser.SubmitAsync("/workspace/units/DN2?period=2020S1", "/workspace/units/DN2",
            new Dictionary<string, string> { ["period"] = "2020S1", ["PEOPLE_TO_INFORM"] = "6" });
        corrected.StatusCode.Should().Be(HttpStatusCode.Redirect, WebUtility.HtmlDecode(await corrected.Content.ReadAsStringAsync()));

        var list = await (await browser.GetAsync("/workspace?period=2020S1")).Content.ReadAsStringAsync();
        Regex.Match(list, "<tr data-unit=\"DN2\" data-state=\"([A-Za-z]+)\"").Groups[1].Value.Should().Be("OnTime", "each value was first reported by the deadline");
        var own = WebUtility.HtmlDecode(await (await browser.GetAsync("/workspace/units/DN2?period=2020S1")).Content.ReadAsStringAsync());
        State(own).Should().Be("Đủ, đúng hạn", "the unit's own page says what the list, the API and the CLI say: lateness counts from the first report");
    }

    [Fact]
    public async Task A_commune_made_by_the_reform_is_offered_only_periods_it_exists_in_and_the_running_half_year_and_an_earlier_one_is_told_in_Vietnamese()
    {
        var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());
        await engine.ImportAsync(ImportKind.Areas, "c5.csv", "code,name,level,parent_code,valid_from,valid_to\nC5,Xã Năm,Commune,P,2025-07-01,\n");
        await engine.ImportAsync(ImportKind.Units, "xa5.csv", Province.UnitsHeader + "XA5,UBND Xã Năm,Commune,C5,true,10,,2025-07-01,\n");
        await using var bed = await ApiTestbed.StartAsync(engine);
        var running = bed.Engine.Services.GetRequiredService<PeriodCalendar>().RunningHalfYear(VietnamTime.Today(TimeProvider.System)).Code;
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "C5"), returnUrl: "");
        static List<string> Options(string page) =>
            Regex.Matches(Regex.Match(page, "<select name=\"period\" id=\"period-input\">(.*?)</select>", RegexOptions.Singleline).Groups[1].Value, "<option value=\"([^\"]+)\"")
                .Select(m => m.Groups[1].Value).ToList();

        var home = WebUtility.HtmlDecode(await (await browser.GetAsync("/workspace")).Content.ReadAsStringAsync());
        var offered = Options(home);
        offered.Should().Contain(running, "the half-year running today is offered, as the unit pages offer it")
            .And.NotContain("2020S1", "Xã Năm was made on 1/7/2025: 2020S1 would only answer that it did not exist");
        home.Should().Contain("(đang diễn ra)");
        foreach (var period in offered)
            (await browser.GetAsync($"/workspace?period={period}")).StatusCode.Should().Be(HttpStatusCode.OK, $"the offered period {period} opens");

        // Typed by hand, a period before it existed is told in Vietnamese, on the page and for its template.
        var before = await browser.GetAsync("/workspace?period=2020S1");
        before.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var said = WebUtility.HtmlDecode(await before.Content.ReadAsStringAsync());
        said.Should().Contain("Xã Năm được thành lập từ ngày 01/07/2025").And.Contain("6 tháng đầu năm 2020").And.NotContain("is not in any province");
        var template = await browser.GetAsync("/workspace/template?period=2020S1&area=C5&format=xlsx");
        template.StatusCode.Should().Be(HttpStatusCode.NotFound);
        WebUtility.HtmlDecode(await template.Content.ReadAsStringAsync()).Should().Contain("Xã Năm được thành lập từ ngày 01/07/2025").And.NotContain("is not in any province");

        // A district abolished by the reform is not offered the running half-year, and asked for it is told what it became.
        var (district, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "D1"), returnUrl: "");
        Options(WebUtility.HtmlDecode(await (await district.GetAsync("/workspace?period=2020S1")).Content.ReadAsStringAsync()))
            .Should().Contain("2020S1").And.NotContain(running, "D1 ended on 30/6/2025");
        var ended = await district.GetAsync($"/workspace?period={running}");
        ended.StatusCode.Should().Be(HttpStatusCode.NotFound);
        WebUtility.HtmlDecode(await ended.Content.ReadAsStringAsync()).Should().Contain("Huyện Một đã kết thúc hoạt động từ ngày 01/07/2025").And.NotContain("is not in any province");
    }

    [Fact]
    public async Task A_blank_cell_of_an_uploaded_template_keeps_the_stored_value_and_the_answer_says_so()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        await bed.Engine.ImportAsync(ImportKind.Values, "first.csv", Province.ValuesHeader + "XA1,2020S1,MEDIATORS,7,\n");
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "D1"), returnUrl: "");

        // The template downloaded again shows MEDIATORS = 7; the officer clears it and fills another cell.
        var cleared = Encoding.UTF8.GetBytes("unit_code,unit_name,period,MEDIATORS,MEDIATION_CASES\r\nXA1,UBND Xã Một,2020S1,,4\r\n");
        var response = await WorkspaceTests.UploadAsync(browser, "cleared.csv", cleared);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        page.Should().Contain("Đã lưu").And.Contain("Ô để trống không thay đổi gì: số liệu đã lưu của ô đó được giữ nguyên",
            "the answer says what the blank did: nothing, the stored value stays");
        (await StoredAsync(bed, "XA1", "2020S1", "MEDIATORS")).Should().Be(7, "an import leaves what it does not name");
        (await StoredAsync(bed, "XA1", "2020S1", "MEDIATION_CASES")).Should().Be(4);
        page.Should().Contain("1 giá trị đã lưu được giữ nguyên (ô để trống).", "XA1's MEDIATORS, the one stored value a blank cell kept");
    }

    [Fact]
    public async Task The_upload_answer_counts_the_stored_values_its_blank_cells_kept_a_row_left_empty_too_in_Vietnamese_and_English()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        // Stored: XA1's MEDIATORS; XA2's MEDIATORS and MEDIATION_CASES; XA1's MEDIATION_CASES, which the file names again.
        await bed.Engine.ImportAsync(ImportKind.Values, "first.csv", Province.ValuesHeader
            + "XA1,2020S1,MEDIATORS,7,\nXA1,2020S1,MEDIATION_CASES,2,\nXA2,2020S1,MEDIATORS,5,\nXA2,2020S1,MEDIATION_CASES,3,\n");
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "D1"), returnUrl: "");

        // XA1's MEDIATORS cleared, its cases changed; XA2's row left empty; XA3 (another district) is not in the file.
        var file = Encoding.UTF8.GetBytes("unit_code,unit_name,period,MEDIATORS,MEDIATION_CASES\r\nXA1,UBND Xã Một,2020S1,,4\r\nXA2,UBND Xã Hai,2020S1,,\r\n");
        var vi = WebUtility.HtmlDecode(await (await WorkspaceTests.UploadAsync(browser, "blanks.csv", file)).Content.ReadAsStringAsync());
        vi.Should().Contain("1 giá trị đọc được; 0 mới, 1 thay đổi, 0 không đổi.")
            .And.Contain("<p id=\"upload-kept\">3 giá trị đã lưu được giữ nguyên (ô để trống).</p>", "XA1's MEDIATORS and XA2's two values; not XA1's cases, which the file names");

        var en = WebUtility.HtmlDecode(await (await WorkspaceTests.UploadAsync(browser, "blanks.csv", file, english: true)).Content.ReadAsStringAsync());
        en.Should().Contain("<p id=\"upload-kept\">3 stored values kept (empty cells).</p>");

        // A long file names every value it sends, and keeps nothing by a blank: nothing is said.
        var longFile = WebUtility.HtmlDecode(await (await WorkspaceTests.UploadAsync(browser, "long.csv",
            Encoding.UTF8.GetBytes(Province.ValuesHeader + "XA1,2020S1,MEDIATORS,8,\n"))).Content.ReadAsStringAsync());
        longFile.Should().Contain("Đã lưu").And.NotContain("upload-kept");
    }
}
