using System.Globalization;
using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Tests.Infrastructure;
using Xunit.Abstractions;
using static QcdcCompliance.Tests.Reports.ReportReading;

namespace QcdcCompliance.Tests.Dashboard;

/// <summary>
/// The dashboard in a real headless Chromium: sign in, read the overview, drill down to a target and a unit, and check
/// that every figure shown equals what the API answers (<c>/api/compliance</c>, <c>/api/findings</c>) for the same key.
/// </summary>
[Collection(ReviewProvinceCollection.Name)]
public sealed class DashboardBrowserTests(ReviewProvince province, ITestOutputHelper output)
{
    [Fact]
    public async Task Committee_member_signs_in_reads_the_overview_and_drills_down_to_a_unit_with_the_stored_figures()
    {
        var storage = province.Engine.Storage;
        await using var host = await DashboardHost.StartAsync(storage, await DashboardHost.KeysAsync(storage, ReviewProvince.Code, ReviewProvince.Code), realSocket: true);
        using var api = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        api.DefaultRequestHeaders.Add("X-Api-Key", host.KeyFor("committee-key"));
        var (totals, children) = await ComplianceAsync(api, ReviewProvince.Period, ReviewProvince.Code);
        var (previous, _) = await ComplianceAsync(api, "2019S2", ReviewProvince.Code);
        var judgedPerUnit = await TargetsJudgingUnitsAsync(api, ReviewProvince.Period);
        using var browser = Chromium.Start();

        // Sign in: the dashboard sends a visitor to the sign-in page and back.
        browser.Navigate().GoToUrl($"{host.BaseUrl}/?period={ReviewProvince.Period}");
        browser.Url.Should().Contain("/signin");
        browser.FindElement(By.Id("key")).SendKeys(host.KeyFor("committee-key"));
        browser.FindElement(By.Id("signin")).Click();
        Wait(browser, () => browser.FindElements(By.Id("targets")).Count > 0);
        browser.FindElement(By.TagName("html")).GetAttribute("lang").Should().Be("vi");

        // Overview: one row per target with the stored share, threshold, units short and change; units not reported.
        var rows = browser.FindElements(By.CssSelector("#targets tbody tr"));
        rows.Select(r => r.GetAttribute("data-target")).Should().Equal(totals.Select(t => t.TargetCode));
        foreach (var t in totals)
        {
            var row = browser.FindElement(By.CssSelector($"#targets tr[data-target='{t.TargetCode}']"));
            Cell(row, "share").Should().Be(t.Denominator > 0 ? VietnamesePercent(t.Numerator, t.Denominator) : "–", t.TargetCode);
            Cell(row, "short").Should().Be(judgedPerUnit.Contains(t.TargetCode) || t.TargetCode == ReportingTarget.Code ? VietnameseNumber(t.ShortUnits) : "–", $"{t.TargetCode}: a target measured over areas lists no units, so it counts none");
            Cell(row, "threshold").Should().Be($"{(t.Operator == ">" ? ">" : "≥")} {t.ThresholdPercent}%");
            row.FindElement(By.CssSelector("[data-status]")).GetAttribute("data-status").Should().Be(t.Status.ToString());
            if (previous.FirstOrDefault(p => p.TargetCode == t.TargetCode) is { Denominator: > 0 } before && t.Denominator > 0)
            {
                // The change from the exact shares, rounded once, as the report's tables give it.
                var change = Math.Round(t.Numerator * 100m / t.Denominator - before.Numerator * 100m / before.Denominator, 1, MidpointRounding.AwayFromZero);
                Cell(row, "change").Should().EndWith(Math.Abs(change).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture).Replace('.', ','), t.TargetCode);
            }
        }

        var reported = totals.Single(t => t.TargetCode == ReportingTarget.Code);
        browser.FindElement(By.Id("not-reported")).Text.Should().Be(VietnameseNumber(reported.ShortUnits));
        var overviewShot = Screenshot(browser, "dashboard-overview.png");

        // Drill down: the target that falls short, its child areas as a chart and a table, then the units short.
        // The first target short (or not judged for want of data) with units flagged.
        Figures target = null!;
        List<(string Code, string Name)> findings = [];
        foreach (var t in totals.Where(t => t.Status is AreaStatus.Short or AreaStatus.Incomplete && t.TargetCode != ReportingTarget.Code))
        {
            (target, findings) = (t, await UnitsShortAsync(api, ReviewProvince.Period, t.TargetCode, ReviewProvince.Code));
            if (findings.Count > 0)
                break;
        }

