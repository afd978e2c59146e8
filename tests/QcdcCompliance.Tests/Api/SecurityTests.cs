using System.Net;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Host.Cli;
using QcdcCompliance.Host.Security;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Api;

public sealed partial class SecurityTests
{
    [Fact]
    public async Task A_revoked_key_is_refused_on_the_very_next_request_and_its_browser_session_ends()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var key = await bed.KeyAsync(Role.Auditor, "P");
        var client = bed.As(key);
        var session = (await SignInAsync(bed, key))!;
        (await client.GetAsync("/api/periods")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await SendWithCookie(bed, session, "/api/periods")).StatusCode.Should().Be(HttpStatusCode.OK);

        var prefix = key.Split('_')[1];
        var exit = await QcdcCli.RunAsync(["keys", "revoke", prefix, "--provider", bed.Engine.Storage.Provider.ToString(), "--db", bed.Engine.Storage.Database!]);

        exit.Should().Be(0);
        (await client.GetAsync("/api/periods")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await SendWithCookie(bed, session, "/api/periods")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_target_code_only_another_provinces_set_defines_reads_as_unknown_as_one_no_set_defines()
    {
        var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());
        await engine.ImportAsync(ImportKind.Areas, "areas-q.csv", "code,name,level,parent_code,valid_from,valid_to\nQ,Tỉnh Khác,Province,,,\n");
        const string own = """
            { "code": "KPI/Q", "title": "Chỉ tiêu riêng của tỉnh Q", "issued": "2020-01-01", "scope": "Q",
              "targets": [ { "code": "Q-SECRET-1", "rule": "NQ02-1", "population": "XA,CQ", "operator": ">=", "threshold": "100%",
                             "measuredOver": ["Unit"], "periods": ["S1", "S2"], "textVi": "Quy chế dân chủ (tỉnh Q)" } ] }
            """;
        await engine.ImportTargetsAsync("kpi-q.json", System.Text.Encoding.UTF8.GetBytes(own), scope: null);
        await using var bed = await ApiTestbed.StartAsync(engine);
        var committee = await bed.AsAsync(Role.Committee, "D1");
        var national = await bed.AsAsync(Role.NationalAdmin, "P");

        var secret = await committee.GetAsync("/api/findings?period=2020S1&target=Q-SECRET-1");
        var none = await committee.GetAsync("/api/findings?period=2020S1&target=NO-SUCH-1");
        var secretTrend = await committee.GetAsync("/api/compliance/trend?target=Q-SECRET-1");
        var noneTrend = await committee.GetAsync("/api/compliance/trend?target=NO-SUCH-1");

        secret.StatusCode.Should().Be(HttpStatusCode.BadRequest, "P's committee may not learn that Q's own set defines Q-SECRET-1");
        (await Detail(secret)).Should().Be((await Detail(none)).Replace("NO-SUCH-1", "Q-SECRET-1", StringComparison.Ordinal)).And.Contain("unknown target");
        secretTrend.StatusCode.Should().Be(noneTrend.StatusCode).And.Be(HttpStatusCode.BadRequest);
        (await committee.GetAsync("/api/findings?period=2020S1&target=NQ02-1")).StatusCode.Should().Be(HttpStatusCode.OK, "a code of a set binding P is P's to ask");
        (await national.GetAsync("/api/findings?period=2020S1&target=Q-SECRET-1")).StatusCode.Should().Be(HttpStatusCode.OK, "a national administrator knows every set");
    }

    private static async Task<string> Detail(HttpResponseMessage response) =>
        System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;

    [Fact]
    public async Task The_sign_in_page_is_Vietnamese_first_and_gives_a_session_cookie_that_sign_out_ends()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var page = await bed.Anonymous().GetStringAsync("/signin");
        page.Should().Contain("<html lang=\"vi\">").And.Contain("Đăng nhập");
        (await SignInAsync(bed, "qcdc_000000000000_" + new string('x', 43), expectSuccess: false)).Should().BeNull();

