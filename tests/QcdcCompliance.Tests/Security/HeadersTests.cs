using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Host.Security;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Security;

/// <summary>
/// Issue 18, item 7 and the low ones: what every answer tells the browser (CSP without inline script, no framing,
/// nosniff, Referrer-Policy, no-store, HSTS over HTTPS), what the host believes of the network (forwarded headers from
/// its configured proxies only), where the OpenAPI document says the API is, and the smaller doors.
/// </summary>
public sealed class HeadersTests
{
    [Fact]
    public async Task Pages_data_and_reports_carry_a_policy_without_inline_script_refuse_framing_and_are_never_stored()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "P"));
        var api = await bed.AsAsync(Role.Auditor, "P");

        var answers = new Dictionary<string, HttpResponseMessage>
        {
            ["dashboard"] = await browser.GetAsync("/?period=2020S1"),
            ["target page"] = await browser.GetAsync("/targets/NQ02-1?period=2020S1"),
            ["report"] = await browser.GetAsync("/report?period=2020S1&area=P&format=xlsx"),
            ["sign-in"] = await bed.Anonymous().GetAsync("/signin"),
            ["API data"] = await api.GetAsync("/api/findings?period=2020S1"),
            ["API CSV"] = await api.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/findings?period=2020S1") { Headers = { { "Accept", "text/csv" } } }),
            ["API refusal"] = await bed.Anonymous().GetAsync("/api/periods"),
        };

        foreach (var (what, response) in answers)
        {
            response.IsSuccessStatusCode.Should().Be(what != "API refusal", what);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            csp.Should().Contain("script-src 'none'", what).And.Contain("frame-ancestors 'none'").And.NotContain("unsafe-eval");
            response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff", what);
            response.Headers.GetValues("X-Frame-Options").Single().Should().Be("DENY", what);
            response.Headers.GetValues("Referrer-Policy").Single().Should().Be("no-referrer", what);
            response.Headers.CacheControl!.NoStore.Should().BeTrue(what);
            response.Headers.Contains("Strict-Transport-Security").Should().BeFalse($"{what} came over plain HTTP");
        }

        var page = await answers["dashboard"].Content.ReadAsStringAsync();
        page.Should().NotContain("<script", "the dashboard needs no script").And.NotContain("<style", "its styles are in the stylesheet");
        (await answers["sign-in"].Content.ReadAsStringAsync()).Should().NotContain("<style").And.NotContain("<script").And.Contain("/dashboard.css");
        var css = await bed.Anonymous().GetAsync("/dashboard.css");
        css.Headers.CacheControl!.Public.Should().BeTrue("the stylesheet is the same for everyone");
    }

    [Fact]
    public async Task HSTS_is_sent_over_HTTPS_and_forwarded_headers_are_believed_only_from_a_configured_proxy()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()),
            new Dictionary<string, string?> { ["Hosting:KnownProxies:0"] = "10.9.8.7" });
        var server = bed.Host.App.GetTestServer();
        async Task<HttpContext> SendAsync(string scheme, string from, string? forwardedProto)
        {
            return await server.SendAsync(c =>
            {
                c.Request.Method = "GET";
                c.Request.Scheme = scheme;
                c.Request.Host = new HostString("qcdc.example.vn");
                c.Request.Path = "/signin";
                c.Connection.RemoteIpAddress = IPAddress.Parse(from);
                if (forwardedProto is not null)
                {
                    c.Request.Headers["X-Forwarded-Proto"] = forwardedProto;
                    c.Request.Headers["X-Forwarded-For"] = "203.0.113.9";
                }
            });
        }

        var direct = await SendAsync("https", "203.0.113.9", null);
        var viaProxy = await SendAsync("http", "10.9.8.7", "https");
        var spoofed = await SendAsync("http", "203.0.113.66", "https");

        direct.Response.Headers.StrictTransportSecurity.ToString().Should().Contain("max-age=31536000");
        viaProxy.Response.Headers.StrictTransportSecurity.ToString().Should().Contain("max-age=", "the configured proxy says the browser came over HTTPS");
        viaProxy.Connection.RemoteIpAddress!.ToString().Should().Be("203.0.113.9");
        spoofed.Response.Headers.StrictTransportSecurity.ToString().Should().BeEmpty("a client that is no configured proxy cannot claim HTTPS");
        spoofed.Connection.RemoteIpAddress!.ToString().Should().Be("203.0.113.66");
    }

    [Fact]
    public async Task The_session_cookie_is_Secure_behind_a_configured_TLS_proxy()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()),
            new Dictionary<string, string?> { ["Hosting:KnownNetworks:0"] = "127.0.0.0/8" });
        var key = await bed.KeyAsync(Role.Auditor, "P");
        var server = bed.Host.App.GetTestServer();
        var page = await server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/signin";
            c.Connection.RemoteIpAddress = IPAddress.Loopback;
            c.Request.Headers["X-Forwarded-Proto"] = "https";
        });
        var html = await new StreamReader(page.Response.Body).ReadToEndAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, """name="(__RequestVerificationToken)" value="([^"]+)""");
        var antiforgeryCookie = page.Response.Headers.SetCookie.ToString().Split(';')[0];
        var form = $"{token.Groups[1].Value}={Uri.EscapeDataString(WebUtility.HtmlDecode(token.Groups[2].Value))}&key={Uri.EscapeDataString(key)}&returnUrl=%2F";
        var signedIn = await server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = "/signin";
            c.Connection.RemoteIpAddress = IPAddress.Loopback;
            c.Request.Headers["X-Forwarded-Proto"] = "https";
            c.Request.Headers.Cookie = antiforgeryCookie;
            c.Request.ContentType = "application/x-www-form-urlencoded";
            c.Request.Body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(form));
        });

        signedIn.Response.StatusCode.Should().Be(302);
        var session = signedIn.Response.Headers.SetCookie.Single(c => c!.StartsWith(QcdcSecurity.CookieName, StringComparison.Ordinal))!;
        session.Should().Contain("secure").And.Contain("httponly").And.Contain("samesite=lax");
    }

    [Fact]
    public async Task The_OpenAPI_document_names_the_configured_servers_and_never_the_Host_header()
    {
        await using var configured = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()),
            new Dictionary<string, string?> { ["Hosting:PublicUrls:0"] = "https://qcdc.hatinh.gov.vn" });
        await using var plain = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        static async Task<List<string>> ServersAsync(ApiTestbed bed)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json") { Headers = { Host = "evil.example" } };
            var document = JsonDocument.Parse(await (await bed.Anonymous().SendAsync(request)).Content.ReadAsStringAsync());
            return document.RootElement.TryGetProperty("servers", out var servers)
                ? servers.EnumerateArray().Select(s => s.GetProperty("url").GetString()!).ToList()
                : [];
        }

        (await ServersAsync(configured)).Should().Equal("https://qcdc.hatinh.gov.vn");
        (await ServersAsync(plain)).Should().BeEmpty();
    }

    [Fact]
    public async Task Unknown_and_outside_things_get_the_same_404_naming_them_as_typed()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var d1 = await bed.AsAsync(Role.Auditor, "D1");
        async Task<string> DetailAsync(string url)
        {
            var response = await d1.GetAsync(url);
            response.StatusCode.Should().Be(HttpStatusCode.NotFound, url);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
        }

        (await DetailAsync("/api/units/xa3")).Should().Be("unit xa3 is unknown or outside your area.", "XA3 exists, in D2: its canonical code is not echoed");
        (await DetailAsync("/api/units/xa9")).Should().Be("unit xa9 is unknown or outside your area.");
        (await DetailAsync("/api/areas/c3")).Should().Be(await DetailAsync("/api/areas/c9x") is var unknown ? unknown.Replace("c9x", "c3", StringComparison.Ordinal) : "");
        (await DetailAsync("/api/findings?period=2020S1&area=d2")).Should().Be("area d2 is unknown or outside your area.");
        (await DetailAsync("/api/compliance?period=2020S1&area=d2")).Should().Be("area d2 is unknown or outside your area.");
    }

    [Fact]
    public async Task Dates_past_the_calendar_are_a_bad_request_and_a_period_not_over_is_not_evaluated()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var committee = await bed.AsAsync(Role.Committee, "D2");

        var runs = await committee.GetAsync("/api/runs?to=9999-12-31");
        var audit = await committee.GetAsync("/api/audit/verify?to=9999-12-31");
        var future = await committee.PostAsync("/api/evaluations", System.Net.Http.Json.JsonContent.Create(new { period = "2099S2" }));

        runs.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        audit.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        future.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await future.Content.ReadAsStringAsync()).Should().Contain("period 2099S2 has not begun");
        await using var db = bed.Engine.Db();
        db.Periods.Should().NotContain(p => p.Code == "2099S2");
    }

    [Fact]
    public async Task A_district_sees_a_runs_counts_only_for_what_it_recorded_in_the_district()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var province = await (await (await bed.AsAsync(Role.Auditor, "P")).GetAsync("/api/runs?period=2020S1")).ReadAsync<RunPage>();
        var district = await (await (await bed.AsAsync(Role.Auditor, "D2")).GetAsync("/api/runs?period=2020S1")).ReadAsync<RunPage>();
        var run = province.Items[0].Id;
        var wholeDetail = await (await (await bed.AsAsync(Role.Auditor, "P")).GetAsync($"/api/runs/{run}")).ReadAsync<RunDetailDto>();
        var districtDetail = await (await (await bed.AsAsync(Role.Auditor, "D2")).GetAsync($"/api/runs/{run}")).ReadAsync<RunDetailDto>();
        var districtFindings = await (await (await bed.AsAsync(Role.Auditor, "D2")).GetAsync("/api/findings?period=2020S1&limit=1000")).ReadAsync<FindingPage>();
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "D2"));
        var page = await (await browser.GetAsync("/runs")).Content.ReadAsStringAsync();

        province.Items[0].FindingsOpen.Should().BeGreaterThan(0);
        district.Items.Should().OnlyContain(r => r.FindingsOpen == null && r.UnitsEvaluated == null && r.NewCount == null, "province-wide counts are not a district's");
        districtDetail.FindingsRecorded.Should().Be(districtFindings.Items.Count, "what the run recorded in D2");
        districtDetail.FindingsRecorded.Should().BeLessThan(wholeDetail.FindingsRecorded);
        page.Should().MatchRegex("<td class=\"num\">(–|&#x2013;)</td>", "the runs page shows no province-wide count to a district");
    }

    [Fact]
    public async Task A_newline_in_a_file_name_or_a_path_is_written_escaped_into_the_log()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var reporter = await bed.AsAsync(Role.Reporter, "D1");

        await reporter.PostAsync("/api/imports/values?file=" + Uri.EscapeDataString("a.csv\nInformation Forged: admin signed in"),
            new StringContent(Province.ValuesHeader + "XA3,2020S1,REGULATION_ISSUED,true,\n", System.Text.Encoding.UTF8, "text/csv"));
        // A role refusal logs the path: here one holding a line break.
        await reporter.GetAsync("/api/units/" + Uri.EscapeDataString("XA3\nInformation Forged") + "/findings");

        bed.Logs.Lines.Should().NotContain(l => l.Contains('\n') && l.Contains("Forged", StringComparison.Ordinal), "no logged request text breaks a line");
        bed.Logs.Lines.Should().Contain(l => l.Contains("XA3\\nInformation Forged", StringComparison.Ordinal));
        LogText.Escape("a\r\nb\u001b[31m").Should().Be("a\\r\\nb\\u001b[31m");
    }

    [Fact]
    public async Task The_review_report_is_rate_limited_per_principal()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()),
            new Dictionary<string, string?> { ["Dashboard:ReportsPerMinute"] = "2" });
        var committee = await bed.AsAsync(Role.Committee, "P");
        var other = await bed.AsAsync(Role.Auditor, "P");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            answers.Add((await committee.GetAsync("/report?period=2020S1&area=P&format=html")).StatusCode);

        answers.Should().Equal(HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests);
        (await other.GetAsync("/report?period=2020S1&area=P&format=html")).StatusCode.Should().Be(HttpStatusCode.OK, "each principal has its own limit");
        (await committee.GetAsync("/?period=2020S1")).StatusCode.Should().Be(HttpStatusCode.OK, "the pages are not limited with the report");
    }
}