        browser.FindElement(By.CssSelector($"#targets tr[data-target='{target.TargetCode}'] th a")).Click();
        Wait(browser, () => browser.FindElements(By.Id("child-areas")).Count > 0);
        browser.FindElements(By.CssSelector("#areas-chart .chart-wide svg")).Should().ContainSingle("the child areas are drawn as an SVG chart (and once more for a phone)");
        foreach (var c in children.Where(c => c.TargetCode == target.TargetCode))
        {
            var row = browser.FindElement(By.CssSelector($"#child-areas tr[data-area='{c.AreaCode}']"));
            (Cell(row, "population"), Cell(row, "met"), Cell(row, "share"))
                .Should().Be((VietnameseNumber(c.PopulationUnits), VietnameseNumber(c.MetUnits), c.Denominator > 0 ? VietnamesePercent(c.Numerator, c.Denominator) : "–"));
        }

        browser.FindElements(By.CssSelector("#short-units tbody tr")).Select(r => r.GetAttribute("data-unit"))
            .Should().Equal(findings.Take(50).Select(f => f.Code));
        var drillShot = Screenshot(browser, "dashboard-target.png");

        // The unit: its findings across periods, as FindingQueries lists them.
        var unit = findings[0];
        browser.FindElement(By.CssSelector($"#short-units tr[data-unit='{unit.Code}'] th a")).Click();
        Wait(browser, () => browser.FindElements(By.Id("unit-values")).Count > 0);
        browser.FindElement(By.TagName("h1")).Text.Should().Be(unit.Name);
        var expected = new List<(string, string)>();
        foreach (var period in ReviewProvince.Periods.Reverse())
        {
            using var list = JsonDocument.Parse(await api.GetStringAsync($"/api/findings?period={period}&unit={unit.Code}&limit=500"));
            expected.AddRange(list.RootElement.GetProperty("items").EnumerateArray().Select(f => (period, f.GetProperty("target").GetString()!)));
        }

        browser.FindElements(By.CssSelector("#unit-findings tbody tr")).Select(r => (r.GetAttribute("data-period"), r.GetAttribute("data-target")))
            .Should().BeEquivalentTo(expected);
        browser.FindElement(By.CssSelector($"#unit-findings tr[data-period='{ReviewProvince.Period}'][data-target='{target.TargetCode}']")).Should().NotBeNull();
        Screenshot(browser, "dashboard-unit.png");

        // The English switch keeps the view.
        browser.FindElement(By.Id("lang-switch")).Click();
        Wait(browser, () => browser.FindElement(By.TagName("html")).GetAttribute("lang") == "en");
        browser.Url.Should().Contain($"/units/{unit.Code}").And.Contain("lang=en");
        browser.FindElement(By.TagName("body")).Text.Should().Contain("Findings across periods");

        // On a phone.
        browser.Manage().Window.Size = new System.Drawing.Size(390, 844);
        browser.Navigate().GoToUrl($"{host.BaseUrl}/?period={ReviewProvince.Period}");
        Wait(browser, () => browser.FindElements(By.Id("targets")).Count > 0);
        var scrollWidth = Convert.ToInt64(((IJavaScriptExecutor)browser).ExecuteScript("return document.documentElement.scrollWidth;"), System.Globalization.CultureInfo.InvariantCulture);
        scrollWidth.Should().BeLessThanOrEqualTo(400, "the page fits a phone's width; wide tables scroll inside their box");
        Screenshot(browser, "dashboard-phone.png");

        // On a phone the chart is drawn for the phone: its text is at least 12 px as shown, and its axis stops at 100%.
        browser.Navigate().GoToUrl($"{host.BaseUrl}/targets/{target.TargetCode}?period={ReviewProvince.Period}");
        Wait(browser, () => browser.FindElements(By.CssSelector(".chart-narrow svg")).Count > 0);
        var smallest = Convert.ToDouble(((IJavaScriptExecutor)browser).ExecuteScript("""
            const svg = document.querySelector('.chart-narrow svg');
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return Math.min(...[...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale));
            """), CultureInfo.InvariantCulture);
        smallest.Should().BeGreaterThanOrEqualTo(11.9, "chart text is re-laid for a phone, not shrunk");
        browser.FindElement(By.CssSelector(".chart-wide")).Displayed.Should().BeFalse();
        var ticks = browser.FindElements(By.CssSelector(".chart-narrow svg text")).Select(t => t.GetAttribute("textContent")!.Trim()).ToList();
        ticks.Should().Contain("100%").And.NotContain("110%").And.NotContain("120%");
        Screenshot(browser, "dashboard-target-phone.png");
        Convert.ToString(((IJavaScriptExecutor)browser).ExecuteScript("return getComputedStyle(document.querySelector('details pre')).fontFamily;"), CultureInfo.InvariantCulture)
            .Should().StartWith("\"DejaVu Sans\"", "the evidence is set in the body font, which has the Vietnamese letters");

