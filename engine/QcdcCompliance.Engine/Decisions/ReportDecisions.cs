using QcdcCompliance.Domain;
using QcdcCompliance.Reports;

namespace QcdcCompliance.Decisions;

/// <summary>The review report's view of the decisions: the sign-off in force, the trends, a what-if of a proposed set.</summary>
public sealed class ReportDecisions(SignOffService signOffs, TrendQueries trends, WhatIfService whatIfs) : IReportDecisions
{
    public Task<SignOffView?> SignedOffAsync(string periodCode, string areaCode, CancellationToken ct) => signOffs.InForceAsync(periodCode, areaCode, ct);

    public Task<ReopenedSignOff?> ReopenedAsync(string periodCode, string areaCode, CancellationToken ct) => signOffs.ReopenedAsync(periodCode, areaCode, ct);

    public Task<Trend> TrendAsync(string areaCode, string targetCode, DateOnly asOf, CancellationToken ct) => trends.ForAsync(areaCode, targetCode, ct, asOf: asOf);

    public Task<WhatIfResult> WhatIfAsync(string periodCode, string areaCode, ReportProposal proposal, CancellationToken ct) =>
        whatIfs.EvaluateAsync(new WhatIfRequest(periodCode, proposal.File, proposal.Content, areaCode, proposal.By), ct);
}
