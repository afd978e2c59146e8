using NRules.Fluent.Dsl;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shapes;

namespace QcdcCompliance.Rules.HaTinh02;

/// <summary>Every state enterprise with a trade union held its workers' conference and periodic workplace dialogue (the minimum in force: 4 a year under Decree 60/2013, 1 under the Labour Code 2019).</summary>
[Name("NQ02-7a")]
[Description("100% doanh nghiệp khu vực Nhà nước có tổ chức công đoàn tổ chức hội nghị người lao động, đối thoại định kỳ tại nơi làm việc theo quy định")]
[Tag("02-NQ/TU")]
public sealed class StateEnterpriseWorkerConferenceRule() : YesNoAndCountRule(Indicators.WorkerConferenceHeld, Indicators.WorkplaceDialogues);
