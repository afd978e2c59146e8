using System.Text;

namespace QcdcCompliance.Alerts;

/// <summary>
/// The content of an e-mail as a few kinds of blocks, written once and rendered twice: as plain text and as HTML,
/// so that the two parts of a message never say different things.
/// </summary>
public sealed class MailBody
{
    private readonly List<Block> _blocks = [];

    public MailBody Heading(string text) => Add(new HeadingBlock(text));

    public MailBody Paragraph(string text) => Add(new ParagraphBlock(text));

    public MailBody Bullets(IEnumerable<string> items) => Add(new BulletBlock([.. items]));

    /// <summary>A table; columns whose every cell is a number are aligned right.</summary>
    public MailBody Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows) => Add(new TableBlock(headers, [.. rows]));

    public MailBody Link(string label, string url) => Add(new LinkBlock(label, url));

    /// <summary>The English footer, set apart by the usual signature separator.</summary>
    public MailBody Footer(string text) => Add(new FooterBlock(text));

    public string ToText()
    {
        var text = new StringBuilder();
        foreach (var block in _blocks)
        {
            switch (block)
            {
                case HeadingBlock h:
                    text.AppendLine(h.Text).AppendLine(new string('=', h.Text.Length));
                    break;
                case ParagraphBlock p:
                    text.AppendLine(p.Text);
                    break;
                case BulletBlock b:
                    foreach (var item in b.Items)
                        text.Append("  - ").AppendLine(item);
                    break;
                case TableBlock t:
                    AppendTextTable(text, t);
                    break;
                case LinkBlock l:
                    text.Append(l.Label).Append(": ").AppendLine(l.Url);
                    break;
                case FooterBlock f:
                    text.AppendLine("-- ").AppendLine(f.Text);
                    break;
            }

            text.AppendLine();
        }

        return Vietnamese.Nfc(text.ToString().TrimEnd() + "\n");
    }

    public string ToHtml(string title)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>").Append(Encode(title)).Append("</title></head>\n")
            .Append("<body style=\"font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222\">\n");
        foreach (var block in _blocks)
        {
            switch (block)
            {
                case HeadingBlock h:
                    html.Append("<h2 style=\"font-size:17px\">").Append(Encode(h.Text)).Append("</h2>\n");
                    break;
                case ParagraphBlock p:
                    html.Append("<p>").Append(Encode(p.Text).Replace("\n", "<br>", StringComparison.Ordinal)).Append("</p>\n");
                    break;
                case BulletBlock b:
                    html.Append("<ul>\n");
                    foreach (var item in b.Items)
                        html.Append("<li>").Append(Encode(item)).Append("</li>\n");
                    html.Append("</ul>\n");
                    break;
                case TableBlock t:
                    AppendHtmlTable(html, t);
                    break;
                case LinkBlock l:
                    html.Append("<p><a href=\"").Append(Encode(l.Url)).Append("\">").Append(Encode(l.Label)).Append("</a></p>\n");
                    break;
                case FooterBlock f:
                    html.Append("<hr><p style=\"font-size:12px;color:#666\" lang=\"en\">").Append(Encode(f.Text)).Append("</p>\n");
                    break;
            }
        }

        html.Append("</body></html>\n");
        return Vietnamese.Nfc(html.ToString());
    }

    private MailBody Add(Block block)
    {
        _blocks.Add(block);
        return this;
    }

    private static void AppendTextTable(StringBuilder text, TableBlock t)
    {
        var widths = t.Headers.Select((h, i) => t.Rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var numeric = NumericColumns(t);
        Line(t.Headers);
        text.Append("  ").AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in t.Rows)
            Line(row);

        void Line(IReadOnlyList<string> cells) =>
            text.Append("  ").AppendLine(string.Join("  ", cells.Select((c, i) => numeric[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd());
    }

    private static void AppendHtmlTable(StringBuilder html, TableBlock t)
    {
        var numeric = NumericColumns(t);
        html.Append("<table style=\"border-collapse:collapse\" cellpadding=\"4\">\n<tr>");
        foreach (var header in t.Headers)
            html.Append("<th style=\"border-bottom:1px solid #999;text-align:left\">").Append(Encode(header)).Append("</th>");
        html.Append("</tr>\n");
        foreach (var row in t.Rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Count; i++)
                html.Append(numeric[i] ? "<td style=\"text-align:right\">" : "<td>").Append(Encode(row[i])).Append("</td>");
            html.Append("</tr>\n");
        }

        html.Append("</table>\n");
    }

    private static bool[] NumericColumns(TableBlock t) =>
        t.Headers.Select((_, i) => t.Rows.Count > 0 && t.Rows.All(r => r[i].Length > 0 && r[i].All(c => char.IsAsciiDigit(c) || c is '.' or ',' or '%'))).ToArray();

    /// <summary>Escapes markup only: the page is UTF-8, so Vietnamese letters stay readable in the source.</summary>
    private static string Encode(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal);

    private abstract record Block;

    private sealed record HeadingBlock(string Text) : Block;

    private sealed record ParagraphBlock(string Text) : Block;

    private sealed record BulletBlock(IReadOnlyList<string> Items) : Block;

    private sealed record TableBlock(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows) : Block;

    private sealed record LinkBlock(string Label, string Url) : Block;

    private sealed record FooterBlock(string Text) : Block;
}
