namespace QcdcCompliance.Host.Workspace;

/// <summary>
/// The reporting officers' workspace at <c>/workspace</c>, behind the host's sign-in: reporters (their own area),
/// committees and administrators. Storing values (the upload and a unit's entry form) takes the import policy, as
/// <c>POST /api/imports/values</c> does: a committee member sees the pages but is refused the forms (403). The forms
/// check their antiforgery token themselves, so that a refusal is a page.
/// </summary>
public static class WorkspaceRegistration
{
    public static WebApplication MapQcdcWorkspace(this WebApplication app)
    {
        var pages = app.MapGroup("/workspace").RequireAuthorization(QcdcPolicies.Workspace).ExcludeFromDescription();
        pages.MapGet("", WorkspacePages.Home);
        pages.MapGet("/template", WorkspacePages.Template);
        pages.MapGet("/upload", WorkspacePages.UploadForm).RequireAuthorization(QcdcPolicies.Import);
        pages.MapPost("/upload", WorkspacePages.Upload).RequireAuthorization(QcdcPolicies.Import).DisableAntiforgery().RequireRateLimiting(QcdcPolicies.RateLimit);
        pages.MapGet("/units/{code}", WorkspacePages.Unit);
        pages.MapPost("/units/{code}", WorkspacePages.SaveUnit).RequireAuthorization(QcdcPolicies.Import).DisableAntiforgery().RequireRateLimiting(QcdcPolicies.RateLimit);
        return app;
    }
}
