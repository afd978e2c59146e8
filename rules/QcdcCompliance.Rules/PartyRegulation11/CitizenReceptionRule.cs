using NRules.Fluent.Dsl;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shapes;

namespace QcdcCompliance.Rules.PartyRegulation11;

/// <summary>Each commune's party secretary received citizens on the required number of days in the half-year (Quy định 11-QĐi/TW, a Party regulation).</summary>
[Name("QD11-CITIZEN-RECEPTION")]
[Description("Bí thư cấp ủy cấp xã tiếp dân định kỳ ít nhất 2 ngày trong một tháng (Quy định 11-QĐi/TW)")]
[Tag("11-QĐi/TW")]
public sealed class CitizenReceptionRule() : CountRule(Indicators.CitizenReceptionDays);
