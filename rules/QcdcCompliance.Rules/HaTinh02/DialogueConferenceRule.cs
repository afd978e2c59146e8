using NRules.Fluent.Dsl;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shapes;

namespace QcdcCompliance.Rules.HaTinh02;

/// <summary>Every commune held the periodic dialogue of its party and government heads with the people in the year.</summary>
[Name("NQ02-2")]
[Description("100% xã, phường tổ chức hội nghị đối thoại theo định kỳ giữa người đứng đầu cấp ủy đảng, chính quyền với Nhân dân trên địa bàn")]
[Tag("02-NQ/TU")]
public sealed class DialogueConferenceRule() : CountRule(Indicators.DialogueConferences);
