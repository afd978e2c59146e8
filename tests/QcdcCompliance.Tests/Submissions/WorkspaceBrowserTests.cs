using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using QcdcCompliance.Domain;
using QcdcCompliance.Submissions;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Submissions;

/// <summary>
/// The workspace in a real headless Chromium, as a reporting officer uses it: sign in, download the template from its
/// link with the session, fill it in another program (the Open XML SDK), upload a version with an error and read the
/// error by cell in Vietnamese, upload the corrected file, see completeness rise and the unit's finding resolved once
/// the host has re-evaluated; then enter a value in a unit's form and see its finding.
/// </summary>
public sealed class WorkspaceBrowserTests
{
    [Fact]
    public async Task A_reporter_fills_the_template_uploads_it_twice_and_enters_a_value_in_a_units_form()
    {
        var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());
        await using var _ = engine;
        await using var host = await DashboardHost.StartAsync(engine.Storage, await DashboardHost.KeysAsync(engine.Storage, "P", "D1"), realSocket: true);
        using var browser = Chromium.Start();

        // Signed out, the workspace sends to the sign-in page and back.
        browser.Navigate().GoToUrl($"{host.BaseUrl}/workspace?period=2020S1");
        browser.Url.Should().Contain("/signin");
        browser.FindElement(By.Id("key")).SendKeys(host.KeyFor("reporter-key"));
        browser.FindElement(By.Id("signin")).Click();
        Wait(browser, () => browser.FindElements(By.CssSelector("table.units")).Count > 0);
        var missingBefore = int.Parse(Figure(browser, "missing"), System.Globalization.CultureInfo.InvariantCulture);
        missingBefore.Should().BeGreaterThan(0);
        var xa1 = browser.FindElement(By.CssSelector("tr[data-unit='XA1']")).GetAttribute("data-state");
        xa1.Should().NotBe(nameof(SubmissionState.OnTime));
        // Each state's badge has its colour (a partial unit's was once white on white), and what a unit still owes is
        // named in words, its code (the template's column) the tooltip.
        browser.FindElements(By.CssSelector("tr[data-state='Partial']")).Should().NotBeEmpty("the testbed has units that reported part of what they owe");
        foreach (var badge in browser.FindElements(By.CssSelector("table.units span.status")))
            badge.GetCssValue("background-color").Should().NotBe("rgba(0, 0, 0, 0)", $"the badge '{badge.Text}' is drawn");
        var owed = browser.FindElements(By.CssSelector("tr[data-state='Partial'] td.missing span[data-indicator]"));
        owed.Should().NotBeEmpty();
        foreach (var indicator in owed)
            indicator.Text.Should().Be(IndicatorCatalogue.Get(indicator.GetAttribute("data-indicator")!).NameVi);

        // The template, from its link, with the browser's session.
        var link = browser.FindElement(By.Id("template-xlsx-2020S1")).GetAttribute("href")!;
        using var session = new HttpClient();
        session.DefaultRequestHeaders.Add("Cookie", string.Join("; ", browser.Manage().Cookies.AllCookies.Select(c => $"{c.Name}={c.Value}")));
        var template = await session.GetByteArrayAsync(link);
        var model = await engine.Services.GetRequiredService<ReportingTemplates>().ForAreaAsync("2020S1", "P");
        var column = QcdcCompliance.Import.Files.XlsxTable.ColumnName(3 + model.Columns.ToList().FindIndex(c => c.Code == "INSPECTION_SUPERVISIONS"));
        var row = model.Rows.ToList().FindIndex(r => r.UnitCode == "XA1") + 3;

