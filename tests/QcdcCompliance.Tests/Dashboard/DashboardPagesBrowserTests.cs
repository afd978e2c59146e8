using System.Globalization;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using QcdcCompliance.Domain;
using QcdcCompliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Dashboard;

/// <summary>
/// Every page of the dashboard, in a real headless Chromium, from one list: axe-core finds no WCAG 2.1 A/AA violation
/// at desktop width, and at a phone's 390 px the page fits and every chart's text is at least 12 px as shown. A
/// screenshot of each page at both widths is kept under the test output's <c>artefacts/pages/</c>.
/// </summary>
[Collection(ReviewProvinceCollection.Name)]
public sealed class DashboardPagesBrowserTests(ReviewProvince province, ITestOutputHelper output)
{
    /// <summary>A page of the list: a name for its screenshots, its address, and the heading it must show.</summary>
    private sealed record PageCase(string Name, string Path, string? Heading = null);

    [Fact]
    public async Task Every_page_has_no_accessibility_violation_and_on_a_phone_fits_with_chart_text_of_12_px()
    {
        var storage = province.Engine.Storage;
        var overview = await Microsoft.Extensions.DependencyInjection.ActivatorUtilities
            .CreateInstance<QcdcCompliance.Reports.OverviewQueries>(province.Engine.Services).ForAreaAsync(ReviewProvince.Period, ReviewProvince.Code);
        var district = overview.Children.Select(c => c.AreaCode).Distinct().Order(StringComparer.Ordinal).First();
        await using var host = await DashboardHost.StartAsync(storage, await DashboardHost.KeysAsync(storage, ReviewProvince.Code, district), realSocket: true);
        var pages = await PagesAsync(overview, district);
        using var browser = Chromium.Start();
        var failures = new List<string>();

        // The sign-in page, then signed in as a committee member of the province.
        browser.Navigate().GoToUrl($"{host.BaseUrl}/signin");
        failures.AddRange(Chromium.Axe(browser).Select(v => $"/signin: {v}"));
        browser.FindElement(By.Id("key")).SendKeys(host.KeyFor("committee-key"));
        browser.FindElement(By.Id("signin")).Click();
        Wait(browser, () => browser.FindElements(By.Id("targets")).Count > 0);

        foreach (var page in pages)
        {
            browser.Navigate().GoToUrl(host.BaseUrl + page.Path);
            var heading = browser.FindElements(By.TagName("h1")).FirstOrDefault()?.Text;
            if (heading is null || (page.Heading is not null && heading != page.Heading))
                failures.Add($"{page.Path}: the heading reads '{heading}', not '{page.Heading ?? "(any)"}'");
            failures.AddRange(Chromium.Axe(browser).Select(v => $"{page.Path}: {v}"));
            Screenshot(browser, $"{page.Name}-1280.png");
        }

        // The what-if's answer, a page that only a posted form shows.
        WhatIf(browser, host.BaseUrl);
        failures.AddRange(Chromium.Axe(browser).Select(v => $"what-if answer: {v}"));
        Screenshot(browser, "whatif-answer-1280.png");

        browser.Manage().Window.Size = new System.Drawing.Size(390, 844);
        var charts = 0;
        foreach (var page in pages.Append(new PageCase("whatif-answer", "")))
        {
            if (page.Name == "whatif-answer")
                WhatIf(browser, host.BaseUrl);
            else
                browser.Navigate().GoToUrl(host.BaseUrl + page.Path);
            var width = Convert.ToInt64(browser.ExecuteScript("return document.documentElement.scrollWidth;"), CultureInfo.InvariantCulture);
            if (width > 400)
                failures.Add($"{page.Path}: {width} px wide on a 390 px phone (wide tables scroll in their box)");
            // Prose is read without scrolling sideways: a caption wraps at its table's width, so a long one in a wide table's
            // scrolling box ran off the screen. Measured on the text itself, not its box (a short caption may sit in a wide one).
            var offScreen = ((IReadOnlyCollection<object>)browser.ExecuteScript("""
                return [...document.querySelectorAll('p, caption, h1, h2, h3')]
                  .filter(e => { const r = document.createRange(); r.selectNodeContents(e); const b = r.getBoundingClientRect();
                                 return b.width > 0 && b.right > document.documentElement.clientWidth + 1; })
                  .map(e => e.tagName.toLowerCase() + ' "' + e.textContent.trim().slice(0, 50) + '"');
                """)!).Select(e => (string)e).ToList();
            failures.AddRange(offScreen.Select(e => $"{page.Path}: {e} runs off a 390 px phone's screen"));
            // Every chart shown: the smallest of its texts as drawn on the screen (its font size times the SVG's scale).
            var sizes = ((IReadOnlyCollection<object>)browser.ExecuteScript("""
                return [...document.querySelectorAll('svg')].filter(svg => svg.getBoundingClientRect().width > 0 && svg.viewBox.baseVal && svg.viewBox.baseVal.width > 0)
                  .map(svg => {
                    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                    return Math.min(...[...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale));
                  });
                """)!).Select(s => Convert.ToDouble(s, CultureInfo.InvariantCulture)).ToList();
            charts += sizes.Count;
            failures.AddRange(sizes.Where(s => s < 11.9).Select(s => $"{page.Path}: chart text of {s:0.0} px on a 390 px phone"));
            Screenshot(browser, $"{page.Name}-390.png");
        }

        output.WriteLine($"{pages.Count + 2} pages checked with axe-core, {charts} charts measured at 390 px; screenshots in {Chromium.ArtefactPath("pages")}");
        failures.Should().BeEmpty();
        charts.Should().BeGreaterThanOrEqualTo(4, "the target pages draw the child areas and the trend");
    }

