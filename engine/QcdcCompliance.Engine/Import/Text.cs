using System.Globalization;
using System.Text;

namespace QcdcCompliance.Import;

/// <summary>What every text that comes in goes through: trimmed, NFC-normalised, codes upper-cased.</summary>
public static class Text
{
    /// <summary>
    /// Trims what shows as nothing or as a space at either end (spaces of every width, no-break spaces, zero-width and
    /// other format characters, soft hyphens, control characters: <see cref="IsInvisible"/>), normalises to NFC; blank
    /// becomes null. Inside a text they stay, and a code that holds one is refused naming it (<see cref="InvisibleInCode"/>).
    /// </summary>
    public static string? Clean(string? text)
    {
        if (text is null)
            return null;
        var start = 0;
        var end = text.Length;
        while (start < end && IsEdgeInvisible(text[start]))
            start++;
        while (end > start && IsEdgeInvisible(text[end - 1]))
            end--;
        if (start == end)
            return null;
        var s = start == 0 && end == text.Length ? text : text[start..end];

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

    /// <summary>
    /// A name on one line: each run of control characters (a line break typed in a spreadsheet cell, a tab) and line or
    /// paragraph separators inside it, with the spaces around it, becomes one space. A name is printed in listings,
    /// e-mail subjects and spreadsheet cells, where a line break forged a row of <c>qcdc outbox</c>; its words stay.
    /// Applied after <see cref="Clean"/>, which trims them at the ends.
    /// </summary>
    public static string SingleLine(string text) =>
        text.AsSpan().ContainsAny(LineBreaking) ? LineBreaks.Replace(text, " ") : text;

    /// <summary>The control characters (C0, DEL, C1) and the line and paragraph separators.</summary>
    private static readonly System.Buffers.SearchValues<char> LineBreaking = System.Buffers.SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Select(i => (char)i)) + string.Concat(Enumerable.Range(0x7F, 0x21).Select(i => (char)i)) + "\u2028\u2029");

    /// <summary>A run of them with the spaces around it.</summary>
    private static readonly System.Text.RegularExpressions.Regex LineBreaks = new(" *[\\p{Cc}\u2028\u2029]+ *", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

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

    /// <summary>
    /// Codes are Latin letters, the digits 0-9 and <c>- _ . /</c>: a code can never be a formula or a script, and never
    /// looks like another code it is not (a Cyrillic Н or a fullwidth ５ reads as H or 5 in every list and e-mail).
    /// </summary>
    public static bool IsValidCode(string code)
    {
        if (code.Length is 0 or > 64)
            return false;
        foreach (var c in code)
        {
            if (!(IsCodeLetterOrDigit(c) || c is '-' or '_' or '.' or '/'))
                return false;
        }

        return IsCodeLetterOrDigit(code[0]);
    }

    /// <summary>
    /// A digit 0-9, or a letter of the Latin script that NFKC leaves as it is: ASCII and the accented letters of Latin-1,
    /// Latin Extended-A/B and Latin Extended Additional (Vietnamese's Đ, Ơ, Ư, Ắ stay codes' letters, as they always were).
    /// </summary>
    private static bool IsCodeLetterOrDigit(char c) =>
        char.IsAsciiLetterOrDigit(c)
        || (c is (>= '\u00C0' and <= '\u024F') or (>= '\u1E00' and <= '\u1EFF') && char.IsLetter(c) && IsNfkcStable(c));

    private static bool IsNfkcStable(char c) => c.ToString().IsNormalized(NormalizationForm.FormKC);

    /// <summary>
    /// Why a code that fails <see cref="IsValidCode"/> looks valid, when it does: a letter or digit of another script or
    /// form (Cyrillic, Greek, fullwidth) named with where it stands, "the code holds a Cyrillic letter 'Н' (U+041D)
    /// between 'UB-' and 'Т-D05-X065' (character 4); a code takes only Latin letters and the digits 0-9, ...: retype it";
    /// null when the code holds none.
    /// </summary>
    public static string? LookAlikeInCode(string code)
    {
        // Only a code that the letters and digits of every script would make valid looks valid.
        if (code.Length is 0 or > 64 || !char.IsLetterOrDigit(code[0])
            || code.Any(c => !(char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '/')))
            return null;
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (IsCodeLetterOrDigit(c) || !char.IsLetterOrDigit(c))
                continue;
            return $"the code holds {LookAlikeKind(c)} '{c}' (U+{(int)c:X4}) {Where(code, i)} (character {i + 1}); "
                   + "a code takes only Latin letters and the digits 0-9, so that it never reads as another code: retype it";
        }

        return null;
    }

    /// <summary>What a look-alike is, by the block it comes from: .NET has no table of scripts.</summary>
    private static string LookAlikeKind(char c) => c switch
    {
        >= '\uFF10' and <= '\uFF19' => "a fullwidth digit",
        >= '\uFF21' and <= '\uFF3A' or >= '\uFF41' and <= '\uFF5A' => "a fullwidth letter",
        >= '\u0370' and <= '\u03FF' or >= '\u1F00' and <= '\u1FFF' => "a Greek letter",
        >= '\u0400' and <= '\u052F' => "a Cyrillic letter",
        _ when char.IsDigit(c) => "a digit other than 0-9",
        _ when !IsNfkcStable(c) => "a compatibility letter",
        _ => "a letter outside the Latin alphabet",
    };

    /// <summary>"alone", "before 'X'", "after 'X'" or "between 'X' and 'Y'": where character i stands in a code.</summary>
    private static string Where(string code, int i)
    {
        var before = code[..i];
        var after = code[(i + 1)..];
        return (before.Length, after.Length) switch
        {
            (0, 0) => "alone",
            (0, _) => $"before '{Fragment(after, fromEnd: false)}'",
            (_, 0) => $"after '{Fragment(before, fromEnd: true)}'",
            _ => $"between '{Fragment(before, fromEnd: true)}' and '{Fragment(after, fromEnd: false)}'",
        };
    }

    /// <summary>
    /// Why a code that fails <see cref="IsValidCode"/> looks valid, when it does: a character that shows as nothing or as a
    /// space (pasted from a web page or a document) named with where it stands, "the code holds an invisible character
    /// (U+200B ZERO WIDTH SPACE) after 'XA1' (character 4); retype the code"; null when the code holds none.
    /// </summary>
    public static string? InvisibleInCode(string code)
    {
        // Only a code that would be valid without them looks valid: "'; DROP TABLE" is wrong for more than its spaces.
        if (!IsValidCode(string.Concat(code.Where(c => !IsInvisible(c)))))
            return null;
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (!IsInvisible(c))
                continue;
            var name = InvisibleNames.TryGetValue(c, out var n) ? $"U+{(int)c:X4} {n}" : $"U+{(int)c:X4}";
            var what = c == ' ' ? $"a space ({name})" : $"an invisible character ({name})";
            return $"the code holds {what} {Where(code, i)} (character {i + 1}); retype the code";
        }

        return null;
    }

    // Every cell of an import passes here: a visible ASCII character (nearly every first and last one) is decided by one comparison.
    private static bool IsEdgeInvisible(char c) => c <= ' ' || (c >= '\u007F' && IsInvisible(c));

    private static bool IsInvisible(char c) => CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.SpaceSeparator
        or UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    /// <summary>The characters a cell most often hides, by their Unicode names (.NET has no table of names).</summary>
    private static readonly Dictionary<char, string> InvisibleNames = new()
    {
        [' '] = "SPACE", ['\t'] = "CHARACTER TABULATION", ['\n'] = "LINE FEED", ['\r'] = "CARRIAGE RETURN",
        ['\u00A0'] = "NO-BREAK SPACE", ['\u00AD'] = "SOFT HYPHEN", ['\u2002'] = "EN SPACE", ['\u2003'] = "EM SPACE",
        ['\u2007'] = "FIGURE SPACE", ['\u2009'] = "THIN SPACE", ['\u200A'] = "HAIR SPACE", ['\u200B'] = "ZERO WIDTH SPACE",
        ['\u200C'] = "ZERO WIDTH NON-JOINER", ['\u200D'] = "ZERO WIDTH JOINER", ['\u200E'] = "LEFT-TO-RIGHT MARK", ['\u200F'] = "RIGHT-TO-LEFT MARK",
        ['\u2028'] = "LINE SEPARATOR", ['\u2029'] = "PARAGRAPH SEPARATOR", ['\u202A'] = "LEFT-TO-RIGHT EMBEDDING", ['\u202C'] = "POP DIRECTIONAL FORMATTING",
        ['\u202F'] = "NARROW NO-BREAK SPACE", ['\u205F'] = "MEDIUM MATHEMATICAL SPACE", ['\u2060'] = "WORD JOINER", ['\u3000'] = "IDEOGRAPHIC SPACE",
        ['\uFEFF'] = "ZERO WIDTH NO-BREAK SPACE",
    };

    private static string Fragment(string text, bool fromEnd) =>
        text.Length <= 40 ? text : fromEnd ? "…" + text[^40..] : text[..40] + "…";

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
