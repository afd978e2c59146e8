using System.Globalization;
using System.Net.Mail;

namespace QcdcCompliance.Import;

/// <summary>
/// Parsers for cell text as spreadsheet programs write it: typed cells arrive as canonical text (see the readers),
/// Vietnamese words and number formats are accepted. Each returns false with a message saying how to write it.
/// </summary>
public static class Cells
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-M-d", "d/M/yyyy", "dd/MM/yyyy", "d-M-yyyy", "dd-MM-yyyy", "d.M.yyyy",
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm", "d/M/yyyy HH:mm:ss", "d/M/yyyy H:mm:ss",
        "d/M/yyyy HH:mm", "d/M/yyyy H:mm", "yyyy/MM/dd",
    ];

    public static bool TryBoolean(string text, out bool value, out string error)
    {
        error = "";
        // The spellings a generated file uses, without folding accents.
        switch (text)
        {
            case "true" or "1" or "TRUE" or "True":
                value = true;
                return true;
            case "false" or "0" or "FALSE" or "False":
                value = false;
                return true;
        }

        (value, var ok) = Text.Fold(text) switch
        {
            "true" or "1" or "co" or "yes" or "x" or "dat" or "1.0" => (true, true),
            "false" or "0" or "khong" or "no" or "chua" or "khong dat" or "0.0" => (false, true),
            _ => (false, false),
        };
        if (!ok)
            error = $"'{text}' is not a yes/no value; write true/false, 1/0 or có/không";
        return ok;
    }

    /// <summary>
    /// A whole number, with thousands grouped by '.', ',' or spaces (1.327.453) or a zero fraction (12.0), at most
    /// <paramref name="max"/>: a larger one, even beyond a long (1e20), is refused as too large, naming the maximum.
    /// </summary>
    public static bool TryWholeNumber(string text, out long value, out string error, long max = long.MaxValue)
    {
        if (!TryParseWholeNumber(text, out value, out var tooLarge))
        {
            error = tooLarge ? TooLarge(text, max) : $"'{text}' is not a whole number; write it without decimals, e.g. 1327453 or 1.327.453";
            return false;
        }

        error = value > max ? TooLarge(text, max) : "";
        return value <= max;
    }

    private static string TooLarge(string text, long max) =>
        $"'{text}' is too large: at most {max.ToString("N0", CultureInfo.InvariantCulture)} is accepted; check the figure";

    /// <param name="tooLarge">Whether the text is a whole number above a long's range (then false is returned).</param>
    private static bool TryParseWholeNumber(string text, out long value, out bool tooLarge)
    {
        tooLarge = false;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
            return true;
        var s = text.Replace("\u00A0", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
            return true;
        if (IsGrouped(s, '.') || IsGrouped(s, ','))
        {
            var digits = s.Replace(".", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
            if (long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
                return true;
            tooLarge = !digits.StartsWith('-');
            return false;
        }

        const NumberStyles Number = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        var point = s.Replace(',', '.');
        if (decimal.TryParse(point, Number, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d))
        {
            if (d is >= long.MinValue and <= long.MaxValue)
            {
                value = (long)d;
                return true;
            }

            tooLarge = d > 0;
            return false;
        }

        // Beyond a decimal's range (1e30, a JSON 1e999): a number, but no count.
        tooLarge = double.TryParse(point, Number, CultureInfo.InvariantCulture, out var x) && x > long.MaxValue;
        return false;
    }

    /// <summary>A percentage from 0 to 100 ("85", "85%", "85,5"), as hundredths of a percent.</summary>
    public static bool TryPercentage(string text, out long hundredths, out string error)
    {
        hundredths = 0;
        error = "";
        var s = text.Trim().TrimEnd('%').Trim().Replace(',', '.');
        if (!decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d))
        {
            error = $"'{text}' is not a percentage; write a number from 0 to 100, e.g. 85 or 85.5";
            return false;
        }

        // Far outside 0-100 is the caller's range error, not an overflow here.
        if (d is > 1_000_000 or < -1_000_000)
        {
            hundredths = d > 0 ? long.MaxValue : long.MinValue;
            return true;
        }

        var scaled = d * 100;
        if (scaled != decimal.Truncate(scaled))
        {
            error = $"'{text}' has more than two decimals; round it to hundredths of a percent";
            return false;
        }

        hundredths = (long)scaled;
        return true;
    }

    public static bool TryDate(string text, out DateOnly value, out string error)
    {
        error = "";
        var s = text.Trim();
        if (DateOnly.TryParseExact(s, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
            return true;
        if (DateTime.TryParseExact(s, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt) && dt.TimeOfDay == TimeSpan.Zero)
        {
            value = DateOnly.FromDateTime(dt);
            return true;
        }

        error = $"'{text}' is not a date; write yyyy-mm-dd (2025-07-01) or dd/mm/yyyy (01/07/2025)";
        return false;
    }

    public static bool TryEmail(string text, out string value, out string error)
    {
        value = text.Trim();
        error = "";
        if (value.Length <= 320 && MailAddress.TryCreate(value, out var address) && address.Address == value && value.Contains('.', StringComparison.Ordinal))
            return true;
        error = $"'{text}' is not an e-mail address; write name@domain.vn or leave it empty";
        return false;
    }

    private static bool IsGrouped(string s, char separator)
    {
        var groups = s.TrimStart('-').Split(separator);
        return groups.Length > 1
            && groups[0].Length is >= 1 and <= 3
            && groups.All(g => g.Length > 0 && g.All(char.IsAsciiDigit))
            && groups.Skip(1).All(g => g.Length == 3);
    }
}
