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
}
