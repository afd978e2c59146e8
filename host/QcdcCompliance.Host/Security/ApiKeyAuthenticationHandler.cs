using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace QcdcCompliance.Host.Security;

/// <summary>
/// Signs a request in with an API key from <c>X-Api-Key</c> or <c>Authorization: Bearer|ApiKey qcdc_...</c>. The key is
/// looked up on every request, so revocation takes effect at once. Failures never echo the key.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Presented(Request) is not { } key)
            return AuthenticateResult.NoResult();
        var holder = await keys.AuthenticateAsync(key, Context.RequestAborted);
        return holder is null
            ? AuthenticateResult.Fail("the API key is not valid, or was revoked")
            : AuthenticateResult.Success(new AuthenticationTicket(holder.Principal(SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "ApiKey, Bearer";
        return ApiProblem.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Sign in required",
            $"Send an API key (from 'qcdc keys create') in the {Header} header or as 'Authorization: Bearer <key>'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblem.WriteAsync(Context, StatusCodes.Status403Forbidden, "Not allowed", "Your role may not do this.");

    /// <summary>The key a request carries, if it carries one.</summary>
    public static string? Presented(HttpRequest request)
    {
        if (request.Headers[Header].FirstOrDefault() is { Length: > 0 } header)
            return header.Trim();
        var authorization = request.Headers.Authorization.FirstOrDefault();
        foreach (var scheme in new[] { "ApiKey ", "Bearer " })
        {
            if (authorization is not null && authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                var value = authorization[scheme.Length..].Trim();
                if (scheme == "ApiKey " || value.StartsWith(ApiKeyStore.Marker, StringComparison.Ordinal))
                    return value;
            }
        }

        return null;
    }
}
