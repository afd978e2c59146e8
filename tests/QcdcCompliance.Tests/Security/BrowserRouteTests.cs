using System.Net;
using System.Text;
using QcdcCompliance.Domain;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Security;

/// <summary>
/// Review 52, security 5 and 7: a unit whose code holds '/' (which the units import allows) opens at the escaped link
/// every page and the API give it; a signed-in browser refused by a role check is shown the Vietnamese 403 page,
/// whatever it said it accepts, never the API's English JSON.
/// </summary>
public sealed class BrowserRouteTests
{
    [Fact]
    public async Task A_unit_code_with_a_slash_opens_at_its_escaped_link_on_the_workspace_the_dashboard_and_the_api()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var units = await bed.As(await bed.KeyAsync(Role.Reporter, "C1")).PostAsync("/api/imports/units",
            new StringContent(Province.UnitsHeader + "SN-A/B,Trường Mầm non A/B,PublicServiceUnit,C1,false,15,,,\n", Encoding.UTF8, "text/csv"));
        units.StatusCode.Should().Be(HttpStatusCode.OK, await units.Content.ReadAsStringAsync());

        var api = await (await bed.AsAsync(Role.Auditor, "P")).GetAsync("/api/units/SN-A%2FB");
        var findings = await (await bed.AsAsync(Role.Auditor, "P")).GetAsync("/api/units/SN-A%2FB/findings");
        var (reporter, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "C1"), "/workspace");
        var form = await reporter.GetAsync($"/workspace/units/SN-A%2FB?period={ApiTestbed.Period}");
        var (committee, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "P"));
        var page = await committee.GetAsync("/units/SN-A%2FB");

        api.StatusCode.Should().Be(HttpStatusCode.OK, await api.Content.ReadAsStringAsync());
        (await api.Content.ReadAsStringAsync()).Should().Contain("\"code\":\"SN-A/B\"");
        findings.StatusCode.Should().Be(HttpStatusCode.OK);
        form.StatusCode.Should().Be(HttpStatusCode.OK, await form.Content.ReadAsStringAsync());
        WebUtility.HtmlDecode(await form.Content.ReadAsStringAsync()).Should().Contain("Trường Mầm non A/B").And.Contain("id=\"entry\"");
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()).Should().Contain("Trường Mầm non A/B");
    }

    [Fact]
    public async Task A_signed_in_browser_refused_by_the_workspaces_role_check_gets_the_vietnamese_refusal_page()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var (auditor, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Auditor, "D1"));
        var (committee, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "D1"));

        // As curl sends them, with no Accept: text/html.
        foreach (var refused in new[] { await auditor.GetAsync("/workspace"), await committee.GetAsync("/workspace/upload") })
        {
            refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
            refused.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
            WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()).Should().Contain("Không có quyền").And.NotContain("Your role may not do this");
        }

        // A key on the API keeps its ProblemDetails.
        var api = await bed.As(await bed.KeyAsync(Role.Auditor, "D1")).GetAsync("/workspace");
        api.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    /// <summary>Review 54, security 5: the review report's rate limit refuses a signed-in browser with the page, in Vietnamese, saying when to try again.</summary>
    [Fact]
    public async Task A_signed_in_browser_over_the_report_limit_gets_the_vietnamese_page_saying_when_to_try_again_and_a_key_the_problem()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()),
            new Dictionary<string, string?> { ["Dashboard:ReportsPerMinute"] = "1" });
        var (committee, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "P"));
        var api = await bed.AsAsync(Role.Auditor, "P"); // a principal of its own: the limit is per principal
        const string report = "/report?period=2020S1&area=P&format=html";

        (await committee.GetAsync(report)).StatusCode.Should().Be(HttpStatusCode.OK);
        using var asChromium = new HttpRequestMessage(HttpMethod.Get, report.Replace("html", "docx", StringComparison.Ordinal));
        asChromium.Headers.Add("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        asChromium.Headers.Add("Accept-Language", "vi-VN,vi;q=0.9");
        var refused = await committee.SendAsync(asChromium);
        (await api.GetAsync(report)).StatusCode.Should().Be(HttpStatusCode.OK);
        var program = await api.GetAsync(report);

        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        refused.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var page = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        page.Should().Contain("Quá nhiều yêu cầu").And.Contain("tối đa 1 lượt tải báo cáo mỗi phút").And.MatchRegex(@"Hãy thử lại sau (\d+ giây|một phút)")
            .And.NotContain("Too many requests");
        program.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        program.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }
}
