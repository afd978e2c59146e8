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

        foreach (var role in new[] { Role.Auditor, Role.Committee, Role.Reporter, Role.Admin })
        {
            var refused = await (await bed.AsAsync(role, "P")).GetAsync("/hangfire");
            refused.StatusCode.Should().Be(HttpStatusCode.Forbidden, $"{role} is not a national administrator (the jobs are every province's)");
        }

        var admin = await (await bed.AsAsync(Role.NationalAdmin, "P")).GetAsync("/hangfire");
        admin.StatusCode.Should().Be(HttpStatusCode.OK);
        (await admin.Content.ReadAsStringAsync()).Should().Contain("QCDC – jobs");
    }

    /// <summary>Hangfire's statistics endpoint read every request as a form: a GET answered 500 (it threw in Hangfire).</summary>
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task The_dashboard_statistics_answer_an_admin_and_a_request_that_is_no_form_is_refused_not_a_server_error(string provider)
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => provider == "Sqlite" ? Engine.SqliteAsync() : Engine.PostgresAsync("hangfire_stats")));
        var admin = await bed.AsAsync(Role.NationalAdmin, "P");

        using var get = await admin.GetAsync("/hangfire/stats");
        using var json = await admin.PostAsync("/hangfire/stats", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        // As the dashboard's script asks: a form, with the antiforgery token its page carries and the cookie it set.
        using var dashboard = await admin.GetAsync("/hangfire");
        var page = await dashboard.Content.ReadAsStringAsync();
        using var ask = new HttpRequestMessage(HttpMethod.Post, "/hangfire/stats")
        {
            Content = new FormUrlEncodedContent([new("metrics[]", "succeeded:count"), new("metrics[]", "failed:count")]),
        };
        ask.Headers.Add(Meta(page, "csrf-header"), Meta(page, "csrf-token"));
        ask.Headers.Add("Cookie", dashboard.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        using var form = await admin.SendAsync(ask);
        using var anonymous = await bed.Anonymous().GetAsync("/hangfire/stats");
        using var auditor = await (await bed.AsAsync(Role.Auditor, "P")).GetAsync("/hangfire/stats");

        get.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed, await get.Content.ReadAsStringAsync());
        get.Content.Headers.Allow.Should().Equal("POST");
        json.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        var metrics = await form.Content.ReadAsStringAsync();
        form.StatusCode.Should().Be(HttpStatusCode.OK, metrics);
        metrics.Should().Contain("succeeded:count").And.Contain("failed:count");
        anonymous.StatusCode.Should().BeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.Redirect);
        auditor.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        bed.Logs.Lines.Should().NotContain(l => l.StartsWith("Error", StringComparison.Ordinal));
    }

    private static string Meta(string page, string name) =>
        System.Text.RegularExpressions.Regex.Match(page, $"<meta name=\"{name}\" content=\"([^\"]*)\"") is { Success: true } m
            ? System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException($"no {name} in the dashboard page");
}
