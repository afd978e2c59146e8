using System.Text;
using QcdcCompliance.Domain;
using QcdcCompliance.Views;
using QcdcCompliance.Views.Mail;

namespace QcdcCompliance.Alerts;

/// <summary>
/// The content of an e-mail as a few kinds of blocks, written once and rendered twice: as plain text here and as HTML
/// by the Razor component <c>MailPage</c> (QcdcCompliance.Views), so that the two parts of a message never say
/// different things.
/// </summary>
public sealed class MailBody
{
    private readonly List<MailBlock> _blocks = [];

    public MailBody Heading(string text) => Add(new MailHeading(text));

    public MailBody Paragraph(string text) => Add(new MailParagraph(text));

    public MailBody Bullets(IEnumerable<string> items) => Add(new MailBullets([.. items]));

    /// <summary>A table; columns whose every cell is a number are aligned right.</summary>
    public MailBody Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows) => Add(new MailTable(headers, [.. rows]));

    public MailBody Link(string label, string url) => Add(new MailLink(label, url));

    /// <summary>The English footer, set apart by the usual signature separator.</summary>
    public MailBody Footer(string vietnamese, string english) => Add(new MailFooter(vietnamese, english));

    public string ToText()
    {
        var text = new StringBuilder(2048);
        WriteText(text);
        return Vietnamese.Nfc(text.ToString().TrimEnd() + "\n");
    }

    public string ToHtml(string title) => Vietnamese.Nfc(HtmlViews.Mail(title, _blocks));

    /// <summary>
    /// The text part as the outbox stores it: the same bytes as <c>CompactText.Mail.Pack(ToText())</c>, written into
    /// buffers of the thread and compressed from there, so that no string of the body is made (a province's first run
    /// writes 200,000 e-mails, and their strings and UTF-8 copies were most of what the collector had to sweep).
    /// </summary>
    public byte[] PackText()
    {
        var text = Scratch.Builder();
        WriteText(text);
        return Scratch.PackNfc(text, trimEnd: true);
    }

    /// <summary>The HTML part as the outbox stores it: the same bytes as <c>CompactText.Mail.Pack(ToHtml(title))</c>.</summary>
    public byte[] PackHtml(string title)
    {
        var html = Scratch.Builder();
        HtmlViews.AppendMail(html, title, _blocks);
        return Scratch.PackNfc(html, trimEnd: false);
    }

    private void WriteText(StringBuilder text)
    {
        foreach (var block in _blocks)
        {
            switch (block)
            {
                case MailHeading h:
                    text.AppendLine(h.Text).Append('=', h.Text.Length).AppendLine();
                    break;
                case MailParagraph p:
                    text.AppendLine(p.Text);
                    break;
                case MailBullets b:
                    foreach (var item in b.Items)
                        text.Append("  - ").AppendLine(item);
                    break;
                case MailTable t:
                    AppendTextTable(text, t);
                    break;
                case MailLink l:
                    text.Append(l.Label).Append(": ").AppendLine(l.Url);
                    break;
                case MailFooter f:
                    text.AppendLine("-- ").AppendLine(f.Text).AppendLine(f.English);
                    break;
            }

            text.AppendLine();
        }
    }

    /// <summary>A thread's buffers for <see cref="PackText"/> and <see cref="PackHtml"/>; let go when a body made them large.</summary>
    private static class Scratch
    {
        private const int Keep = 1 << 20;

        [ThreadStatic]
        private static StringBuilder? _builder;

        [ThreadStatic]
        private static char[]? _chars;

        [ThreadStatic]
        private static byte[]? _utf8;

        public static StringBuilder Builder()
        {
            var builder = _builder ??= new StringBuilder(8192);
            builder.Clear();
            return builder;
        }

        /// <summary>
        /// What <c>CompactText.Mail.Pack(Vietnamese.Nfc(text))</c> gives (after <c>TrimEnd() + "\n"</c> when
        /// <paramref name="trimEnd"/>): from the buffers when the text is NFC, as every text the product composes is.
        /// </summary>
        public static byte[] PackNfc(StringBuilder text, bool trimEnd)
        {
            var length = text.Length;
            var chars = _chars is { } c && c.Length >= length + 1 ? c : new char[Math.Max(length + 1, 8192)];
            text.CopyTo(0, chars, 0, length);
            var span = chars.AsSpan(0, length);
            if (trimEnd)
            {
                span = span.TrimEnd();
                chars[span.Length] = '\n';
                span = chars.AsSpan(0, span.Length + 1);
            }

            byte[] packed;
            if (span.IsNormalized(NormalizationForm.FormC))
            {
                var bound = Encoding.UTF8.GetMaxByteCount(span.Length);
                var utf8 = _utf8 is { } u && u.Length >= bound ? u : new byte[Math.Max(bound, 16384)];
                packed = CompactText.Mail.Pack(utf8.AsSpan(0, Encoding.UTF8.GetBytes(span, utf8)));
                _utf8 = utf8.Length <= Keep ? utf8 : null;
            }
            else
            {
                packed = CompactText.Mail.Pack(new string(span).Normalize(NormalizationForm.FormC));
            }

            _chars = chars.Length <= Keep ? chars : null;
            if (text.Capacity > Keep)
                _builder = null;
            return packed;
        }
    }

    private MailBody Add(MailBlock block)
    {
        _blocks.Add(block);
        return this;
    }

    private static void AppendTextTable(StringBuilder text, MailTable t)
    {
        var widths = t.Headers.Select((h, i) => t.Rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var numeric = t.NumericColumns();
        Line(t.Headers);
        text.Append("  ").AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in t.Rows)
            Line(row);

        void Line(IReadOnlyList<string> cells) =>
            text.Append("  ").AppendLine(string.Join("  ", cells.Select((c, i) => numeric[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd());
    }
}
