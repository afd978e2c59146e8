using OpenQA.Selenium.Chrome;

namespace QcdcCompliance.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Debian's chromedriver (scripts/test.sh installs both): the real browser binary, headless,
/// offline, never Selenium Manager.
/// </summary>
public static class Chromium
{
    public const string Binary = "/usr/lib/chromium/chromium";

    public static ChromeDriver Start(int width = 1280, int height = 1000)
    {
        if (!File.Exists("/usr/bin/chromedriver") || !File.Exists(Binary))
            throw new InvalidOperationException("Chromium is not installed: run the tests through scripts/test.sh, which installs Debian's chromium and chromium-driver.");
        Environment.SetEnvironmentVariable("SE_OFFLINE", "true");
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Binary };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", $"--window-size={width},{height}", "--lang=vi-VN");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>The violations axe-core finds in the page (WCAG 2 A and AA), as "rule: elements".</summary>
    public static List<string> Axe(ChromeDriver browser)
    {
        browser.ExecuteScript(AxeSource.Value);
        var result = (string?)browser.ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
               .then(r => done(JSON.stringify(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))));
            """);
        return System.Text.Json.JsonSerializer.Deserialize<List<string>>(result ?? "[\"axe returned nothing\"]")!;
    }

    /// <summary>axe-core as npm installed it next to the tests (scripts/test.sh runs npm ci in tests/QcdcCompliance.Tests/Browser).</summary>
    private static readonly Lazy<string> AxeSource = new(() =>
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var path = Path.Combine(folder.FullName, "tests", "QcdcCompliance.Tests", "Browser", "node_modules", "axe-core", "axe.min.js");
            if (File.Exists(path))
                return File.ReadAllText(path);
        }

        throw new InvalidOperationException("axe-core is not installed: run scripts/test.sh, or npm ci --prefix tests/QcdcCompliance.Tests/Browser");
    });

    /// <summary>The whole page as the browser lays it out at its window's width (not only the part in view), as a PNG.</summary>
    public static void FullPageScreenshot(ChromeDriver browser, string path)
    {
        var metrics = browser.ExecuteCdpCommand("Page.getLayoutMetrics", []) as Dictionary<string, object>;
        var size = (Dictionary<string, object>)metrics!["cssContentSize"];
        var clip = new Dictionary<string, object?>
        {
            ["x"] = 0, ["y"] = 0, ["width"] = size["width"], ["height"] = Math.Min(Convert.ToDouble(size["height"], System.Globalization.CultureInfo.InvariantCulture), 12000), ["scale"] = 1,
        };
        var shot = (Dictionary<string, object>)browser.ExecuteCdpCommand("Page.captureScreenshot",
            new Dictionary<string, object?> { ["format"] = "png", ["captureBeyondViewport"] = true, ["clip"] = clip })!;
        File.WriteAllBytes(path, Convert.FromBase64String(shot["data"].ToString()!));
    }

    /// <summary>Where screenshots go: a folder in the test output, kept after the run.</summary>
    public static string ArtefactPath(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "artefacts");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    /// <summary>
    /// Waits up to 20 s for the page to show what a test waits for (an element read while the page is replaced counts as
    /// not yet); then fails with the page's address and the start of its source.
    /// </summary>
    public static void Wait(ChromeDriver browser, Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!Holds())
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"the page at {browser.Url} never showed what the test waits for:\n{browser.PageSource[..Math.Min(2000, browser.PageSource.Length)]}");
            Thread.Sleep(100);
        }

        bool Holds()
        {
            try
            {
                return condition();
            }
            catch (OpenQA.Selenium.StaleElementReferenceException)
            {
                return false;
            }
        }
    }
}
