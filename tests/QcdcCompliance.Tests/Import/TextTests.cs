using System.Globalization;
using System.Text;
using QcdcCompliance.Import;

namespace QcdcCompliance.Tests.Import;

/// <summary>
/// <see cref="Text.Clean"/> leaves plain Latin text (Vietnamese in precomposed letters) as it stands without asking ICU:
/// that shortcut must give what NFC gives, for every character and every pair of characters it takes.
/// </summary>
public sealed class TextTests
{
    private static IEnumerable<char> PlainLatin() =>
        Enumerable.Range(0x21, 0x300 - 0x21).Concat(Enumerable.Range(0x1E00, 0x100))
            .Select(c => (char)c)
            // What Clean trims at a text's ends (spaces, control and format characters such as the soft hyphen) is tried inside a text below.
            .Where(c => CharUnicodeInfo.GetUnicodeCategory(c) is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.SpaceSeparator));

    [Fact]
    public void Every_plain_latin_character_and_pair_of_them_is_kept_exactly_as_NFC_would_write_it()
    {
        var letters = PlainLatin().ToArray();
        var differ = new List<string>();
        var pair = new char[2];
        foreach (var first in letters)
        {
            foreach (var second in letters)
            {
                (pair[0], pair[1]) = (first, second);
                var text = new string(pair);
                if (Text.Clean(text) != text.Normalize(NormalizationForm.FormC))
                    differ.Add($"U+{(int)first:X4} U+{(int)second:X4}");
            }
        }

        differ.Should().BeEmpty();
        letters.Should().HaveCountGreaterThan(900, "the ranges tried are Latin up to U+02FF and Latin Extended Additional");
    }

    [Fact]
    public void Decomposed_vietnamese_and_other_scripts_are_still_normalised()
    {
        var decomposed = "Không có báo cáo, Ủy ban".Normalize(NormalizationForm.FormD);
        Text.Clean(decomposed).Should().Be("Không có báo cáo, Ủy ban".Normalize(NormalizationForm.FormC)).And.NotBe(decomposed);
        Text.Clean("e\u0301").Should().Be("é");
        Text.Clean("\u1EA1\u0302").Should().Be("\u1EAD", "ạ followed by a combining circumflex is ậ");
        Text.Clean("\u212B").Should().Be("\u00C5", "the Ångström sign is a singleton NFC replaces");
        Text.Clean("  có\u00A0").Should().Be("có");
    }

    [Fact]
    public void What_shows_as_nothing_is_trimmed_at_the_ends_and_kept_inside()
    {
        foreach (var c in "\u0001\u007F\u0085\u00A0\u00AD\u2007\u200B\u200E\u2028\u202F\u2060\u3000\uFEFF")
        {
            Text.Clean($"{c}XA1{c}").Should().Be("XA1", $"U+{(int)c:X4} shows as nothing or as a space");
            Text.Clean($"X{c}A").Should().Be($"X{c}A", $"U+{(int)c:X4} inside a text is left for the checks to name");
            Text.Clean($"{c}{c}").Should().BeNull();
        }

        Text.Clean("\u3164XA1").Should().Be("\u3164XA1", "a Hangul filler is a letter, not a space");
    }
}
