using System.Net;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Security;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Security;

/// <summary>
/// Issue 18, items 3 and 5: a session cookie stands for one key of one install and ends when it signs out; signing out
/// is a POST with the page's token; the address after sign-in is a path of this site whatever characters it hides.
/// </summary>
public sealed class SessionTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_cookie_of_one_install_is_refused_by_another_sharing_the_key_ring_even_where_its_key_id_is_an_administrators(string provider)
    {
        var ring = TestFolders.NewFolder("keyring");
        var shared = new Dictionary<string, string?> { ["DataProtection:KeyRingPath"] = ring };
        await using var first = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(provider == "Sqlite" ? () => Engine.SqliteAsync() : () => Engine.PostgresAsync("install_a")), shared);
        await using var second = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(provider == "Sqlite" ? () => Engine.SqliteAsync() : () => Engine.PostgresAsync("install_b")), shared);
        // Key #1 is a committee member's on the first install and a national administrator's on the second.
        var committee = await first.KeyAsync(Role.Committee, "D1");
        await second.KeyAsync(Role.NationalAdmin, "P");
        var (browser, signedIn, _) = await Browser.SignInAsync(first.Host, committee);
        signedIn.StatusCode.Should().Be(HttpStatusCode.Redirect);

        var here = await browser.GetAsync("/?period=2020S1");
        var there = new Browser(second.Host);
        there.Set(browser.Session!);
        var dashboard = await there.GetAsync("/?period=2020S1");
        var jobs = await there.GetAsync("/hangfire");
        var api = await there.GetAsync("/api/periods");

        here.StatusCode.Should().Be(HttpStatusCode.OK, "the cookie works on the install that issued it");
        dashboard.StatusCode.Should().Be(HttpStatusCode.Redirect, "another install sends it to sign in");
        jobs.StatusCode.Should().Be(HttpStatusCode.Redirect);
        api.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_database_made_again_honours_no_cookie_of_the_old_one()
    {
        var settings = new Dictionary<string, string?> { ["DataProtection:KeyRingPath"] = TestFolders.NewFolder("keyring") };
        // Each test bed disposes its engine (and deletes its file) when it stops.
        var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());
        string cookie;
        await using (var bed = await ApiTestbed.StartAsync(engine, settings))
        {
            var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Auditor, "P"));
            (await browser.GetAsync("/?period=2020S1")).StatusCode.Should().Be(HttpStatusCode.OK);
            cookie = browser.Session!;
        }

        // Another database made from scratch, with a key #1 of its own, put where the first one was.
        var fresh = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());
        await using (var made = await ApiTestbed.StartAsync(fresh, settings))
        {
            await made.KeyAsync(Role.Admin, "P");
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Copy(fresh.Storage.Database!, engine.Storage.Database!, overwrite: true);
        }

        await using var again = await ApiTestbed.StartAsync(engine, settings);
        var replay = new Browser(again.Host);
        replay.Set(cookie);

        (await replay.GetAsync("/?period=2020S1")).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await replay.GetAsync("/api/periods")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Signing_out_is_a_POST_with_the_pages_token_and_ends_the_session_on_the_server(string provider)
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(provider == "Sqlite" ? () => Engine.SqliteAsync() : () => Engine.PostgresAsync("signout")));
        var key = await bed.KeyAsync(Role.Committee, "P");
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, key);
        var (other, _, _) = await Browser.SignInAsync(bed.Host, key);
        var stolen = browser.Session!;

        // Another site's link or form: a GET, or a POST without the token, signs nobody out.
        var link = await browser.GetAsync("/signout");
        var forged = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/signout") { Content = new FormUrlEncodedContent([]) });
        (await browser.GetAsync("/?period=2020S1")).StatusCode.Should().Be(HttpStatusCode.OK, "still signed in");

        // The dashboard's own button.
        var signedOut = await browser.SubmitAsync("/?period=2020S1", "/signout", new Dictionary<string, string>());
        var replay = new Browser(bed.Host);
        replay.Set(stolen);

        link.StatusCode.Should().Be(HttpStatusCode.OK);
        forged.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        signedOut.StatusCode.Should().Be(HttpStatusCode.Redirect);
        signedOut.Headers.Location!.OriginalString.Should().Be("/signin");
        (await replay.GetAsync("/?period=2020S1")).StatusCode.Should().Be(HttpStatusCode.Redirect, "the old cookie is dead on the server, not only forgotten by the browser");
        (await replay.GetAsync("/api/periods")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await other.GetAsync("/?period=2020S1")).StatusCode.Should().Be(HttpStatusCode.Redirect, "signing out ends every session of the key");
        var (again, _, _) = await Browser.SignInAsync(bed.Host, key);
        (await again.GetAsync("/?period=2020S1")).StatusCode.Should().Be(HttpStatusCode.OK, "the key signs in again");
    }

    [Theory]
    [InlineData("/\t/evil.example/")]
    [InlineData("/\n/evil.example/")]
    [InlineData("/\v/evil.example/")]
    [InlineData("/\r\n/evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("/\\\\evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData(" //evil.example/")]
    [InlineData("javascript:alert(1)")]
    public async Task After_sign_in_a_return_address_that_would_leave_the_site_leads_home(string returnUrl)
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var (_, response, text) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Auditor, "P"), returnUrl);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect, text);
        response.Headers.Location!.OriginalString.Should().Be("/");
    }

    [Fact]
    public async Task A_sign_in_form_holding_a_NUL_is_refused_as_a_bad_request_and_sends_nowhere()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var (_, response, text) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Auditor, "P"), "/\u0000/evil.example");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, text);
        response.Headers.Location.Should().BeNull();
        bed.Logs.Lines.Should().NotContain(l => l.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_sign_in_a_path_of_the_site_is_kept()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var (_, response, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Auditor, "P"), "/runs?period=2020S1&lang=en");

        response.Headers.Location!.OriginalString.Should().Be("/runs?period=2020S1&lang=en");
        SignInPages.LocalPath("/\t/evil.example/").Should().BeNull();
    }

    [Fact]
    public async Task After_sign_in_a_path_with_Vietnamese_letters_leads_there_percent_encoded_and_never_fails()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        await bed.Engine.ImportAsync(ImportKind.Units, "dx.csv", Province.UnitsHeader + "ĐX,UBND Xã Đông Xuân,Commune,C1,true,10,,,\n");

        var (browser, response, text) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Auditor, "P"), "/units/ĐX?period=2020S1");
        var unit = await browser.GetAsync(response.Headers.Location?.OriginalString ?? "/");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect, text);
        response.Headers.Location!.OriginalString.Should().Be("/units/%C4%90X?period=2020S1", "a Location header holds ASCII only");
        unit.StatusCode.Should().Be(HttpStatusCode.OK, "the session was opened and the route decodes the code back");
        WebUtility.HtmlDecode(await unit.Content.ReadAsStringAsync()).Should().Contain("UBND Xã Đông Xuân");
        SignInPages.LocalPath("/units/%C4%90X").Should().Be("/units/%C4%90X", "an address already encoded is kept as it is");
        SignInPages.LocalPath("/units/\uD800X").Should().BeNull("half a surrogate pair is no character");
        bed.Logs.Lines.Should().NotContain(l => l.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_write_to_the_API_signed_in_by_the_cookie_must_come_from_this_site_and_one_with_a_key_need_not()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var key = await bed.KeyAsync(Role.Committee, "P");
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, key);
        HttpRequestMessage Evaluate(string? origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/evaluations") { Content = System.Net.Http.Json.JsonContent.Create(new { period = "2020S1" }) };
            if (origin is not null)
                request.Headers.Add("Origin", origin);
            return request;
        }

        var noOrigin = await browser.SendAsync(Evaluate(null));
        var crossSite = await browser.SendAsync(Evaluate("https://evil.example"));
        var sameSite = await browser.SendAsync(Evaluate("http://localhost"));
        var withKey = await bed.As(key).SendAsync(Evaluate("https://evil.example"));
        var read = await browser.GetAsync("/api/periods");

        noOrigin.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        crossSite.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        sameSite.StatusCode.Should().Be(HttpStatusCode.Accepted, await sameSite.Content.ReadAsStringAsync());
        withKey.StatusCode.Should().Be(HttpStatusCode.Accepted, "a key is no ambient credential: no Origin check");
        read.StatusCode.Should().Be(HttpStatusCode.OK);
        bed.Logs.Lines.Should().Contain(l => l.Contains("cookie-signed write from https://evil.example", StringComparison.Ordinal));
    }
}
