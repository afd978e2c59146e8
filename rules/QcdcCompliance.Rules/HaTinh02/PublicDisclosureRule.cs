using NRules.Fluent.Dsl;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shapes;

namespace QcdcCompliance.Rules.HaTinh02;

/// <summary>Every agency, unit, commune and enterprise with a trade union posted all the content it must disclose.</summary>
[Name("NQ02-4")]
[Description("100% cơ quan, đơn vị, địa phương và các doanh nghiệp có tổ chức công đoàn thực hiện nghiêm túc việc niêm yết công khai đầy đủ các nội dung phải công khai theo quy định")]
[Tag("02-NQ/TU")]
public sealed class PublicDisclosureRule() : YesNoRule(Indicators.DisclosurePosted);
