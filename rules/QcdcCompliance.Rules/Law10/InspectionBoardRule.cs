using NRules.Fluent.Dsl;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shapes;

namespace QcdcCompliance.Rules.Law10;

/// <summary>Each commune, agency, public service unit and state enterprise has its People's Inspection Board in place.</summary>
[Name("L10-INSPECTION-BOARD")]
[Description("Ban Thanh tra nhân dân được thành lập, kiện toàn đúng quy định")]
[Tag("Luật 10/2022/QH15")]
public sealed class InspectionBoardRule() : YesNoRule(Indicators.InspectionBoardConstituted);
