using System.Text;
using QcdcCompliance.Decisions;
using QcdcCompliance.Import;

namespace QcdcCompliance.Host.Api;

/// <summary>
/// <c>POST /api/whatif</c>: a proposed target set (the body, as the JSON of <c>qcdc import targets</c>) evaluated on a
/// period's stored data over the caller's area (or an area inside it), compared with the stored evaluation. Stores
/// nothing; who asked is logged.
/// </summary>
public static class WhatIfApi
{
    /// <summary>A target set is a few kilobytes; anything much larger is not one.</summary>
    public const long MaxBodyBytes = 1 << 20;

    public static RouteGroupBuilder MapWhatIfApi(this IEndpointRouteBuilder api)
    {
        var group = api.Resource("/whatif", "Decisions", QcdcPolicies.Evaluate);
        group.MapPost("/", Evaluate)
            .Accepts<byte[]>("application/json", "text/plain", "application/octet-stream")
            .Produces<WhatIfDto>()
            .WithMetadata(new AlsoAnswers(false, "text/csv"))
            .Described("WhatIf",
                "Evaluate a proposed target set (the body, JSON) on the stored data of ?period= over ?area= (default: yours): per target and subject the standing now and under the proposal; Accept: text/csv for the CLI's CSV. Stores nothing",
                StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge)
            .ProducesRefusedFile();
        return group;
    }

    public static async Task<Results<Ok<WhatIfDto>, ContentHttpResult, ProblemHttpResult>> Evaluate(
        string? period, string? area, string? file, string? format, HttpContext context, Caller caller, WhatIfService whatIf, PeriodCalendar calendar,
        ImportSettings settings, CancellationToken ct)
    {
        if (!PeriodCode.TryParse(period, out var code))
            return Caller.InvalidPeriod(period);
        var (within, refusal) = await caller.AreaAsync(area, calendar.Create(code).End, ct);
        if (within is null)
            return refusal!;

        if (context.Request.ContentLength is > MaxBodyBytes)
            return caller.Refused(StatusCodes.Status413PayloadTooLarge, "The target set is too large", $"a target set is at most {MaxBodyBytes:N0} bytes");
        byte[] body;
        try
        {
            body = await ImportsApi.ReadBodyAsync(context, MaxBodyBytes, ct);
        }
        catch (Exception e) when (e is ImportsApi.BodyTooLargeException or BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return caller.Refused(StatusCodes.Status413PayloadTooLarge, "The target set is too large", $"a target set is at most {MaxBodyBytes:N0} bytes");
        }

        try
        {
            var scope = await caller.ScopeAsync(ct);
            var result = await whatIf.EvaluateAsync(new WhatIfRequest(code.Code, string.IsNullOrWhiteSpace(file) ? "targets.json" : Path.GetFileName(file), body,
                within.Code, caller.Label) { MayName = a => scope.MayName(a.Id) }, ct);
            var wantsCsv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
                           || context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));
            return wantsCsv
                ? TypedResults.Text(WhatIfCsv.Write(result), "text/csv", Encoding.UTF8)
                : TypedResults.Ok(WhatIfJson.Of(result));
        }
        catch (ImportRejectedException e)
        {
            return ImportsApi.Refusal(e, settings);
        }
        catch (EvaluationRequestException e)
        {
            return Caller.BadRequest(e.Message);
        }
    }
}
