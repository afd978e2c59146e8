using NRules.Fluent.Dsl;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shapes;

namespace QcdcCompliance.Rules.Law10;

/// <summary>Each commune held at least the set number of dialogues with the people in the year.</summary>
[Name("L10-DIALOGUE")]
[Description("Chính quyền cấp xã tổ chức hội nghị đối thoại với Nhân dân ít nhất một lần trong năm")]
[Tag("Luật 10/2022/QH15")]
public sealed class DialogueMinimumRule() : CountRule(Indicators.DialogueConferences);
