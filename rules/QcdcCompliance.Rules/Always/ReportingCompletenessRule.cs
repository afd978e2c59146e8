using NRules.Fluent.Dsl;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shared;

namespace QcdcCompliance.Rules.Always;

/// <summary>Every active unit submitted every indicator that applies to it for the period; one finding per unit lists what is missing.</summary>
[Name("REPORTED")]
[Description("Cơ sở báo cáo đầy đủ các chỉ tiêu áp dụng cho mình trong kỳ báo cáo")]
[Tag("Reporting")]
public sealed class ReportingCompletenessRule : UnitTargetRule
{
    public override IReadOnlyList<Indicator> Reads { get; } = [];

    public override Measured Measure(UnitReport report, TargetFact target) => report.Missing.Count == 0 ? Measured.Met : Measured.Short;
}
