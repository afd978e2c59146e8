using QcdcCompliance.Host.Settings;

namespace QcdcCompliance.Host.Dashboard;

/// <summary>
/// The committee's dashboard at <c>/</c>: server-rendered pages behind the host's sign-in, in Vietnamese with an
/// English switch, with the review report to download. It writes only the committee's sign-offs (forms with an antiforgery token); its what-if form stores nothing.
/// </summary>
public static class DashboardRegistration
{
    /// <summary>Committee members, auditors and administrators read the dashboard; reporting officers import only.</summary>
    public const string Policy = "qcdc-dashboard";

    public static WebApplicationBuilder AddQcdcDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.RequireAuthenticatedUser()
                .RequireRole(QcdcClaims.RoleName(Role.Committee), QcdcClaims.RoleName(Role.Auditor), QcdcClaims.RoleName(Role.Admin),
                    QcdcClaims.RoleName(Role.NationalAdmin)));
        builder.Services.AddQcdcReports(builder.Configuration);
        builder.Services.AddSingleton<IRefusalPage, DashboardRefusalPage>();
        return builder;
    }

    public static WebApplication MapQcdcDashboard(this WebApplication app)
    {
        app.MapGet("/dashboard.css", Stylesheet).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/favicon.ico", Icon).AllowAnonymous().ExcludeFromDescription();
        // A page that does not exist (an empty 404 outside the API): for a signed-in reader, a Vietnamese page that says so.
        app.UseWhen(context => !Security.ApiProblem.IsApi(context.Request) && HttpMethods.IsGet(context.Request.Method),
            pages => pages.UseStatusCodePages(async context =>
            {
                if (context.HttpContext.Response.StatusCode == StatusCodes.Status404NotFound && context.HttpContext.User.Identity?.IsAuthenticated == true)
                    await DashboardPages.NotFound(context.HttpContext).ExecuteAsync(context.HttpContext);
            }));
        var pages = app.MapGroup("").RequireAuthorization(Policy).ExcludeFromDescription();
        pages.MapGet("/", DashboardPages.Overview);
        pages.MapGet("/targets/{code}", DashboardPages.Target);
        pages.MapGet("/units/{code}", DashboardPages.Unit);
        pages.MapGet("/runs", DashboardPages.Runs);
        // The id binds in the handler, as the API's (/api/runs/{id}): /runs/abc is then a page saying what a run number is, not a bare 404.
        pages.MapGet("/runs/{id}", DashboardPages.Run);
        pages.MapGet("/report", DashboardPages.Report).RequireRateLimiting(QcdcPolicies.ReportRateLimit);
        // The committee's sign-off forms: the antiforgery token is checked by the handler, as the sign-out form's is.
        pages.MapPost("/signoffs", SignOffForms.SignOffAsync).DisableAntiforgery();
        pages.MapPost("/signoffs/reopen", SignOffForms.ReopenAsync).DisableAntiforgery();
        // The what-if (committee, administrators): evaluates a proposal, stores nothing; its token is checked by the handler.
        pages.MapGet("/whatif", WhatIfForms.FormAsync);
        pages.MapPost("/whatif", WhatIfForms.EvaluateAsync).DisableAntiforgery();
        return app;
    }

    private static readonly Lazy<byte[]> Css = new(() =>
    {
        using var stream = typeof(DashboardRegistration).Assembly.GetManifestResourceStream("QcdcCompliance.Host.Dashboard.dashboard.css")
                           ?? throw new InvalidOperationException("the dashboard stylesheet is not embedded in the host assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    private static IResult Icon(HttpContext http)
    {
        http.Response.Headers.CacheControl = "public, max-age=86400";
        return TypedResults.Bytes(Favicon.Bytes.Value, "image/x-icon");
    }

    private static IResult Stylesheet(HttpContext http)
    {
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.Bytes(Css.Value, "text/css; charset=utf-8");
    }
}
