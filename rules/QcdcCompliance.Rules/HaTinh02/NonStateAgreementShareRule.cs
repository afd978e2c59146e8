using NRules.Fluent.Dsl;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shapes;

namespace QcdcCompliance.Rules.HaTinh02;

/// <summary>More than 70% of non-state enterprises with a trade union have a collective labour agreement, per district and province.</summary>
[Name("NQ02-6b")]
[Description("Trên 70% doanh nghiệp khu vực ngoài Nhà nước có tổ chức công đoàn ký thỏa ước lao động tập thể")]
[Tag("02-NQ/TU")]
public sealed class NonStateAgreementShareRule() : YesNoRule(Indicators.CollectiveAgreementSigned);
