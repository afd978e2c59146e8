using QcdcCompliance.Reports;
using QcdcCompliance.Import;

namespace QcdcCompliance.Host.Dashboard;

/// <summary>
/// A problem of a refused file as a page shows it: where and what, in Vietnamese and as an English page says them (never
/// the terminal's text: no principal, time-zone id or command). The workspace's upload and the dashboard's what-if both
/// show them (here, so that the dashboard needs nothing of the workspace).
/// </summary>
public sealed record ProblemLine(string Where, string Message, string WhereEn, string MessageEn, string? Cell)
{
    /// <summary>The English beside the Vietnamese of a Vietnamese page: where, then what.</summary>
    public string English => $"{WhereEn}: {MessageEn}";

    public static ProblemLine Of(ImportProblem p) =>
        new(ImportWording.Where(p), ImportWording.Vietnamese(p), ImportWording.WhereInEnglish(p), ImportWording.English(p), p.Cell);
}
