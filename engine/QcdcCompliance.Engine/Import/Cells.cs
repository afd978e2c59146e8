using System.Globalization;
using System.Net.Mail;
using QcdcCompliance.Import.Files;

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
    /// A whole number as the file writes numbers (<paramref name="numbers"/>): its decimal separator is decimal, whole
    /// only if the decimals are zeros (12.0, 12,00 in a ';' file), its thousands separator groups thousands (1,327,453;
    /// 1.327.453 in a ';' file), spaces too; a separator the other way round is read so only when the text can mean nothing
    /// else (1.327.453 in a ',' file). Text that reads as two different numbers in a file not sure of its convention
    /// (2.500 in a ',' file: 2.5 or 2500) is refused, saying both. At most <paramref name="max"/>: a larger one, even beyond
    /// a long (1e20), is refused as too large, naming the maximum.
    /// </summary>
    public static bool TryWholeNumber(string text, out long value, out string error, long max = long.MaxValue,
        NumberConvention numbers = NumberConvention.DecimalPoint)
    {
        error = "";
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
            return Within(text, value, max, ref error);
        var s = text.Replace("\u00A0", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
            return Within(text, value, max, ref error);

        Reading read;
        if (s.Contains('e', StringComparison.OrdinalIgnoreCase))
        {
            read = Exponent(numbers == NumberConvention.DecimalComma ? s.Replace(',', '.') : s);
        }
        else
        {
            var (point, comma) = (Read(s, '.', ','), Read(s, ',', '.'));
            // Unsure of its convention, a file's ',' still groups thousands ("1,000" is how English writes a thousand); only a
            // lone '.' before three digits is as likely a Vietnamese thousands separator as a decimal point.
            if (numbers == NumberConvention.DecimalPointUnsure && !s.Contains(',', StringComparison.Ordinal) && point.Number && comma.Number && point.Value != comma.Value)
            {
                error = $"'{text}' is ambiguous: with '.' as the decimal point it is {Show(point.Value)}, with '.' grouping thousands {Show(comma.Value)}; "
                        + $"write the figure with digits only ({string.Join(" or ", new[] { point.Value, comma.Value }.Where(IsWhole).Select(Show))})";
                return false;
            }

            var (first, second) = numbers == NumberConvention.DecimalComma ? (comma, point) : (point, comma);
            read = first.Number ? first : second;
        }

        if (read.TooLarge)
        {
            error = TooLarge(text, max);
            return false;
        }

        if (!read.Number || !IsWhole(read.Value))
        {
            error = numbers == NumberConvention.DecimalComma && s.AsSpan().IndexOfAny('.', ',') >= 0
                ? $"'{text}' is not a whole number as this file writes numbers (a file separated by ';': ',' is its decimal comma, '.' groups thousands, 1.327.453); write digits only, e.g. 1327453"
                : $"'{text}' is not a whole number; write it without decimals, e.g. 1327453 or 1.327.453";
            return false;
        }

        if (read.Value is < long.MinValue or > long.MaxValue)
        {
            error = TooLarge(text, max);
            return false;
        }

        value = (long)read.Value;
        return Within(text, value, max, ref error);
    }

    private static bool Within(string text, long value, long max, ref string error)
    {
        if (value <= max)
            return true;
        error = TooLarge(text, max);
        return false;
    }

    private static string TooLarge(string text, long max) =>
        $"'{text}' is too large: at most {max.ToString("N0", CultureInfo.InvariantCulture)} is accepted; check the figure";

    private static bool IsWhole(decimal value) => value == decimal.Truncate(value);

    private static string Show(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    /// <summary>A number read one way: whether the text is one (<see cref="Value"/>), or one too large for any count.</summary>
    private readonly record struct Reading(bool Number, decimal Value, bool TooLarge);

    /// <summary>
    /// The text as a number whose decimal separator is <paramref name="point"/> and whose thousands are grouped by
    /// <paramref name="group"/> (groups of three after a first of one to three digits, not starting with 0), or no number.
    /// </summary>
    private static Reading Read(string s, char point, char group)
    {
        var body = s.AsSpan();
        var negative = body.Length > 0 && body[0] == '-';
        if (body.Length > 0 && body[0] is '-' or '+')
            body = body[1..];
        var at = body.IndexOf(point);
        var whole = at < 0 ? body : body[..at];
        var fraction = at < 0 ? ReadOnlySpan<char>.Empty : body[(at + 1)..];
        if ((whole.IsEmpty && fraction.IsEmpty) || !Digits(fraction))
            return default;
        var digits = new System.Text.StringBuilder(whole.Length);
        if (whole.Contains(group))
        {
            var first = true;
            foreach (var range in whole.Split(group))
            {
                var part = whole[range];
                if (!Digits(part) || (first ? part.Length is < 1 or > 3 || (part[0] == '0') : part.Length != 3))
                    return default;
                digits.Append(part);
                first = false;
            }
        }
        else if (Digits(whole))
        {
            digits.Append(whole);
        }
        else
        {
            return default;
        }

        var number = $"{(negative ? "-" : "")}{(digits.Length == 0 ? "0" : digits)}.{(fraction.IsEmpty ? "0" : fraction)}";
        if (decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            return new Reading(true, value, false);
        // Beyond a decimal's 28 digits: a number, but no count.
        return new Reading(false, 0, !negative);
    }

    private static bool Digits(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');

    /// <summary>A number written with an exponent (1e3, 1E+20 as a workbook writes a large one).</summary>
    private static Reading Exponent(string s)
    {
        const NumberStyles Number = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (decimal.TryParse(s, Number, CultureInfo.InvariantCulture, out var d))
            return new Reading(true, d, false);
        // Beyond a decimal's range (1e30, a JSON 1e999): a number, but no count.
        return new Reading(false, 0, double.TryParse(s, Number, CultureInfo.InvariantCulture, out var x) && x > long.MaxValue);
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
}
