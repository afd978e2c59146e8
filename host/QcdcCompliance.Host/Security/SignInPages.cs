using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace QcdcCompliance.Host.Security;

/// <summary>
/// Browser sign-in: a small page (Vietnamese first) where a user pastes an API key and gets a session cookie that
/// stands for that key (revoking the key ends the session), and sign-out. Pages that call <c>RequireAuthorization()</c>
/// send a browser here.
/// </summary>
public static class SignInPages
{
    public static WebApplication MapQcdcSignIn(this WebApplication app)
    {
        app.MapGet("/signin", Show).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/signin", SignInAsync).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(QcdcPolicies.RateLimit).ExcludeFromDescription();
        app.MapGet("/signout", SignOutAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/signout", SignOutAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static IResult Show(HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
        Page(context, antiforgery, returnUrl, error: false, StatusCodes.Status200OK);

    private static async Task<IResult> SignInAsync(HttpContext context, IAntiforgery antiforgery, ApiKeyStore keys, ILogger<ApiKeyStore> log)
    {
        // Checked here rather than by the form binder: the form is read by hand so that the key never reaches a model.
        if (!await antiforgery.IsRequestValidAsync(context))
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: "The sign-in form has expired; reload the page.");
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = form["returnUrl"].FirstOrDefault();
        var holder = await keys.AuthenticateAsync(form["key"].FirstOrDefault() ?? "", context.RequestAborted);
        if (holder is null)
        {
            log.LogWarning("Refused sign-in from {Address}: the API key is not valid, or was revoked", context.Connection.RemoteIpAddress);
            return Page(context, antiforgery, returnUrl, error: true, StatusCodes.Status401Unauthorized);
        }

        var principal = holder.Principal(QcdcSecurity.CookieScheme);
        await context.SignInAsync(QcdcSecurity.CookieScheme, principal);
        log.LogInformation("Write by {Principal}: {Action} {Detail}", principal.Describe(), "signed in", $"from {context.Connection.RemoteIpAddress}");
        return Results.Redirect(IsLocal(returnUrl) ? returnUrl! : "/");
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, ILogger<ApiKeyStore> log)
    {
        var who = (await context.AuthenticateAsync(QcdcSecurity.CookieScheme)).Principal;
        await context.SignOutAsync(QcdcSecurity.CookieScheme);
        if (who is not null)
            log.LogInformation("Write by {Principal}: {Action} {Detail}", who.Describe(), "signed out", "");
        return Results.Redirect("/signin");
    }

    /// <summary>Only a path on this site: never another host (an open redirect).</summary>
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, string? returnUrl, bool error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var message = error
            ? """<p class="error" role="alert">Khóa không hợp lệ hoặc đã bị thu hồi.<br><span lang="en">The key is not valid, or was revoked.</span></p>"""
            : "";
        var html = $$"""
            <!DOCTYPE html>
            <html lang="vi">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>Đăng nhập · QCDC</title>
              <style>
                body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 4rem auto; padding: 0 1rem; color: #1f2933; }
                h1 { font-size: 1.4rem; } label { display: block; margin: 1rem 0 .3rem; } .en { color: #616e7c; font-size: .9rem; }
                input[type=password] { width: 100%; padding: .5rem; font-family: monospace; box-sizing: border-box; }
                button { margin-top: 1rem; padding: .5rem 1.2rem; } .error { color: #b42318; }
              </style>
            </head>
            <body>
              <h1>Đăng nhập hệ thống theo dõi thực hiện Quy chế dân chủ ở cơ sở</h1>
              <p class="en" lang="en">Sign in to the grassroots-democracy compliance tracker</p>
              {{message}}
              <form method="post" action="/signin">
                <input type="hidden" name="{{tokens.FormFieldName}}" value="{{WebUtility.HtmlEncode(tokens.RequestToken)}}">
                <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(returnUrl ?? "")}}">
                <label for="key">Khóa truy cập (API key) <span class="en" lang="en">— paste the key you were given</span></label>
                <input id="key" name="key" type="password" autocomplete="off" required autofocus>
                <button id="signin" type="submit">Đăng nhập <span lang="en">/ Sign in</span></button>
              </form>
              <p class="en">Khóa do quản trị viên cấp bằng lệnh <code>qcdc keys create</code>. <span lang="en">Keys are issued by an administrator with <code>qcdc keys create</code>.</span></p>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
