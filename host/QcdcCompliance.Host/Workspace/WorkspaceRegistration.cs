namespace QcdcCompliance.Host.Workspace;

/// <summary>
/// The reporting officers' workspace at <c>/workspace</c>, behind the host's sign-in: reporters (their own area),
/// committees and administrators. The forms check their antiforgery token themselves, so that a refusal is a page.
/// </summary>
public static class WorkspaceRegistration
{
    public static WebApplication MapQcdcWorkspace(this WebApplication app)
    {
        var pages = app.MapGroup("/workspace").RequireAuthorization(QcdcPolicies.Workspace).ExcludeFromDescription();
        pages.MapGet("", WorkspacePages.Home);
        pages.MapGet("/template", WorkspacePages.Template);
        pages.MapGet("/upload", WorkspacePages.UploadForm);
        pages.MapPost("/upload", WorkspacePages.Upload).DisableAntiforgery().RequireRateLimiting(QcdcPolicies.RateLimit);
        pages.MapGet("/units/{code}", WorkspacePages.Unit);
        pages.MapPost("/units/{code}", WorkspacePages.SaveUnit).DisableAntiforgery().RequireRateLimiting(QcdcPolicies.RateLimit);
        return app;
    }
}
