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
