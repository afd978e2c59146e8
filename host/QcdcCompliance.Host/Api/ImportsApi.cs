using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using QcdcCompliance.Reports;
using QcdcCompliance.Import;
using QcdcCompliance.Import.Files;

namespace QcdcCompliance.Host.Api;

/// <summary>One problem of a refused file: where (file, row, column; the workbook's cell), what, and the same in Vietnamese.</summary>
public sealed record ImportProblemDto(
    string File, int Row, string Column, string Message, string Text, string? Cell, string? Unit, string? Indicator, string MessageVi, string? WhereVi);

/// <summary>The 422 of a refused file (a ProblemDetails): its first problems, and how many more were not listed.</summary>
public sealed record RefusedFileProblem(
    string? Type, string Title, int Status, string Detail, IReadOnlyList<ImportProblemDto> Problems, int ProblemsNotListed, string? TraceId);

public sealed record TouchedScopeDto(string Period, string Scope);

/// <summary>
/// What <c>POST /api/imports/{kind}</c> takes: the files of <see cref="ImportKind"/> without target sets, which are imported
/// by <c>qcdc import targets</c> and tried by <c>POST /api/whatif</c>, never through this endpoint. Its own type so the
/// OpenAPI document does not promise integrators a kind the endpoint refuses.
/// </summary>
public enum FileImportKind
{
    Areas = ImportKind.Areas,
    Lineage = ImportKind.Lineage,
    Units = ImportKind.Units,
    Values = ImportKind.Values,
}

/// <param name="Notes">What the import did beyond its counts that the sender should know (stored values that blank cells kept), in English.</param>
public sealed record ImportResultDto(FileImportKind Kind, string File, int Rows, int Inserted, int Updated, int Unchanged, IReadOnlyList<TouchedScopeDto> Touched,
    IReadOnlyList<string> Notes);

/// <summary>
/// Settings of section <c>Imports</c>: how big a body may be, how many imports run at once, and how much of a file is
/// read before it is refused (<see cref="ImportLimits"/>).
/// </summary>
public sealed class ImportSettings
{
    /// <summary>Bytes of one request body; a larger one is answered 413 (declared or chunked alike).</summary>
    public long MaxBodyBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Imports running at once in this process, whoever sends them; more are answered 429.</summary>
    public int MaxConcurrent { get; set; } = 2;

    /// <summary>Imports running at once for one principal (key or token).</summary>
    public int MaxConcurrentPerPrincipal { get; set; } = 1;

    public int MaxProblemsListed { get; set; } = ImportLimits.DefaultMaxProblems;
    public int MaxRows { get; set; } = ImportLimits.Default.MaxRows;
    public int MaxColumns { get; set; } = ImportLimits.Default.MaxColumns;
    public long MaxCells { get; set; } = ImportLimits.Default.MaxCells;
    public int MaxCellLength { get; set; } = ImportLimits.Default.MaxCellLength;
    public long MaxUnpackedBytes { get; set; } = ImportLimits.Default.MaxUnpackedBytes;

    public ImportLimits Limits() => new()
    {
        MaxRows = MaxRows, MaxColumns = MaxColumns, MaxCells = MaxCells, MaxCellLength = MaxCellLength, MaxUnpackedBytes = MaxUnpackedBytes,
        MaxProblems = MaxProblemsListed,
    };
}

/// <summary>Why an import waits (<see cref="ImportGate.TryEnter"/>), in English (as text) and in Vietnamese.</summary>
public sealed record ImportBusy(string English, string Vietnamese)
{
    public override string ToString() => English;
}

/// <summary>How many imports run at once, in all and per principal: each holds its file in memory while it is checked.</summary>
public sealed class ImportGate(ImportSettings settings)
{
    private readonly SemaphoreSlim _all = new(Math.Max(1, settings.MaxConcurrent));
    private readonly ConcurrentDictionary<string, int> _running = new(StringComparer.Ordinal);

    /// <summary>A slot for the principal, or null (and why) when it or the host is busy.</summary>
    public IDisposable? TryEnter(string principal, out ImportBusy? busy)
    {
        busy = null;
        var mine = _running.AddOrUpdate(principal, 1, (_, n) => n + 1);
        if (mine > Math.Max(1, settings.MaxConcurrentPerPrincipal))
        {
            Leave(principal);
            busy = new($"you have {settings.MaxConcurrentPerPrincipal} import(s) running already; wait for it to finish",
                $"bạn đang có {settings.MaxConcurrentPerPrincipal} lượt nhập chưa xong; hãy chờ lượt đó xong rồi gửi lại");
            return null;
        }

        if (!_all.Wait(0))
        {
            Leave(principal);
            busy = new($"{settings.MaxConcurrent} imports are running on this server; try again in a few seconds",
                $"máy chủ đang chạy {settings.MaxConcurrent} lượt nhập; hãy thử lại sau vài giây");
            return null;
        }

        return new Slot(this, principal);
    }

