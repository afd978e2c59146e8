namespace QcdcCompliance.Host.Security;

/// <summary>
/// The page a browser is shown when its signed-in user's role may not use what it asked for (a reporting officer
/// posting a sign-off, an auditor posting an upload), or when it asked too often (the review report's downloads). The
/// dashboard supplies it; the API keeps its ProblemDetails.
/// </summary>
public interface IRefusalPage
{
    Task WriteAsync(HttpContext context);

    /// <summary>
    /// The 429 page: at most <paramref name="permits"/> requests a minute (<paramref name="reports"/>: of the review
    /// report), and when to try again (<paramref name="retryAfter"/> seconds, when the limiter says).
    /// </summary>
    Task WriteTooManyAsync(HttpContext context, int permits, bool reports, int? retryAfter);
}

public static class RefusalPages
{
    /// <summary>
    /// A request from a browser rather than a program: outside <c>/api</c>, and either signed in by the session cookie
    /// (<paramref name="signedIn"/>: only the sign-in form gives one, so whatever it accepts it is a browser's, or a
    /// person's replaying it) unless it asks for JSON alone (a script in the page), asking for HTML, or sending a form.
    /// A script that accepts JSON (or sends any other body) gets the API's ProblemDetails.
    /// </summary>
    public static bool WantsPage(HttpRequest request, bool signedIn = false) =>
        !ApiProblem.IsApi(request)
        && (request.HasFormContentType || Accepts(request, "text/html") || (signedIn && !Accepts(request, "json")));

    private static bool Accepts(HttpRequest request, string type) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains(type, StringComparison.OrdinalIgnoreCase));
}
