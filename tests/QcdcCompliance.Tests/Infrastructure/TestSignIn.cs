using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Security;

namespace QcdcCompliance.Tests.Infrastructure;

/// <summary>A key the test hands out, and the principal it signs in as.</summary>
public sealed record TestKey(string Key, string Name, Role Role, int AreaId, string AreaCode);

/// <summary>
/// Test-only stand-in for the API's sign-in until it lands on main: <c>/signin</c> takes a key in a form (as the real
/// page takes an API key) and sets a session cookie; every request with that cookie is the key's QcdcClaims principal.
/// Unauthenticated page requests are sent to <c>/signin</c>. Lives in the tests only.
/// </summary>
public static class TestSignIn
{
    public const string Scheme = "Test";
    public const string Cookie = "qcdc-test-session";

    public static void AddTo(WebApplicationBuilder builder, IReadOnlyList<TestKey> keys)
    {
        builder.Services.AddSingleton(keys);
        builder.Services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, Handler>(Scheme, _ => { });
    }

    public static void MapOn(WebApplication app)
    {
        app.MapGet("/signin", (string? returnUrl) => Results.Content(
            $"""
            <!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Đăng nhập</title></head><body>
            <form method="post" action="/signin"><label>Khóa truy cập <input id="key" name="key" type="password"></label>
            <input type="hidden" name="returnUrl" value="{HtmlEncoder.Default.Encode(returnUrl ?? "/")}"><button id="signin" type="submit">Đăng nhập</button></form>
            </body></html>
            """, "text/html; charset=utf-8")).AllowAnonymous();
        app.MapPost("/signin", async (HttpContext http, IReadOnlyList<TestKey> keys) =>
        {
            var form = await http.Request.ReadFormAsync();
            var key = keys.FirstOrDefault(k => k.Key == form["key"].ToString());
            if (key is null)
                return Results.Unauthorized();
            http.Response.Cookies.Append(Cookie, key.Key, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/" });
            var back = form["returnUrl"].ToString();
            return Results.Redirect(back.StartsWith('/') && !back.StartsWith("//", StringComparison.Ordinal) ? back : "/");
        }).AllowAnonymous();
    }

    private sealed class Handler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IReadOnlyList<TestKey> keys)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var value = Request.Cookies[Cookie];
            if (value is null)
                return Task.FromResult(AuthenticateResult.NoResult());
            var key = keys.FirstOrDefault(k => k.Key == value);
            if (key is null)
                return Task.FromResult(AuthenticateResult.Fail("unknown test key"));
            var principal = new ClaimsPrincipal(QcdcClaims.Identity(key.Name, key.Role, key.AreaId, key.AreaCode, TestSignIn.Scheme));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, TestSignIn.Scheme)));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            Response.Redirect("/signin?returnUrl=" + Uri.EscapeDataString(Request.Path + Request.QueryString));
            return Task.CompletedTask;
        }
    }
}
