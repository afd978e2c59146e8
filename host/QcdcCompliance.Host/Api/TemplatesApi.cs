using Microsoft.AspNetCore.Http.HttpResults;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Security;
using QcdcCompliance.Submissions;

namespace QcdcCompliance.Host.Api;

/// <summary>
/// The reporting template of the caller's area (or an area inside it) for a period: one row per unit active in it, one
/// column per indicator asked, what is not asked greyed and locked, the values stored filled in (<c>qcdc template</c>).
/// Reporting officers, committees and administrators; an area outside answers as an unknown one.
/// </summary>
public static class TemplatesApi
{
    public static RouteGroupBuilder MapTemplatesApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/templates").WithTags("Templates").RequireAuthorization(QcdcPolicies.Workspace);
        group.MapGet("/", GetTemplate).WithName("GetTemplate")
            .WithSummary("The reporting template of an area and period, XLSX (default) or CSV (?format=csv); fill it and send it to POST /api/imports/values")
            .Produces(StatusCodes.Status200OK, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> GetTemplate(
        string? period, string? area, string? format, Caller caller, ReportingTemplates templates, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(period))
            return Caller.BadRequest("period is required (e.g. ?period=2025S1)");
        if (!TemplateWriter.TryParseFormat(format, out var kind))
            return Caller.BadRequest($"format '{format}' is not xlsx or csv");
        var scope = await caller.ScopeAsync(ct);
        var asked = scope.Root;
        if (area is not null)
        {
            if (scope.Tree.Find(area) is not { } found)
                return Caller.NotFound($"area {area}");
            if (!scope.Contains(found.Id))
                return caller.Outside($"area {area}");
            asked = found;
        }

        try
        {
            return await FileAsync(templates, period, asked.Code, kind, ct);
        }
        catch (EvaluationRequestException e)
        {
            return Caller.BadRequest(e.Message);
        }
    }

    /// <summary>The template written to a temporary file (deleted when the response is sent), never held whole in memory.</summary>
    public static async Task<FileStreamHttpResult> FileAsync(ReportingTemplates templates, string period, string area, TemplateFormat format, CancellationToken ct)
    {
        var template = await templates.ForAreaAsync(period, area, ct);
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        try
        {
            TemplateWriter.Write(template, format, file);
            file.Position = 0;
            return TypedResults.File(file, TemplateWriter.ContentType(format), template.FileName(TemplateWriter.Extension(format)));
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }
}
