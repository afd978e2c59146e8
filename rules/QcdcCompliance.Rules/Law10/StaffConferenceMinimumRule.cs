using NRules.Fluent.Dsl;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shared;

namespace QcdcCompliance.Rules.Law10;

/// <summary>Each agency and public service unit held its annual staff conference (Art. 51).</summary>
[Name("L10-STAFF-CONF")]
[Description("Cơ quan, đơn vị tổ chức hội nghị cán bộ, công chức, viên chức hằng năm (Điều 51 Luật Thực hiện dân chủ ở cơ sở)")]
[Tag("Luật 10/2022/QH15")]
public sealed class StaffConferenceMinimumRule : UnitTargetRule
{
    public override IReadOnlyList<Indicator> Reads { get; } = [Indicators.StaffConferenceHeld];

    public override Measured Measure(UnitReport report, TargetFact target) => Measures.Flag(report, Indicators.StaffConferenceHeld);
}
