using QcdcCompliance.Submissions;

namespace QcdcCompliance.Host.Dashboard;

/// <summary>The words of the workspace and the dashboard for where a report stands.</summary>
public static class SubmissionWords
{
    public static string State(DashboardView view, SubmissionState state) => state switch
    {
        SubmissionState.OnTime => view.T("Đủ, đúng hạn", "Complete, on time"),
        SubmissionState.Late => view.T("Đủ, trễ hạn", "Complete, late"),
        SubmissionState.Partial => view.T("Chưa đủ", "Partial"),
        _ => view.T("Chưa báo cáo", "Missing"),
    };

    public static string Css(SubmissionState state) => state switch
    {
        SubmissionState.OnTime => "met",
        SubmissionState.Late => "late",
        SubmissionState.Partial => "partial",
        _ => "short",
    };

    public static string DaysLeft(DashboardView view, int days) => days switch
    {
        > 0 => view.T($"còn {days} ngày đến hạn nộp", $"{days} day(s) left to the deadline"),
        0 => view.T("hôm nay là hạn nộp", "the deadline is today"),
        _ => view.T($"đã quá hạn {-days} ngày", $"{-days} day(s) past the deadline"),
    };

    /// <summary>Complete over expected, as a percentage with one decimal (truncated, as the dashboard writes shares), or a dash.</summary>
    public static string Rate(DashboardView view, int complete, int expected) => expected == 0 ? "–" : view.F.Percent(complete, expected);
}
