using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
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
        // Signing out changes state: a POST with the form's antiforgery token, never a GET another site can trigger.
        app.MapGet("/signout", ShowSignOut).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/signout", SignOutAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static IResult Show(HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
        Page(context, antiforgery, returnUrl, error: false, StatusCodes.Status200OK);

    private static async Task<IResult> SignInAsync(HttpContext context, IAntiforgery antiforgery, ApiKeyStore keys, BrowserSessions sessions, ILogger<ApiKeyStore> log)
    {
        // Checked here rather than by the form binder: the form is read by hand so that the key never reaches a model.
        if (!await ValidFormAsync(antiforgery, context))
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
        ((System.Security.Claims.ClaimsIdentity)principal.Identity!).AddClaims(await sessions.ClaimsAsync(holder, context.RequestAborted));
        await context.SignInAsync(QcdcSecurity.CookieScheme, principal);
        log.LogInformation("Write by {Principal}: {Action} {Detail}", principal.Describe(), "signed in", $"from {context.Connection.RemoteIpAddress}");
        // A reporting officer has no dashboard: it lands on its workspace.
        return Results.Redirect(LocalPath(returnUrl) ?? (principal.RoleOf() == Domain.Role.Reporter ? "/workspace" : "/"));
    }

    private static IResult ShowSignOut(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return Results.Content(Html("Đăng xuất · QCDC", $$"""
              <h1>Đăng xuất</h1>
              <p class="en" lang="en">Sign out</p>
              <form method="post" action="/signout">
                <input type="hidden" name="{{tokens.FormFieldName}}" value="{{WebUtility.HtmlEncode(tokens.RequestToken)}}">
                <button id="signout" type="submit">Đăng xuất <span lang="en">/ Sign out</span></button>
              </form>
            """), "text/html; charset=utf-8");
    }

    /// <summary>Ends the session here and everywhere else it was opened with the same key (a new session stamp), then forgets the cookie.</summary>
    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery, BrowserSessions sessions, ILogger<ApiKeyStore> log)
    {
        if (!await ValidFormAsync(antiforgery, context))
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request",
                detail: "Sign out with the button of a dashboard page (the form's token was missing or has expired); reload the page.");
        var who = (await context.AuthenticateAsync(QcdcSecurity.CookieScheme)).Principal;
        if (who?.PrincipalIdOf() is { } id && id.StartsWith("apikey:", StringComparison.Ordinal)
            && int.TryParse(id.AsSpan("apikey:".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var keyId))
            await sessions.EndAsync(keyId, context.RequestAborted);
        await context.SignOutAsync(QcdcSecurity.CookieScheme);
        if (who is not null)
            log.LogInformation("Write by {Principal}: {Action} {Detail}", who.Describe(), "signed out", "");
        return Results.Redirect("/signin");
    }

    /// <summary>Whether the form carries a valid token; a form that cannot even be read (a NUL in a field) is no valid form either.</summary>
    private static async Task<bool> ValidFormAsync(IAntiforgery antiforgery, HttpContext context)
    {
        try
        {
            return await antiforgery.IsRequestValidAsync(context);
        }
        catch (Exception e) when (e is AntiforgeryValidationException or InvalidDataException or BadHttpRequestException)
        {
            return false;
        }
    }

    /// <summary>
    /// The return address if it is a path on this site, else null. Browsers drop tabs and line breaks inside a URL and
    /// read '\' as '/', so "/\t/evil.example" or "/\\evil.example" would leave the site: any control character, blank
    /// or backslash refuses it, as does anything but one leading '/'. Characters beyond ASCII (a unit code such as ĐX)
    /// are percent-encoded as UTF-8: a Location header holds ASCII only, and the route decodes them back.
    /// </summary>
    public static string? LocalPath(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > 2048 || url[0] != '/')
            return null;
        foreach (var c in url)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\' || c is '\u200B' or '\uFEFF')
                return null;
        }

        if (url.Length > 1 && url[1] == '/')
            return null;
        return PercentEncodeBeyondAscii(url) is { } local && Uri.TryCreate(local, UriKind.Relative, out _) ? local : null;
    }

    /// <summary>The text with every character beyond ASCII written as its UTF-8 bytes in %XX; null when it holds half a surrogate pair.</summary>
    private static string? PercentEncodeBeyondAscii(string text)
    {
        if (Ascii.IsValid(text))
            return text;
        var encoded = new StringBuilder(text.Length * 3);
        Span<byte> bytes = stackalloc byte[4];
        for (var at = 0; at < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(at), out var rune, out var used) != OperationStatus.Done)
                return null;
            if (rune.IsAscii)
            {
                encoded.Append((char)rune.Value);
            }
            else
            {
                var count = rune.EncodeToUtf8(bytes);
                foreach (var b in bytes[..count])
                    encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }

            at += used;
        }

        return encoded.ToString();
    }

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, string? returnUrl, bool error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var message = error
            ? """<p class="error" role="alert">Khóa không hợp lệ hoặc đã bị thu hồi.<br><span lang="en">The key is not valid, or was revoked.</span></p>"""
            : "";
        var body = $$"""
              <h1>Đăng nhập hệ thống theo dõi thực hiện Quy chế dân chủ ở cơ sở</h1>
              <p class="en" lang="en">Sign in to the grassroots-democracy compliance tracker</p>
              {{message}}
              <form method="post" action="/signin">
                <input type="hidden" name="{{tokens.FormFieldName}}" value="{{WebUtility.HtmlEncode(tokens.RequestToken)}}">
                <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(LocalPath(returnUrl) ?? "")}}">
                <label for="key">Khóa truy cập (API key) <span class="en" lang="en">— paste the key you were given</span></label>
                <input id="key" name="key" type="password" autocomplete="off" required autofocus>
                <button id="signin" type="submit">Đăng nhập <span lang="en">/ Sign in</span></button>
              </form>
              <p class="en" id="no-key">Chưa có khóa, hoặc khóa bị mất? Hãy liên hệ quản trị viên hệ thống hoặc quản trị viên của Ban Chỉ đạo để được cấp khóa. <span lang="en">No key, or lost it? Ask the system's or the committee's administrator for one.</span></p>
            """;
        return Results.Content(Html("Đăng nhập · QCDC", body), "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>A page of its own (no inline style or script: the Content-Security-Policy allows neither).</summary>
    private static string Html(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="vi">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>{{title}}</title>
          <link rel="stylesheet" href="/dashboard.css">
        </head>
        <body class="signin">
        {{body}}
        </body>
        </html>
        """;
}
