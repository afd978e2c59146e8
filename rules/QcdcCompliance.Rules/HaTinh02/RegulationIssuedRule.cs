using NRules.Fluent.Dsl;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shapes;

namespace QcdcCompliance.Rules.HaTinh02;

/// <summary>Every unit has issued its democracy regulations in full (a yes/no per unit; shares per area).</summary>
[Name("NQ02-1")]
[Description("100% cơ quan, đơn vị, địa phương, cơ sở xây dựng đầy đủ các quy chế về thực hiện dân chủ cơ sở đúng quy định")]
[Tag("02-NQ/TU")]
public sealed class RegulationIssuedRule() : YesNoRule(Indicators.RegulationIssued);
