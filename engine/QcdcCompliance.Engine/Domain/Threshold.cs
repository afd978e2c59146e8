using System.Globalization;

namespace QcdcCompliance.Domain;

public enum ComparisonOperator
{
    AtLeast,
    MoreThan,
    AtMost,
    LessThan,
}

/// <summary>
/// A share threshold with its operator as written, compared exactly: the share is numerator / denominator and the
/// threshold is held in millionths, so "trên 70%" (<c>&gt; 0.70</c>) refuses 70 of 100 and accepts 7001 of 10000
/// without any rounding.
/// </summary>
public readonly record struct Threshold(ComparisonOperator Operator, long Millionths)
{
    public const long One = 1_000_000;

    public decimal Value => Millionths / (decimal)One;

    public bool IsMetBy(long numerator, long denominator)
    {
        if (denominator <= 0)
            throw new ArgumentOutOfRangeException(nameof(denominator), "a share needs a positive denominator");
        var left = (Int128)numerator * One;
        var right = (Int128)Millionths * denominator;
        return Operator switch
        {
            ComparisonOperator.AtLeast => left >= right,
            ComparisonOperator.MoreThan => left > right,
            ComparisonOperator.AtMost => left <= right,
            _ => left < right,
        };
    }

    public string Symbol => SymbolOf(Operator);

    public static string SymbolOf(ComparisonOperator op) => op switch
    {
        ComparisonOperator.AtLeast => ">=",
        ComparisonOperator.MoreThan => ">",
        ComparisonOperator.AtMost => "<=",
        _ => "<",
    };

    public static bool TryParseOperator(string? text, out ComparisonOperator op)
    {
        (op, var ok) = text?.Trim() switch
        {
            ">=" or "≥" => (ComparisonOperator.AtLeast, true),
            ">" => (ComparisonOperator.MoreThan, true),
            "<=" or "≤" => (ComparisonOperator.AtMost, true),
            "<" => (ComparisonOperator.LessThan, true),
            _ => (ComparisonOperator.AtLeast, false),
        };
        return ok;
    }

    /// <summary>Parses a share as written: <c>0.7</c>, <c>70%</c>, <c>1</c>, <c>100%</c>. No more than six decimals of a share.</summary>
    public static bool TryParseShare(string? text, out long millionths)
    {
        millionths = 0;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var s = text.Trim();
        var percent = s.EndsWith('%');
        if (percent)
            s = s[..^1].Trim();
        if (!decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            return false;
        var scaled = value * (percent ? One / 100 : One);
        if (scaled != decimal.Truncate(scaled) || scaled > One)
            return false;
        millionths = (long)scaled;
        return true;
    }

    /// <summary>As a committee writes it: <c>&gt; 70%</c>, <c>&gt;= 100%</c>.</summary>
    public override string ToString() =>
        $"{Symbol} {(Millionths * 100m / One).ToString("0.####", CultureInfo.InvariantCulture)}%";
}
