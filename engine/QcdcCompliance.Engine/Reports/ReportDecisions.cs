using QcdcCompliance.Domain;

namespace QcdcCompliance.Reports;

/// <summary>
/// What a review report states of the committee's decisions: the sign-off in force, each target's trend, and (when
/// asked) a what-if. Implemented where the decisions live (<c>QcdcCompliance.Decisions</c>), which runs evaluations and
/// so sits after the reports in the engine's flow.
/// </summary>
public interface IReportDecisions
{
    Task<SignOffView?> SignedOffAsync(string periodCode, string areaCode, CancellationToken ct);

    /// <summary>The period reopened and not signed off again, with who signed and who reopened it and why; null otherwise.</summary>
    Task<ReopenedSignOff?> ReopenedAsync(string periodCode, string areaCode, CancellationToken ct);

    /// <summary>A target's trend over the area as it stood on <paramref name="asOf"/> (the report's last day): areas merged into it by then are summed before their merger.</summary>
    Task<Trend> TrendAsync(string areaCode, string targetCode, DateOnly asOf, CancellationToken ct);

    Task<WhatIfResult> WhatIfAsync(string periodCode, string areaCode, ReportProposal proposal, CancellationToken ct);
}
