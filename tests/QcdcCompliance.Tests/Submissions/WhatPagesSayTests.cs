using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MiniExcelLibs;
using OpenQA.Selenium;
using QcdcCompliance.Domain;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;
using QcdcCompliance.Tests.Security;

namespace QcdcCompliance.Tests.Submissions;

/// <summary>
/// What a reporting officer or a committee member reads on the pages, and what the command line tells an administrator:
/// the sign-in page's way to a key, a workbook sent as CSV, the running half-year on a unit's pages, the entry form's
/// yes/no lists shown whole, a run number that is not a number.
/// </summary>
public sealed partial class WhatPagesSayTests
{
    [Fact]
    public async Task The_sign_in_page_sends_whoever_has_no_key_to_an_administrator_not_to_the_command_line()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));

        var page = WebUtility.HtmlDecode(await (await bed.Anonymous().GetAsync("/signin")).Content.ReadAsStringAsync());

        page.Should().NotContain("keys create", "a reporting officer or a committee member has no command line");
        var help = NoKey().Match(page);
        help.Success.Should().BeTrue(page);
        help.Groups[1].Value.Should().Contain("Hãy liên hệ quản trị viên hệ thống hoặc quản trị viên của Ban Chỉ đạo để được cấp khóa")
            .And.Contain("<span lang=\"en\">No key, or lost it? Ask the system's or the committee's administrator for one.</span>");
    }

    [Fact]
    public async Task A_workbook_renamed_csv_is_told_an_Excel_workbook_on_the_workspace_in_Vietnamese_and_by_import_values_in_English()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var workbook = new MemoryStream();
        MiniExcel.SaveAs(workbook, new[] { new Dictionary<string, object> { ["unit_code"] = "XA1", ["period"] = "2020S1", ["indicator"] = "INSPECTION_SUPERVISIONS", ["value"] = 3 } }, excelType: ExcelType.XLSX);
        var bytes = workbook.ToArray();
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "D1"), returnUrl: "");

        var token = Token().Match(await (await browser.GetAsync("/workspace/upload?period=2020S1")).Content.ReadAsStringAsync());
        var upload = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/workspace/upload")
        {
            Content = new MultipartFormDataContent
            {
                { new StringContent(WebUtility.HtmlDecode(token.Groups[2].Value)), token.Groups[1].Value },
                { new StringContent("2020S1"), "period" },
                { new ByteArrayContent(bytes), "file", "so-lieu.csv" },
            },
        });
        var page = WebUtility.HtmlDecode(await upload.Content.ReadAsStringAsync());

        upload.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, page);
        page.Should().Contain("tệp là bảng tính Excel, không phải tệp CSV").And.Contain("lưu lại dạng 'Excel Workbook (*.xlsx)'")
            .And.Contain("'CSV UTF-8 (Comma delimited)'").And.Contain("so-lieu.csv").And.NotContain("UTF-16").And.NotContain("byte NUL");

        var file = Path.Combine(TestFolders.NewFolder("workbook-as-csv"), "so-lieu.csv");
        await File.WriteAllBytesAsync(file, bytes);
        var run = await HostProcess.RunToExitAsync(bed.Engine.Storage, "import", "values", file);
        run.ExitCode.Should().NotBe(0);
        run.Error.Should().Contain("the file is an Excel workbook, not a CSV file").And.Contain("save it as an Excel Workbook (.xlsx)")
            .And.NotContain("UTF-16").And.NotContain("Exception");
    }

    [Fact]
    public async Task The_unit_pages_offer_the_half_year_running_in_Viet_Nam_and_say_that_it_is_running()
    {
        // 18:00 UTC on 31 December 2024 is 01:00 on 1 January 2025 in Viet Nam: the first half of 2025 has begun there, not in
        // UTC. (D1 and its communes end on 30 June 2025: XA1 sits in them to the end of that half-year.)
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 12, 31, 18, 0, 0, TimeSpan.Zero));
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()),
            configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        var (reporter, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "D1"), returnUrl: "");
        var (committee, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "P"), returnUrl: "");

        var entry = WebUtility.HtmlDecode(await (await reporter.GetAsync("/workspace/units/XA1?period=2020S1")).Content.ReadAsStringAsync());
        var options = Option().Matches(entry).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        options.Should().ContainKey("2025S1").WhoseValue.Should().Be("6 tháng đầu năm 2025 (đang diễn ra)");
        options.Should().ContainKey("2020S1").WhoseValue.Should().Be("6 tháng đầu năm 2020");
        options.Values.Where(o => o.Contains("đang diễn ra", StringComparison.Ordinal)).Should().ContainSingle("one half-year runs at a time");
        (await reporter.GetAsync("/workspace/units/XA1?period=2025S1")).StatusCode.Should().Be(HttpStatusCode.OK, "the running half-year's form opens");
        var english = WebUtility.HtmlDecode(await (await reporter.GetAsync("/workspace/units/XA1?period=2020S1&lang=en")).Content.ReadAsStringAsync());
        Option().Matches(english).Single(m => m.Groups[1].Value == "2025S1").Groups[2].Value.Should().Be("The first half of 2025 (in progress)");

        // The committee's page of the unit: the running half-year is a column of its values, named as running.
        var unit = WebUtility.HtmlDecode(await (await committee.GetAsync("/units/XA1")).Content.ReadAsStringAsync());
        var columns = Column().Matches(unit).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        columns.Keys.Should().Equal("2020S1", "2025S1");
        columns["2025S1"].Should().Be("6 tháng đầu năm 2025 (đang diễn ra)");
        columns["2020S1"].Should().Be("6 tháng đầu năm 2020");
    }

    /// <summary>
    /// A run number that is not a number, as a run's page asks it (<c>/runs/abc</c>, a bare 404 once) and as the list of
    /// runs pages by it (<c>/runs?before=abc</c>, a bare 400 once): a Vietnamese page that says what a run number is.
    /// </summary>
    [Theory]
    [InlineData("/runs/", "/runs/12", "/runs/99999999", HttpStatusCode.NotFound)]
    [InlineData("/runs?before=", "/runs?before=12", "/runs?before=99999999", HttpStatusCode.OK)]
    public async Task A_run_number_that_is_not_a_number_answers_a_Vietnamese_page_with_400_not_a_bare_status(string asked, string example, string number,
        HttpStatusCode answered)
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var (committee, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "P"), returnUrl: "");

        var abc = await committee.GetAsync(asked + "abc");
        var page = WebUtility.HtmlDecode(await abc.Content.ReadAsStringAsync());

        abc.StatusCode.Should().Be(HttpStatusCode.BadRequest, page);
        abc.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        page.Should().Contain("<h1>Yêu cầu không hợp lệ</h1>").And.Contain($"Số lần đánh giá phải là một số nguyên dương (ví dụ {example}); 'abc' không phải là số.")
            .And.Contain("href=\"/runs\"");
        var english = WebUtility.HtmlDecode(await (await committee.GetAsync(asked + "abc" + (asked.Contains('?') ? "&" : "?") + "lang=en")).Content.ReadAsStringAsync());
        english.Should().Contain($"A run number is a positive whole number ({example}, say); 'abc' is not one.");
        (await committee.GetAsync(asked + "-1")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        // A number is still read as one: no run of that number (its page), the runs older than it (the list, every one here).
        var read = await committee.GetAsync(number);
        read.StatusCode.Should().Be(answered);
        if (answered == HttpStatusCode.OK)
        {
            (await read.Content.ReadAsStringAsync()).Should().Contain("<tr data-run=\"");
            (await committee.GetAsync(asked)).StatusCode.Should().Be(HttpStatusCode.OK, "an empty before is the first page");
        }
    }

    /// <summary>
    /// A unit's page asked with a <c>saved</c> that is no count (<c>?saved=abc</c>, an address typed or cut short; a bare 400
    /// once): a Vietnamese page, English on the English one, that says what it is and links to the unit's page.
    /// </summary>
    [Fact]
    public async Task A_saved_count_that_is_not_a_number_answers_a_worded_page_with_400_as_runs_before_does()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var (reporter, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "D1"), returnUrl: "");

        var abc = await reporter.GetAsync("/workspace/units/XA1?period=2020S1&saved=abc");
        var page = WebUtility.HtmlDecode(await abc.Content.ReadAsStringAsync());

        abc.StatusCode.Should().Be(HttpStatusCode.BadRequest, page);
        abc.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        page.Should().Contain("<h1>Yêu cầu không hợp lệ</h1>").And.Contain("'abc' không phải là số.").And.Contain("href=\"/workspace/units/XA1?period=2020S1\"");
        var english = WebUtility.HtmlDecode(await (await reporter.GetAsync("/workspace/units/XA1?period=2020S1&saved=abc&lang=en")).Content.ReadAsStringAsync());
        english.Should().Contain("'abc' is not one.").And.Contain("The unit's page");
        (await reporter.GetAsync("/workspace/units/XA1?period=2020S1&saved=-1")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        // A count is still read as one, as the form's redirect writes it.
        var three = await reporter.GetAsync("/workspace/units/XA1?period=2020S1&saved=3");
        three.StatusCode.Should().Be(HttpStatusCode.OK);
        WebUtility.HtmlDecode(await three.Content.ReadAsStringAsync()).Should().Contain("3 giá trị mới hoặc thay đổi");
    }

    /// <summary>
    /// The entry form's yes/no lists in a real headless Chromium, at a laptop's 1366 px and a phone's 390 px: each list is
    /// at least as wide as its widest option ("— chưa báo cáo —" was cut to "— chưa báo c" at both widths).
    /// </summary>
    [Fact]
    public async Task The_entry_forms_yes_no_lists_show_their_whole_text_at_1366_and_390_px()
    {
        var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());
        await using var _ = engine;
        await using var host = await DashboardHost.StartAsync(engine.Storage, await DashboardHost.KeysAsync(engine.Storage, "P", "D1"), realSocket: true);
        using var browser = Chromium.Start(1366, 900);
        browser.Navigate().GoToUrl($"{host.BaseUrl}/signin");
        browser.FindElement(By.Id("key")).SendKeys(host.KeyFor("reporter-key"));
        browser.FindElement(By.Id("signin")).Click();
        Chromium.Wait(browser, () => !browser.Url.Contains("/signin", StringComparison.Ordinal));

        var cut = new List<string>();
        foreach (var (width, language) in new[] { (1366, ""), (390, ""), (1366, "&lang=en"), (390, "&lang=en") })
        {
            browser.Manage().Window.Size = new System.Drawing.Size(width, 900);
            browser.Navigate().GoToUrl($"{host.BaseUrl}/workspace/units/XA3?period=2020S1{language}");
            Chromium.Wait(browser, () => browser.FindElements(By.CssSelector("#fields select")).Count > 0);
            // A list's width if it were free to take its widest option's (its arrow and padding included), against the width it has.
            var lists = ((IReadOnlyCollection<object>)browser.ExecuteScript("""
                return [...document.querySelectorAll('#fields select')].map(s => {
                  const free = s.cloneNode(true); free.style.width = 'auto'; free.style.maxWidth = 'none'; free.removeAttribute('id');
                  s.parentNode.appendChild(free); const needs = free.getBoundingClientRect().width; free.remove();
                  return s.id + ' ' + Math.round(s.getBoundingClientRect().width) + ' ' + Math.ceil(needs) + ' ' + Math.round(s.getBoundingClientRect().right);
                });
                """)!).Select(o => ((string)o).Split(' ')).ToList();
            lists.Should().NotBeEmpty();
            cut.AddRange(lists.Where(l => int.Parse(l[1], System.Globalization.CultureInfo.InvariantCulture) < int.Parse(l[2], System.Globalization.CultureInfo.InvariantCulture)
                                          || int.Parse(l[3], System.Globalization.CultureInfo.InvariantCulture) > width)
                .Select(l => $"{width} px{language}: {l[0]} is {l[1]} px wide, its text needs {l[2]} px (right edge at {l[3]} px)"));
            Chromium.FullPageScreenshot(browser, Chromium.ArtefactPath($"workspace-unit-lists-{width}{(language.Length > 0 ? "-en" : "")}.png"));
        }

        cut.Should().BeEmpty();
    }

    [GeneratedRegex("""<p class="en" id="no-key">(.*?)</p>""", RegexOptions.Singleline)]
    private static partial Regex NoKey();

    [GeneratedRegex("""name="(__RequestVerificationToken[^"]*)" value="([^"]+)""")]
    private static partial Regex Token();

    [GeneratedRegex("""<option value="(\d{4}(?:S\d)?)"[^>]*>([^<]*)</option>""")]
    private static partial Regex Option();

    [GeneratedRegex("""<th scope="col" class="num" data-period="([^"]+)">([^<]*)</th>""")]
    private static partial Regex Column();
}
