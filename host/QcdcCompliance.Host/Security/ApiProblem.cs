namespace QcdcCompliance.Host.Security;

/// <summary>Writes a ProblemDetails body where no endpoint result does (authentication, authorization, rate limits).</summary>
public static class ApiProblem
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        if (context.Response.HasStarted)
            return;
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");
}
