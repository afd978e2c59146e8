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
        var group = api.Resource("/completeness", "Completeness", QcdcPolicies.Reference);
        group.MapGet("/", GetCompleteness)
            .Described("GetCompleteness",
                "Units expected to report in the period (by their duties): on time, late, partial, missing; per child area; the rate over past periods",
                StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        return group;
    }

    public static Task<Results<Ok<CompletenessView>, ProblemHttpResult>> GetCompleteness(
        [AsParameters] PeriodAreaQuery query, Caller caller, CompletenessQueries completeness, CancellationToken ct) =>
        caller.AnswerAsync(query.Area, caller.LastDayOf(query.Period), async area => TypedResults.Ok(await completeness.ForAreaAsync(query.Period!, area.Code, ct)), ct);
}
