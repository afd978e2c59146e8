using System.Globalization;
using System.Text;

namespace QcdcCompliance.Host.Security;

/// <summary>
/// Text from a request made safe for a log line: control characters (a newline in <c>?file=</c> would forge a second
/// line) written as <c>\n</c>, <c>\r</c>, <c>\t</c> or <c>\u001b</c>, and a very long value cut.
/// </summary>
public static class LogText
{
    public const int MaxLength = 512;

    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text ?? "";
        var span = text.AsSpan(0, Math.Min(text.Length, MaxLength));
        if (!NeedsEscape(span) && text.Length <= MaxLength)
            return text;
        var result = new StringBuilder(span.Length + 16);
        foreach (var c in span)
        {
            switch (c)
            {
                case '\n': result.Append("\\n"); break;
                case '\r': result.Append("\\r"); break;
                case '\t': result.Append("\\t"); break;
                case '\\': result.Append("\\\\"); break;
                default:
                    if (char.IsControl(c) || c is '\u2028' or '\u2029' || char.IsSurrogate(c))
                        result.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        result.Append(c);
                    break;
            }
        }

        if (text.Length > MaxLength)
            result.Append("…(").Append(text.Length.ToString(CultureInfo.InvariantCulture)).Append(" characters)");
        return result.ToString();
    }

    /// <summary>
    /// A name kept as it reads, for a record and a log line alike (who wrote, in <see cref="QcdcClaims.Describe"/>): only
    /// control characters, line separators and a lone surrogate are written as <c>\uXXXX</c>; a whole emoji, a backslash and
    /// Vietnamese letters stay (in NFC). <see cref="Escape"/> wrote an emoji as twelve characters and a name of 61 outgrew
    /// the 256 characters the records keep.
    /// </summary>
    public static string Readable(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text ?? "";
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                result.Append(c).Append(text[++i]);
            else if (char.IsControl(c) || c is '\u2028' or '\u2029' || char.IsSurrogate(c))
                result.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else
                result.Append(c);
        }

        return result.ToString().Normalize(NormalizationForm.FormC);
    }

    private static bool NeedsEscape(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (char.IsControl(c) || c is '\\' or '\u2028' or '\u2029' || char.IsSurrogate(c))
                return true;
        }

        return false;
    }
}
