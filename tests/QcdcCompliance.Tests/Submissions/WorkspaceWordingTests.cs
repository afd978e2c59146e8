using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Reports;
using QcdcCompliance.Decisions;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;
using QcdcCompliance.Tests.Security;

namespace QcdcCompliance.Tests.Submissions;

/// <summary>
/// What the workspace and the dashboard say as a reporting officer or a committee member reads them: reads that store
/// nothing, a locked period told in Vietnamese by name and time, the language kept across a form, links that open.
/// </summary>
public sealed class WorkspaceWordingTests
{
    [Fact]
    public async Task A_read_of_a_period_not_begun_is_refused_in_Vietnamese_and_no_read_stores_a_period()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "D1"), returnUrl: "");
        var api = await bed.AsAsync(Role.Reporter, "D1");
        async Task<List<string>> PeriodsAsync()
        {
            await using var db = bed.Engine.Db();
            return await db.Periods.Select(p => p.Code).OrderBy(c => c).ToListAsync();
        }

        var before = await PeriodsAsync();

        var future = WebUtility.HtmlDecode(await (await browser.GetAsync("/workspace?period=2099S1")).Content.ReadAsStringAsync());
        future.Should().Contain("Kỳ 2099S1 chưa bắt đầu").And.Contain("nhầm năm?").And.NotContain("has not begun").And.NotContain("ngày đến hạn nộp");
        (await api.GetAsync("/api/completeness?period=2097S1")).StatusCode.Should().Be(HttpStatusCode.BadRequest, "the period has not begun");
        (await api.GetAsync("/api/completeness?period=2015S1")).StatusCode.Should().Be(HttpStatusCode.OK, "a past period is read as it is, empty");
        (await browser.GetAsync("/workspace?period=2015S2")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await browser.GetAsync("/workspace/units/XA1?period=2015S1")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await browser.GetAsync("/workspace/template?period=2014S1&unit=XA1&format=csv")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await PeriodsAsync()).Should().Equal(before, "a read creates no period");
        var notAPeriod = WebUtility.HtmlDecode(await (await browser.GetAsync("/workspace?period=XYZ")).Content.ReadAsStringAsync());
        notAPeriod.Should().Contain("'XYZ' không phải kỳ báo cáo").And.NotContain("is not a period");
    }

    [Fact]
    public async Task A_signed_off_period_is_told_locked_by_name_and_Viet_Nam_time_before_typing_and_once_when_saved_or_uploaded()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync(configure: s => s.AddQcdcDecisions())));
        var committee = await bed.AsAsync(Role.Committee, "D1");
        (await committee.PostAsJsonAsync("/api/signoffs", new { period = "2020S1", area = "D1", reason = "Đã rà soát" })).StatusCode.Should().Be(HttpStatusCode.OK);
        string by;
        await using (var db = bed.Engine.Db())
            by = (await db.SignOffs.SingleAsync()).By;
        by.Should().StartWith("apikey:");
        const string name = "test Committee@D1";
        by.Should().Contain($"\"{name}\"", "the key's name, which the pages show");

        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "D1"), returnUrl: "");
        var form = WebUtility.HtmlDecode(await (await browser.GetAsync("/workspace/units/XA1?period=2020S1")).Content.ReadAsStringAsync());
        Regex.Match(form, "<p class=\"warn\" role=\"status\" id=\"locked\">([^<]*)</p>").Groups[1].Value.Should()
            .MatchRegex($"^Số liệu 6 tháng đầu năm 2020 của .+ đã được ký duyệt bởi {Regex.Escape(name)} lúc \\d\\d:\\d\\d ngày \\d\\d/\\d\\d/\\d{{4}} \\(giờ Việt Nam\\) nên đã bị khóa")
            .And.Contain("cần một thành viên Ban Chỉ đạo");
        form.Should().NotContain("id=\"save\"", "a locked form has nothing to save");
        Regex.Matches(form, "<(?:input|select) id=\"v-[^\"]+\"[^>]*>").Should().NotBeEmpty().And.OnlyContain(m => m.Value.Contains(" disabled"),
            "its fields are shown, not editable");

        var saved = await browser.SubmitAsync("/workspace/units/XA1?period=2020S1", "/workspace/units/XA1?period=2020S1",
            new Dictionary<string, string> { ["period"] = "2020S1", ["INSPECTION_SUPERVISIONS"] = "3", ["REGULATION_ISSUED"] = "không" });
        saved.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var refused = WebUtility.HtmlDecode(await saved.Content.ReadAsStringAsync());
        refused.Should().NotContain("was signed off").And.NotContain("qcdc signoff").And.NotContain("apikey:").And.NotContain("class=\"error\" id=\"e-",
            "the lock is the whole form's, not a field's");
        refused.Should().Contain("Chưa lưu: kỳ này đã được ký duyệt.").And.NotContain("sửa các ô sau", "no field is wrong");
        Regex.Matches(refused, "đã được ký duyệt bởi").Should().HaveCount(1, "said once for the form, in the banner's words");
        refused.Should().Contain($"đã được ký duyệt bởi {name} lúc ").And.NotContain("tệp", "a form is no file");

        var upload = await WorkspaceTests.UploadAsync(browser, "x.csv", Encoding.UTF8.GetBytes(Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,false,\n"));
        var uploaded = WebUtility.HtmlDecode(await upload.Content.ReadAsStringAsync());
        var column = Regex.Match(uploaded, "<tr[^>]*><td[^>]*>[^<]*</td><td[^>]*>([^<]*)</td>").Groups[1].Value;
        column.Should().StartWith("số liệu 6 tháng đầu năm 2020 của Huyện Một đã được ký duyệt bởi test Committee@D1 lúc ", "the Vietnamese column is Vietnamese")
            .And.Contain("(giờ Việt Nam)").And.NotContain("qcdc signoff reopen").And.NotContain("apikey:");

        // The committee's overview names the signer, the day then the time with its zone, and its note after a space.
        var (reader, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "D1"), returnUrl: "");
        var overview = WebUtility.HtmlDecode(await (await reader.GetAsync("/?period=2020S1&area=D1")).Content.ReadAsStringAsync());
        overview.Should().MatchRegex(@"Đã ký duyệt ngày \d\d/\d\d/\d{4} lúc \d\d:\d\d \(giờ Việt Nam\)</strong>\s*bởi test Committee@D1;")
            .And.MatchRegex(@"bị khóa\.\s*<span> Ghi chú: Đã rà soát</span>").And.NotContain("apikey:");
    }

    [Fact]
    public async Task A_first_half_locked_by_its_signed_year_alone_keeps_open_the_fields_the_year_does_not_read()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync(configure: s => s.AddQcdcDecisions())));
        await bed.Engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);
        var committee = await bed.AsAsync(Role.Committee, "D1");
        (await committee.PostAsJsonAsync("/api/signoffs", new { period = "2020", area = "D1", reason = "Năm đã rà soát" })).StatusCode.Should().Be(HttpStatusCode.OK);

        // The year sums the first half's counts (locked) and reads its states and yes/no answers from the second half alone (open).
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "D1"), returnUrl: "");
        const string page = "/workspace/units/XA1?period=2020S1";
        var form = WebUtility.HtmlDecode(await (await browser.GetAsync(page)).Content.ReadAsStringAsync());
        Regex.Match(form, "<p class=\"warn\" role=\"status\" id=\"locked\">([^<]*)</p>").Groups[1].Value.Should()
            .Contain("Số liệu năm 2020 của Huyện Một đã được ký duyệt bởi").And.Contain("nên các số liệu 6 tháng đầu năm 2020 mà năm 2020 cộng dồn đã bị khóa, không lưu được: ")
            .And.Contain("Số hội nghị đối thoại của người đứng đầu cấp ủy, chính quyền với Nhân dân").And.NotContain("Ban hành đầy đủ quy chế")
            .And.Contain("Các số liệu khác của kỳ (năm không đọc) vẫn lưu được");
        string Field(string code) => Regex.Match(form, $"<(?:input|select) id=\"v-{code}\"[^>]*>").Value;
        Field("DIALOGUE_CONFERENCES").Should().Contain(" disabled", "the year sums it");
        Field("REGULATION_ISSUED").Should().NotBeEmpty().And.NotContain(" disabled", "the year reads the second half's answer alone");
        form.Should().Contain("id=\"save\"");

        var saved = await browser.SubmitAsync(page, page, new Dictionary<string, string> { ["period"] = "2020S1", ["REGULATION_ISSUED"] = "không" });
        saved.StatusCode.Should().NotBe(HttpStatusCode.UnprocessableEntity);
        await using (var db = bed.Engine.Db())
        {
            var (unit, half, indicator) = (await db.Units.SingleAsync(u => u.Code == "XA1"), await db.Periods.SingleAsync(p => p.Code == "2020S1"), IndicatorCatalogue.Get("REGULATION_ISSUED").Id);
            (await db.DataValues.SingleAsync(v => v.UnitId == unit.Id && v.PeriodId == half.Id && v.IndicatorId == indicator))
                .Value.Should().Be(0, "the correction the signed year never read is stored");
        }

        var forged = await browser.SubmitAsync(page, page, new Dictionary<string, string> { ["period"] = "2020S1", ["DIALOGUE_CONFERENCES"] = "5" });
        forged.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, "a count the year sums stays locked");
    }

    [Fact]
    public async Task An_upload_with_an_unknown_unit_or_indicator_or_an_inactive_unit_tells_the_browser_its_way_out_and_the_api_keeps_the_command()
    {
        var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());
        await engine.ImportAsync(ImportKind.Units, "closed.csv", Province.UnitsHeader + "DN9,Công ty Chín,NonStateEnterprise,C1,true,10,,,2019-12-31\n");
        await using var bed = await ApiTestbed.StartAsync(engine);
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "P"), returnUrl: "");
        // NOBODY is no unit, NO_SUCH_THING no indicator, DN9 closed on 31/12/2019.
        var file = Encoding.UTF8.GetBytes(Province.ValuesHeader + "NOBODY,2020S1,REGULATION_ISSUED,true,\nXA1,2020S1,NO_SUCH_THING,1,\nDN9,2020S1,REGULATION_ISSUED,true,\n");

        foreach (var english in new[] { false, true })
        {
            var upload = await WorkspaceTests.UploadAsync(browser, "x.csv", file, english);
            upload.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
            var page = WebUtility.HtmlDecode(await upload.Content.ReadAsStringAsync());
            var problems = Regex.Match(page, "<table.*?</table>", RegexOptions.Singleline).Value;
            problems.Should().NotContain("qcdc ", "a reporting officer in the browser has no command line");
            // The English page says it in English; the Vietnamese one in Vietnamese, with the English beside.
            problems.Should().Contain("added to the list of units by the system's administrator").And.Contain("its sheet Hướng dẫn lists the indicators")
                .And.Contain("ask the system's administrator to correct the unit's dates of activity");
            if (!english)
            {
                problems.Should().Contain("quản trị viên hệ thống thêm vào danh mục đơn vị").And.Contain("sheet Hướng dẫn liệt kê các chỉ tiêu")
                    .And.Contain("sửa ngày hoạt động của đơn vị");
            }
        }

        // The API's caller, like the CLI's, keeps the command that fixes it.
        var api = await bed.AsAsync(Role.Reporter, "P");
        var refused = await api.PostAsync("/api/imports/values?file=x.csv", new ByteArrayContent(file) { Headers = { ContentType = new("text/csv") } });
        refused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var body = await refused.Content.ReadAsStringAsync();
        body.Should().Contain("(a new unit is imported with 'qcdc import units' first)").And.Contain("(qcdc import units)", "messageVi too")
            .And.Contain("qcdc indicators").And.Contain("active_from/active_to with 'qcdc import units'");
    }

    [Fact]
    public async Task An_English_form_and_upload_refused_by_a_sign_off_say_it_as_the_banner_does_with_no_principal_zone_id_or_command()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync(configure: s => s.AddQcdcDecisions())));
        var committee = await bed.AsAsync(Role.Committee, "D1");
        (await committee.PostAsJsonAsync("/api/signoffs", new { period = "2020S1", area = "D1", reason = "Đã rà soát" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "D1"), returnUrl: "");
        string[] terminal = ["apikey:", "committee@D1", "Asia/Ho_Chi_Minh", "qcdc signoff", "/api/signoffs", "this file", "fix these fields"];

        var saved = await browser.SubmitAsync("/workspace/units/XA1?period=2020S1&lang=en", "/workspace/units/XA1?period=2020S1&lang=en",
            new Dictionary<string, string> { ["period"] = "2020S1", ["INSPECTION_SUPERVISIONS"] = "3" });
        saved.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var form = WebUtility.HtmlDecode(await saved.Content.ReadAsStringAsync());
        var refusal = Regex.Match(form, "<div role=\"alert\" id=\"form-errors\">(.*?)</div>", RegexOptions.Singleline).Groups[1].Value;
        refusal.Should().Contain("<strong>Not saved: this period is signed off.</strong>")
            .And.MatchRegex(@"The figures of Huyện Một for the first half of 2020 were signed off by test Committee@D1 at \d\d:\d\d on \d\d/\d\d/\d{4} \(Viet Nam time\)")
            .And.Contain("a committee member of Huyện Một must first reopen the period, with a reason");
        foreach (var word in terminal)
            form.Should().NotContain(word);
        Regex.Matches(form, "were signed off by").Should().HaveCount(1, "said once, not as the banner and again as an error");

        var upload = await WorkspaceTests.UploadAsync(browser, "x.csv", Encoding.UTF8.GetBytes(Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,false,\n"), english: true);
        upload.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var page = WebUtility.HtmlDecode(await upload.Content.ReadAsStringAsync());
        var table = Regex.Match(page, "<table id=\"problems\">(.*?)</table>", RegexOptions.Singleline).Groups[1].Value;
        Regex.Matches(table, "<th[^>]*>([^<]*)</th>").Select(m => m.Groups[1].Value).Should().Equal("Where", "Problem");
        var cells = Regex.Matches(table, "<td[^>]*>([^<]*)</td>").Select(m => m.Groups[1].Value).ToList();
        cells[0].Should().Be("row 2, column period");
        cells[1].Should().MatchRegex(@"^the figures of Huyện Một for the first half of 2020 were signed off by test Committee@D1 at \d\d:\d\d on \d\d/\d\d/\d{4} \(Viet Nam time\), "
                                     + "so the values of unit XA1 for the first half of 2020 are locked; nothing was stored\\. To change them, a committee member of Huyện Một must first reopen");
        foreach (var word in terminal.Append("dòng").Append("ký duyệt"))
            table.Should().NotContain(word, "the English page's table is English");
    }

    [Fact]
    public async Task English_is_kept_by_every_form_and_by_a_reporting_officers_redirect_and_the_entry_form_says_yes_and_no()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "D1"), returnUrl: "");

        (await browser.GetAsync("/?period=2020S1&lang=en")).Headers.Location!.OriginalString.Should().Be("/workspace?period=2020S1&lang=en");

        var page = WebUtility.HtmlDecode(await (await browser.GetAsync("/workspace/units/XA1?period=2020S1&lang=en")).Content.ReadAsStringAsync());
        var action = Regex.Match(page, "<form method=\"post\" action=\"([^\"]+)\" id=\"entry\"").Groups[1].Value;
        action.Should().Be("/workspace/units/XA1?period=2020S1&lang=en");
        page.Should().Contain(">yes</option>").And.Contain(">no</option>").And.Contain("a whole number ≥ 0").And.NotContain("số nguyên ≥ 0");

        var saved = await browser.SubmitAsync("/workspace/units/XA1?period=2020S1&lang=en", action,
            new Dictionary<string, string> { ["period"] = "2020S1", ["MEDIATORS"] = "abc" });
        saved.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var refused = WebUtility.HtmlDecode(await saved.Content.ReadAsStringAsync());
        refused.Should().Contain("<html lang=\"en\"").And.Contain("Not saved").And.Contain("Mediation team members: 'abc' is not a whole number",
            "the summary names the field by its label");
        refused.Should().Contain("href=\"/workspace/units/XA1?period=2020S1\"", "the other language's link keeps the period");

        var vi = await browser.SubmitAsync("/workspace/units/XA1?period=2020S1", "/workspace/units/XA1?period=2020S1",
            new Dictionary<string, string> { ["period"] = "2020S1", ["MEDIATORS"] = "abc" });
        WebUtility.HtmlDecode(await vi.Content.ReadAsStringAsync()).Should().Contain("Số hòa giải viên: 'abc' không phải số nguyên").And.NotContain("MEDIATORS: ");

        var upload = WebUtility.HtmlDecode(await (await browser.GetAsync("/workspace/upload?period=2020S1&lang=en")).Content.ReadAsStringAsync());
        upload.Should().Contain("action=\"/workspace/upload?lang=en\"");
    }

    [Fact]
    public async Task The_people_informed_refusal_on_a_Vietnamese_form_names_the_other_field_by_its_label_the_period_by_name_and_writes_5_000()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "D1"), returnUrl: "");
        const string other = "“Tổng số cán bộ, đảng viên, CCVC, người lao động thuộc đơn vị”";
        const string fix = "; người được quán triệt nằm trong số người phải quán triệt: sửa một trong hai số";
        async Task<(string Summary, string Field)> RefusedAsync(Dictionary<string, string> fields)
        {
            var saved = await browser.SubmitAsync("/workspace/units/XA1?period=2020S1", "/workspace/units/XA1?period=2020S1", fields);
            saved.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
            var page = WebUtility.HtmlDecode(await saved.Content.ReadAsStringAsync());
            return (Regex.Match(page, "<div role=\"alert\" id=\"form-errors\">(.*?)</div>", RegexOptions.Singleline).Groups[1].Value,
                Regex.Match(page, "<span class=\"error\" id=\"e-PEOPLE_INFORMED\">([^<]*)</span>").Groups[1].Value);
        }

        var both = await RefusedAsync(new() { ["period"] = "2020S1", ["PEOPLE_INFORMED"] = "5000", ["PEOPLE_TO_INFORM"] = "1200" });
        both.Summary.Should().Contain($"<li>Số người được quán triệt nội dung văn bản về QCDC: 5.000 lớn hơn {other} (1.200) của 6 tháng đầu năm 2020{fix}</li>");
        both.Field.Should().Be($"5.000 lớn hơn {other} (1.200) của 6 tháng đầu năm 2020{fix}");
        (await browser.SubmitAsync("/workspace/units/XA1?period=2020S1", "/workspace/units/XA1?period=2020S1",
            new Dictionary<string, string> { ["period"] = "2020S1", ["PEOPLE_TO_INFORM"] = "28" })).StatusCode.Should().Be(HttpStatusCode.Redirect);
        var stored = await RefusedAsync(new() { ["period"] = "2020S1", ["PEOPLE_INFORMED"] = "5000" });
        stored.Field.Should().Be($"5.000 lớn hơn {other} (28, số đã lưu) của 6 tháng đầu năm 2020{fix}");
        foreach (var said in new[] { both.Summary, stored.Summary })
            said.Should().NotContain("PEOPLE_").And.NotContain("2020S1").And.NotContain("tệp").And.NotContain("5000").And.NotContain("XA1");

        var decimals = await RefusedAsync(new() { ["period"] = "2020S1", ["MEDIATORS"] = "2,5" });
        decimals.Summary.Should().Contain("'2,5' không phải số nguyên; ghi số không có phần thập phân, ví dụ 1327453 hoặc 1.327.453", "1.327.453 is read as a whole number")
            .And.NotContain("chỉ ghi chữ số");
        var grouped = await browser.SubmitAsync("/workspace/units/XA1?period=2020S1", "/workspace/units/XA1?period=2020S1",
            new Dictionary<string, string> { ["period"] = "2020S1", ["MEDIATORS"] = "1.327.453" });
        grouped.StatusCode.Should().Be(HttpStatusCode.Redirect, "the example the message gives is accepted");
    }

    [Fact]
    public async Task An_indicator_that_does_not_apply_names_the_units_kind_and_the_kinds_it_applies_to_in_Vietnamese_words()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        var problem = (await engine.RefusedAsync(ImportKind.Values, "v.csv", Province.ValuesHeader + "CQ1,2020S1,DIALOGUE_CONFERENCES,2,\n")).Single();

        problem.Message.Should().Contain("(StateAgency, ");
        var vietnamese = ImportWording.Vietnamese(problem);
        vietnamese.Should().StartWith("chỉ tiêu DIALOGUE_CONFERENCES không áp dụng cho đơn vị CQ1 (cơ quan hành chính nhà nước, ")
            .And.Contain("công đoàn); chỉ áp dụng cho ủy ban nhân dân xã, phường").And.NotContain("StateAgency").And.NotContain("trade union").And.NotContain(" XA:");
    }

    [Fact]
    public async Task A_district_committees_breadcrumb_links_no_province_it_may_not_open_and_a_units_crumb_opens_the_period_of_its_values()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var (district, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "D1"), returnUrl: "");

        foreach (var path in new[] { "/?period=2020S1&area=C1", "/targets/NQ02-1?period=2020S1&area=C1", "/units/XA1" })
        {
            var page = await (await district.GetAsync(path)).Content.ReadAsStringAsync();
            var crumbs = Regex.Match(page, "<nav class=\"crumbs\"[^>]*>(.*?)</nav>", RegexOptions.Singleline).Groups[1].Value;
            crumbs.Should().NotBeEmpty(path);
            foreach (Match link in Regex.Matches(crumbs, "href=\"([^\"]+)\""))
                (await district.GetAsync(WebUtility.HtmlDecode(link.Groups[1].Value))).StatusCode.Should().Be(HttpStatusCode.OK, $"{path} links {link.Groups[1].Value}");
            crumbs.Should().NotContain("area=P", $"{path}: the province is not the district committee's to open");
        }

        var unit = await (await district.GetAsync("/units/XA1")).Content.ReadAsStringAsync();
        Regex.Match(unit, "<nav class=\"crumbs\"[^>]*>(.*?)</nav>", RegexOptions.Singleline).Groups[1].Value.Should()
            .Contain("period=", "the unit's place is of a period it has values for, and its link opens that period");
    }
}
