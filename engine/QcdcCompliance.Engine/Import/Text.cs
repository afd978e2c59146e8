using System.Globalization;
using System.Text;

namespace QcdcCompliance.Import;

/// <summary>What every text that comes in goes through: trimmed, NFC-normalised, codes upper-cased.</summary>
public static class Text
{
    /// <summary>Trims spaces, no-break spaces and zero-width characters, normalises to NFC; blank becomes null.</summary>
    public static string? Clean(string? text)
    {
        if (text is null)
            return null;
        var trimmed = text.AsSpan().Trim(" \t\r\n\u00A0\u200B\u200C\u200D\uFEFF");
        if (trimmed.IsEmpty)
            return null;
        var s = trimmed.Length == text.Length ? text : trimmed.ToString();

        // Text without combining marks or the scripts beyond Latin is NFC as it stands (codes, figures, periods, "có",
        // Vietnamese names in precomposed letters: nearly every cell of an import): no call into ICU.
        if (IsPlainLatin(s))
            return s;
        // Text that cannot be normalised (half a surrogate pair, U+FFFE, U+FFFF) is left as it is: the cell checks refuse
        // it with its row; a header that holds it matches no column and is refused as such.
        return !Normalisable(s) || s.IsNormalized(NormalizationForm.FormC) ? s : s.Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// Letters below U+0300 (ASCII, Latin-1, Latin Extended-A/B, IPA, spacing modifiers) and Latin Extended Additional
    /// (U+1E00-U+1EFF, Vietnamese's precomposed letters) only: no character there changes under NFC, and none composes
    /// with the one before it (every composition pair ends in a combining mark, U+0300 and above, outside these ranges).
    /// </summary>
    private static bool IsPlainLatin(ReadOnlySpan<char> text) =>
        text.IndexOfAnyInRange('\u0300', '\u1DFF') < 0 && text.IndexOfAnyInRange('\u1F00', '\uFFFF') < 0;

    /// <summary>Whether .NET can normalise the text: no half surrogate pair and no U+FFFE or U+FFFF.</summary>
    public static bool Normalisable(ReadOnlySpan<char> text) => FirstNonText(text) < 0;

    /// <summary>The first character that is not text (U+FFFE, U+FFFF, half a surrogate pair), or -1.</summary>
    public static int FirstNonText(ReadOnlySpan<char> text)
    {
        // Vectorised searches first: every cell of an import passes here, and nearly all are plain text.
        var surrogate = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        var nonCharacter = text.IndexOfAny('\uFFFE', '\uFFFF');
        if (surrogate < 0)
            return nonCharacter;
        for (var i = nonCharacter < 0 ? surrogate : Math.Min(surrogate, nonCharacter); i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\uFFFE' or '\uFFFF')
                return i;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(c))
                return i;
        }

        return -1;
    }

    public static string? Code(string? text)
    {
        var clean = Clean(text);
        if (clean is null)
            return null;
        foreach (var c in clean)
        {
            if (char.IsLower(c))
                return clean.ToUpperInvariant();
        }

        return clean;
    }

    /// <summary>Codes are letters, digits and <c>- _ . /</c>: a code can never be a formula or a script.</summary>
    public static bool IsValidCode(string code)
    {
        if (code.Length is 0 or > 64)
            return false;
        foreach (var c in code)
        {
            if (!(char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '/'))
                return false;
        }

        return char.IsLetterOrDigit(code[0]);
    }

    /// <summary>Case- and accent-insensitive key for matching words such as "Có", "co", "CÓ".</summary>
    public static string Fold(string text)
    {
        var decomposed = text.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                folded.Append(c == 'đ' ? 'd' : c);
        }

        return folded.ToString();
    }
}
