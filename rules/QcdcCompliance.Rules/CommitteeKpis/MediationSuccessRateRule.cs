using NRules.Fluent.Dsl;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shared;

namespace QcdcCompliance.Rules.CommitteeKpis;

/// <summary>Mediation cases settled over cases received, summed over the area.</summary>
[Name("KPI-MEDIATION")]
[Description("Tỷ lệ vụ việc hòa giải thành trên tổng số vụ việc tiếp nhận")]
[Tag("KPI")]
public sealed class MediationSuccessRateRule : RatioTargetRule
{
    public override IReadOnlyList<Indicator> Reads { get; } = [Indicators.MediationSuccesses, Indicators.MediationCases];

    public override Measured Measure(UnitReport report, TargetFact target) => Measures.Ratio(report, Indicators.MediationSuccesses, Indicators.MediationCases, target);
}
