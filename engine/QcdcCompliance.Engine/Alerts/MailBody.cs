using System.Text;
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
    public MailBody Footer(string text) => Add(new MailFooter(text));

    public string ToText()
    {
        var text = new StringBuilder();
        foreach (var block in _blocks)
        {
            switch (block)
            {
                case MailHeading h:
                    text.AppendLine(h.Text).AppendLine(new string('=', h.Text.Length));
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
                    text.AppendLine("-- ").AppendLine(f.Text);
                    break;
            }

            text.AppendLine();
        }

        return Vietnamese.Nfc(text.ToString().TrimEnd() + "\n");
    }

    public string ToHtml(string title) => Vietnamese.Nfc(HtmlViews.Mail(title, _blocks));

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
