using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Evaluation;

public static class TargetFacts
{
    /// <summary>
    /// A stored target setting as the session sees it, bound to the rule it names and the area its set binds (null if
    /// the rules have no such rule). What the rule reads is what it was declared with, or, for a shape, the target's own
    /// indicators. <paramref name="judgedOn"/> is the type of the period it is judged on (null: as written, no period),
    /// which says whether a year restates it (<see cref="Target.RestatedOn"/>) and how its minimum reads (<see cref="MinimumOn"/>).
    /// </summary>
    public static TargetFact? From(Resolution resolution, Target target, TargetRuleCatalogue catalogue, AreaRef? boundArea, PeriodType? judgedOn = null)
    {
        if (catalogue.Find(target.RuleName) is not { } rule)
            return null;
        var reads = rule.FixedReads ?? target.Indicators.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(IndicatorCatalogue.Get).ToList();
        var restatedOnYear = judgedOn is { } type && target.RestatedOn(type);
        return new TargetFact
        {
            Code = target.Code,
            RuleName = rule.RuleName,
            ResolutionCode = resolution.Code,
            Set = resolution,
            Population = Population.Parse(target.Population),
            Threshold = target.Threshold,
            Minimum = MinimumOn(target, reads, judgedOn),
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
    /// A target's minimum count as a period of this type reads it, the one rule for every count target, shipped or a
    /// province's own reusing a shape or a rule by name. A target judged on half-years sets its minimum per half-year; a
    /// year reads a half-year count as the sum of its halves, so over the year the minimum is twice it (QĐ 11's 12 days
    /// of receiving citizens a half-year are 24 a year; a province's 2 supervisions a half-year are 4), whether the year
    /// restates the target or judges it too (<c>"periods": ["HalfYear", "Year"]</c>): the half-year's figure against
    /// a year's sum made a year met that both its halves fell short of. A target judged on years alone sets a year's
    /// minimum (NQ02-2's one dialogue a year), and a minimum over a state (the second half's value) stays as it is.
    /// </summary>
    public static long? MinimumOn(Target target, IReadOnlyList<Indicator> reads, PeriodType? type) =>
        type == PeriodType.Year && target.EvaluatedOn(PeriodType.HalfYear) && target.Minimum is { } m
        && reads.Any(i => i.PeriodType == PeriodType.HalfYear && i.YearRollup == YearRollup.Sum)
            ? m * 2
            : target.Minimum;
}
