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
