using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.IdentityModel.Tokens;

namespace QcdcCompliance.Host.Security;

/// <summary>Settings of section <c>Authentication:Jwt</c>: tokens from an external issuer, off unless set.</summary>
public sealed class JwtSettings
{
    /// <summary>The issuer's OpenID Connect authority (its signing keys are discovered from it).</summary>
    public string? Authority { get; set; }
    public string? Issuer { get; set; }
    public string? Audience { get; set; }

    /// <summary>A shared HMAC key (base64), for an issuer without discovery.</summary>
    public string? SigningKey { get; set; }

    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The token's claim holding the role (auditor, committee, reporter, admin).</summary>
    public string RoleClaim { get; set; } = "qcdc_role";

    /// <summary>The token's claim holding the code of the area the holder is bound to.</summary>
    public string AreaClaim { get; set; } = "qcdc_area";

    public string NameClaim { get; set; } = "name";

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(SigningKey);
}

/// <summary>
/// Authentication and authorisation of <c>qcdc serve</c>: API keys, a browser session cookie signed in with a key, and
/// by setting JWT bearer tokens; every principal carries <see cref="QcdcClaims"/>. Policies per role
/// (<see cref="QcdcPolicies"/>), a rate limit per principal, and a log line for every refused access.
/// </summary>
public static class QcdcSecurity
{
    public const string Scheme = "Qcdc";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string JwtScheme = JwtBearerDefaults.AuthenticationScheme;
    public const string CookieName = ".qcdc.session";

    public static WebApplicationBuilder AddQcdcSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var jwt = builder.Configuration.GetSection("Authentication:Jwt").Get<JwtSettings>() ?? new JwtSettings();
        services.AddHttpContextAccessor();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<BrowserSessions>();
        services.AddScoped<Caller>();
        services.AddAntiforgery();

        var authentication = services.AddAuthentication(o =>
            {
                o.DefaultScheme = Scheme;
                o.DefaultChallengeScheme = Scheme;
            })
            .AddPolicyScheme(Scheme, "API key, session cookie or bearer token", o => o.ForwardDefaultSelector = context => SchemeFor(context, jwt))
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/signin";
                o.LogoutPath = "/signout";
                o.ReturnUrlParameter = "returnUrl";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = ValidateSessionAsync;
                o.Events.OnRedirectToLogin = context => ApiProblem.IsApi(context.Request)
                    ? ApiProblem.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Sign in required", "The session has ended; sign in again.")
                    : Redirect(context);
                // Signed in but not allowed: signing in again would not help, so no redirect; except a reporting officer
                // opening a dashboard page, which is sent to its workspace. A browser (the session cookie is only ever a
                // browser's, outside /api) is shown the 403 page in the user's language with a link to its own pages.
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    if (!ApiProblem.IsApi(context.Request) && HttpMethods.IsGet(context.Request.Method) && context.HttpContext.User.RoleOf() == Role.Reporter
                        && !context.Request.Path.StartsWithSegments("/workspace"))
                    {
                        // The language and the period of the link followed go along (a link sent by e-mail or bookmarked).
                        var query = context.Request.Query;
                        var kept = new[] { "period", "lang" }.Where(k => !string.IsNullOrWhiteSpace(query[k])).Select(k => $"{k}={Uri.EscapeDataString(query[k].ToString())}").ToList();
                        context.Response.Redirect(kept.Count == 0 ? "/workspace" : "/workspace?" + string.Join('&', kept));
                        return Task.CompletedTask;
                    }

                    if (RefusalPages.WantsPage(context.Request, signedIn: true) && context.HttpContext.RequestServices.GetService<IRefusalPage>() is { } page)
                    {
                        context.Response.StatusCode = StatusCodes.Status403Forbidden;
                        return page.WriteAsync(context.HttpContext);
                    }

