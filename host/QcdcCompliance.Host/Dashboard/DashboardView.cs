using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using QcdcCompliance.Reports;

namespace QcdcCompliance.Host.Dashboard;

/// <summary>
/// What every page needs besides its figures: the language (Vietnamese unless <c>?lang=en</c>), the signed-in
/// principal, and links that keep the language so that any view can be bookmarked and sent.
/// </summary>
public sealed class DashboardView(ReportLanguage language, string userName, string path, IReadOnlyDictionary<string, string?> query,
    AntiforgeryTokenSet? antiforgery = null)
{
    /// <summary>The sign-out form's token (signing out is a POST with it, never a link).</summary>
    public AntiforgeryTokenSet? Antiforgery { get; } = antiforgery;

    public ReportLanguage Language { get; } = language;
    public ReportWording W { get; } = ReportWording.For(language);
    public DisplayFormat F => W.Format;
    public string UserName { get; } = userName;
    public string LangCode => Language == ReportLanguage.En ? "en" : "vi";

    /// <summary>A link to <paramref name="target"/> with the given query values (nulls left out) and the current language.</summary>
    public string Href(string target, params (string Key, string? Value)[] values)
    {
        var pairs = values.Where(v => !string.IsNullOrEmpty(v.Value)).ToList();
        if (Language == ReportLanguage.En)
            pairs.Add(("lang", "en"));
        if (pairs.Count == 0)
            return target;
        var text = new StringBuilder(target).Append('?');
        text.AppendJoin('&', pairs.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value!)}"));
        return text.ToString();
    }

    /// <summary>This page in the other language.</summary>
    public string SwitchLanguage()
    {
        var pairs = query.Where(kv => kv.Key != "lang" && !string.IsNullOrEmpty(kv.Value)).Select(kv => (kv.Key, kv.Value)).ToList();
        if (Language == ReportLanguage.Vi)
            pairs.Add(("lang", "en"));
        return pairs.Count == 0 ? path : path + "?" + string.Join('&', pairs.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value!)}"));
    }

    public string T(string vi, string en) => W.T(vi, en);

    public static DashboardView For(HttpContext http) => new(
        ReviewReports.ParseLanguage(http.Request.Query["lang"]),
        http.User.Identity?.Name ?? "",
        http.Request.Path.Value ?? "/",
        http.Request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString()),
        http.RequestServices.GetService<IAntiforgery>()?.GetAndStoreTokens(http));
}
