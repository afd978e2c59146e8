using NRules.Fluent.Dsl;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shared;

namespace QcdcCompliance.Rules.Law10;

/// <summary>Each enterprise held the periodic workplace dialogue at least once in the year (Labour Code Art. 63).</summary>
[Name("L10-WORKPLACE-DIALOGUE")]
[Description("Doanh nghiệp tổ chức đối thoại định kỳ tại nơi làm việc ít nhất một lần một năm (Điều 63 Bộ luật Lao động)")]
[Tag("Luật 10/2022/QH15")]
public sealed class WorkplaceDialogueRule : CountTargetRule
{
    public override IReadOnlyList<Indicator> Reads { get; } = [Indicators.WorkplaceDialogues];

    public override Measured Measure(UnitReport report, TargetFact target) => Measures.AtLeast(report, Indicators.WorkplaceDialogues, target);
}
