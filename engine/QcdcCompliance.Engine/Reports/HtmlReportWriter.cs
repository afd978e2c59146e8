using System.Text;
using static System.Net.WebUtility;

namespace QcdcCompliance.Reports;

/// <summary>
/// Writes a <see cref="ReportDocument"/> as one self-contained HTML page (styles inline, charts as inline SVG): the
/// same content as the DOCX, for a browser, printable, needing nothing from the internet.
/// </summary>
public static class HtmlReportWriter
{
    private const string Style = """
        body{font-family:"Times New Roman",Times,serif;font-size:13pt;line-height:1.45;color:#111;max-width:50rem;margin:1.5rem auto;padding:0 1rem}
        .letterhead{display:flex;justify-content:space-between;gap:1rem;text-align:center;font-size:12pt}
        .letterhead div{flex:1}.letterhead .issuer,.letterhead .motto{font-weight:bold}.letterhead .motto span{text-decoration:underline}.letterhead .date{font-style:italic;margin-top:.4rem}
        h1{text-align:center;font-size:15pt;margin:1.2rem 0 0}h2{font-size:13pt;margin-top:1.4rem}h3{font-size:13pt}h4{font-size:13pt;font-style:italic}
        p.centered{text-align:center;font-weight:bold;font-size:14pt}p.note{font-style:italic;font-size:11pt;color:#404040}
        p.placeholder{font-style:italic;color:#1f3864;background:#f2f2f2;border-left:3px solid #7f7f7f;padding:.2rem .5rem}
        p.bullet{margin-left:1.2rem}
        figure{margin:1rem 0;text-align:center;overflow-x:auto}figcaption,caption{font-weight:bold;font-style:italic;font-size:11pt;padding:.3rem}
        svg.chart{width:100%;height:auto;min-width:720px}
        .table{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:10.5pt;margin-bottom:1rem}
        th,td{border:1px solid #333;padding:.15rem .35rem;vertical-align:top}th{background:#dce6f1}
        td.r{text-align:right;white-space:nowrap}td.c{text-align:center}tr.total td{font-weight:bold}
        .signature{display:flex;justify-content:space-between;margin-top:2rem}.signature div{flex:1}.signature .signer{text-align:center;font-weight:bold}
        @media print{body{margin:0;max-width:none}.pagebreak{break-after:page}}
        """;

    public static string Write(ReportDocument report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(report.Language == ReportLanguage.En ? "en" : "vi").Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>").Append(HtmlEncode(report.Title)).Append("</title>\n<style>")
            .Append(Style).Append("</style>\n</head>\n<body>\n<main>\n");
        foreach (var block in report.Blocks)
            Append(html, block);
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>One block as HTML (the dashboard has no use for it; the report page uses all).</summary>
    public static void Append(StringBuilder html, Block block)
    {
        switch (block)
        {
            case LetterheadBlock head:
                html.Append("<header class=\"letterhead\"><div>");
                foreach (var line in head.Parent)
                    html.Append(HtmlEncode(line)).Append("<br>");
                html.Append("<span class=\"issuer\">").AppendJoin("<br>", head.Issuer.Select(HtmlEncode)).Append("</span><br>")
                    .Append(head.Party ? "*" : "———").Append("<br>");
                html.Append(HtmlEncode(head.Number)).Append("</div><div><div class=\"motto\">");
                html.AppendJoin("<br>", head.Motto.Select((line, i) => head.Party || i > 0 ? $"<span>{HtmlEncode(line)}</span>" : HtmlEncode(line)));
                html.Append("</div><div class=\"date\">").Append(HtmlEncode(head.PlaceAndDate)).Append("</div></div></header>\n");
                break;
            case HeadingBlock heading:
                var level = heading.Level + 1;
                html.Append("<h").Append(level).Append('>').Append(HtmlEncode(heading.Text)).Append("</h").Append(level).Append(">\n");
                break;
            case ParagraphBlock paragraph:
                html.Append("<p class=\"").Append(paragraph.Kind.ToString().ToLowerInvariant()).Append("\">");
                foreach (var run in paragraph.Runs)
                {
                    var text = HtmlEncode(run.Text);
                    html.Append(run.Bold ? $"<strong>{text}</strong>" : run.Italic ? $"<em>{text}</em>" : text);
                }

                html.Append("</p>\n");
                break;
            case TableBlock table:
                html.Append("<div class=\"table\"><table id=\"").Append(HtmlEncode(table.Id)).Append("\"><caption>").Append(HtmlEncode(table.Caption)).Append("</caption>\n<thead><tr>");
                foreach (var column in table.Columns)
                    html.Append("<th scope=\"col\">").Append(HtmlEncode(column.Header)).Append("</th>");
                html.Append("</tr></thead>\n<tbody>\n");
                foreach (var row in table.Rows)
                {
                    html.Append(row.Total ? "<tr class=\"total\">" : "<tr>");
                    foreach (var (cell, column) in row.Cells.Zip(table.Columns))
                        html.Append(column.Align switch { Align.Right => "<td class=\"r\">", Align.Center => "<td class=\"c\">", _ => "<td>" }).Append(HtmlEncode(cell)).Append("</td>");
                    html.Append("</tr>\n");
                }

                html.Append("</tbody></table></div>\n");
                break;
            case ChartBlock chart:
                html.Append("<figure tabindex=\"0\" id=\"").Append(HtmlEncode(chart.Id)).Append("\">").Append(ChartRenderer.Svg(chart.Spec))
                    .Append("<figcaption>").Append(HtmlEncode(chart.Caption)).Append("</figcaption></figure>\n");
                break;
            case PageBreakBlock:
                html.Append("<div class=\"pagebreak\"></div>\n");
                break;
            case SignatureBlock signature:
                html.Append("<footer class=\"signature\"><div>").AppendJoin("<br>", signature.Recipients.Select(HtmlEncode))
                    .Append("</div><div class=\"signer\">").AppendJoin("<br>", signature.Signer.Select(HtmlEncode)).Append("</div></footer>\n");
                break;
            default:
                throw new InvalidOperationException($"no HTML rendering for {block.GetType().Name}");
        }
    }
}
