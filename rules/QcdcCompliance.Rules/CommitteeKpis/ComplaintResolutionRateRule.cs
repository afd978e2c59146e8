using NRules.Fluent.Dsl;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shapes;

namespace QcdcCompliance.Rules.CommitteeKpis;

/// <summary>Complaints and denunciations resolved over those received, summed over the area.</summary>
[Name("KPI-COMPLAINTS")]
[Description("Tỷ lệ đơn thư khiếu nại, tố cáo được giải quyết trên tổng số tiếp nhận")]
[Tag("KPI")]
public sealed class ComplaintResolutionRateRule() : RatioRule(Indicators.ComplaintsResolved, Indicators.ComplaintsReceived);
