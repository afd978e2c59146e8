using NRules.Fluent.Dsl;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shapes;

namespace QcdcCompliance.Rules.HaTinh02;

/// <summary>More than 70% of non-state enterprises with a trade union held their workers' conference and periodic workplace dialogue.</summary>
[Name("NQ02-7b")]
[Description("Trên 70% doanh nghiệp khu vực ngoài Nhà nước có tổ chức công đoàn tổ chức hội nghị người lao động, đối thoại định kỳ tại nơi làm việc theo quy định")]
[Tag("02-NQ/TU")]
public sealed class NonStateWorkerConferenceShareRule() : YesNoAndCountRule(Indicators.WorkerConferenceHeld, Indicators.WorkplaceDialogues);
