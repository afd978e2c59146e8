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
            .Where(c => !char.IsWhiteSpace(c) && c != '\u00A0');

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
}
