using NRules.Fluent.Dsl;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shapes;

namespace QcdcCompliance.Rules.HaTinh02;

/// <summary>Everyone a unit must inform was informed of the guidance: people informed over people to inform.</summary>
[Name("NQ02-3")]
[Description("100% cán bộ, đảng viên, công chức, viên chức và người dân được tiếp thu những nội dung cốt lõi các văn bản chỉ đạo, hướng dẫn về xây dựng và thực hiện quy chế dân chủ cơ sở")]
[Tag("02-NQ/TU")]
public sealed class GuidanceDisseminationRule() : RatioRule(Indicators.PeopleInformed, Indicators.PeopleToInform);
