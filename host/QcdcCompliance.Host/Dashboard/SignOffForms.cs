using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using QcdcCompliance.Decisions;

namespace QcdcCompliance.Host.Dashboard;

/// <summary>
/// The overview's sign-off and reopen forms (POST with the page's antiforgery token): committee members of the area
/// only; back to the overview once recorded, or a page saying why not.
/// </summary>
public static class SignOffForms
{
    public static Task<IResult> SignOffAsync(HttpContext http, IAntiforgery antiforgery, SignOffService signOffs, ILogger<SignOffService> log) =>
        RecordAsync(SignOffKind.SignOff, http, antiforgery, signOffs, log);

    public static Task<IResult> ReopenAsync(HttpContext http, IAntiforgery antiforgery, SignOffService signOffs, ILogger<SignOffService> log) =>
        RecordAsync(SignOffKind.Reopen, http, antiforgery, signOffs, log);

    /// <summary>Whether a dashboard form's POST carries its page's antiforgery token (a missing or broken one is not valid).</summary>
    public static async Task<bool> ValidTokenAsync(IAntiforgery antiforgery, HttpContext http)
    {
        try
        {
            return await antiforgery.IsRequestValidAsync(http);
        }
        catch (Exception e) when (e is AntiforgeryValidationException or InvalidDataException or BadHttpRequestException)
        {
            return false;
        }
    }

    private static async Task<IResult> RecordAsync(SignOffKind kind, HttpContext http, IAntiforgery antiforgery, SignOffService signOffs, ILogger<SignOffService> log)
    {
        var view = DashboardView.For(http);
        if (http.User.RoleOf() != Role.Committee)
            return DashboardPages.Message(view, view.T("Không có quyền", "Forbidden"), view.T("Chỉ thành viên Ban Chỉ đạo được ký duyệt hoặc mở lại.", "Only committee members sign off or reopen."), 403);
        if (!await ValidTokenAsync(antiforgery, http))
            return DashboardPages.Message(view, view.T("Yêu cầu không hợp lệ", "Bad request"), view.T("Biểu mẫu đã hết hạn; tải lại trang và gửi lại.", "The form has expired; reload the page and send it again."), 400);

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var (period, area, reason) = (form["period"].ToString(), form["area"].ToString(), form["reason"].ToString());
        var ct = http.RequestAborted;
        if (await DashboardScope.ForAsync(http, http.RequestServices.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<QcdcCompliance.Storage.QcdcDbContext>>(), ct) is not { } scope
            || scope.Resolve(area, period) is not { } chosen)
            return DashboardPages.Message(view, view.T("Không tìm thấy", "Not found"), view.T($"Không có địa bàn {area} trong phạm vi của bạn.", $"There is no area {area} in your area."), 404);
        // A refusal's page leads back to the overview the form was on: its area and period, in its language.
        var lang = form["lang"].ToString() == "en" || view.Language == Reports.ReportLanguage.En ? "&lang=en" : "";
        var back = string.Create(CultureInfo.InvariantCulture, $"/?period={Uri.EscapeDataString(period.Trim())}&area={Uri.EscapeDataString(chosen.Code)}{lang}#signoff");
        var backText = lang.Length > 0 ? "Back to the area's overview" : "Về trang tổng quan của địa bàn";
        if (kind == SignOffKind.Reopen && ReasonText.IsBlank(reason))
            return DashboardPages.Message(view, view.T("Chưa mở lại được", "Not reopened"),
                view.T("Mở lại cần ghi lý do: vì sao Ban Chỉ đạo mở lại số liệu đã ký duyệt. Quay lại, ghi lý do rồi gửi lại.",
                    "A reopening needs a reason: why the committee reopens the signed figures. Go back, write it and send again."), 400, back, backText);
        try
        {
            var outcome = kind == SignOffKind.SignOff
                ? await signOffs.SignOffAsync(period, chosen.Code, reason, http.User.Describe(), ct)
                : await signOffs.ReopenAsync(period, chosen.Code, reason, http.User.Describe(), ct);
            log.LogInformation("Write by {Principal}: {Action} {Detail}", http.User.Describe(), kind == SignOffKind.SignOff ? "signed off" : "reopened",
                $"{outcome.SignOff.Period} of {outcome.SignOff.Area} from the dashboard");
            return Results.Redirect(string.Create(CultureInfo.InvariantCulture,
                $"/?period={Uri.EscapeDataString(outcome.SignOff.Period)}&area={Uri.EscapeDataString(outcome.SignOff.Area)}{lang}#signoff"));
        }
        catch (Exception e) when (e is SignOffRefusedException or EvaluationRequestException)
        {
            var text = e switch
            {
                SignOffRefusedException refused => view.T(refused.SentenceVi, e.Message),
                EvaluationRequestException { MessageVi: { } vietnamese } => view.T(DashboardView.Capital(vietnamese) + ".", e.Message),
                _ => e.Message,
            };
            return DashboardPages.Message(view, kind == SignOffKind.SignOff ? view.T("Chưa ký duyệt được", "Not signed off") : view.T("Chưa mở lại được", "Not reopened"),
                text, 409, back, backText);
        }
    }
}
