using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Evaluation;

public static class TargetFacts
{
    /// <summary>
    /// A stored target setting as the session sees it, bound to the rule it names and the area its set binds (null if
    /// the rules have no such rule). What the rule reads is what it was declared with, or, for a shape, the target's own
    /// indicators.
    /// </summary>
    public static TargetFact? From(Resolution resolution, Target target, TargetRuleCatalogue catalogue, AreaRef? boundArea, bool restatedOnYear = false)
    {
        if (catalogue.Find(target.RuleName) is not { } rule)
            return null;
        return new TargetFact
        {
            Code = target.Code,
            RuleName = rule.RuleName,
            ResolutionCode = resolution.Code,
            Set = resolution,
            Population = Population.Parse(target.Population),
            Threshold = target.Threshold,
            Minimum = target.Minimum,
            CoverageMillionths = target.CoverageMillionths,
            MeasuredOver = target.MeasuredOver,
            Severity = target.Severity,
            TextVi = target.TextVi,
            TextEn = target.TextEn,
            NameVi = target.NameVi,
            NameEn = target.NameEn,
            Tags = target.TagList.ToList(),
            Reads = rule.FixedReads ?? target.Indicators.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(IndicatorCatalogue.Get).ToList(),
            Rule = rule,
            BoundArea = boundArea,
            SettingFrom = target.ValidFrom,
            SettingTo = target.ValidTo,
            Source = target.Source,
            Basis = target.Basis,
            RestatedOnYear = restatedOnYear,
        };
    }
}
