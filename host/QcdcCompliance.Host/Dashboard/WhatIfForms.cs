using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using QcdcCompliance.Decisions;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Host.Dashboard.Pages;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;

namespace QcdcCompliance.Host.Dashboard;

/// <summary>
/// The dashboard's what-if (<c>/whatif</c>): a proposed target set, uploaded or pasted (the JSON of <c>qcdc import
/// targets</c>), evaluated on a period's stored data over an area of the principal's, as <c>qcdc whatif</c> and
/// <c>POST /api/whatif</c> do; committee members and administrators only; the form carries an antiforgery token;
/// nothing is stored, who asked is logged.
/// </summary>
public static class WhatIfForms
{
    /// <summary>Who may ask: as the API's what-if (committee, administrators).</summary>
    public static bool MayAsk(Role? role) => role is Role.Committee or Role.Admin or Role.NationalAdmin;

    public static bool MayAsk(HttpContext http) => MayAsk(http.User.RoleOf());

    public static async Task<IResult> FormAsync(HttpContext http, string? period, string? area, OverviewQueries overviews,
        IDbContextFactory<QcdcDbContext> contexts, TimeProvider clock, CancellationToken ct)
    {
        var view = DashboardView.For(http);
        if (!MayAsk(http))
            return NotAllowed(view);
        if (await DashboardScope.ForAsync(http, contexts, ct) is not { } scope)
            return DashboardPages.Message(view, view.T("Không có quyền", "Forbidden"), view.T("Tài khoản đăng nhập không gắn với địa bàn nào.", "The account is bound to no area."), 403);
        if (scope.Resolve(area, period) is not { } chosen)
            return UnknownArea(view, area);
        var periods = await overviews.PeriodsAsync(scope.Province(DisplayFormat.LocalDay(clock.GetUtcNow())).Id, ct);
        return DashboardPages.Page<WhatIfPage>(view, new WhatIfModel(period ?? DefaultPeriod(periods), chosen.Code, chosen.Name, periods));
    }