        // A version with an error: nothing stored, the error named by cell in Vietnamese.
        var wrong = Path.Combine(Path.GetTempPath(), $"mau-sai-{Guid.NewGuid():N}.xlsx");
        var right = Path.Combine(Path.GetTempPath(), $"mau-dung-{Guid.NewGuid():N}.xlsx");
        await File.WriteAllBytesAsync(wrong, TemplateTests.Fill(template, model, (unit, indicator) => unit == "XA1" && indicator.Code == "INSPECTION_SUPERVISIONS" ? "mười"
            : indicator.ValueType == IndicatorValueType.Boolean ? "có" : 4));
        await File.WriteAllBytesAsync(right, TemplateTests.Fill(template, model, (_, indicator) => indicator.ValueType == IndicatorValueType.Boolean ? "có" : 4));
        try
        {
            browser.FindElement(By.Id("upload-2020S1")).Click();
            Wait(browser, () => browser.FindElements(By.Id("file")).Count > 0);
            browser.FindElement(By.Id("file")).SendKeys(wrong);
            browser.FindElement(By.Id("upload")).Click();
            Wait(browser, () => browser.FindElements(By.Id("problems")).Count > 0);
            var problem = browser.FindElement(By.CssSelector($"#problems tr[data-cell=\"'Số liệu'!{column}{row}\"]")).Text;
            problem.Should().Contain($"ô 'Số liệu'!{column}{row}, đơn vị UBND Xã Một (XA1), chỉ tiêu “Số cuộc giám sát của Ban Thanh tra nhân dân”")
            .And.NotContain("INSPECTION_SUPERVISIONS", "the indicator is named in words, as the sheet's header row and the entry form name it").And.Contain("'mười' không phải số nguyên");
            Chromium.Axe(browser).Should().BeEmpty("the upload page with its problems has no accessibility violation");
            Screenshot(browser, "workspace-upload-refused.png");
            // On a 390 px phone the problems stack, each cell on its line: no text runs past the screen's edge (the fix
            // text was cut mid-word, the English column off-screen).
            browser.Manage().Window.Size = new System.Drawing.Size(390, 844);
            FitsWidth(browser, "#problems");
            Screenshot(browser, "workspace-upload-refused-390.png");
            browser.Manage().Window.Size = new System.Drawing.Size(1366, 900);
            Screenshot(browser, "workspace-upload-refused-1366.png");

            // The corrected file: stored, completeness rises.
            browser.FindElement(By.Id("file")).SendKeys(right);
            browser.FindElement(By.Id("upload")).Click();
            Wait(browser, () => browser.FindElements(By.Id("upload-result")).Count > 0);
            browser.Navigate().GoToUrl($"{host.BaseUrl}/workspace?period=2020S1");
            Wait(browser, () => browser.FindElements(By.CssSelector("table.units")).Count > 0);
            Figure(browser, "missing").Should().Be("0");
            browser.FindElement(By.CssSelector("tr[data-unit='XA1']")).GetAttribute("data-state").Should().BeOneOf(nameof(SubmissionState.OnTime), nameof(SubmissionState.Late));
            Screenshot(browser, "workspace-home.png");
            // The units' table too: the state and what is missing are on screen at 390 px, not behind a sideways scroll.
            browser.Manage().Window.Size = new System.Drawing.Size(390, 844);
            FitsWidth(browser, "table.units");
            Screenshot(browser, "workspace-home-390.png");
            browser.Manage().Window.Size = new System.Drawing.Size(1366, 900);
            Screenshot(browser, "workspace-home-1366.png");
            Chromium.Axe(browser).Should().BeEmpty("the workspace has no accessibility violation");
        }
        finally
        {
            File.Delete(wrong);
            File.Delete(right);
        }

        // The host re-evaluates what the import changed: XA1's reporting finding is resolved on its page.
        Reload(browser, $"{host.BaseUrl}/workspace/units/XA1?period=2020S1",
            () => browser.FindElements(By.CssSelector("#unit-findings tr[data-target='REPORTED'][data-state='Resolved']")).Count > 0);

