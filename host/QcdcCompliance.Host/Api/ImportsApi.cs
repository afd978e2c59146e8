using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Security;
using QcdcCompliance.Import;

namespace QcdcCompliance.Host.Api;

public sealed record TouchedScopeDto(string Period, string Scope);

public sealed record ImportResultDto(ImportKind Kind, string File, int Rows, int Inserted, int Updated, int Unchanged, IReadOnlyList<TouchedScopeDto> Touched);

/// <summary>
/// Imports through the same <see cref="ImportService"/> as the CLI: the body is a CSV, XLSX or JSON file, read and
/// checked whole, stored whole or refused with 422 and every problem listed. A principal imports units and values
/// only inside its own area; areas only an administrator bound to a province.
/// </summary>
public static class ImportsApi
{
    public const long MaxBody = 512L * 1024 * 1024;

    public static RouteGroupBuilder MapImportsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/imports").WithTags("Imports").RequireAuthorization(QcdcPolicies.Import);
        group.MapPost("/{kind}", Import).WithName("Import")
            .WithSummary("Import areas, units or values: the request body is the file (Content-Type text/csv, application/json or the XLSX type); ?file= names it in problems")
            .Accepts<byte[]>("text/csv", "application/json", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/plain",
                "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return group;
    }

    public static async Task<Results<Ok<ImportResultDto>, ProblemHttpResult>> Import(
        string kind, string? file, HttpContext context, Caller caller, ImportService imports, TimeProvider clock, CancellationToken ct)
    {
        if (!ImportService.TryParseKind(kind, out var what) || what is not (ImportKind.Areas or ImportKind.Units or ImportKind.Values))
            return Caller.NotFound($"import kind '{kind}' (use areas, units or values)");
        var scope = await caller.ScopeAsync(ct);
        int? restrict = scope.Root.Id;
        if (what == ImportKind.Areas)
        {
            if (caller.Role != Role.Admin || scope.Root.Level != AreaLevel.Province)
                return caller.Forbidden("areas can only be imported by an administrator bound to a province");
            restrict = null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = MaxBody;
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, ct);
        var name = FileName(what, file, context.Request.ContentType);
        try
        {
            var summary = await imports.ImportAsync(what, name, body.ToArray(), new ImportContext(caller.Label, clock) { RestrictToAreaId = restrict }, ct);
            caller.Wrote($"imported {what.ToString().ToLowerInvariant()}", summary.ToString());
            return TypedResults.Ok(new ImportResultDto(summary.Kind, summary.File, summary.Rows, summary.Inserted, summary.Updated, summary.Unchanged,
                summary.TouchedScopes.Select(s => new TouchedScopeDto(s.Period, s.Scope)).ToList()));
        }
        catch (ImportRejectedException e)
        {
            caller.Wrote($"refused {what.ToString().ToLowerInvariant()} import", $"{e.File}: {e.Problems.Count} problem(s), nothing stored");
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The file was refused; nothing was stored",
                detail: $"{e.File}: {e.Problems.Count} problem(s). Fix them and send the whole file again.",
                extensions: new Dictionary<string, object?>
                {
                    ["problems"] = e.Problems.Select(p => new { p.File, p.Row, p.Column, p.Message, Text = p.ToString() }).ToList(),
                });
        }
    }

    /// <summary>The name problems are reported against: ?file= if given, else the kind with the extension of the content type.</summary>
    private static string FileName(ImportKind kind, string? file, string? contentType)
    {
        if (!string.IsNullOrWhiteSpace(file))
            return Path.GetFileName(file.Trim());
        var media = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        var extension = media switch
        {
            "text/csv" => ".csv",
            "application/json" => ".json",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => ".xlsx",
            _ => "", // told apart by its first bytes
        };
        return kind.ToString().ToLowerInvariant() + extension;
    }
}
