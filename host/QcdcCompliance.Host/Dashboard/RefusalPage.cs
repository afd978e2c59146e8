namespace QcdcCompliance.Host.Dashboard;

/// <summary>
/// The 403 page a browser gets when its user's role may not use a page or a form: the same page as the dashboard's
/// 404 and 400, in the user's language, linking to the user's own pages (the workspace for a reporting officer).
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
}
