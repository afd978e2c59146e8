using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using QcdcCompliance.Decisions;
using QcdcCompliance.Domain;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Decisions;

/// <summary>
/// The committee's decisions in a real headless Chromium: a district's committee member signs off the period on the
/// overview, is stopped by the page when reopening without a reason (and by the server when the page's check is taken
/// away), reopens with a reason; then tries a proposed target set on the what-if page.
/// </summary>
public sealed class DecisionsBrowserTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_committee_member_signs_off_a_period_and_reopens_it_with_a_reason_never_without_one()
    {
        var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync(configure: s => s.AddQcdcDecisions()));
        await using var _ = engine;
        await using var host = await DashboardHost.StartAsync(engine.Storage, await DashboardHost.KeysAsync(engine.Storage, "P", "D1"), realSocket: true);
        using var browser = Chromium.Start();
        var overview = $"{host.BaseUrl}/?period=2020S1&area=D1";

        browser.Navigate().GoToUrl(overview);
        browser.FindElement(By.Id("key")).SendKeys(host.KeyFor("district-key"));
        browser.FindElement(By.Id("signin")).Click();
        Chromium.Wait(browser, () => browser.FindElements(By.Id("signoff")).Count > 0);
        browser.FindElements(By.Id("not-signed-off")).Should().ContainSingle();

        // Sign off (D1 still has units that did not report everything: the reason is printed with the sign-off).
        browser.FindElement(By.Id("signoff-reason")).SendKeys("Đã rà soát số liệu với các xã");
        browser.FindElement(By.Id("signoff-button")).Click();
        Chromium.Wait(browser, () => browser.FindElements(By.Id("signed-off")).Count > 0);
        var signed = browser.FindElement(By.Id("signed-off")).Text;
        signed.Should().StartWith("Đã ký duyệt ngày").And.Contain("Ban Chỉ đạo huyện").And.Contain("Đã rà soát số liệu với các xã");
        Screenshot(browser, "decisions-signed-off.png");

        // Reopen without a reason: the page does not send the form.
        browser.FindElement(By.Id("reopen-button")).Click();
        ((bool)browser.ExecuteScript("return document.getElementById('signoff-reason').validity.valueMissing;")!).Should().BeTrue("a reopening needs a reason");
        browser.Url.Should().StartWith(overview, "the page stays where it was");
        browser.FindElements(By.Id("signed-off")).Should().ContainSingle("nothing was sent");
        // The page's check taken away: the server refuses it too, saying why.
        browser.ExecuteScript("document.getElementById('signoff-reason').removeAttribute('required');");
        browser.FindElement(By.Id("reopen-button")).Click();
        Chromium.Wait(browser, () => browser.Title.StartsWith("Chưa mở lại được", StringComparison.Ordinal));
        browser.FindElement(By.TagName("main")).Text.Should().Contain("Mở lại cần ghi lý do", "the refusal says, in Vietnamese, that a reason is needed");
        (await engine.Services.GetRequiredService<SignOffService>().ListAsync("2020S1", "D1")).Select(s => s.Kind).Should().Equal(SignOffKind.SignOff);

        // Reopen with a reason.
        browser.Navigate().GoToUrl(overview);
        browser.FindElement(By.Id("signoff-reason")).SendKeys("Xã bổ sung số liệu hòa giải");
        browser.FindElement(By.Id("reopen-button")).Click();
        Chromium.Wait(browser, () => browser.FindElements(By.Id("reopened")).Count > 0);
        browser.FindElement(By.Id("reopened")).Text.Should().Contain("(lý do: Xã bổ sung số liệu hòa giải)", "reopened, said with its reason, not as never signed off");
        browser.FindElements(By.Id("signoff-button")).Should().ContainSingle("the period can be signed off again");
        var history = await engine.Services.GetRequiredService<SignOffService>().ListAsync("2020S1", "D1");
        history.Select(s => (s.Kind, s.Reason)).Should().Equal((SignOffKind.Reopen, "Xã bổ sung số liệu hòa giải"), (SignOffKind.SignOff, "Đã rà soát số liệu với các xã"));
        Screenshot(browser, "decisions-reopened.png");

        // The what-if page: a proposal pasted, evaluated over the district, nothing stored.
        await using var db = engine.Db();
        var runs = db.EvaluationRuns.Count();
        browser.Navigate().GoToUrl($"{host.BaseUrl}/whatif?area=D1");
        browser.ExecuteScript("document.getElementById('whatif-targets').value = arguments[0];", System.Text.Encoding.UTF8.GetString(WhatIfTests.Proposal()));
        browser.FindElement(By.Id("whatif-button")).Click();
        Chromium.Wait(browser, () => browser.FindElements(By.Id("whatif-result")).Count > 0);
        browser.FindElement(By.Id("whatif-summary")).Text.Should().Contain("Không có gì được lưu");
        browser.FindElements(By.CssSelector(".whatif-target[data-target='KPI-REGULATION'] tr[data-area='D1']")).Should().ContainSingle();
        db.EvaluationRuns.Count().Should().Be(runs, "a what-if records no run");
        Screenshot(browser, "decisions-whatif.png");
    }

    private void Screenshot(ChromeDriver browser, string name)
    {
        var path = Chromium.ArtefactPath(name);
        browser.GetScreenshot().SaveAsFile(path);
        output.WriteLine($"Screenshot saved: {path}");
    }
}