    public static async Task<IResult> EvaluateAsync(HttpContext http, IAntiforgery antiforgery, WhatIfService whatIf, OverviewQueries overviews,
        IDbContextFactory<QcdcDbContext> contexts, TimeProvider clock, ILogger<WhatIfService> log, CancellationToken ct)
    {
        var view = DashboardView.For(http);
        if (!MayAsk(http))
            return NotAllowed(view);
        if (!await SignOffForms.ValidTokenAsync(antiforgery, http))
            return DashboardPages.Message(view, view.T("Yêu cầu không hợp lệ", "Bad request"),
                view.T("Biểu mẫu đã hết hạn (thiếu mã chống giả mạo); tải lại trang và gửi lại.", "The form has expired (its antiforgery token is missing); reload the page and send it again."), 400);
        if (await DashboardScope.ForAsync(http, contexts, ct) is not { } scope)
            return DashboardPages.Message(view, view.T("Không có quyền", "Forbidden"), view.T("Tài khoản đăng nhập không gắn với địa bàn nào.", "The account is bound to no area."), 403);
        if (http.Request.ContentLength is > WhatIfApi.MaxBodyBytes * 2)
            return DashboardPages.Message(view, view.T("Tệp quá lớn", "Too large"),
                view.T($"Bộ chỉ tiêu tối đa {WhatIfApi.MaxBodyBytes:N0} byte.", $"A target set is at most {WhatIfApi.MaxBodyBytes:N0} bytes."), 413);

        var form = await http.Request.ReadFormAsync(ct);
        var (period, area, pasted) = (form["period"].ToString().Trim(), form["area"].ToString(), form["targets"].ToString());
        if (scope.Resolve(area, period) is not { } chosen)
            return UnknownArea(view, area);
        var periods = await overviews.PeriodsAsync(scope.Province(DisplayFormat.LocalDay(clock.GetUtcNow())).Id, ct);
        var model = new WhatIfModel(period, chosen.Code, chosen.Name, periods) { Pasted = pasted };

        string file;
        byte[] proposal;
        if (form.Files.GetFile("file") is { Length: > 0 } upload)
        {
            if (upload.Length > WhatIfApi.MaxBodyBytes)
                return DashboardPages.Page<WhatIfPage>(view, model with { Error = view.T($"Tệp quá lớn; bộ chỉ tiêu tối đa {WhatIfApi.MaxBodyBytes:N0} byte.", $"The file is too large; a target set is at most {WhatIfApi.MaxBodyBytes:N0} bytes.") }, 413);
            file = Path.GetFileName(upload.FileName);
            proposal = new byte[upload.Length];
            await using var stream = upload.OpenReadStream();
            await stream.ReadExactlyAsync(proposal, ct);
        }
        else if (!string.IsNullOrWhiteSpace(pasted))
        {
            file = "bo-chi-tieu-de-xuat.json";
            proposal = Encoding.UTF8.GetBytes(pasted);
        }
        else
        {
            return DashboardPages.Page<WhatIfPage>(view, model with
            {
                Error = view.T("Chưa chọn tệp hoặc dán bộ chỉ tiêu đề xuất (JSON).", "Choose a file or paste the proposed target set (JSON)."),
            }, 400);
        }

        try
        {
            var result = await whatIf.EvaluateAsync(new WhatIfRequest(period, file, proposal, chosen.Code, http.User.Describe()) { MayName = a => scope.MayName(a.Id) }, ct);
            log.LogInformation("What-if by {Principal} from the dashboard: {Set} on {Period} over {Area}", http.User.Describe(), result.Set, result.Period, chosen.Code);
            return DashboardPages.Page<WhatIfPage>(view, model with { Result = result, File = file });
        }
        catch (ImportRejectedException e)
        {
            return DashboardPages.Page<WhatIfPage>(view, model with { File = e.File, Problems = e.Problems.Select(ProblemLine.Of).ToList(), NotListed = e.NotListed }, 422);
        }
        catch (EvaluationRequestException e)
        {
            return DashboardPages.Page<WhatIfPage>(view, model with
            {
                Error = view.T($"Chưa đánh giá được: kỳ {period} chưa có số liệu đã đánh giá, hoặc mã kỳ không đúng (ví dụ 2020S1, 2020).", e.Message),
            }, 400);
        }
    }

    private static string? DefaultPeriod(IReadOnlyList<EvaluatedPeriod> periods) =>
        (periods.Where(p => p.Type == PeriodType.Year).MaxBy(p => p.End) ?? periods.FirstOrDefault())?.Code;

    private static Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult NotAllowed(DashboardView view) =>
        DashboardPages.Message(view, view.T("Không có quyền", "Forbidden"),
            view.T("Chỉ thành viên Ban Chỉ đạo và quản trị viên được thử bộ chỉ tiêu đề xuất.", "Only committee members and administrators try a proposed target set."), 403);

    private static Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult UnknownArea(DashboardView view, string? area) =>
        DashboardPages.Message(view, view.T("Không tìm thấy", "Not found"),
            view.T($"Không có địa bàn {area} trong phạm vi của bạn.", $"There is no area {area} in your area."), 404);
}

/// <summary>The what-if page: the form (period, area, the proposal pasted or uploaded) and, after a POST, the comparison or why there is none.</summary>
public sealed record WhatIfModel(string? Period, string AreaCode, string AreaName, IReadOnlyList<EvaluatedPeriod> Periods)
{
    public string? Pasted { get; init; }
    public string? File { get; init; }
    public WhatIfResult? Result { get; init; }
    public string? Error { get; init; }
    public IReadOnlyList<ProblemLine> Problems { get; init; } = [];
    public long NotListed { get; init; }

    /// <summary>Units listed per target (those whose standing changes first); the CLI and the API give them all.</summary>
    public const int UnitsListed = 100;
}