                    return ApiProblem.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Not allowed", "Your role may not do this.");
                };
            });
        if (jwt.Enabled)
            authentication.AddJwtBearer(JwtScheme, o => ConfigureJwt(o, jwt));

        services.AddAuthorization(o =>
        {
            o.DefaultPolicy = new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().RequireClaim(QcdcClaims.AreaId).Build();
            foreach (var (name, roles) in QcdcPolicies.Roles)
            {
                o.AddPolicy(name, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireClaim(QcdcClaims.AreaId)
                    .RequireRole(roles.Select(QcdcClaims.RoleName)));
            }
        });
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, RefusalLoggingResultHandler>();

        var permits = builder.Configuration.GetValue("Api:RateLimit:PermitsPerMinute", 600);
        var reports = builder.Configuration.GetValue("Dashboard:ReportsPerMinute", 10);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(QcdcPolicies.RateLimit, context => RateLimitPartition.GetFixedWindowLimiter(PartitionOf(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.AddPolicy(QcdcPolicies.ReportRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(PartitionOf(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = reports, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = async (rejected, ct) =>
            {
                var context = rejected.HttpContext;
                var forReport = context.Request.Path.StartsWithSegments("/report");
                var limit = forReport ? reports : permits;
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("QcdcCompliance.Security")
                    .LogWarning("Refused {Method} {Path} to {Principal}: rate limit of {Permits} requests a minute", context.Request.Method,
                        LogText.Escape(context.Request.Path.Value), context.User.Describe(), limit);
                int? seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? (int)Math.Ceiling(retry.TotalSeconds) : null;
                if (seconds is { } wait)
                    context.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
                // A signed-in browser (the session cookie, or a page or form asked for) is shown the dashboard's page in its
                // user's language, as a refused role is; a program keeps the ProblemDetails.
                if (RefusalPages.WantsPage(context.Request, signedIn: context.User.Identity?.AuthenticationType == CookieScheme)
                    && context.RequestServices.GetService<IRefusalPage>() is { } page)
                {
                    context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                    await page.WriteTooManyAsync(context, limit, forReport, seconds);
                    return;
                }

                await ApiProblem.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"At most {limit} requests a minute per key{(forReport ? " for the review report" : "")}; wait and try again.");
            };
        });
        return builder;
    }

    /// <summary>
    /// Authentication, the rate limit (after it, so that it counts per principal) and authorisation; before them, a route's
    /// escaped <c>{code}</c> is decoded (<see cref="RouteCodes"/>), so that every scope check meets the stored code.
    /// </summary>
    public static WebApplication UseQcdcSecurity(this WebApplication app)
    {
        app.Use(RouteCodes.DecodeAsync);
        app.UseAuthentication();
        app.Use(RefuseCrossSiteCookieWritesAsync);
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    /// <summary>
    /// A write to the API signed in by the session cookie must come from a page of this site: its Origin (or, without
    /// one, its Referer) must be this host. SameSite=Lax alone lets a sibling subdomain or an old browser through. Writes
    /// with an API key or a bearer token carry no ambient credential and are not concerned.
    /// </summary>
    private static Task RefuseCrossSiteCookieWritesAsync(HttpContext context, RequestDelegate next)
    {
        if (!ApiProblem.IsApi(context.Request) || HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            || HttpMethods.IsOptions(context.Request.Method) || context.User.Identity?.AuthenticationType != CookieScheme)
            return next(context);
        var origin = context.Request.Headers.Origin.FirstOrDefault() ?? context.Request.Headers.Referer.FirstOrDefault();
        var own = $"{context.Request.Scheme}://{context.Request.Host}";
        if (origin is not null && Uri.TryCreate(origin, UriKind.Absolute, out var from)
                               && string.Equals($"{from.Scheme}://{from.Authority}", own, StringComparison.OrdinalIgnoreCase))
            return next(context);
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("QcdcCompliance.Security")
            .LogWarning("Refused {Method} {Path} to {Principal}: a cookie-signed write from {Origin}, not from this site", context.Request.Method,
                LogText.Escape(context.Request.Path.Value), context.User.Describe(), LogText.Escape(origin ?? "no Origin"));
        return ApiProblem.WriteAsync(context, StatusCodes.Status403Forbidden, "Not allowed",
            "A write signed in by the browser session must come from this site (its Origin header); scripts and tools send an API key instead.");
    }

    private static string SchemeFor(HttpContext context, JwtSettings jwt)
    {
        if (ApiKeyAuthenticationHandler.Presented(context.Request) is not null)
            return ApiKeyAuthenticationHandler.SchemeName;
        if (context.Request.Headers.Authorization.FirstOrDefault() is { } authorization && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return jwt.Enabled ? JwtScheme : ApiKeyAuthenticationHandler.SchemeName;
        if (context.Request.Cookies.ContainsKey(CookieName))
            return CookieScheme;
        return ApiProblem.IsApi(context.Request) ? ApiKeyAuthenticationHandler.SchemeName : CookieScheme;
    }

    private static string PartitionOf(HttpContext context) =>
        context.User.PrincipalIdOf() ?? $"address:{context.Connection.RemoteIpAddress}";

    /// <summary>To the sign-in page on this site, as a path (the same whatever host name the browser used).</summary>
    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        var target = Uri.TryCreate(context.RedirectUri, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : context.RedirectUri;
        context.Response.Redirect(target);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A browser session stands for its key: re-read on every request, so revoking the key ends the session at once; and
    /// bound to the key's stored hash, to this install and to the key's session stamp (<see cref="BrowserSessions"/>), so
    /// a cookie of another install or database, or one signed out, is refused.
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.PrincipalIdOf();
        var ct = context.HttpContext.RequestAborted;
        var holder = id is not null && id.StartsWith("apikey:", StringComparison.Ordinal)
                     && int.TryParse(id.AsSpan("apikey:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var keyId)
            ? await context.HttpContext.RequestServices.GetRequiredService<ApiKeyStore>().FindActiveAsync(keyId, ct)
            : null;
        var sessions = context.HttpContext.RequestServices.GetRequiredService<BrowserSessions>();
        if (holder is null || !await sessions.HoldsAsync(context.Principal!, holder, ct))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
            return;
        }

        var principal = holder.Principal(CookieScheme);
        ((ClaimsIdentity)principal.Identity!).AddClaims(context.Principal!.Claims.Where(c => c.Type is BrowserSessions.InstallClaim or BrowserSessions.KeyCheckClaim or BrowserSessions.StampClaim));
        context.ReplacePrincipal(principal);
    }

    private static void ConfigureJwt(JwtBearerOptions o, JwtSettings jwt)
    {
        o.MapInboundClaims = false;
        o.Authority = string.IsNullOrWhiteSpace(jwt.Authority) ? null : jwt.Authority;
        o.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = !string.IsNullOrWhiteSpace(jwt.Issuer),
            ValidIssuer = jwt.Issuer,
            ValidateAudience = !string.IsNullOrWhiteSpace(jwt.Audience),
            ValidAudience = jwt.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            IssuerSigningKey = string.IsNullOrWhiteSpace(jwt.SigningKey) ? null : new SymmetricSecurityKey(Convert.FromBase64String(jwt.SigningKey)),
            NameClaimType = jwt.NameClaim,
        };
        o.Events = new JwtBearerEvents
        {
            OnTokenValidated = context => MapTokenAsync(context, jwt),
            OnChallenge = async context =>
            {
                context.HandleResponse();
                context.Response.Headers.WWWAuthenticate = "Bearer, ApiKey";
                await ApiProblem.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Sign in required",
                    "The bearer token is missing, invalid or expired, or does not name a known role and area.");
            },
            OnForbidden = context => ApiProblem.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Not allowed", "Your role may not do this."),
        };
    }

    /// <summary>The issuer's claims become <see cref="QcdcClaims"/>: its role claim, and its area claim looked up by code.</summary>
    private static async Task MapTokenAsync(TokenValidatedContext context, JwtSettings jwt)
    {
        var token = context.Principal!;
        var roleText = token.FindFirstValue(jwt.RoleClaim);
        var areaText = token.FindFirstValue(jwt.AreaClaim)?.Trim().ToUpperInvariant();
        if (!Enum.TryParse<Role>(roleText, ignoreCase: true, out var role) || !Enum.IsDefined(role) || string.IsNullOrEmpty(areaText))
        {
            context.Fail($"the token has no valid '{jwt.RoleClaim}' and '{jwt.AreaClaim}' claims");
            return;
        }

        var contexts = context.HttpContext.RequestServices.GetRequiredService<IDbContextFactory<QcdcDbContext>>();
        await using var db = await contexts.CreateDbContextAsync(context.HttpContext.RequestAborted);
        var area = await db.Areas.AsNoTracking().Where(a => a.Code == areaText).Select(a => new { a.Id, a.Code }).SingleOrDefaultAsync(context.HttpContext.RequestAborted);
        if (area is null)
        {
            context.Fail($"the token's area {areaText} is not a known area");
            return;
        }

        var subject = token.FindFirstValue("sub") ?? "?";
        var issuer = token.FindFirstValue("iss") ?? jwt.Issuer ?? "?";
        var identity = QcdcClaims.Identity(token.FindFirstValue(jwt.NameClaim) ?? subject, role, area.Id, area.Code, JwtScheme);
        identity.AddClaim(new Claim(QcdcClaims.PrincipalId, $"jwt:{issuer}|{subject}"));
        context.Principal = new ClaimsPrincipal(identity);
    }
}

/// <summary>Logs every request refused for want of credentials or of a role, with the principal (never the key), then refuses it.</summary>
internal sealed class RefusalLoggingResultHandler(ILogger<RefusalLoggingResultHandler> log) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Challenged)
        {
            // The handler keeps its result for the request: this asks again for why, without reading the key again.
            var failure = (await context.AuthenticateAsync()).Failure?.Message ?? "no credentials";
            log.LogWarning("Refused {Method} {Path} from {Address}: not signed in ({Reason})", context.Request.Method, LogText.Escape(context.Request.Path.Value),
                context.Connection.RemoteIpAddress, failure);
        }
        else if (result.Forbidden)
        {
            log.LogWarning("Refused {Method} {Path} to {Principal}: its role may not do this", context.Request.Method, LogText.Escape(context.Request.Path.Value),
                context.User.Describe());
        }

        await _default.HandleAsync(next, context, policy, result);
    }
}
