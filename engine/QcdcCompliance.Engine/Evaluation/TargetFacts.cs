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
        var reads = rule.FixedReads ?? target.Indicators.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(IndicatorCatalogue.Get).ToList();
        return new TargetFact
        {
            Code = target.Code,
            RuleName = rule.RuleName,
            ResolutionCode = resolution.Code,
            Set = resolution,
            Population = Population.Parse(target.Population),
            Threshold = target.Threshold,
            Minimum = YearMinimum(target.Minimum, reads, restatedOnYear),
            HalfYearMinimum = target.Minimum,
            CoverageMillionths = target.CoverageMillionths,
            MeasuredOver = restatedOnYear ? target.MeasuredOverOn(PeriodType.Year) : target.MeasuredOver,
            Severity = target.Severity,
            TextVi = target.TextVi,
            TextEn = target.TextEn,
            NameVi = target.NameVi,
            NameEn = target.NameEn,
            Tags = target.TagList.ToList(),
            Reads = reads,
            Rule = rule,
            BoundArea = boundArea,
            SettingFrom = target.ValidFrom,
            SettingTo = target.ValidTo,
            Source = target.Source,
            Basis = target.Basis,
            RestatedOnYear = restatedOnYear,
        };
    }

    /// <summary>
    /// A half-year target's minimum count as a year restates it: the year reads a half-year count as the sum of its
    /// halves, so a minimum a half-year (12 days of receiving citizens, 2 a month) is twice it over the year (24), not
    /// the half-year's figure against a year's sum. A minimum over a state (the second half's value) stays as it is.
    /// </summary>
    private static long? YearMinimum(long? minimum, IReadOnlyList<Indicator> reads, bool restatedOnYear) =>
        restatedOnYear && minimum is { } m && reads.Any(i => i.PeriodType == PeriodType.HalfYear && i.YearRollup == YearRollup.Sum) ? m * 2 : minimum;
}
