using NRules.Fluent.Dsl;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shapes;

namespace QcdcCompliance.Rules.CommitteeKpis;

/// <summary>Mediation cases settled over cases received, summed over the area.</summary>
[Name("KPI-MEDIATION")]
[Description("Tỷ lệ vụ việc hòa giải thành trên tổng số vụ việc tiếp nhận")]
[Tag("KPI")]
public sealed class MediationSuccessRateRule() : RatioRule(Indicators.MediationSuccesses, Indicators.MediationCases);
