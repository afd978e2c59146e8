namespace QcdcCompliance.Host.Api;

/// <summary>
/// How a resource declares its endpoints: one group per resource (its path, its tag in the OpenAPI document, the policy
/// of who may use it when one serves every endpoint), and each endpoint with its name, its summary and the problems it
/// may answer.
/// </summary>
public static class ApiEndpoints
{
    public static RouteGroupBuilder Resource(this IEndpointRouteBuilder api, string path, string tag, string? policy = null)
    {
        var group = api.MapGroup(path).WithTags(tag);
        return policy is null ? group : group.RequireAuthorization(policy);
    }

    public static RouteHandlerBuilder Described(this RouteHandlerBuilder endpoint, string name, string summary, params int[] problems)
    {
        endpoint.WithName(name).WithSummary(summary);
        foreach (var status in problems)
            endpoint.ProducesProblem(status);
        return endpoint;
    }

    /// <summary>
    /// An act of the committee (acknowledge, waive, sign off, reopen): its policy, 400 for a request that lacks what it
    /// must say (a reason, a period), 404 for what it cannot see, 409 for an act refused, 415 for a body that is not JSON.
    /// </summary>
    public static RouteHandlerBuilder CommitteeAct(this RouteHandlerBuilder endpoint, string name, string summary) =>
        endpoint.RequireAuthorization(QcdcPolicies.Act)
            .Described(name, summary, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status415UnsupportedMediaType).ProducesValidationProblem();
}
