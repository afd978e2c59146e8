using System.Globalization;
using System.Text;

namespace QcdcCompliance.Domain;

/// <summary>
/// The reason a person gives for a decision (acknowledging or waiving a finding, signing off, reopening): what counts
/// as one is decided here, once. A reason needs something a reader can see: spaces, line breaks, control and format
/// characters (U+200B zero width space, U+2060 word joiner, U+FEFF, U+00AD soft hyphen, ...), marks without a base,
/// and letters drawn blank (Hangul fillers, the blank Braille pattern) alone are no reason.
/// </summary>
public static class ReasonText
{
    /// <summary>The reason as stored (trimmed, in NFC), or null when it holds nothing visible.</summary>
    public static string? Clean(string? text)
    {
        if (IsBlank(text))
            return null;
        var trimmed = text!.Trim();
        // Half a surrogate pair (JSON may carry one) cannot be normalized: it becomes U+FFFD, as a decoder would make it.
        if (trimmed.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
            trimmed = string.Concat(trimmed.EnumerateRunes().Select(r => r.ToString()));
        return trimmed.Normalize(NormalizationForm.FormC);
    }

    /// <summary>Whether the text holds no visible character (null and "" included).</summary>
    public static bool IsBlank(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return true;
        for (var at = 0; at < text.Length;)
        {
            // Half a surrogate pair shows nothing either.
            if (Rune.DecodeFromUtf16(text.AsSpan(at), out var rune, out var used) == System.Buffers.OperationStatus.Done && Visible(rune))
                return false;
            at += Math.Max(used, 1);
        }

        return true;
    }

    private static bool Visible(Rune rune)
    {
        // Letters that render as nothing: Hangul fillers and the blank Braille pattern are used to pass for text.
        if (rune.Value is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800)
            return false;
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned => false,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark => false,
            _ => true,
        };
    }
}
