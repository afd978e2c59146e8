using NRules.Fluent.Dsl;

namespace QcdcCompliance.Rules.Shapes;

// The shapes a province's own target can name with its own indicators, so a resolution whose targets have a shipped
// shape loads without code: "rule": "YES-NO", "indicators": ["DISCLOSURE_POSTED"].

/// <summary>Any yes/no indicator that must be yes.</summary>
[Name("YES-NO")]
[Description("Chỉ tiêu có/không phải đạt \"có\"")]
[Tag("Shape")]
public sealed class YesNoShapeRule() : YesNoRule;

/// <summary>Any count that must reach the target's minimum.</summary>
[Name("COUNT-AT-LEAST")]
[Description("Chỉ tiêu số lượng phải đạt mức tối thiểu")]
[Tag("Shape")]
public sealed class CountShapeRule() : CountRule;

/// <summary>Any ratio of two counts against the target's threshold.</summary>
[Name("RATIO")]
[Description("Tỷ lệ giữa hai chỉ tiêu số lượng phải đạt ngưỡng")]
[Tag("Shape")]
public sealed class RatioShapeRule() : RatioRule;

/// <summary>Any yes/no that must be yes together with a count that must reach the minimum.</summary>
[Name("YES-NO-AND-COUNT")]
[Description("Chỉ tiêu có/không phải đạt \"có\" và chỉ tiêu số lượng phải đạt mức tối thiểu")]
[Tag("Shape")]
public sealed class YesNoAndCountShapeRule() : YesNoAndCountRule;
