namespace QcdcCompliance.Host.Security;

/// <summary>
/// The <c>{code}</c> of a route as the code it names. A unit code may hold '/' (the units import allows it), which a
/// link escapes as <c>%2F</c>; ASP.NET Core decodes every escape of a path but that one, so the handlers met
/// <c>SN-HT-A%2FB</c> and answered that no such unit was in the user's area. A stored code never holds '%', so a
/// '%' in the value can only be an escape: decoded here once, for every route (units, areas, targets; page and API).
/// </summary>
public static class RouteCodes
{
    public const string Name = "code";

    /// <summary>The code as stored: the route value with its escapes decoded.</summary>
    public static string Decode(string code) => code.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(code) : code;

    /// <summary>Decodes the matched route's <c>{code}</c> before its handler binds it (placed after routing).</summary>
    public static Task DecodeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.RouteValues.TryGetValue(Name, out var value) && value is string code && code.Contains('%', StringComparison.Ordinal))
            context.Request.RouteValues[Name] = Decode(code);
        return next(context);
    }
}
