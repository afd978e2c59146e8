using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Evaluation;

/// <summary>
/// REPORTED is always on: every active unit must report what it owes for the period. A stored target of that code
/// (the shipped reporting.json) sets its severity and text; without one, these defaults hold.
/// </summary>
public static class ReportingTarget
{
    public const string Code = "REPORTED";
    public const string DefaultTextVi = "Cơ sở báo cáo đầy đủ các chỉ tiêu phải báo cáo trong kỳ";

    public static TargetFact Default(TargetRuleCatalogue catalogue)
    {
        var rule = catalogue.Find(Code) ?? throw new InvalidOperationException($"the rules assembly has no rule named {Code}");
        return new TargetFact
        {
            Code = Code,
            RuleName = rule.RuleName,
            ResolutionCode = "(built-in)",
            Population = Population.All,
            Threshold = new Threshold(ComparisonOperator.AtLeast, Threshold.One),
            MeasuredOver = MeasuredOver.Unit,
            Severity = Severity.Medium,
            TextVi = DefaultTextVi,
            TextEn = "The unit reported everything it owes for the period",
            NameVi = "Báo cáo đầy đủ",
            NameEn = "Reporting in full",
            Tags = ["reporting"],
            Reads = [],
            Rule = rule,
            Source = SettingSource.Committee,
        };
    }
}
