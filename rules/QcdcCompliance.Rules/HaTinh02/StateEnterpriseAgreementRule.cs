using NRules.Fluent.Dsl;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shapes;

namespace QcdcCompliance.Rules.HaTinh02;

/// <summary>Every state enterprise with a trade union has a collective labour agreement.</summary>
[Name("NQ02-6a")]
[Description("100% doanh nghiệp khu vực Nhà nước có tổ chức công đoàn ký thỏa ước lao động tập thể")]
[Tag("02-NQ/TU")]
public sealed class StateEnterpriseAgreementRule() : YesNoRule(Indicators.CollectiveAgreementSigned);