    private void Leave(string principal)
    {
        if (_running.AddOrUpdate(principal, 0, (_, n) => n - 1) <= 0)
            _running.TryRemove(new KeyValuePair<string, int>(principal, 0));
    }

    private sealed class Slot(ImportGate gate, string principal) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
                return;
            gate._all.Release();
            gate.Leave(principal);
        }
    }
}

/// <summary>
/// Imports through the same <see cref="ImportService"/> as the CLI: the body is a CSV, XLSX or JSON file, read and
/// checked whole, stored whole or refused with 422 and its problems listed (the first
/// <see cref="ImportSettings.MaxProblemsListed"/>, with the count of the rest). A principal imports units and values only
/// inside its own area; areas and lineage an administrator bound to a province, only inside it (wholly, at every date),
/// or a national administrator anywhere. A body over the limit is answered 413, a busy principal or host 429.
/// </summary>
public static class ImportsApi
{
    public static WebApplicationBuilder AddQcdcImports(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("Imports").Get<ImportSettings>() ?? new ImportSettings();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<ImportGate>();
        return builder;
    }

    /// <summary>The content types an import's body may have: the file itself, never a multipart form.</summary>
    public static readonly string[] BodyTypes =
        ["text/csv", "application/json", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/plain", "application/octet-stream"];

    /// <summary>The values the route's <c>{kind}</c> takes, as they are written in a request.</summary>
    private static readonly string[] KindValues = Enum.GetNames<FileImportKind>().Select(n => n.ToLowerInvariant()).ToArray();

    public static RouteGroupBuilder MapImportsApi(this IEndpointRouteBuilder api)
    {
        var group = api.Resource("/imports", "Imports", QcdcPolicies.Import);
        group.MapPost("/{kind}", Import)
            .WithMetadata(new ParameterValues("kind", KindValues))
            .Accepts<byte[]>(BodyTypes[0], BodyTypes[1..])
            .Described("Import",
                "Import areas, lineage, units or values: the request body is the file (Content-Type text/csv, application/json or the XLSX type); ?file= names it in problems",
                StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status429TooManyRequests)
            .ProducesRefusedFile();
        return group;
    }

    public static async Task<Results<Ok<ImportResultDto>, ProblemHttpResult>> Import(
        string kind, string? file, HttpContext context, Caller caller, ImportService imports, ImportSettings settings, ImportGate gate, TimeProvider clock,
        CancellationToken ct)
    {
        if (!ImportService.TryParseKind(kind, out var what) || !Enum.IsDefined((FileImportKind)what))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                    detail: $"import kind '{kind}' is unknown: use {string.Join(", ", KindValues[..^1])} or {KindValues[^1]} (e.g. POST /api/imports/values)")
                .InVietnamese($"không có loại nhập '{kind}': dùng {string.Join(", ", KindValues[..^1])} hoặc {KindValues[^1]} (ví dụ POST /api/imports/values)");
        var scope = await caller.ScopeAsync(ct);
        int? restrict = caller.Role == Role.NationalAdmin ? null : scope.Root.Id;
        if (what is ImportKind.Areas or ImportKind.Lineage && caller.Role != Role.NationalAdmin)
        {
            if (caller.Role != Role.Admin || scope.Root.Level != AreaLevel.Province)
                return caller.Forbidden($"{what.ToString().ToLowerInvariant()} can only be imported by an administrator bound to a province (inside it), or a national administrator")
                    .InVietnamese($"{(what == ImportKind.Areas ? "danh mục địa bàn" : "quan hệ kế thừa giữa các địa bàn (sáp nhập)")} chỉ được nhập bởi quản trị viên "
                                  + "gắn với một tỉnh (trong tỉnh đó) hoặc quản trị viên toàn quốc.");
        }

        if (context.Request.ContentLength is { } declared && declared > settings.MaxBodyBytes)
            return TooLarge(caller, declared, settings);
        using var slot = gate.TryEnter(context.User.PrincipalIdOf() ?? caller.Label, out var busy);
        if (slot is null)
        {
            context.Response.Headers.RetryAfter = "5";
            return caller.Refused(StatusCodes.Status429TooManyRequests, "Too many imports", $"{busy}.").InVietnamese($"{busy!.Vietnamese}.");
        }

        byte[] body;
        try
        {
            body = await ReadBodyAsync(context, settings.MaxBodyBytes, ct);
        }
        catch (BodyTooLargeException)
        {
            return TooLarge(caller, null, settings);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(caller, null, settings);
        }

        var name = FileName(what, file, context.Request.ContentType);
        try
        {
            var summary = await imports.ImportAsync(what, name, body, new ImportContext(caller.Label, clock) { RestrictToAreaId = restrict, Limits = settings.Limits() }, ct);
            caller.Wrote($"imported {what.ToString().ToLowerInvariant()}", summary.ToString());
            return TypedResults.Ok(new ImportResultDto((FileImportKind)summary.Kind, summary.File, summary.Rows, summary.Inserted, summary.Updated, summary.Unchanged,
                summary.TouchedScopes.Select(s => new TouchedScopeDto(s.Period, s.Scope)).ToList(), summary.Notes));
        }
        catch (ImportRejectedException e)
        {
            caller.Wrote($"refused {what.ToString().ToLowerInvariant()} import", $"{e.File}: {e.Total} problem(s), nothing stored");
            return Refusal(e, settings);
        }
    }