        // Errors in Vietnamese: a page that does not exist, a period never evaluated.
        browser.Navigate().GoToUrl($"{host.BaseUrl}/khong-co-trang-nay");
        browser.FindElement(By.TagName("h1")).Text.Should().Be("Không tìm thấy trang");
        browser.Navigate().GoToUrl($"{host.BaseUrl}/?period=2031S1");
        browser.FindElement(By.TagName("main")).Text.Should().Contain("Kỳ báo cáo này chưa được đánh giá").And.NotContain("has not been evaluated");
        browser.Navigate().GoToUrl($"{host.BaseUrl}/report?area={ReviewProvince.Code}&period=2020S2&format=docx");
        browser.FindElement(By.TagName("main")).Text.Should().Contain("Không lập báo cáo riêng cho 6 tháng cuối năm 2020");
        output.WriteLine($"screenshots: {overviewShot}, {drillShot}");
    }

    /// <summary>The targets in force that judge each unit (measured over units), from the API's target catalogue.</summary>
    private static async Task<HashSet<string>> TargetsJudgingUnitsAsync(HttpClient api, string period)
    {
        using var json = JsonDocument.Parse(await api.GetStringAsync($"/api/targets?period={period}"));
        return json.RootElement.GetProperty("sets").EnumerateArray().SelectMany(s => s.GetProperty("targets").EnumerateArray())
            .Where(t => t.GetProperty("measuredOver") is var over
                        && (over.ValueKind == JsonValueKind.Number ? (over.GetInt32() & 1) == 1 : over.GetString()!.Contains("Unit", StringComparison.Ordinal)))
            .Select(t => t.GetProperty("code").GetString()!).ToHashSet();
    }

    /// <summary>The API's per-target figures of an area and its child areas, as the dashboard must show them.</summary>
    private static async Task<(List<Figures> Totals, List<Figures> Children)> ComplianceAsync(HttpClient api, string period, string area)
    {
        using var json = JsonDocument.Parse(await api.GetStringAsync($"/api/compliance?period={period}&area={area}"));
        var totals = new List<Figures>();
        var children = new List<Figures>();
        foreach (var target in json.RootElement.GetProperty("targets").EnumerateArray())
        {
            var code = target.GetProperty("code").GetString()!;
            var op = target.GetProperty("operator").GetString()!;
            var percent = (decimal.Parse(target.GetProperty("threshold").GetString()!, CultureInfo.InvariantCulture) * 100).ToString("0.##", CultureInfo.InvariantCulture);
            if (target.GetProperty("area") is { ValueKind: JsonValueKind.Object } own)
                totals.Add(Figures.From(code, op, percent, own));
            children.AddRange(target.GetProperty("children").EnumerateArray().Select(c => Figures.From(code, op, percent, c)));
        }

        return (totals, children);
    }

    /// <summary>The units short of a target in an area, in the API's order, every page followed.</summary>
    private static async Task<List<(string Code, string Name)>> UnitsShortAsync(HttpClient api, string period, string target, string area)
    {
        var units = new List<(string, string)>();
        string? cursor = null;
        do
        {
            using var page = JsonDocument.Parse(await api.GetStringAsync($"/api/findings?period={period}&target={target}&area={area}&limit=200{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}"));
            units.AddRange(page.RootElement.GetProperty("items").EnumerateArray()
                .Where(f => f.GetProperty("subjectType").GetString() == "Unit" && f.GetProperty("state").GetString() != "Resolved")
                .Select(f => (f.GetProperty("subjectCode").GetString()!, f.GetProperty("subjectName").GetString()!)));
            cursor = page.RootElement.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return units;
    }

    private sealed record Figures(string TargetCode, string Operator, string ThresholdPercent, string AreaCode, int PopulationUnits, int MetUnits, int ShortUnits,
        long Numerator, long Denominator, AreaStatus Status)
    {
        public static Figures From(string code, string op, string percent, JsonElement f) => new(code, op, percent,
            f.GetProperty("area").GetProperty("code").GetString()!, f.GetProperty("population").GetInt32(), f.GetProperty("met").GetInt32(),
            f.GetProperty("short").GetInt32(), f.GetProperty("numerator").GetInt64(), f.GetProperty("denominator").GetInt64(),
            Enum.Parse<AreaStatus>(f.GetProperty("status").GetString()!));
    }

    private static string Cell(IWebElement row, string column) => row.FindElement(By.CssSelector($"[data-col='{column}']")).Text.Replace('\u00a0', ' ').Trim();

    private string Screenshot(ChromeDriver browser, string name)
    {
        var path = Chromium.ArtefactPath(name);
        browser.GetScreenshot().SaveAsFile(path);
        output.WriteLine($"Screenshot saved: {path}");
        Console.WriteLine($"Screenshot saved: {path}");
        return path;
    }

    private static void Wait(ChromeDriver browser, Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"the page at {browser.Url} never showed what the test waits for:\n{browser.PageSource[..Math.Min(2000, browser.PageSource.Length)]}");
            Thread.Sleep(100);
        }
    }
}
