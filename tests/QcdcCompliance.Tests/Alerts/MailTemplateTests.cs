using QcdcCompliance.Alerts;
using QcdcCompliance.Views;
using QcdcCompliance.Views.Mail;

namespace QcdcCompliance.Tests.Alerts;

/// <summary>
/// An e-mail's HTML filled in from its shape's template is, byte for byte, what rendering the Razor component for that
/// e-mail gives: texts that need encoding, line breaks, Vietnamese, emoji, empty texts, and a table (not templated).
/// </summary>
public sealed class MailTemplateTests
{
    private static readonly string[] Texts =
    [
        "Kính gửi: UBND Xã Hai.",
        "a < b && c > d; \"quoted\" and 'single'",
        "Dòng một\nDòng hai\n\nDòng bốn",
        "",
        "Tiếng Việt tổ hợp: Tie\u0302\u0301ng Vie\u0323\u0302t 🙂 – ‘ngoặc’",
        "https://qcdc.example.vn/workspace/units/XA2?period=2020S1&x=\"1\"<2>",
        "\u00a0 tab\tand a control \u0001 character",
    ];

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_templated_mail_is_the_rendered_component_byte_for_byte(int seed)
    {
        var random = new Random(seed);
        string Text() => Texts[random.Next(Texts.Length)] + (random.Next(3) == 0 ? " " + random.Next(1000) : "");
        var blocks = new List<MailBlock> { new MailHeading(Text()) };
        for (var i = random.Next(1, 8); i > 0; i--)
        {
            blocks.Add(random.Next(5) switch
            {
                0 => new MailParagraph(Text()),
                1 => new MailBullets(Enumerable.Range(0, random.Next(0, 6)).Select(_ => Text()).ToList()),
                2 => new MailLink(Text(), Text()),
                3 => new MailFooter(Text(), Text()),
                _ => new MailParagraph(string.Join('\n', Enumerable.Range(0, random.Next(1, 4)).Select(_ => Text()))),
            });
        }

        var title = Text();
        HtmlViews.Mail(title, blocks).Should().Be(HtmlViews.RenderMail(title, blocks));
        HtmlViews.MailShapes.Should().BeGreaterThan(0, "the mail came from a template");

        // Once more through the same shape's template, with other texts.
        var other = blocks.Select(b => b switch
        {
            MailHeading h => new MailHeading(h.Text + " <2>"),
            MailParagraph p => new MailParagraph(string.Join('\n', p.Lines.Select(l => "& " + l))),
            MailBullets u => new MailBullets(u.Items.Select(x => x + "\"").ToList()),
            MailLink l => new MailLink("'" + l.Label, l.Url + "&y=2"),
            MailFooter f => new MailFooter(f.English, f.Text),
            _ => b,
        }).ToList();
        HtmlViews.Mail(title + "é", other).Should().Be(HtmlViews.RenderMail(title + "é", other));
    }

    [Fact]
    public void A_mail_with_a_table_is_rendered_by_the_component_with_numbers_aligned_right()
    {
        var body = new MailBody().Heading("Tổng hợp").Table(["Địa bàn", "Số đơn vị"], [["Xã <Một>", "12"], ["Xã Hai & Ba", "1.234"]]).Paragraph("Hết.");

        var html = body.ToHtml("Tổng hợp");

        html.Should().Contain("<td style=\"text-align:right\">1.234</td>").And.Contain("<td>Xã &lt;Một&gt;</td>");
    }
}