    /// <summary>
    /// A signed-in user whose role may not use a form gets the dashboard's Vietnamese 403 page in the browser, with a
    /// link to its own pages: a reporting officer posting a sign-off, an auditor posting an upload. The same refusals
    /// to a script with an API key, or asking for JSON, stay the API's ProblemDetails.
    /// </summary>
    [Fact]
    public async Task A_form_a_role_may_not_use_answers_the_vietnamese_403_page_in_a_browser_and_problem_details_to_a_script()
    {
        var storage = province.Engine.Storage;
        await using var host = await DashboardHost.StartAsync(storage, await DashboardHost.KeysAsync(storage, ReviewProvince.Code, ReviewProvince.Code), realSocket: true);
        using var browser = Chromium.Start();

        foreach (var (key, action, home) in new[] { ("reporter-key", "/signoffs", "/workspace"), ("auditor-key", "/workspace/upload", "/") })
        {
            browser.Manage().Cookies.DeleteAllCookies();
            browser.Navigate().GoToUrl($"{host.BaseUrl}/signin");
            browser.FindElement(By.Id("key")).SendKeys(host.KeyFor(key));
            browser.FindElement(By.Id("signin")).Click();
            Wait(browser, () => !browser.Url.Contains("/signin", StringComparison.Ordinal));
            // A form as a page would post it (a crafted one: the role's own pages offer no such form).
            browser.ExecuteScript($$"""
                const form = document.createElement('form');
                form.method = 'post'; form.action = '{{action}}';
                for (const [name, value] of [['period', '{{ReviewProvince.Period}}'], ['area', '{{ReviewProvince.Code}}'], ['reason', 'thử']]) {
                  const input = document.createElement('input'); input.type = 'hidden'; input.name = name; input.value = value; form.appendChild(input);
                }
                document.body.appendChild(form); form.submit();
                """);
            Wait(browser, () => browser.Url.EndsWith(action, StringComparison.Ordinal) && browser.FindElements(By.TagName("h1")).Count > 0);
            browser.FindElement(By.TagName("html")).GetAttribute("lang").Should().Be("vi");
            browser.FindElement(By.TagName("h1")).Text.Should().Be("Không có quyền", key);
            browser.FindElement(By.TagName("main")).Text.Should().Contain("Tài khoản đăng nhập không được dùng chức năng này").And.NotContain("Not allowed");
            new Uri(browser.FindElement(By.Id("message-link")).GetAttribute("href")!).AbsolutePath.Should().Be(home, $"{key} is sent to its own pages");
            Chromium.Axe(browser).Should().BeEmpty($"the 403 page shown to {key} has no accessibility violation");
            Screenshot(browser, $"refused-{key}.png");

            // The same session asking for JSON (a script in the page) gets the API's answer.
            var status = browser.ExecuteAsyncScript($$"""
                const done = arguments[arguments.length - 1];
                fetch('{{action}}', { method: 'POST', headers: { 'Accept': 'application/json', 'Content-Type': 'application/json' }, body: '{}' })
                  .then(async r => done(r.status + ' ' + r.headers.get('content-type')));
                """);
            status.Should().Be("403 application/problem+json", key);
        }

        // With an API key (a program), the 403 stays ProblemDetails even for a form.
        using var api = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        api.DefaultRequestHeaders.Add("X-Api-Key", host.KeyFor("reporter-key"));
        using var refused = await api.PostAsync("/signoffs", new FormUrlEncodedContent([new("period", ReviewProvince.Period), new("area", ReviewProvince.Code)]));
        refused.StatusCode.Should().Be(System.Net.HttpStatusCode.Forbidden);
        refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    /// <summary>Every page a committee member of the province opens, its error pages among them.</summary>
    private async Task<List<PageCase>> PagesAsync(QcdcCompliance.Reports.AreaOverview overview, string district)
    {
        var period = ReviewProvince.Period;
        var pages = new List<PageCase>
        {
            new("overview", $"/?period={period}"),
            new("overview-en", $"/?period={period}&lang=en"),
            new("overview-year", "/?period=2020"),
            new("overview-district", $"/?period={period}&area={district}"),
            new("overview-default", "/"),
        };
        foreach (var target in overview.Targets.Select(t => t.Current.TargetCode))
            pages.Add(new($"target-{target}", $"/targets/{target}?period={period}"));
        var firstTarget = overview.Targets.First(t => t.Current.JudgesUnits && t.Current.ShortUnits > 0).Current.TargetCode;
        pages.Add(new($"target-{firstTarget}-district", $"/targets/{firstTarget}?period={period}&area={district}"));
        pages.Add(new($"target-{firstTarget}-en", $"/targets/{firstTarget}?period={period}&lang=en"));

        var unit = (await province.Engine.Findings.ListAsync(new QcdcCompliance.Findings.FindingFilter(period) { Target = firstTarget }))
            .First(f => f.SubjectType == SubjectType.Unit);
        pages.Add(new("unit", $"/units/{unit.SubjectCode}", unit.SubjectName));
        pages.Add(new("unit-en", $"/units/{unit.SubjectCode}?lang=en", unit.SubjectName));
        pages.Add(new("workspace-unit", $"/workspace/units/{unit.SubjectCode}?period={period}", unit.SubjectName));
        await using (var db = province.Engine.Db())
        {
            var run = db.EvaluationRuns.Max(r => r.Id);
            pages.Add(new("runs", "/runs"));
            pages.Add(new("runs-period", $"/runs?period={period}"));
            pages.Add(new("run", $"/runs/{run}"));
        }

        pages.Add(new("workspace", $"/workspace?period={period}"));
        pages.Add(new("whatif", $"/whatif?period={period}"));
        pages.Add(new("report-html", $"/report?period={period}&area={ReviewProvince.Code}&format=html"));
        pages.Add(new("error-404-page", "/khong-co-trang-nay", "Không tìm thấy trang"));
        pages.Add(new("error-404-period", "/?period=2031S1", "Không tìm thấy"));
        pages.Add(new("error-404-area", "/?area=NOWHERE", "Không tìm thấy"));
        pages.Add(new("error-404-target", $"/targets/NO-SUCH?period={period}", "Không tìm thấy"));
        pages.Add(new("error-404-unit", "/units/NO-SUCH", "Không tìm thấy"));
        pages.Add(new("error-400-report", $"/report?area={ReviewProvince.Code}&period=2020S2&format=docx", "Không lập báo cáo cho kỳ này"));
        pages.Add(new("error-400-format", $"/report?area={ReviewProvince.Code}&period={period}&format=pdf", "Yêu cầu không hợp lệ"));
        return pages;
    }

    /// <summary>The what-if form, filled with the shipped committee set whose mediation target is raised to 90%, and sent.</summary>
    private static void WhatIf(ChromeDriver browser, string baseUrl)
    {
        var set = System.Text.Json.Nodes.JsonNode.Parse(QcdcCompliance.Rules.QcdcRules.TargetSets().Single(s => s.Name.Contains("committee", StringComparison.Ordinal)).Content)!.AsObject();
        set["scope"] = ReviewProvince.Code;
        set["targets"]!.AsArray().Single(t => t!["code"]!.GetValue<string>() == "KPI-MEDIATION")!["threshold"] = 0.9;
        browser.Navigate().GoToUrl($"{baseUrl}/whatif?period={ReviewProvince.Period}");
        browser.ExecuteScript("document.getElementById('whatif-targets').value = arguments[0];", set.ToJsonString());
        browser.FindElement(By.Id("whatif-button")).Click();
        Wait(browser, () => browser.FindElements(By.Id("whatif-result")).Count > 0);
    }

    private static void Screenshot(ChromeDriver browser, string name)
    {
        Directory.CreateDirectory(Chromium.ArtefactPath("pages"));
        Chromium.FullPageScreenshot(browser, Path.Combine(Chromium.ArtefactPath("pages"), name));
    }

    private static void Wait(ChromeDriver browser, Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"the page at {browser.Url} never showed what the test waits for:\n{browser.PageSource[..Math.Min(3000, browser.PageSource.Length)]}");
            Thread.Sleep(100);
        }
    }
}
