using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Evaluation;

public static class TargetFacts
{
    /// <summary>A stored target as the session sees it, bound to the rule class of its code (null if the rules have none).</summary>
    public static TargetFact? From(Resolution resolution, Target target, TargetRuleCatalogue catalogue)
    {
        if (catalogue.Find(target.Code) is not { } rule)
            return null;
        return new TargetFact
        {
            Code = rule.Code,
            ResolutionCode = resolution.Code,
            Population = Population.Parse(target.Population),
            Threshold = target.Threshold,
            Minimum = target.Minimum,
            MeasuredOver = target.MeasuredOver,
            Severity = target.Severity,
            TextVi = target.TextVi,
            TextEn = target.TextEn,
            Reads = rule.Reads,
            Rule = rule,
        };
    }
}
