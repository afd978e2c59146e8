using NRules.Fluent.Dsl;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shapes;

namespace QcdcCompliance.Rules.Law10;

/// <summary>Each village has its convention recognised.</summary>
[Name("L10-CONVENTION")]
[Description("Hương ước, quy ước của thôn, tổ dân phố được công nhận")]
[Tag("Luật 10/2022/QH15")]
public sealed class VillageConventionRule() : YesNoRule(Indicators.VillageConventionRecognised);
