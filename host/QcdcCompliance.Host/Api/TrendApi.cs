using Microsoft.AspNetCore.Http.HttpResults;
using QcdcCompliance.Decisions;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Security;

namespace QcdcCompliance.Host.Api;

/// <summary><c>GET /api/compliance/trend?area=&amp;target=</c>: a target over an area in every evaluated period, with the changes.</summary>
public static class TrendApi
{
    public static RouteGroupBuilder MapTrendApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/compliance").WithTags("Compliance").RequireAuthorization(QcdcPolicies.Read);
        group.MapGet("/trend", Get).WithName("GetTrend")
            .WithSummary("A target over an area (default: yours) in every evaluated period since the first: figures, standing, change against the previous period and the same period of the year before; across the lineage")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Results<Ok<Trend>, ProblemHttpResult>> Get(string? area, string? target, Caller caller, TrendQueries trends, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(target))
            return Caller.BadRequest("target is required (e.g. ?target=NQ02-6b)");
        var scope = await caller.ScopeAsync(ct);
        var within = scope.Root;
        if (area is not null)
        {
            if (scope.Tree.Find(area) is not { } asked)
                return Caller.NotFound($"area {area}");
            if (!scope.Contains(asked.Id) && asked.Id != scope.Root.Id)
                return caller.Outside($"area {area}");
            within = asked;
        }

        try
        {
            return TypedResults.Ok(await trends.ForAsync(within.Code, target, ct));
        }
        catch (EvaluationRequestException e)
        {
            return Caller.BadRequest(e.Message);
        }
    }
}
