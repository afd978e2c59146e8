using System.Globalization;

namespace QcdcCompliance.Domain;

/// <summary>
/// The one rule every share is written by (dashboard, reports, e-mails, XLSX, CSV, evidence): rounded half up to the
/// stated digits, except that a share below 100% never reads as 100% and a share above 0 never reads as 0% (it reads
/// as the nearest step inside: 99,9% or 0,1% with one decimal). 240/325 = 73,846...% reads 74% in whole percents and
/// 73,8% with one decimal; 1.373/1.374 reads 99,9%, never 100,0%.
/// </summary>
public static class Shares
{
    /// <summary>A share as a decimal fraction with four places (two decimals of a percent): machine outputs.</summary>
    public static string Format(long numerator, long denominator) =>
        (RoundPercent(numerator, denominator, 2) / 100m).ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>A share as a percentage with the given decimals, by the rule: 73.8 for 240/325.</summary>
    public static string Percent(long numerator, long denominator, int decimals = 1) =>
        RoundPercent(numerator, denominator, decimals).ToString(decimals == 0 ? "0" : "0." + new string('0', decimals), CultureInfo.InvariantCulture);

    /// <summary>
    /// The percentage <paramref name="numerator"/>/<paramref name="denominator"/> rounded half up to
    /// <paramref name="decimals"/>, kept below 100 when the share is short of it and above 0 when anything counts.
    /// </summary>
    public static decimal RoundPercent(long numerator, long denominator, int decimals = 1)
    {
        if (denominator <= 0)
            throw new ArgumentOutOfRangeException(nameof(denominator), denominator, "a share needs a positive denominator");
        var exact = numerator * 100m / denominator;
        var rounded = Math.Round(exact, decimals, MidpointRounding.AwayFromZero);
        var step = 1m / (decimal)Math.Pow(10, decimals);
        if (rounded >= 100m && exact < 100m)
            return 100m - step;
        if (rounded <= 0m && exact > 0m)
            return step;
        return rounded;
    }

    /// <summary>
    /// The change in percentage points from an earlier share to a later one, taken from the exact shares and rounded
    /// half up once, to the digits a change is shown with: every table, chart and API gives this one figure (1.181/1.300
    /// against 894/1.000 is +1,4: 90,846 − 89,4 = 1,446, where shares rounded first would give +1,5 or +1,4 by chance).
    /// </summary>
    public static decimal ChangeInPoints(long numerator, long denominator, long earlierNumerator, long earlierDenominator, int decimals = 1)
    {
        if (denominator <= 0 || earlierDenominator <= 0)
            throw new ArgumentOutOfRangeException(nameof(denominator), "a change needs two shares with positive denominators");
        return Math.Round(numerator * 100m / denominator - earlierNumerator * 100m / earlierDenominator, decimals, MidpointRounding.AwayFromZero);
    }

    /// <summary>A threshold as a decimal fraction without trailing zeros: 0.7, 1, 0.85.</summary>
    public static string FormatMillionths(long millionths) =>
        (millionths / 1_000_000m).ToString("0.######", CultureInfo.InvariantCulture);
}
