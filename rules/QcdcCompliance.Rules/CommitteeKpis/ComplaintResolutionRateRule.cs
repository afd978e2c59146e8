using NRules.Fluent.Dsl;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shared;

namespace QcdcCompliance.Rules.CommitteeKpis;

/// <summary>Complaints and denunciations resolved over those received, summed over the area.</summary>
[Name("KPI-COMPLAINTS")]
[Description("Tỷ lệ đơn thư khiếu nại, tố cáo được giải quyết trên tổng số tiếp nhận")]
[Tag("KPI")]
public sealed class ComplaintResolutionRateRule : RatioTargetRule
{
    public override IReadOnlyList<Indicator> Reads { get; } = [Indicators.ComplaintsResolved, Indicators.ComplaintsReceived];

    public override Measured Measure(UnitReport report, TargetFact target) => Measures.Ratio(report, Indicators.ComplaintsResolved, Indicators.ComplaintsReceived, target);
}
