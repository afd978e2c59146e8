using System.Net;
using QcdcCompliance.Domain;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Jobs;

/// <summary>The Hangfire dashboard answers administrators only, whatever address the request comes from.</summary>
public sealed class JobsDashboardAccessTests
{
    [Fact]
    public async Task The_Hangfire_dashboard_refuses_anonymous_and_non_admin_callers_and_opens_for_an_admin()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));

        var anonymous = await bed.Anonymous().GetAsync("/hangfire");
        anonymous.StatusCode.Should().BeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.Redirect);
        anonymous.Headers.Location?.ToString().Should().Contain("/signin");

        foreach (var role in new[] { Role.Auditor, Role.Committee, Role.Reporter })
        {
            var refused = await (await bed.AsAsync(role, "P")).GetAsync("/hangfire");
            refused.StatusCode.Should().Be(HttpStatusCode.Forbidden, $"{role} is not an administrator");
        }

        var admin = await (await bed.AsAsync(Role.Admin, "P")).GetAsync("/hangfire");
        admin.StatusCode.Should().Be(HttpStatusCode.OK);
        (await admin.Content.ReadAsStringAsync()).Should().Contain("QCDC – jobs");
    }
}
