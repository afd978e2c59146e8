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

    /// <summary>Days to or past the deadline; a deadline long past (a closed period) is said to be past, not counted.</summary>
    public static string DaysLeft(DashboardView view, int days) => days switch
    {
        > 0 => view.T($"còn {view.F.Number(days)} ngày đến hạn nộp", $"{view.F.Number(days)} day(s) left to the deadline"),
        0 => view.T("hôm nay là hạn nộp", "the deadline is today"),
        < -LongPast => view.T("đã qua hạn nộp", "the deadline has passed"),
        _ => view.T($"đã quá hạn {view.F.Number(-days)} ngày", $"{view.F.Number(-days)} day(s) past the deadline"),
    };

    /// <summary>Beyond this many days past its deadline, a period is closed: the count of days tells nothing.</summary>
    private const int LongPast = 90;

    /// <summary>Complete over expected, as a percentage with one decimal (truncated, as the dashboard writes shares), or a dash.</summary>
    public static string Rate(DashboardView view, int complete, int expected) => expected == 0 ? "–" : view.F.Percent(complete, expected);
}
