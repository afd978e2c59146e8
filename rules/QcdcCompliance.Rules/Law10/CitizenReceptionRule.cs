using NRules.Fluent.Dsl;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shared;

namespace QcdcCompliance.Rules.Law10;

/// <summary>Each commune's party head received citizens on the required number of days in the half-year.</summary>
[Name("L10-CITIZEN-RECEPTION")]
[Description("Bí thư cấp ủy cấp xã tiếp dân định kỳ ít nhất 2 ngày trong một tháng (Quy định 11-QĐi/TW)")]
[Tag("Luật 10/2022/QH15")]
public sealed class CitizenReceptionRule : CountTargetRule
{
    public override IReadOnlyList<Indicator> Reads { get; } = [Indicators.CitizenReceptionDays];

    public override Measured Measure(UnitReport report, TargetFact target) => Measures.AtLeast(report, Indicators.CitizenReceptionDays, target);
}
