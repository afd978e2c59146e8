using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace QcdcCompliance.Host.Security;

/// <summary>Writes a ProblemDetails body where no endpoint result does (authentication, authorization, rate limits).</summary>
public static class ApiProblem
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        if (context.Response.HasStarted)
            return;
        context.Response.StatusCode = status;
        var problem = new ProblemDetailsContext { HttpContext = context, ProblemDetails = { Status = status, Title = title, Detail = detail } };
        // The service writes the API's problems whatever the client accepts (Api.AnyAcceptProblemWriter); a page's only for
        // a client that accepts JSON, and one that asked for something else is refused all the same, in the one error format
        // there is (WriteAsync would throw, and the refusal would become a 500).
        if (!await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(problem))
            await context.Response.WriteAsJsonAsync(problem.ProblemDetails, options: null, contentType: "application/problem+json");
    }

    /// <summary>The body of a bare status code (an unknown route, a method not allowed) under <c>/api</c>, whatever the client accepts.</summary>
    public static Task WriteStatusAsync(StatusCodeContext context)
    {
        var status = context.HttpContext.Response.StatusCode;
        var request = context.HttpContext.Request;
        // A 415 of the API is worded where bodies are bound (Api.BindingProblems), before it reaches here.
        var detail = $"{request.Method} {request.Path} answered {status}.";
        return WriteAsync(context.HttpContext, status, ReasonPhrases.GetReasonPhrase(status), detail);
    }

    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    /// <summary>The extension that carries a problem's own Vietnamese to <c>Api.ProblemLanguage</c>, which removes it before writing.</summary>
    public const string OwnVietnamese = "qcdc:vi";

    /// <summary>
    /// The problem's detail (and the error that repeats it) as the place that raised it words it in Vietnamese, written
    /// instead of the English when the request does not prefer English; <c>Api.ProblemLanguage</c>'s tables word the rest.
    /// </summary>
    public static TProblem InVietnamese<TProblem>(this TProblem problem, string? vietnamese) where TProblem : ProblemDetails
    {
        if (vietnamese is not null)
            problem.Extensions[OwnVietnamese] = vietnamese;
        return problem;
    }

    /// <inheritdoc cref="InVietnamese{TProblem}(TProblem, string?)"/>
    public static ProblemHttpResult InVietnamese(this ProblemHttpResult result, string? vietnamese)
    {
        result.ProblemDetails.InVietnamese(vietnamese);
        return result;
    }
}
