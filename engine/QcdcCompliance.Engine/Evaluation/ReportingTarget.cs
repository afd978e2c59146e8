using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Evaluation;

/// <summary>
/// REPORTED is always on: every active unit must report every indicator that applies to it. A stored target of that
/// code (the shipped reporting.json) sets its severity and text; without one, these defaults hold.
/// </summary>
public static class ReportingTarget
{
    public const string Code = "REPORTED";
    public const string DefaultTextVi = "Cơ sở báo cáo đầy đủ các chỉ tiêu áp dụng cho mình trong kỳ báo cáo";

    public static TargetFact Default(TargetRuleCatalogue catalogue)
    {
        var rule = catalogue.Find(Code) ?? throw new InvalidOperationException($"the rules assembly has no rule named {Code}");
        return new TargetFact
        {
            Code = Code,
            ResolutionCode = "(built-in)",
            Population = Population.All,
            Threshold = new Threshold(ComparisonOperator.AtLeast, Threshold.One),
            MeasuredOver = MeasuredOver.Unit,
            Severity = Severity.Medium,
            TextVi = DefaultTextVi,
            TextEn = "The unit reported every indicator that applies to it for the period",
            Reads = rule.Reads,
            Rule = rule,
        };
    }
}
