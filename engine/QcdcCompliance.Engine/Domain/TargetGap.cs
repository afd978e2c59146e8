namespace QcdcCompliance.Domain;

/// <summary>
/// How far a figure is from its threshold, exactly, in integers: the fewest that must be added to the numerator (for
/// "≥" and "&gt;": units that must come to comply, cases that must be settled) or taken from it (for "≤" and "&lt;"),
/// the denominator unchanged, for numerator / denominator to meet the threshold as written. 7 of 10 against
/// "&gt; 70%" is 1 (8 of 10 is more than 70%; exactly at the threshold of a strict operator is never met, so never
/// 0); against "≥ 70%" it is 0.
/// </summary>
public static class TargetGap
{
    /// <summary>
    /// The gap, 0 when the figure meets the threshold already, null when no such change can meet it (a denominator of 0,
    /// "&gt; 100%"). A ratio's numerator may pass its denominator (complaints carried over and resolved in the period).
    /// </summary>
    public static long? ToMeet(Threshold threshold, long numerator, long denominator)
    {
        if (denominator <= 0 || numerator < 0)
            return null;
        if (threshold.IsMetBy(numerator, denominator))
            return 0;
        // numerator * One compared with Millionths * denominator, as Threshold.IsMetBy does.
        var product = (Int128)threshold.Millionths * denominator;
        var floor = product / Threshold.One;
        var ceiling = product % Threshold.One == 0 ? floor : floor + 1;
        Int128 gap;
        switch (threshold.Operator)
        {
            case ComparisonOperator.AtLeast:
                if (ceiling > denominator)
                    return null;
                gap = ceiling - numerator;
                break;
            case ComparisonOperator.MoreThan:
                if (floor + 1 > denominator)
                    return null;
                gap = floor + 1 - numerator;
                break;
            case ComparisonOperator.AtMost:
                gap = numerator - floor;
                break;
            default:
                if (ceiling == 0)
                    return null;
                gap = numerator - (ceiling - 1);
                break;
        }

        return gap <= 0 ? 0 : (long)gap;
    }

    /// <summary>Whether the gap is counted up (units or cases that must come to comply) rather than down.</summary>
    public static bool RaisesNumerator(ComparisonOperator op) => op is ComparisonOperator.AtLeast or ComparisonOperator.MoreThan;
}