    /// <summary>
    /// Documents the 422 of a refused file with its <c>problems</c> and <c>problemsNotListed</c>: a bare ProblemDetails
    /// made generated clients drop exactly what a reporting tool must show.
    /// </summary>
    public static RouteHandlerBuilder ProducesRefusedFile(this RouteHandlerBuilder endpoint) =>
        endpoint.Produces<RefusedFileProblem>(StatusCodes.Status422UnprocessableEntity, "application/problem+json");

    /// <summary>A refused file as 422: the first problems listed, the rest counted.</summary>
    public static ProblemHttpResult Refusal(ImportRejectedException e, ImportSettings settings)
    {
        var listed = e.Problems.Take(settings.MaxProblemsListed).ToList();
        var notListed = e.Total - listed.Count;
        return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The file was refused; nothing was stored",
            detail: notListed > 0
                ? $"{e.File}: {e.Total} problem(s); the first {listed.Count} are listed. Fix them and send the whole file again."
                : $"{e.File}: {e.Total} problem(s). Fix them and send the whole file again.",
            extensions: new Dictionary<string, object?>
            {
                ["problems"] = listed.Select(p => new ImportProblemDto(p.File, p.Row, p.Column, p.Message, p.ToString(), p.Cell, p.Unit, p.Indicator,
                    ImportWording.Vietnamese(p, WordingSurface.Terminal), ImportWording.Where(p))).ToList(),
                ["problemsNotListed"] = notListed,
            }).InVietnamese(notListed > 0
                ? $"{e.File}: {e.Total} lỗi; {listed.Count} lỗi đầu tiên được liệt kê (problems, messageVi). Hãy sửa rồi gửi lại cả tệp."
                : $"{e.File}: {e.Total} lỗi (problems, messageVi). Hãy sửa rồi gửi lại cả tệp.");
    }

    /// <summary>
    /// The body, read once into an array of its own size when its length is declared (one copy of the file in memory),
    /// else in chunks counted against the limit, so that a chunked body over it is refused as soon as it passes it.
    /// </summary>
    public static async Task<byte[]> ReadBodyAsync(HttpContext context, long limit, CancellationToken ct)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit;
        var body = context.Request.Body;
        if (context.Request.ContentLength is { } length)
        {
            var exact = new byte[length];
            await body.ReadExactlyAsync(exact, ct);
            return exact;
        }

        var chunks = new List<byte[]>();
        long total = 0;
        while (true)
        {
            var chunk = new byte[1 << 20];
            var filled = 0;
            int read;
            while (filled < chunk.Length && (read = await body.ReadAsync(chunk.AsMemory(filled), ct)) > 0)
                filled += read;
            total += filled;
            if (total > limit)
                throw new BodyTooLargeException();
            if (filled < chunk.Length)
            {
                var whole = new byte[total];
                var at = 0;
                foreach (var full in chunks)
                {
                    full.CopyTo(whole, at);
                    at += full.Length;
                }

                Array.Copy(chunk, 0, whole, at, filled);
                return whole;
            }

            chunks.Add(chunk);
        }
    }

    private static ProblemHttpResult TooLarge(Caller caller, long? declared, ImportSettings settings) =>
        caller.Refused(StatusCodes.Status413PayloadTooLarge, "The file is too large",
            $"{(declared is { } d ? $"The body is {d.ToString("N0", CultureInfo.InvariantCulture)} bytes; t" : "T")}he limit is "
            + $"{settings.MaxBodyBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes (Imports:MaxBodyBytes). Split the file, or import it with 'qcdc import' on the server.");

    public sealed class BodyTooLargeException : Exception;

    /// <summary>The name problems are reported against: ?file= if given, else the kind with the extension of the content type.</summary>
    private static string FileName(ImportKind kind, string? file, string? contentType)
    {
        if (!string.IsNullOrWhiteSpace(file))
        {
            // Only the name, without control characters (it is echoed in problems and written in the audit table).
            var name = new string(Path.GetFileName(file.Trim()).Where(c => !char.IsControl(c)).Take(200).ToArray());
            if (name.Length > 0)
                return name;
        }

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
