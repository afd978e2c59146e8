using NRules.Fluent.Dsl;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shared;

namespace QcdcCompliance.Rules.Always;

/// <summary>
/// Every active unit reported what it owed for the period: the indicators the targets in force for it read, and what
/// the reporting regime requires of its kind. One finding per unit lists what is missing. A unit that owed nothing is
/// not expected to report: it is out of the figures (the reporting rate is over the units expected).
/// </summary>
[Name("REPORTED")]
[Description("Cơ sở báo cáo đầy đủ các chỉ tiêu phải báo cáo trong kỳ")]
[Tag("Reporting")]
public sealed class ReportingCompletenessRule : TargetRule
{
    protected override IReadOnlyList<IndicatorValueType> Shape { get; } = [];

    public override Measured Measure(UnitReport report, TargetFact target) =>
        report.Owed == 0 ? Measured.NotApplicable
        : report.Missing.Count == 0 ? Measured.Met with { Value = 0 }
        : Measured.Short with { Value = report.Missing.Count };
}
