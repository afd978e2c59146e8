using System.Diagnostics;
using System.Globalization;

namespace QcdcCompliance.Domain;

/// <summary>
/// The one rule every share is written by (dashboard, reports, e-mails, CSV, API, evidence): rounded half up to the
/// stated digits, except that a figure never stands on the other side of 100%, of 0% or of the threshold it is shown
/// beside than the exact share does: it then reads as the nearest step on the exact share's side. 240/325 = 73,846...%
/// reads 74% in whole percents and 73,8% with one decimal; 1.373/1.374 reads 99,9%, never 100,0%; 2.333/3.333 =
/// 69,997% beside "≥ 70%" reads 69,9%, and 8.501/10.000 = 85,01% beside "&gt; 85%" reads 85,1%, so a committee never
/// reads "70,0% ≥ 70% — chưa đạt". The threshold itself is a side of its own, as 100% is: a figure reads as the threshold
/// only when the share is exactly it, so 6.996/10.000 = 69,96% beside "&gt; 70%" reads 69,9%, not the 70,0% that 35/50
/// reads there (both short, the one by 5 people, the other by 1). Only where no step at those digits lies on the right
/// side (a threshold within a step of 100%) does the figure gain a decimal.
/// </summary>
public static class Shares
{
    /// <summary>Enough decimals to tell any share of counts up to 10^12 from any threshold in millionths (they differ by at least 10^-16 of a percent).</summary>
    private const int MostDecimals = 18;

    /// <summary>Optional digits after the stated ones, for the rare figure that needed more to stay on its side.</summary>
    private const string ExtraDigits = "##################";

    /// <summary>
    /// A share as a decimal fraction with four places (two decimals of a percent): machine outputs. Beside the threshold
    /// it is judged by, kept on its side of it: 0.6999 for 2333/3333 against &gt;= 0.7.
    /// </summary>
    public static string Format(long numerator, long denominator, Threshold? beside = null) =>
        FormatFraction(RoundPercent(numerator, denominator, 2, beside));

    /// <summary>A share as a percentage with the given decimals, by the rule: 73.8 for 240/325.</summary>
    public static string Percent(long numerator, long denominator, int decimals = 1) =>
        FormatPercent(RoundPercent(numerator, denominator, decimals), decimals);

    /// <summary>A share beside the threshold it is judged by, as a percentage kept on its side of it: 69.9 for 2333/3333 against &gt;= 70%.</summary>
    public static string Percent(long numerator, long denominator, Threshold? beside, int decimals = 1) =>
        FormatPercent(RoundPercent(numerator, denominator, decimals, beside), decimals);

    /// <summary>
    /// The percentage <paramref name="numerator"/>/<paramref name="denominator"/> rounded half up to
    /// <paramref name="decimals"/>, kept below 100 when the share is short of it, above 0 when anything counts, and on the
    /// exact share's side of <paramref name="beside"/> when it is shown beside that threshold.
    /// </summary>
    public static decimal RoundPercent(long numerator, long denominator, int decimals = 1, Threshold? beside = null)
    {
        if (denominator <= 0)
            throw new ArgumentOutOfRangeException(nameof(denominator), denominator, "a share needs a positive denominator");
        var exact = numerator * 100m / denominator;
        // Below, at or above the threshold, compared exactly: numerator × one million against millionths × denominator.
        var side = beside is { } t ? ((Int128)numerator * Threshold.One).CompareTo((Int128)t.Millionths * denominator) : 0;
        for (var digits = decimals; digits <= MostDecimals; digits++)
        {
            var rounded = Math.Round(exact, digits, MidpointRounding.AwayFromZero);
            if (ReadsAsExact(rounded, numerator, denominator, beside, side))
                return rounded;
            // Rounding moved the figure by at most half a step, so one step back toward the exact share crosses it.
            var step = 1m / Pow10(digits);
            var inside = rounded > exact ? rounded - step : rounded + step;
            if (ReadsAsExact(inside, numerator, denominator, beside, side))
                return inside;
        }

        throw new UnreachableException($"{numerator}/{denominator} found no figure on its side of {beside} within {MostDecimals} decimals");
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

    /// <summary>A .NET number format for a figure of <paramref name="decimals"/> digits that keeps the digits a figure gained to stay on its side.</summary>
    public static string NumberFormat(string integerPart, int decimals) =>
        integerPart + "." + new string('0', decimals) + ExtraDigits;

    /// <summary>
    /// Whether a shown percentage stands where the exact share does: below 100, above 0, and below, at or above the
    /// threshold as the share is (<paramref name="side"/>); on the verdict's side of it, then, whatever the operator.
    /// </summary>
    private static bool ReadsAsExact(decimal shown, long numerator, long denominator, Threshold? beside, int side)
    {
        if (numerator < denominator && shown >= 100m)
            return false;
        if (numerator > 0 && shown <= 0m)
            return false;
        // shown% against millionths: shown × 10,000 is exact in decimal for the few digits a figure has.
        return beside is not { } threshold || Math.Sign((shown * 10_000m).CompareTo(threshold.Millionths)) == Math.Sign(side);
    }

    private static string FormatFraction(decimal percent) =>
        (percent / 100m).ToString(NumberFormat("0", 4), CultureInfo.InvariantCulture);

    private static string FormatPercent(decimal percent, int decimals) =>
        percent.ToString(NumberFormat("0", decimals), CultureInfo.InvariantCulture);

    private static decimal Pow10(int digits)
    {
        var power = 1m;
        for (var i = 0; i < digits; i++)
            power *= 10m;
        return power;
    }
}
