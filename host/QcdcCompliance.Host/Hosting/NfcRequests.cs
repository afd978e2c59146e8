using System.Text;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;

namespace QcdcCompliance.Host.Hosting;

/// <summary>
/// A request's path and query as NFC, before any endpoint is chosen: codes and names are stored in NFC (every import
/// normalises them), and a browser or a program on a system that writes decomposed Unicode (macOS's file names, a
/// copied "Xã" as X + a + combining tilde) sends the same code in NFD, which would answer 404 for one's own unit.
/// </summary>
internal static class NfcRequests
{
    public static Task NormaliseAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (request.Path.Value is { } path && Nfc(path) is { } normalPath)
            request.Path = new PathString(normalPath);
        if (request.QueryString.HasValue && NfcQuery(request.QueryString.Value!) is { } normalQuery)
            request.QueryString = normalQuery;
        return next(context);
    }

    /// <summary>The text in NFC when it is not already; null when it is (or cannot be normalised: an unpaired surrogate stays as sent).</summary>
    private static string? Nfc(string text)
    {
        try
        {
            return text.IsNormalized(NormalizationForm.FormC) ? null : text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static QueryString? NfcQuery(string query)
    {
        var pairs = QueryHelpers.ParseQuery(query);
        if (pairs.All(p => Nfc(p.Key) is null && p.Value.All(v => v is null || Nfc(v) is null)))
            return null;
        var builder = new QueryBuilder();
        foreach (var (key, values) in pairs)
        {
            foreach (var value in values)
                builder.Add(Nfc(key) ?? key, value is null ? "" : Nfc(value) ?? value);
        }

        return builder.ToQueryString();
    }
}
