using QcdcCompliance.Decisions;

namespace QcdcCompliance.Host.Api;

/// <summary><c>GET /api/compliance/trend?area=&amp;target=</c>: a target over an area in every evaluated period, with the changes.</summary>
public static class TrendApi
{
    public static RouteGroupBuilder MapTrendApi(this IEndpointRouteBuilder api)
    {
        var group = api.Resource("/compliance", "Compliance", QcdcPolicies.Read);
        group.MapGet("/trend", Get)
            .Described("GetTrend",
                "A target over an area (default: yours) in every evaluated period since the first: figures, standing, change against the previous period and the same period of the year before; across the lineage",
                StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Results<Ok<Trend>, ProblemHttpResult>> Get(string? area, string? target, Caller caller, TrendQueries trends, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(target))
            return Caller.Invalid("target", "target is required (e.g. ?target=NQ02-6b)").InVietnamese("cần có chỉ tiêu (target), ví dụ ?target=NQ02-6b");
        var scope = await caller.ScopeAsync(ct);
        return await caller.AnswerAsync(area, null, async within => TypedResults.Ok(await trends.ForAsync(within.Code, target, ct, scope.MayKnowSet)), ct);
    }
}
