namespace QcdcCompliance.Host.Dashboard;

/// <summary>
/// The 403 page a browser gets when its user's role may not use a page or a form, and the 429 page when it asked too
/// often: the same page as the dashboard's 404 and 400, in the user's language, linking to the user's own pages (the
/// workspace for a reporting officer).
/// </summary>
public sealed class DashboardRefusalPage : IRefusalPage
{
    public Task WriteAsync(HttpContext context)
    {
        var view = DashboardView.For(context);
        return DashboardPages.Message(view, view.T("Không có quyền", "Forbidden"),
            view.T("Tài khoản đăng nhập không được dùng chức năng này. Nếu cần, hãy đề nghị quản trị viên cấp quyền phù hợp.",
                "Your account may not use this. Ask an administrator for the right role if you need it."), StatusCodes.Status403Forbidden)
            .ExecuteAsync(context);
    }

    /// <summary>The 429 page: how many requests a minute a key may make, and in how many seconds to try again.</summary>
    public Task WriteTooManyAsync(HttpContext context, int permits, bool reports, int? retryAfter)
    {
        var view = DashboardView.For(context);
        var (whatVi, whatEn) = reports ? ("lượt tải báo cáo", "report downloads") : ("yêu cầu", "requests");
        var (whenVi, whenEn) = retryAfter is { } seconds
            ? ($"Hãy thử lại sau {seconds} giây.", $"Try again in {seconds} second{(seconds == 1 ? "" : "s")}.")
            : ("Hãy thử lại sau một phút.", "Try again in a minute.");
        return DashboardPages.Message(view, view.T("Quá nhiều yêu cầu", "Too many requests"),
            view.T($"Mỗi tài khoản được tối đa {permits} {whatVi} mỗi phút. {whenVi}", $"Each key may make at most {permits} {whatEn} a minute. {whenEn}"),
            StatusCodes.Status429TooManyRequests).ExecuteAsync(context);
    }
}
