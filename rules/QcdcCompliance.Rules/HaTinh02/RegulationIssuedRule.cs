using NRules.Fluent.Dsl;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shared;

namespace QcdcCompliance.Rules.HaTinh02;

/// <summary>Every unit has issued its democracy regulations in full (a yes/no per unit; shares per area).</summary>
[Name("NQ02-1")]
[Description("100% cơ quan, đơn vị, địa phương, cơ sở xây dựng đầy đủ các quy chế về thực hiện dân chủ cơ sở đúng quy định")]
[Tag("02-NQ/TU")]
public sealed class RegulationIssuedRule : UnitTargetRule
{
    public override IReadOnlyList<Indicator> Reads { get; } = [Indicators.RegulationIssued];

    public override Measured Measure(UnitReport report, TargetFact target) => Measures.Flag(report, Indicators.RegulationIssued);
}
