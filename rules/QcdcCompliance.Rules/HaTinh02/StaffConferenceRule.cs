using NRules.Fluent.Dsl;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shapes;

namespace QcdcCompliance.Rules.HaTinh02;

/// <summary>Every agency and public service unit held its annual staff conference.</summary>
[Name("NQ02-5")]
[Description("100% cơ quan, đơn vị hàng năm tổ chức hội nghị cán bộ, công chức, viên chức đảm bảo các nội dung theo quy định")]
[Tag("02-NQ/TU")]
public sealed class StaffConferenceRule() : YesNoRule(Indicators.StaffConferenceHeld);
