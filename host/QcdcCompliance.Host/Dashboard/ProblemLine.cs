using QcdcCompliance.Reports;
using QcdcCompliance.Import;

namespace QcdcCompliance.Host.Dashboard;

/// <summary>
/// A problem of a refused file as a page shows it: where (in Vietnamese), what (in Vietnamese), and the English. The
/// workspace's upload and the dashboard's what-if both show them (here, so that the dashboard needs nothing of the workspace).
/// </summary>
public sealed record ProblemLine(string Where, string Message, string English, string? Cell)
{
    public static ProblemLine Of(ImportProblem p) => new(ImportWording.Where(p), ImportWording.Vietnamese(p), p.ToString(), p.Cell);
}
