using System.Globalization;

namespace QcdcCompliance.Domain;

/// <summary>
/// Shares written the same way everywhere (CSV, evidence, reports): a decimal fraction, four places, truncated so that
/// a share short of 100% never reads as 1.0000.
/// </summary>
public static class Shares
{
    public static string Format(long numerator, long denominator) =>
        Truncate(numerator / (decimal)denominator, 4).ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>A share as a percentage with the given decimals, truncated: 99.97% is 99.9, never 100.0.</summary>
    public static string Percent(long numerator, long denominator, int decimals = 1) =>
        Truncate(numerator * 100m / denominator, decimals).ToString(decimals == 0 ? "0" : "0." + new string('0', decimals), CultureInfo.InvariantCulture);

    public static decimal Truncate(decimal value, int decimals)
    {
        var scale = (decimal)Math.Pow(10, decimals);
        return Math.Floor(value * scale) / scale;
    }

    /// <summary>A threshold as a decimal fraction without trailing zeros: 0.7, 1, 0.85.</summary>
    public static string FormatMillionths(long millionths) =>
        (millionths / 1_000_000m).ToString("0.######", CultureInfo.InvariantCulture);
}
