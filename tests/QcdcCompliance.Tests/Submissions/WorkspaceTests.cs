using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Workspace;
using QcdcCompliance.Import;
using QcdcCompliance.Submissions;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;
using QcdcCompliance.Tests.Security;

namespace QcdcCompliance.Tests.Submissions;

/// <summary>The reporting officers' workspace over HTTP on the test server, signed in as a browser is (session cookie, forms with their token).</summary>
public sealed partial class WorkspaceTests
{
    [Fact]
    public async Task A_reporter_lands_on_its_workspace_sees_its_units_uploads_a_template_with_errors_then_corrected_and_completeness_rises()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var (browser, signedIn, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "D1"), returnUrl: "");
        signedIn.Headers.Location!.OriginalString.Should().Be("/workspace", "a reporting officer has no dashboard and lands on its workspace");
        (await browser.GetAsync("/")).Headers.Location!.OriginalString.Should().Be("/workspace", "not a bare 403");

        var home = await (await browser.GetAsync("/workspace?period=2020S1")).Content.ReadAsStringAsync();
        home.Should().Contain("data-unit=\"XA1\"").And.Contain("data-unit=\"CQ1\"").And.NotContain("data-unit=\"XA3\"", "XA3 lies in D2");
        home.Should().Contain("/api/templates?period=2020S1&amp;area=D1");
        WebUtility.HtmlDecode(home).Should().MatchRegex("<select name=\"period\" id=\"period-input\">.*<option value=\"2020S1\"[^>]*>6 tháng đầu năm 2020</option>",
            "another period is chosen by its name, as on the unit's page, not typed as a code").And.NotContain("placeholder=\"2025S1\"");
        var before = Figure(home, "missing");

        var template = await (await browser.GetAsync("/api/templates?period=2020S1&area=D1")).Content.ReadAsByteArrayAsync();
        var model = await bed.Engine.Services.GetRequiredService<ReportingTemplates>().ForAreaAsync("2020S1", "D1");
        var wrong = TemplateTests.Fill(template, model, (unit, indicator) => unit == "XA2" && indicator.Code == "INSPECTION_SUPERVISIONS" ? -2
            : indicator.ValueType == IndicatorValueType.Boolean ? "có" : 5);
        var refused = await UploadAsync(browser, "mau-D1.xlsx", wrong);
        refused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var page = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        var column = QcdcCompliance.Import.Files.XlsxTable.ColumnName(3 + model.Columns.ToList().FindIndex(c => c.Code == "INSPECTION_SUPERVISIONS"));
        var row = model.Rows.ToList().FindIndex(r => r.UnitCode == "XA2") + 3;
        page.Should().Contain($"ô 'Số liệu'!{column}{row}, đơn vị UBND Xã Hai (XA2), chỉ tiêu “Số cuộc giám sát của Ban Thanh tra nhân dân”")
            .And.NotContain("INSPECTION_SUPERVISIONS", "the indicator is named in words, as the sheet's header row and the entry form name it").And.Contain("-2 nhỏ hơn 0: số đếm không thể âm")
            .And.Contain("không có gì được lưu");
        Figure(await (await browser.GetAsync("/workspace?period=2020S1")).Content.ReadAsStringAsync(), "missing").Should().Be(before, "a refused file stores nothing");

        var right = TemplateTests.Fill(template, model, (_, indicator) => indicator.ValueType == IndicatorValueType.Boolean ? "có" : 5);
        var stored = await UploadAsync(browser, "mau-D1.xlsx", right);
        stored.StatusCode.Should().Be(HttpStatusCode.OK);
        WebUtility.HtmlDecode(await stored.Content.ReadAsStringAsync()).Should().Contain("Đã lưu");

        var after = await (await browser.GetAsync("/workspace?period=2020S1")).Content.ReadAsStringAsync();
        Figure(after, "missing").Should().Be("0");

        // The committee's overview shows the same completeness.
        var committee = await bed.AsAsync(Role.Committee, "D1");
        var overview = await (await committee.GetAsync("/?period=2020S1")).Content.ReadAsStringAsync();
        overview.Should().Contain("class=\"cards completeness\"");
        Figure(overview, "missing").Should().Be("0");
        Figure(overview, "expected").Should().Be(Figure(after, "expected"));
        Figure(after, "rate").Should().NotBe(Figure(home, "rate"));
        await using var db = bed.Engine.Db();
        var audits = await db.DataValueAudits.Where(a => a.Source == "mau-D1.xlsx").ToListAsync();
        audits.Should().NotBeEmpty("the values XA1 and XA2 had changed").And.OnlyContain(a => a.ChangedBy.Contains("reporter@D1", StringComparison.Ordinal));
        var inspections = IndicatorCatalogue.Get("INSPECTION_SUPERVISIONS").Id;
        audits.Where(a => a.IndicatorId == inspections).Should().NotBeEmpty()
            .And.OnlyContain(a => a.OldValue == null && a.NewValue == 5, "a first value is audited too, with no old value");
        audits.Should().Contain(a => a.OldValue == 0 && a.NewValue == 1, "XA2's regulation went from không to có");
    }

    [Fact]
    public async Task A_units_workspace_page_keeps_a_resolved_finding_with_its_resolution_after_a_later_run_that_changes_nothing()
    {
        var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());
        // XA2 answered no to REGULATION_ISSUED in 2020S1; it then issues its regulation and the next run resolves the finding.
        await engine.ImportAsync(ImportKind.Values, "late.csv", Province.ValuesHeader + "XA2,2020S1,REGULATION_ISSUED,true,\n");
        await engine.Evaluations.EvaluateAsync(ApiTestbed.Period, null, RunTrigger.Manual);
        // A run of the period that changes nothing: the resolution is no longer the latest run's.
        await engine.Evaluations.EvaluateAsync(ApiTestbed.Period, null, RunTrigger.Manual);
        await using var bed = await ApiTestbed.StartAsync(engine);
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "D1"), returnUrl: "");

        var page = WebUtility.HtmlDecode(await (await browser.GetAsync("/workspace/units/XA2?period=2020S1")).Content.ReadAsStringAsync());

        var row = Regex.Match(page, "<tr data-target=\"NQ02-1\" data-state=\"Resolved\">(.*?)</tr>", RegexOptions.Singleline);
        row.Success.Should().BeTrue("the reporting officer sees what XA2 put right, as the dashboard's unit page shows it");
        Regex.Matches(row.Groups[1].Value, "<td>([^<]*)</td>").Select(m => m.Groups[1].Value.Trim()).ElementAt(1).Should().Be("Đã khắc phục");
    }

    [Fact]
    public async Task A_communes_page_names_its_kind_as_its_period_does_after_the_2025_reform_without_thi_tran()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "P"), returnUrl: "");

        var before = WebUtility.HtmlDecode(await (await browser.GetAsync("/workspace/units/XA1?period=2020S1")).Content.ReadAsStringAsync());
        var after = WebUtility.HtmlDecode(await (await browser.GetAsync("/workspace/units/XA1?period=2026S1")).Content.ReadAsStringAsync());

        before.Should().Contain("XA1 · ủy ban nhân dân xã, phường, thị trấn ·");
        after.Should().Contain("XA1 · ủy ban nhân dân xã, phường ·", "only communes and wards remain after 1/7/2025");
    }

    [Fact]
    public async Task A_unit_closed_during_the_period_still_opens_its_page_from_an_alerts_link_saying_it_closed_and_showing_what_it_reported()
    {
        // XA2 falls short in 2020S1 (its alert links /workspace/units/XA2?period=2020S1), then closes on 15/05/2020.
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        await using (var db = bed.Engine.Db())
            await db.Units.Where(u => u.Code == "XA2").ExecuteUpdateAsync(u => u.SetProperty(x => x.ActiveTo, new DateOnly(2020, 5, 15)));
        await bed.Engine.Evaluations.EvaluateAsync(ApiTestbed.Period, null, QcdcCompliance.Domain.RunTrigger.Manual);
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "P"), returnUrl: "");

        var response = await browser.GetAsync("/workspace/units/XA2?period=2020S1");
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the unit was active until 15/05/2020, inside the period: " + page);
        page.Should().Contain("Đơn vị hoạt động đến ngày 15/05/2020 (ngừng hoạt động trong 6 tháng đầu năm 2020) nên không được đánh giá trong kỳ này")
            .And.Contain("Số hội nghị đối thoại", "what it had reported is shown")
            .And.Contain("id=\"unit-findings\"", "its findings, resolved since it closed, stay on its page")
            .And.NotContain("id=\"entry\"", "the period asks nothing more of it")
            .And.NotContain("2020S1 ", "the period is named in words");
        (await browser.GetAsync("/workspace/units/XA2?period=2020S2")).StatusCode.Should().Be(HttpStatusCode.NotFound, "closed before 2020S2 began");
    }

    [Fact]
    public async Task A_units_entry_page_offers_only_the_periods_the_unit_is_active_in()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        await bed.Engine.ImportAsync(ImportKind.Values, "v.csv", Province.ValuesHeader + "XA2,2025S2,REGULATION_ISSUED,true,\n");
        await using (var db = bed.Engine.Db())
            await db.Units.Where(u => u.Code == "XA1").ExecuteUpdateAsync(u => u.SetProperty(x => x.ActiveTo, new DateOnly(2024, 12, 31)));
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "P"), returnUrl: "");

        var page = WebUtility.HtmlDecode(await (await browser.GetAsync("/workspace/units/XA1?period=2020S1")).Content.ReadAsStringAsync());

        page.Should().Contain("<option value=\"2020S1\" selected").And.NotContain("<option value=\"2025S2\"", "XA1 closed on 31/12/2024: 2025S2 would only answer that it is not active");
    }

    [Fact]
    public async Task The_dashboards_unit_page_names_a_communes_kind_as_of_today_or_as_of_its_closing_day()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var committee = await bed.AsAsync(Role.Committee, "P");
        static string Kind(string page) => Regex.Match(page, "<dt>Loại hình</dt><dd>([^<]*)</dd>").Groups[1].Value;

        var open = WebUtility.HtmlDecode(await (await committee.GetAsync("/units/XA1")).Content.ReadAsStringAsync());
        Kind(open).Should().Be("Ủy ban nhân dân xã, phường", "today is after 1/7/2025, when only communes and wards remain");

        await using (var db = bed.Engine.Db())
            await db.Units.Where(u => u.Code == "XA1").ExecuteUpdateAsync(u => u.SetProperty(x => x.ActiveTo, new DateOnly(2024, 12, 31)));
        var closed = WebUtility.HtmlDecode(await (await committee.GetAsync("/units/XA1")).Content.ReadAsStringAsync());
        Kind(closed).Should().Be("Ủy ban nhân dân xã, phường, thị trấn", "a commune closed before the reform was one of the xã, phường, thị trấn");
    }

    [Fact]
    public async Task The_entry_form_saves_through_the_import_checks_audits_as_form_and_a_cross_site_post_is_refused()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "D1"), returnUrl: "");

        var form = WebUtility.HtmlDecode(await (await browser.GetAsync("/workspace/units/XA1?period=2020S1")).Content.ReadAsStringAsync());
        form.Should().Contain("<option value=\"có\" selected").And.Contain("name=\"INSPECTION_SUPERVISIONS\"");

        var bad = await browser.SubmitAsync("/workspace/units/XA1?period=2020S1", "/workspace/units/XA1",
            new Dictionary<string, string> { ["period"] = "2020S1", ["INSPECTION_SUPERVISIONS"] = "ba", ["REGULATION_ISSUED"] = "không" });
        bad.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()).Should().Contain("'ba' không phải số nguyên").And.Contain("Chưa lưu");

        var saved = await browser.SubmitAsync("/workspace/units/XA1?period=2020S1", "/workspace/units/XA1",
            new Dictionary<string, string> { ["period"] = "2020S1", ["INSPECTION_SUPERVISIONS"] = "3", ["REGULATION_ISSUED"] = "không" });
        saved.StatusCode.Should().Be(HttpStatusCode.Redirect);
        saved.Headers.Location!.OriginalString.Should().Be("/workspace/units/XA1?period=2020S1&saved=2");
        var shown = WebUtility.HtmlDecode(await (await browser.GetAsync(saved.Headers.Location.OriginalString)).Content.ReadAsStringAsync());
        shown.Should().Contain("Đã lưu số liệu").And.Contain("<option value=\"không\" selected").And.Contain("id=\"unit-findings\"");
        shown.Should().Contain("6 tháng đầu năm 2020, hạn nộp 20/07/2020").And.Contain("<option value=\"2020S1\" selected>6 tháng đầu năm 2020</option>",
            "the period is named in words, its code only the form's value");

        await using (var db = bed.Engine.Db())
        {
            var audits = await db.DataValueAudits.Where(a => a.Source == WorkspacePages.FormSource).ToListAsync();
            audits.Single(a => a.IndicatorId == IndicatorCatalogue.Get("REGULATION_ISSUED").Id).Should()
                .Match<Domain.DataValueAudit>(a => a.OldValue == 1 && a.NewValue == 0, "REGULATION_ISSUED went from có to không");
            audits.Single(a => a.IndicatorId == IndicatorCatalogue.Get("INSPECTION_SUPERVISIONS").Id).Should()
                .Match<Domain.DataValueAudit>(a => a.OldValue == null && a.NewValue == 3, "a first value is audited with no old value");
            audits.Should().HaveCount(2).And.OnlyContain(a => a.ChangedBy.Contains("reporter@D1"));
        }

        // Another site's form: the session cookie rides along, the token does not.
        var forged = new HttpRequestMessage(HttpMethod.Post, "/workspace/units/XA1")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["period"] = "2020S1", ["INSPECTION_SUPERVISIONS"] = "99" }),
        };
        forged.Headers.Add("Origin", "https://evil.example");
        var refused = await browser.SendAsync(forged);
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var upload = new HttpRequestMessage(HttpMethod.Post, "/workspace/upload") { Content = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "x.csv" } } };
        (await browser.SendAsync(upload)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        await using (var db = bed.Engine.Db())
            (await db.DataValues.CountAsync(v => v.Value == 99)).Should().Be(0);

        // The unit's own template, which its alert and reminder link to: one row, what it is asked.
        var own = await browser.GetAsync("/workspace/template?period=2020S1&unit=XA1&format=csv");
        own.Content.Headers.ContentDisposition!.FileName.Should().Contain("qcdc-mau-2020S1-XA1.csv");
        var lines = (await own.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(3);
        lines[2].Should().StartWith("XA1,UBND Xã Một,2020S1,không");

        // Outside its area: a unit of D2 answers as an unknown one.
        (await browser.GetAsync("/workspace/units/XA3")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await browser.GetAsync("/workspace/units/NOBODY")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_committee_member_reads_the_workspace_but_stores_no_value_through_it_as_at_the_API()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var key = await bed.KeyAsync(Role.Committee, "D1");
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, key, "/workspace?period=2020S1");

        var home = await (await browser.GetAsync("/workspace?period=2020S1")).Content.ReadAsStringAsync();
        var unit = await (await browser.GetAsync("/workspace/units/XA1?period=2020S1")).Content.ReadAsStringAsync();
        var uploadPage = await browser.GetAsync("/workspace/upload?period=2020S1");
        // Forms posted with a valid token (the page's sign-out form carries one): only the role stops them.
        var entry = await browser.SubmitAsync("/workspace?period=2020S1", "/workspace/units/XA1",
            new Dictionary<string, string> { ["period"] = "2020S1", ["INSPECTION_SUPERVISIONS"] = "99" });
        var page = await (await browser.GetAsync("/workspace?period=2020S1")).Content.ReadAsStringAsync();
        var token = Token().Match(page);
        var csv = Province.ValuesHeader + "XA1,2020S1,INSPECTION_SUPERVISIONS,98,\n";
        var upload = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/workspace/upload")
        {
            Content = new MultipartFormDataContent
            {
                { new StringContent(WebUtility.HtmlDecode(token.Groups[2].Value)), token.Groups[1].Value },
                { new StringContent("2020S1"), "period" },
                { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv)), "file", "v.csv" },
            },
        });
        var api = await bed.As(key).PostAsync("/api/imports/values?file=v.csv", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"));

        home.Should().Contain("data-unit=\"XA1\"", "the committee still sees where reporting stands").And.Contain("/api/templates?period=2020S1&amp;area=D1")
            .And.NotContain("/workspace/upload", "no upload it could not use");
        unit.Should().Contain("id=\"fields\"").And.NotContain("id=\"entry\"", "no entry form it could not use").And.NotContain("name=\"INSPECTION_SUPERVISIONS\"");
        uploadPage.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        token.Success.Should().BeTrue();
        entry.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        upload.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        api.StatusCode.Should().Be(HttpStatusCode.Forbidden, "the workspace answers as the API does");
        await using var db = bed.Engine.Db();
        (await db.DataValues.CountAsync(v => v.Value == 99 || v.Value == 98)).Should().Be(0);
        (await db.DataValueAudits.CountAsync(a => a.ChangedBy.Contains("committee@D1"))).Should().Be(0);
    }

    [Fact]
    public async Task A_file_over_the_servers_default_30_MB_is_read_by_the_upload_page_as_by_the_API_and_one_over_the_limit_is_told_it_is_too_large()
    {
        // On Kestrel, whose default body limit (30,000,000 bytes) made the antiforgery check's form read fail: the
        // officer was told to reload the page for a missing token, again and again.
        var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());
        await using var _ = engine;
        await using var host = await DashboardHost.StartAsync(engine.Storage, await DashboardHost.KeysAsync(engine.Storage, "P", "D1"), realSocket: true,
            new Dictionary<string, string?> { ["Imports:MaxBodyBytes"] = "40000000" });
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(host.BaseUrl) };
        var signin = await (await client.GetAsync("/signin")).Content.ReadAsStringAsync();
        var field = Token().Match(signin);
        (await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [field.Groups[1].Value] = WebUtility.HtmlDecode(field.Groups[2].Value), ["key"] = host.KeyFor("reporter-key"), ["returnUrl"] = "/workspace",
        }))).StatusCode.Should().Be(HttpStatusCode.Redirect);

        async Task<(HttpStatusCode Status, string Page)> Upload(byte[] file, bool chunked)
        {
            var token = Token().Match(await (await client.GetAsync("/workspace/upload?period=2020S1")).Content.ReadAsStringAsync());
            HttpContent part = chunked ? new StreamContent(new MemoryStream(file)) : new ByteArrayContent(file);
            var content = new MultipartFormDataContent
            {
                { new StringContent(WebUtility.HtmlDecode(token.Groups[2].Value)), token.Groups[1].Value },
                { new StringContent("2020S1"), "period" },
                { part, "file", "lon.csv" },
            };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/workspace/upload") { Content = content };
            if (chunked)
                request.Headers.TransferEncodingChunked = true;
            // A body answered before it is read is then cut off by the server: the client waits to be told to send it.
            request.Headers.ExpectContinue = file.Length > 40_000_000;
            var response = await client.SendAsync(request);
            return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        }

        // 31 MB of rows naming a unit that does not exist: read to the end and refused for what it holds.
        var line = Encoding.UTF8.GetBytes("KHONG-CO,2020S1,REGULATION_ISSUED,true,\n");
        var big = new byte[Province.ValuesHeader.Length + (31_000_000 / line.Length + 1) * line.Length];
        Encoding.UTF8.GetBytes(Province.ValuesHeader).CopyTo(big, 0);
        for (var at = Province.ValuesHeader.Length; at < big.Length; at += line.Length)
            line.CopyTo(big, at);
        var (status, page) = await Upload(big, chunked: false);
        status.Should().Be(HttpStatusCode.UnprocessableEntity, page);
        page.Should().Contain("KHONG-CO").And.NotContain("chống giả mạo");

        // Over Imports:MaxBodyBytes (lowered here to 40 MB), declared or chunked: the page's own message, not a missing token.
        var over = new byte[45_000_000];
        big.CopyTo(over, 0);
        foreach (var chunked in new[] { false, true })
        {
            (status, page) = await Upload(over, chunked);
            status.Should().Be(HttpStatusCode.RequestEntityTooLarge, $"chunked: {chunked}");
            page.Should().Contain("Tệp quá lớn; tối đa 40").And.NotContain("chống giả mạo");
        }
    }

    internal static async Task<HttpResponseMessage> UploadAsync(Browser browser, string name, byte[] file, bool english = false)
    {
        var page = await (await browser.GetAsync("/workspace/upload?period=2020S1" + (english ? "&lang=en" : ""))).Content.ReadAsStringAsync();
        var token = Token().Match(page);
        token.Success.Should().BeTrue("the upload form carries its antiforgery token");
        var content = new MultipartFormDataContent
        {
            { new StringContent(WebUtility.HtmlDecode(token.Groups[2].Value)), token.Groups[1].Value },
            { new StringContent("2020S1"), "period" },
            { new ByteArrayContent(file), "file", name },
        };
        return await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/workspace/upload" + (english ? "?lang=en" : "")) { Content = content });
    }

    private static string Figure(string page, string name) => Regex.Match(page, $"data-figure=\"{name}\">([^<]*)<").Groups[1].Value;

    [GeneratedRegex("""name="(__RequestVerificationToken[^"]*)" value="([^"]+)""")]
    private static partial Regex Token();
}
