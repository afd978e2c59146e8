using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using QcdcCompliance.Reports;

namespace QcdcCompliance.Host.Dashboard;

/// <summary>
/// What every page needs besides its figures: the language (Vietnamese unless <c>?lang=en</c>), the signed-in
/// principal, and links that keep the language so that any view can be bookmarked and sent.
/// </summary>
public sealed class DashboardView(ReportLanguage language, string userName, string path, IReadOnlyDictionary<string, string?> query,
    AntiforgeryTokenSet? antiforgery = null, Role? role = null)
{
    /// <summary>The signed-in role: the navigation offers only the pages it may open.</summary>
    public Role? Role { get; } = role;

    /// <summary>The dashboard's pages (overview, runs): committee members, auditors and administrators.</summary>
    public bool ReadsDashboard => Role is not Domain.Role.Reporter;

    /// <summary>The reporting workspace: reporting officers, committee members and administrators.</summary>
    public bool Reports => Role is not Domain.Role.Auditor;

    /// <summary>
    /// Whether the workspace offers its upload and entry forms: reporting officers and administrators, who may import
    /// values (<see cref="QcdcPolicies.Import"/>, as the API); a committee member reads the workspace only.
    /// </summary>
    public bool ImportsValues => Role is { } role && QcdcPolicies.Roles[QcdcPolicies.Import].Contains(role);

    /// <summary>Whether the principal may try a proposed target set (committee members and administrators).</summary>
    public bool AsksWhatIf => WhatIfForms.MayAsk(Role);

    /// <summary>Where the user's own pages start: the workspace for a reporting officer, the overview for the others.</summary>
    public string Home => ReadsDashboard ? Href("/") : Href("/workspace");

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

    /// <summary>A word or phrase as the first of a table cell or a line: its first letter in upper case.</summary>
    public static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>A period as a committee names it, capitalised ("6 tháng đầu năm 2020", "Năm 2020"); the code if it is not one.</summary>
    public string PeriodName(string code) => Capital(PeriodInSentence(code));

    /// <summary>A period's name in a list, said to be running ("6 tháng cuối năm 2026 (đang diễn ra)") when it is <paramref name="running"/>.</summary>
    public string PeriodName(string code, string? running) =>
        code == running ? $"{PeriodName(code)} ({T("đang diễn ra", "in progress")})" : PeriodName(code);

    /// <summary>A period named inside a sentence ("năm 2020", "the first half of 2020"); the code if it is not one.</summary>
    public string PeriodInSentence(string code) => W.PeriodName(code);

    /// <summary>Period codes in the order a committee reads them: within a year, the first half, the second half, then the year.</summary>
    public static IEnumerable<T> InPeriodOrder<T>(IEnumerable<T> items, Func<T, string> code) => items
        .Select(i => (Item: i, Parsed: PeriodCode.TryParseStored(code(i), out var p) ? p : default))
        .OrderBy(x => x.Parsed.Year).ThenBy(x => x.Parsed.Type == PeriodType.Year ? 1 : 0).ThenBy(x => x.Parsed.Number)
        .Select(x => x.Item);

    /// <summary>
    /// Period codes as every period selector lists them: the newest year first, and within a year the order a committee
    /// reads them (the first half, the second half, the year); one selector's order is every selector's.
    /// </summary>
    public static IEnumerable<T> InSelectorOrder<T>(IEnumerable<T> items, Func<T, string> code) => items
        .Select(i => (Item: i, Parsed: PeriodCode.TryParse(code(i), out var p) ? p : default))
        .OrderByDescending(x => x.Parsed.Year).ThenBy(x => x.Parsed.Type == PeriodType.Year ? 1 : 0).ThenBy(x => x.Parsed.Number)
        .Select(x => x.Item);

    public static DashboardView For(HttpContext http) => new(
        ReviewReports.ParseLanguage(http.Request.Query["lang"]),
        http.User.Identity?.Name ?? "",
        http.Request.Path.Value ?? "/",
        http.Request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString()),
        http.RequestServices.GetService<IAntiforgery>()?.GetAndStoreTokens(http),
        http.User.RoleOf());
}
