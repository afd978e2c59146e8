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
        var group = api.Resource("/templates", "Templates", QcdcPolicies.Workspace);
        group.MapGet("/", GetTemplate)
            .WithMetadata(new AlsoAnswers(true, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv"), new ParameterValues("format", "xlsx", "csv"))
            .Described("GetTemplate", "The reporting template of an area and period, XLSX (default) or CSV (?format=csv); fill it and send it to POST /api/imports/values",
                StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> GetTemplate(
        string? period, string? area, string? format, Caller caller, ReportingTemplates templates, CancellationToken ct)
    {
        if (period is null || !PeriodCode.TryParse(period, out _))
            return Caller.InvalidPeriod(period);
        if (!TemplateWriter.TryParseFormat(format, out var kind))
            return Caller.Invalid("format", $"format '{format}' is not xlsx or csv").InVietnamese($"format '{format}' không phải xlsx hoặc csv");
        return await caller.AnswerAsync(area, caller.LastDayOf(period), asked => FileAsync(templates, period, asked.Code, kind, ct), ct);
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
