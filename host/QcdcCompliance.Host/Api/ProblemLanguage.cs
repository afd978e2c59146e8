using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;

namespace QcdcCompliance.Host.Api;

/// <summary>
/// The API's problems (title, detail and the messages of <c>errors</c>) in the request's language: Vietnamese, as every
/// user-facing text of the product is first, unless <c>Accept-Language</c> prefers English. The endpoints word their
/// refusals once, in English (logs and the command line share the words); here the ones a client meets most (400,
/// 401, 403, 404, 409, 429, 503) are put into Vietnamese, as <c>ImportWording</c> does for the import's summaries. A
/// text without a Vietnamese wording here stays as written.
/// </summary>
public static class ProblemLanguage
{
    /// <summary>Whether the request prefers English: the first of its <c>Accept-Language</c> (by quality) that is <c>en</c> or <c>vi</c> decides.</summary>
    public static bool WantsEnglish(HttpRequest request)
    {
        var asked = request.GetTypedHeaders().AcceptLanguage
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value ?? "")
            .FirstOrDefault(l => IsLanguage(l, "en") || IsLanguage(l, "vi"));
        return asked is not null && IsLanguage(asked, "en");
    }

    /// <summary>For <c>ProblemDetailsOptions.CustomizeProblemDetails</c>: every problem the API writes through the problem details service.</summary>
    public static void Localize(ProblemDetailsContext context) => Localize(context.HttpContext, context.ProblemDetails);

    /// <summary>The problem in the request's language, with <c>Content-Language</c> saying which; the pages' problems are left alone.</summary>
    public static void Localize(HttpContext http, ProblemDetails problem)
    {
        // What the place that raised the problem wrote in Vietnamese (InVietnamese) is never written out as such.
        var own = problem.Extensions.Remove(Security.ApiProblem.OwnVietnamese, out var given) ? given as string : null;
        if (!Security.ApiProblem.IsApi(http.Request))
            return;
        http.Response.Headers.Append("Vary", "Accept-Language");
        var english = problem.Detail;
        string InVietnamese(string text) => own is not null && text == english ? own : Vietnamese(text);

        var errors = problem is HttpValidationProblemDetails validation ? validation.Errors
            : problem.Extensions.TryGetValue("errors", out var extension) ? extension as IDictionary<string, string[]> : null;

        // The detail (a validation's first error, where it has none) in Vietnamese whatever the language asked (messageVi,
        // as a sign-off's 409 carries it, where it words its own): a client that reads the English still has the words its
        // users read. None where no wording is known.
        if ((english ?? errors?.Values.SelectMany(e => e).FirstOrDefault()) is { } said && InVietnamese(said) is var vietnamese && vietnamese != said)
            problem.Extensions.TryAdd(MessageVi, vietnamese);
        if (WantsEnglish(http.Request))
        {
            http.Response.Headers.ContentLanguage = "en";
            return;
        }

        http.Response.Headers.ContentLanguage = "vi";
        problem.Title = problem.Title is { } title ? Vietnamese(title) : null;
        problem.Detail = problem.Detail is { } detail ? InVietnamese(detail) : null;
        if (errors is null)
            return;
        foreach (var key in errors.Keys.ToList())
            errors[key] = errors[key].Select(InVietnamese).ToArray();
    }

    /// <summary>The extension that carries a problem's detail in Vietnamese, whatever the request's language.</summary>
    public const string MessageVi = "messageVi";

    /// <summary>The Vietnamese of an English title or detail the API writes; the text itself when it has none.</summary>
    public static string Vietnamese(string english)
    {
        if (Exact.TryGetValue(english, out var title))
            return title;
        foreach (var (pattern, word) in Details)
        {
            if (pattern.Match(english) is { Success: true } match)
                return word(match);
        }

        return english;
    }

    private static bool IsLanguage(string tag, string language) =>
        tag.Equals(language, StringComparison.OrdinalIgnoreCase) || tag.StartsWith(language + "-", StringComparison.OrdinalIgnoreCase);

    /// <summary>Titles, and the details written always the same.</summary>
    private static readonly Dictionary<string, string> Exact = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Not found"] = "Không tìm thấy",
        ["Bad request"] = "Yêu cầu không hợp lệ",
        ["One or more validation errors occurred."] = "Yêu cầu có giá trị không hợp lệ.",
        ["Sign in required"] = "Cần đăng nhập",
        ["Unauthorized"] = "Cần đăng nhập",
        ["Not allowed"] = "Không được phép",
        ["Forbidden"] = "Không được phép",
        ["Too many requests"] = "Quá nhiều yêu cầu",
        ["Too many imports"] = "Quá nhiều lượt nhập",
        ["Conflict"] = "Xung đột",
        ["Not signed off"] = "Chưa ký duyệt được",
        ["Not reopened"] = "Chưa mở lại được",
        ["Not a current finding"] = "Không phải phát hiện hiện hành",
        ["Not a completed run"] = "Không phải lần đánh giá đã hoàn tất",
        ["The file was refused; nothing was stored"] = "Tệp bị từ chối; không có gì được lưu",
        ["Unsupported Media Type"] = "Kiểu nội dung không được hỗ trợ",
        ["Method Not Allowed"] = "Phương thức không được hỗ trợ",
        ["Content Too Large"] = "Nội dung quá lớn",
        ["Payload Too Large"] = "Nội dung quá lớn",
        ["Service Unavailable"] = "Dịch vụ tạm thời không sẵn sàng",
        ["Your role may not do this."] = "Vai trò của bạn không được làm việc này.",
        ["The session has ended; sign in again."] = "Phiên đăng nhập đã hết; hãy đăng nhập lại.",
        ["The bearer token is missing, invalid or expired, or does not name a known role and area."] =
            "Token (bearer) bị thiếu, không hợp lệ hoặc đã hết hạn, hoặc không nêu một vai trò và địa bàn đã biết.",
        ["A write signed in by the browser session must come from this site (its Origin header); scripts and tools send an API key instead."] =
            "Một thao tác ghi bằng phiên đăng nhập của trình duyệt phải đến từ chính trang này (header Origin); script và công cụ hãy gửi khóa API.",
        [Hosting.DatabaseOutage.Detail] = "Không kết nối được cơ sở dữ liệu (có thể đang khởi động lại hoặc chuyển máy chủ); yêu cầu này chưa được lưu gì. Hãy thử lại sau ít phút.",
        ["period is required (e.g. ?period=2020S1)"] = "cần có kỳ (period), ví dụ ?period=2020S1",
        [Paging.LimitRange] = "limit từ 1 đến 1000; xem tiếp theo 'next'",
        ["cursor is not one this API gave; start again without it"] = "cursor không phải do API này cấp; hãy bắt đầu lại không có cursor",
        [FindingsApi.RunTakes] = "run là mã số của một lần đánh giá, số nguyên từ 1 (như /api/runs và runId của một lần ký duyệt cho biết)",
        ["area is an area code of at most 64 characters"] = "area là mã địa bàn dài tối đa 64 ký tự",
        ["the request has no body; send a JSON object (Content-Type: application/json)"] = "yêu cầu không có nội dung; hãy gửi một đối tượng JSON (Content-Type: application/json)",
    };

    /// <summary>What a refusal names, in Vietnamese: "area HT" is "địa bàn HT".</summary>
    private static string Thing(string english)
    {
        if (Regex.Match(english, @"^(?<kind>area|unit|run|finding|target|period|set|template) (?<name>.+)$", RegexOptions.Singleline) is not { Success: true } m)
            return english;
        var kind = m.Groups["kind"].Value switch
        {
            "area" => "địa bàn",
            "unit" => "đơn vị",
            "run" => "lần đánh giá",
            "finding" => "phát hiện",
            "target" => "chỉ tiêu",
            "period" => "kỳ",
            "set" => "bộ chỉ tiêu",
            _ => "mẫu biểu",
        };
        return $"{kind} {m.Groups["name"].Value}";
    }

    /// <summary>The details that name what was asked, tried in order.</summary>
    private static readonly (Regex Pattern, Func<Match, string> Word)[] Details =
    [
        (new(@"^(?<what>.+) is unknown or outside your area\.$"), m => $"{Thing(m.Groups["what"].Value)} không tồn tại hoặc nằm ngoài địa bàn của bạn."),
        (new(@"^period (?<code>\S+) has not been evaluated; there is nothing to read yet\.$"), m => $"kỳ {m.Groups["code"].Value} chưa được đánh giá; chưa có gì để xem."),
        (new(@"^'(?<text>.*)' is not a period; write 2020 \(year\), 2020S1 or 2020S2 \(half-years\)$", RegexOptions.Singleline),
            m => $"'{m.Groups["text"].Value}' không phải mã kỳ; hãy viết 2020 (năm), 2020S1 hoặc 2020S2 (6 tháng)"),
        (new(@"^(?<name>\w+) '(?<value>.*)' is not a whole number from 1 to (?<max>\d+)$", RegexOptions.Singleline),
            m => $"{m.Groups["name"].Value} '{m.Groups["value"].Value}' không phải số nguyên từ 1 đến {m.Groups["max"].Value}"),
        (new(@"^(?<name>\w+) '(?<value>.*)' is not a whole number$", RegexOptions.Singleline), m => $"{m.Groups["name"].Value} '{m.Groups["value"].Value}' không phải số nguyên"),
        (new(@"^(?<name>\w+) '(?<value>.*)' is not a date written yyyy-mm-dd that exists \(e\.g\. 2025-07-01\)$", RegexOptions.Singleline),
            m => $"{m.Groups["name"].Value} '{m.Groups["value"].Value}' không phải một ngày có thật viết dạng yyyy-mm-dd (ví dụ 2025-07-01)"),
        (new(@"^Send an API key \(from 'qcdc keys create'\) in the (?<header>\S+) header or as 'Authorization: Bearer <key>'\.$"),
            m => $"Hãy gửi khóa API (tạo bằng 'qcdc keys create') trong header {m.Groups["header"].Value} hoặc dạng 'Authorization: Bearer <key>'."),
        (new(@"^At most (?<limit>\d+) requests a minute per key(?<report> for the review report)?; wait and try again\.$"),
            m => $"Mỗi khóa được tối đa {m.Groups["limit"].Value} yêu cầu mỗi phút{(m.Groups["report"].Success ? " cho báo cáo sơ kết, tổng kết" : "")}; hãy chờ rồi thử lại."),
        (new(@"^(?<method>[A-Z]+) (?<path>\S+) answered (?<status>\d+)\.$"), m => $"{m.Groups["method"].Value} {m.Groups["path"].Value} trả về {m.Groups["status"].Value}."),
    ];
}
