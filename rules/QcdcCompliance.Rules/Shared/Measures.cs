using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Rules.Shared;

/// <summary>The tests that targets share, written once. Missing data is never compliance.</summary>
public static class Measures
{
    /// <summary>A yes/no indicator that must be yes ("100% ... ban hành đầy đủ quy chế").</summary>
    public static Measured Flag(UnitReport report, Indicator indicator) => report[indicator] switch
    {
        null => Measured.Missing,
        1 => Measured.Met with { Value = 1 },
        var other => Measured.Short with { Value = other },
    };

    /// <summary>A count that must reach the target's minimum in the period.</summary>
    public static Measured AtLeast(UnitReport report, Indicator indicator, TargetFact target)
    {
        var minimum = target.MinimumFor(report) ?? throw new InvalidOperationException($"target {target.Code} tests a count but has no minimum");
        return report[indicator] switch
        {
            null => Measured.Missing,
            var count when count >= minimum => Measured.Met with { Value = count },
            var count => Measured.Short with { Value = count },
        };
    }

    /// <summary>
    /// A ratio of two counts against the target's threshold. The unit adds its own numerator and denominator to its
    /// areas. Over a zero denominator it is not judged itself but still adds its numerator: 3 complaints carried over and
    /// resolved by a commune that received none are 3 of its province's resolved (the area's share is the sum of
    /// numerators over the sum of denominators). With either count missing it adds nothing and its areas count it as missing.
    /// </summary>
    public static Measured Ratio(UnitReport report, Indicator numerator, Indicator denominator, TargetFact target)
    {
        var (n, d) = (report[numerator], report[denominator]);
        if (n is null || d is null)
            return Measured.Missing;
        if (d == 0)
            return Measured.NoCases(n.Value);
        return new Measured(target.Threshold.IsMetBy(n.Value, d.Value) ? MeasureStatus.Met : MeasureStatus.Short, n.Value, d.Value);
    }

    /// <summary>
    /// Both conditions, as one yes/no test: missing if either is missing, met only if both are. The value shown is the
    /// second's (the count compared with the minimum); the first is in the evidence beside it.
    /// </summary>
    public static Measured Both(Measured first, Measured second) =>
        first.Status == MeasureStatus.Missing || second.Status == MeasureStatus.Missing ? Measured.Missing
        : first.Status == MeasureStatus.Met && second.Status == MeasureStatus.Met ? Measured.Met with { Value = second.Value }
        : Measured.Short with { Value = second.Value };
}
