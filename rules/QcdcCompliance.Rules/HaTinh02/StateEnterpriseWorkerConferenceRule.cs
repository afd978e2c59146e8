using NRules.Fluent.Dsl;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shared;

namespace QcdcCompliance.Rules.HaTinh02;

/// <summary>Every state enterprise with a trade union held its workers' conference and periodic workplace dialogue.</summary>
[Name("NQ02-7a")]
[Description("100% doanh nghiệp khu vực Nhà nước có tổ chức công đoàn tổ chức hội nghị người lao động, đối thoại định kỳ tại nơi làm việc theo quy định")]
[Tag("02-NQ/TU")]
public sealed class StateEnterpriseWorkerConferenceRule : CountTargetRule
{
    public override IReadOnlyList<Indicator> Reads { get; } = [Indicators.WorkerConferenceHeld, Indicators.WorkplaceDialogues];

    public override Measured Measure(UnitReport report, TargetFact target) => WorkerVoice.Measure(report, target);
}