        // The entry form: a value saved through the same checks, then the unit's finding for it.
        browser.Navigate().GoToUrl($"{host.BaseUrl}/workspace/units/XA3?period=2020S1");
        browser.FindElement(By.CssSelector("#v-REGULATION_ISSUED option[value='không']")).Click();
        browser.FindElement(By.Id("save")).Click();
        Wait(browser, () => browser.FindElements(By.Id("saved")).Count > 0);
        // XA3 said "có" in the uploaded template (its NQ02-1 finding, if any, resolved); "không" makes it fall short again.
        Reload(browser, $"{host.BaseUrl}/workspace/units/XA3?period=2020S1",
            () => browser.FindElements(By.CssSelector("#unit-findings tr[data-target='NQ02-1']")).Any(r => r.GetAttribute("data-state") != nameof(FindingState.Resolved)));
        Screenshot(browser, "workspace-unit.png");
        Chromium.Axe(browser).Should().BeEmpty("the unit's page has no accessibility violation");

        // On a 390 px phone the entry form fits the width (its yes/no lists were cut at the edge) and every field is at
        // least 24 px high (WCAG 2.2's 2.5.8 target size).
        browser.Manage().Window.Size = new System.Drawing.Size(390, 844);
        browser.Navigate().GoToUrl($"{host.BaseUrl}/workspace/units/XA3?period=2020S1");
        Convert.ToInt64(browser.ExecuteScript("return document.documentElement.scrollWidth;"), System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeLessThanOrEqualTo(Convert.ToInt64(browser.ExecuteScript("return document.documentElement.clientWidth;"), System.Globalization.CultureInfo.InvariantCulture));
        var fields = ((IReadOnlyCollection<object>)browser.ExecuteScript("""
            return [...document.querySelectorAll('#fields select, #fields input')].map(e => { const b = e.getBoundingClientRect();
              return e.id + ' ' + Math.round(b.height) + ' ' + Math.round(b.right); });
            """)!).Select(o => ((string)o).Split(' ')).ToList();
        fields.Should().NotBeEmpty();
        fields.Should().OnlyContain(f => int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture) >= 24 && int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture) <= 390,
            "every field of the form is at least 24 px high and inside a 390 px screen");
        Screenshot(browser, "workspace-unit-390.png");
        browser.Manage().Window.Size = new System.Drawing.Size(1280, 900);
        browser.ExecuteScript("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"x.png\">')");
        Chromium.Axe(browser).Should().ContainSingle(v => v.StartsWith("image-alt", StringComparison.Ordinal), "axe runs and sees what is wrong");

        // A POST without the form's token (what another site can send with the session cookie) is refused.
        var status = browser.ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            fetch('/workspace/units/XA3', { method: 'POST', body: new URLSearchParams({ period: '2020S1', INSPECTION_SUPERVISIONS: '77' }) }).then(r => done(r.status));
            """);
        status.Should().Be(400L);
    }

    private static string Figure(ChromeDriver browser, string name) => browser.FindElement(By.CssSelector($"[data-figure='{name}']")).Text;

    private static void Reload(ChromeDriver browser, string url, Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            browser.Navigate().GoToUrl(url);
            if (condition())
                return;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"{url} never showed what the test waits for:\n{browser.PageSource[..Math.Min(3000, browser.PageSource.Length)]}");
            Thread.Sleep(500);
        }
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

    /// <summary>Every cell of the table lies within the window's width (none clipped by a scrolling box).</summary>
    private static void FitsWidth(ChromeDriver browser, string table)
    {
        var width = Convert.ToInt64(browser.ExecuteScript("return document.documentElement.clientWidth;"), System.Globalization.CultureInfo.InvariantCulture);
        var rights = ((IReadOnlyCollection<object>)browser.ExecuteScript(
            $"return [...document.querySelectorAll('{table} td')].map(e => Math.round(e.getBoundingClientRect().right));")!)
            .Select(o => Convert.ToInt64(o, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        rights.Should().NotBeEmpty().And.OnlyContain(r => r <= width, $"every cell of {table} fits a {width} px screen");
    }

    private static void Screenshot(ChromeDriver browser, string name) => browser.GetScreenshot().SaveAsFile(Chromium.ArtefactPath(name));
}
