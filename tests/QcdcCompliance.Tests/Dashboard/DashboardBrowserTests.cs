using Microsoft.Extensions.DependencyInjection;
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
/// that every figure shown equals what the engine's queries return. (Once the API lands, the comparison can read
/// /api/compliance instead.)
/// </summary>
[Collection(ReviewProvinceCollection.Name)]
public sealed class DashboardBrowserTests(ReviewProvince province, ITestOutputHelper output)
{
    [Fact]
    public async Task Committee_member_signs_in_reads_the_overview_and_drills_down_to_a_unit_with_the_stored_figures()
    {
        var storage = province.Engine.Storage;
        await using var host = await DashboardHost.StartAsync(storage, await DashboardHost.KeysAsync(storage, ReviewProvince.Code, ReviewProvince.Code), realSocket: true);
        var compliance = province.Engine.Services.GetRequiredService<ComplianceQueries>();
        var (_, _, totals, children) = await compliance.ForAreaAsync(ReviewProvince.Period, ReviewProvince.Code);
        var (_, _, previous, _) = await compliance.ForAreaAsync("2019S2", ReviewProvince.Code);
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
            Cell(row, "short").Should().Be(VietnameseNumber(t.ShortUnits), t.TargetCode);
            Cell(row, "threshold").Should().Be(t.Operator == ComparisonOperator.MoreThan ? $"> {t.ThresholdMillionths / 10_000}%" : $"≥ {t.ThresholdMillionths / 10_000}%");
            row.FindElement(By.CssSelector("[data-status]")).GetAttribute("data-status").Should().Be(t.Status.ToString());
            if (previous.FirstOrDefault(p => p.TargetCode == t.TargetCode) is { Denominator: > 0 } before && t.Denominator > 0)
            {
                var change = decimal.Parse(Shares.Percent(t.Numerator, t.Denominator), System.Globalization.CultureInfo.InvariantCulture)
                             - decimal.Parse(Shares.Percent(before.Numerator, before.Denominator), System.Globalization.CultureInfo.InvariantCulture);
                Cell(row, "change").Should().EndWith(Math.Abs(change).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture).Replace('.', ','), t.TargetCode);
            }
        }

        var reported = totals.Single(t => t.TargetCode == ReportingTarget.Code);
        browser.FindElement(By.Id("not-reported")).Text.Should().Be(VietnameseNumber(reported.ShortUnits));
        var overviewShot = Screenshot(browser, "dashboard-overview.png");

        // Drill down: the target that falls short, its child areas as a chart and a table, then the units short.
        var target = totals.First(t => t.Status == AreaStatus.Short && t.TargetCode != ReportingTarget.Code);
        browser.FindElement(By.CssSelector($"#targets tr[data-target='{target.TargetCode}'] th a")).Click();
        Wait(browser, () => browser.FindElements(By.Id("child-areas")).Count > 0);
        browser.FindElements(By.CssSelector("#areas-chart svg")).Should().ContainSingle("the child areas are drawn as an SVG chart");
        foreach (var c in children.Where(c => c.TargetCode == target.TargetCode))
        {
            var row = browser.FindElement(By.CssSelector($"#child-areas tr[data-area='{c.AreaCode}']"));
            (Cell(row, "population"), Cell(row, "met"), Cell(row, "share"))
                .Should().Be((VietnameseNumber(c.PopulationUnits), VietnameseNumber(c.MetUnits), c.Denominator > 0 ? VietnamesePercent(c.Numerator, c.Denominator) : "–"));
        }

        var findings = (await province.Engine.Findings.ListAsync(new FindingFilter(ReviewProvince.Period) { Target = target.TargetCode, Area = ReviewProvince.Code }))
            .Where(f => f.SubjectType == SubjectType.Unit && f.State != FindingState.Resolved).ToList();
        browser.FindElements(By.CssSelector("#short-units tbody tr")).Select(r => r.GetAttribute("data-unit"))
            .Should().Equal(findings.Take(50).Select(f => f.SubjectCode));
        var drillShot = Screenshot(browser, "dashboard-target.png");

        // The unit: its findings across periods, as FindingQueries lists them.
        var unit = findings[0];
        browser.FindElement(By.CssSelector($"#short-units tr[data-unit='{unit.SubjectCode}'] th a")).Click();
        Wait(browser, () => browser.FindElements(By.Id("unit-values")).Count > 0);
        browser.FindElement(By.TagName("h1")).Text.Should().Be(unit.SubjectName);
        var expected = new List<(string, string)>();
        foreach (var period in ReviewProvince.Periods.Reverse())
        {
            expected.AddRange((await province.Engine.Findings.ListAsync(new FindingFilter(period) { Unit = unit.SubjectCode }))
                .Select(f => (f.Period, f.TargetCode)));
        }

        browser.FindElements(By.CssSelector("#unit-findings tbody tr")).Select(r => (r.GetAttribute("data-period"), r.GetAttribute("data-target")))
            .Should().BeEquivalentTo(expected);
        browser.FindElement(By.CssSelector($"#unit-findings tr[data-period='{ReviewProvince.Period}'][data-target='{target.TargetCode}']")).Should().NotBeNull();
        Screenshot(browser, "dashboard-unit.png");

        // The English switch keeps the view.
        browser.FindElement(By.Id("lang-switch")).Click();
        Wait(browser, () => browser.FindElement(By.TagName("html")).GetAttribute("lang") == "en");
        browser.Url.Should().Contain($"/units/{unit.SubjectCode}").And.Contain("lang=en");
        browser.FindElement(By.TagName("body")).Text.Should().Contain("Findings across periods");

        // On a phone.
        browser.Manage().Window.Size = new System.Drawing.Size(390, 844);
        browser.Navigate().GoToUrl($"{host.BaseUrl}/?period={ReviewProvince.Period}");
        Wait(browser, () => browser.FindElements(By.Id("targets")).Count > 0);
        var scrollWidth = Convert.ToInt64(((IJavaScriptExecutor)browser).ExecuteScript("return document.documentElement.scrollWidth;"), System.Globalization.CultureInfo.InvariantCulture);
        scrollWidth.Should().BeLessThanOrEqualTo(400, "the page fits a phone's width; wide tables scroll inside their box");
        Screenshot(browser, "dashboard-phone.png");
        output.WriteLine($"screenshots: {overviewShot}, {drillShot}");
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
