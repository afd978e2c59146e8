using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace QcdcCompliance.Host.Api;

/// <summary>
/// Writes a problem of the API for a client that accepts no JSON (<c>Accept: text/csv</c> alone, as for the findings'
/// CSV). The framework's writer declines those, and what wrote the problem past it skipped
/// <see cref="ProblemDetailsOptions.CustomizeProblemDetails"/>: the refusal came in English, whatever the request's
/// language (<see cref="ProblemLanguage"/>). Registered after the framework's writer, it writes only what that one
/// declines, with the same customisation, as the API's one error format.
/// </summary>
public sealed class AnyAcceptProblemWriter(IOptions<ProblemDetailsOptions> options, IOptions<JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => ApiProblem.IsApi(context.HttpContext.Request);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var (http, problem) = (context.HttpContext, context.ProblemDetails);
        return new(http.Response.WriteAsJsonAsync(problem, problem.GetType(), json.Value.SerializerOptions, "application/problem+json", http.RequestAborted));
    }
}
