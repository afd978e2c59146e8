using Microsoft.AspNetCore.Http.HttpResults;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Security;
using QcdcCompliance.Submissions;

namespace QcdcCompliance.Host.Api;

/// <summary>
/// Who has reported, who is late and who has not started, in the caller's area (or an area inside it) for a period:
/// units expected by their duties, complete on time, late, partial, missing; the reporting rate and its trend.
/// </summary>
public static class CompletenessApi
{
    public static RouteGroupBuilder MapCompletenessApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/completeness").WithTags("Completeness").RequireAuthorization(QcdcPolicies.Reference);
        group.MapGet("/", GetCompleteness).WithName("GetCompleteness")
            .WithSummary("Units expected to report in the period (by their duties): on time, late, partial, missing; per child area; the rate over past periods")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Results<Ok<CompletenessView>, ProblemHttpResult>> GetCompleteness(
        [AsParameters] PeriodAreaQuery query, Caller caller, CompletenessQueries completeness, CancellationToken ct)
    {
        var (period, area) = (query.Period!, query.Area);
        var (asked, refusal) = await caller.AreaAsync(area, null, ct);
        if (asked is null)
            return refusal!;

        try
        {
            return TypedResults.Ok(await completeness.ForAreaAsync(period, asked.Code, ct));
        }
        catch (EvaluationRequestException e)
        {
            return Caller.BadRequest(e.Message);
        }
    }
}
