using NRules.Fluent.Dsl;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shapes;

namespace QcdcCompliance.Rules.Law10;

/// <summary>Each agency and public service unit held its annual staff conference.</summary>
[Name("L10-STAFF-CONF")]
[Description("Cơ quan, đơn vị tổ chức hội nghị cán bộ, công chức, viên chức hằng năm")]
[Tag("Luật 10/2022/QH15")]
public sealed class StaffConferenceMinimumRule() : YesNoRule(Indicators.StaffConferenceHeld);