        var session = await SignInAsync(bed, await bed.KeyAsync(Role.Committee, "D1"));
        var areas = await SendWithCookie(bed, session!, "/api/areas/C1");
        var outside = await SendWithCookie(bed, session!, "/api/areas/C3");
        // Signing out is the sign-out page's form, posted with its token (a GET only shows the form).
        var signOutPage = new HttpRequestMessage(HttpMethod.Get, "/signout");
        signOutPage.Headers.Add("Cookie", session);
        var form = await bed.Anonymous().SendAsync(signOutPage);
        var token = AntiforgeryField().Match(await form.Content.ReadAsStringAsync());
        var signOut = new HttpRequestMessage(HttpMethod.Post, "/signout")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { [token.Groups[1].Value] = System.Net.WebUtility.HtmlDecode(token.Groups[2].Value) }),
        };
        signOut.Headers.Add("Cookie", string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Append(session!)));
        var cleared = (await bed.Anonymous().SendAsync(signOut)).Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(QcdcSecurity.CookieName, StringComparison.Ordinal));

        areas.StatusCode.Should().Be(HttpStatusCode.OK);
        outside.StatusCode.Should().Be(HttpStatusCode.NotFound);
        cleared.Should().Contain("expires=Thu, 01 Jan 1970");
        (await SendWithCookie(bed, session!, "/api/areas/C1")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the session ended on the server too");
    }

    [Fact]
    public async Task A_bearer_token_from_the_configured_issuer_maps_its_role_and_area_claims()
    {
        var secret = new byte[32];
        Random.Shared.NextBytes(secret);
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()), new Dictionary<string, string?>
        {
            ["Authentication:Jwt:SigningKey"] = Convert.ToBase64String(secret),
            ["Authentication:Jwt:Issuer"] = "https://idp.example.vn",
            ["Authentication:Jwt:Audience"] = "qcdc",
        });
        string Token(string role, string area, byte[] key) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://idp.example.vn", Audience = "qcdc", Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object> { ["sub"] = "u-42", ["name"] = "Thanh tra huyện", ["qcdc_role"] = role, ["qcdc_area"] = area },
        });
        HttpClient With(string token)
        {
            var client = bed.Anonymous();
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            return client;
        }

        var auditor = With(Token("auditor", "d1", secret));
        (await auditor.GetAsync("/api/units/XA2")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await auditor.GetAsync("/api/units/XA3")).StatusCode.Should().Be(HttpStatusCode.NotFound, "XA3 is in D2");
        (await auditor.GetAsync("/api/imports/values")).StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        (await With(Token("auditor", "NOWHERE", secret)).GetAsync("/api/periods")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await With(Token("overlord", "P", secret)).GetAsync("/api/periods")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var forged = new byte[32];
        (await With(Token("admin", "P", forged)).GetAsync("/api/periods")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Each_key_has_its_own_rate_limit()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()),
            new Dictionary<string, string?> { ["Api:RateLimit:PermitsPerMinute"] = "3" });
        var first = await bed.AsAsync(Role.Auditor, "P");
        var second = await bed.AsAsync(Role.Auditor, "D1");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            answers.Add((await first.GetAsync("/api/periods")).StatusCode);
        var other = await second.GetAsync("/api/periods");

        answers.Should().Equal(HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests);
        other.StatusCode.Should().Be(HttpStatusCode.OK);
        bed.Logs.Lines.Should().Contain(l => l.Contains("rate limit", StringComparison.Ordinal) && l.Contains("auditor@P", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refused_access_and_writes_are_logged_with_the_principal_and_never_with_key_material()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var other = await bed.AsAsync(Role.Auditor, "D2");
        var reporter = await bed.AsAsync(Role.Reporter, "D1");
        var committee = await bed.AsAsync(Role.Committee, "P");
        var finding = await bed.FindingAsync("NQ02-1", "XA2");

        await other.GetAsync("/api/units/XA2");
        await reporter.GetAsync("/api/findings?period=2020S1");
        await bed.Anonymous().GetAsync("/api/periods");
        await bed.As("qcdc_" + bed.KeysGiven.First()[5..^4] + "abcd").GetAsync("/api/periods");
        await committee.PostAsync($"/api/findings/{finding.Id}/acknowledge", System.Net.Http.Json.JsonContent.Create(new { reason = "đã xem" }));

        var lines = bed.Logs.Lines;
        lines.Should().Contain(l => l.Contains("Refused GET /api/units/XA2", StringComparison.Ordinal) && l.Contains("auditor@D2", StringComparison.Ordinal)
                                    && l.Contains("outside its area", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("Refused GET /api/findings", StringComparison.Ordinal) && l.Contains("reporter@D1", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("Refused GET /api/periods", StringComparison.Ordinal) && l.Contains("no credentials", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("Refused GET /api/periods", StringComparison.Ordinal) && l.Contains("not valid, or was revoked", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("acknowledged finding", StringComparison.Ordinal) && l.Contains("committee@P", StringComparison.Ordinal));
        foreach (var key in bed.KeysGiven)
        {
            // The secret is base64url and may itself hold '_': split at the prefix's underscore only.
            var (secret, prefix) = (key[(key.IndexOf('_', 5) + 1)..], key[..17]);
            lines.Should().NotContain(l => l.Contains(secret, StringComparison.Ordinal) || l.Contains(prefix, StringComparison.Ordinal), "no key material is ever logged");
        }
    }

    [Fact]
    public async Task The_OpenAPI_document_and_its_reference_page_are_served()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));

        var document = await bed.Anonymous().GetStringAsync("/openapi/v1.json");
        var reference = await bed.Anonymous().GetAsync("/scalar/v1");

        foreach (var path in new[] { "/api/periods", "/api/areas/{code}", "/api/units/{code}", "/api/units/{code}/findings", "/api/targets", "/api/runs",
                     "/api/runs/{id}", "/api/findings", "/api/findings/{id}", "/api/findings/{id}/acknowledge", "/api/findings/{id}/waive", "/api/compliance",
                     "/api/imports/{kind}", "/api/evaluations", "/api/audit/verify" })
            document.Should().Contain($"\"{path}\"");
        document.Should().Contain("\"X-Api-Key\"");
        reference.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_what_the_endpoints_answer_and_accept()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var document = System.Text.Json.JsonDocument.Parse(await bed.Anonymous().GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths");
        var schemas = document.GetProperty("components").GetProperty("schemas");
        System.Text.Json.JsonElement Operation(string path, string method) => paths.GetProperty(path).GetProperty(method);
        IEnumerable<string> ContentTypes(string path, string method) =>
            Operation(path, method).GetProperty("responses").GetProperty("200").GetProperty("content").EnumerateObject().Select(c => c.Name);
        IEnumerable<string> Required(string schema) =>
            schemas.GetProperty(schema).TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()!) : [];

        // The JSON answer and its CSV (or file) alternatives.
        ContentTypes("/api/findings", "get").Should().Contain(["application/json", "text/csv"]);
        Operation("/api/findings", "get").GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json")
            .GetProperty("schema").GetProperty("$ref").GetString().Should().Be("#/components/schemas/FindingPage");
        schemas.GetProperty("FindingPage").GetProperty("properties").EnumerateObject().Select(p => p.Name).Should().Contain(["items", "next", "limit"]);
        ContentTypes("/api/whatif", "post").Should().Contain(["application/json", "text/csv"]);
        ContentTypes("/api/templates", "get").Should().Contain(["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv"]);

        // Optional fields are optional.
        Required("SignOffRequest").Should().NotContain(["area", "reason"]);
        Required("EvaluationRequest").Should().NotContain("area");

        // Parameters named as the API reads them, the limit with its bounds, the 400 of a sign-off documented.
        foreach (var path in new[] { "/api/findings", "/api/compliance", "/api/completeness" })
            Operation(path, "get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString())
                .Should().Contain(["period", "area"]).And.NotContain(["Period", "Area"], path);
        var limit = Operation("/api/findings", "get").GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "limit").GetProperty("schema");
        (limit.GetProperty("minimum").GetRawText(), limit.GetProperty("maximum").GetRawText()).Should().Be(("1", "1000"));
        Operation("/api/signoffs", "post").GetProperty("responses").EnumerateObject().Select(r => r.Name).Should().Contain("400");

        // An import's kind is one of the files the endpoint takes: never a target set, which it refuses with 404.
        var kind = Operation("/api/imports/{kind}", "post").GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "kind");
        kind.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(v => v.GetString()).Should().Equal("areas", "lineage", "units", "values");
        var answered = schemas.GetProperty("ImportResultDto").GetProperty("properties").GetProperty("kind").GetProperty("$ref").GetString()!.Split('/')[^1];
        schemas.GetProperty(answered).GetProperty("enum").EnumerateArray().Select(v => v.GetString()).Should().Equal("Areas", "Lineage", "Units", "Values");
        (await (await bed.AsAsync(Role.Admin, "P")).PostAsync("/api/imports/targets", new StringContent("{}", System.Text.Encoding.UTF8, "application/json")))
            .StatusCode.Should().Be(HttpStatusCode.NotFound);

        // Completeness answers codes, not the stored rows (an internal id, an always empty parentLinks).
        var completeness = await (await bed.AsAsync(Role.Auditor, "P")).GetStringAsync("/api/completeness?period=2020S1");
        var answer = System.Text.Json.JsonDocument.Parse(completeness).RootElement;
        answer.GetProperty("area").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("code", "name", "level");
        answer.GetProperty("period").GetProperty("code").GetString().Should().Be("2020S1");
        answer.GetProperty("period").TryGetProperty("id", out _).Should().BeFalse();
    }

    /// <summary>Signs in through the form as a browser does; the session cookie, or null when refused.</summary>
    private static async Task<string?> SignInAsync(ApiTestbed bed, string key, bool expectSuccess = true)
    {
        var client = bed.Anonymous();
        var form = await client.GetAsync("/signin?returnUrl=/api/periods");
        var html = await form.Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(html);
        var cookies = string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var post = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                [token.Groups[1].Value] = System.Net.WebUtility.HtmlDecode(token.Groups[2].Value), ["key"] = key, ["returnUrl"] = "/api/periods",
            }),
        };
        post.Headers.Add("Cookie", cookies);
        var response = await client.SendAsync(post);
        if (!expectSuccess)
        {
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            return null;
        }

        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        response.Headers.Location!.OriginalString.Should().Be("/api/periods");
        return response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith(QcdcSecurity.CookieName + "=", StringComparison.Ordinal));
    }

    private static Task<HttpResponseMessage> SendWithCookie(ApiTestbed bed, string cookie, string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookie);
        return bed.Anonymous().SendAsync(request);
    }

    [GeneratedRegex("""<input type="hidden" name="([^"]+)" value="([^"]+)">""")]
    private static partial Regex AntiforgeryField();
}
