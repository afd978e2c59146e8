using NRules.Fluent.Dsl;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shared;

namespace QcdcCompliance.Rules.Law10;

/// <summary>Each commune held at least the statutory number of dialogues with the people in the year.</summary>
[Name("L10-DIALOGUE")]
[Description("Chính quyền cấp xã tổ chức hội nghị đối thoại với Nhân dân ít nhất một lần trong năm")]
[Tag("Luật 10/2022/QH15")]
public sealed class DialogueMinimumRule : CountTargetRule
{
    public override IReadOnlyList<Indicator> Reads { get; } = [Indicators.DialogueConferences];

    public override Measured Measure(UnitReport report, TargetFact target) => Measures.AtLeast(report, Indicators.DialogueConferences, target);
}
