using NRules.Fluent.Dsl;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shapes;

namespace QcdcCompliance.Rules.Law10;

/// <summary>Each enterprise held the periodic workplace dialogue at least once in the year (Labour Code 2019, Art. 63).</summary>
[Name("L10-WORKPLACE-DIALOGUE")]
[Description("Doanh nghiệp tổ chức đối thoại định kỳ tại nơi làm việc ít nhất một lần một năm (Điều 63 Bộ luật Lao động năm 2019)")]
[Tag("Luật 10/2022/QH15")]
public sealed class WorkplaceDialogueRule() : CountRule(Indicators.WorkplaceDialogues);
