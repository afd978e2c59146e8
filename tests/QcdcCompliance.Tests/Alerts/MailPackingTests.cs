using QcdcCompliance.Alerts;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Tests.Alerts;

/// <summary>
/// A body packed straight from the thread's buffers (<see cref="MailBody.PackText"/>, <see cref="MailBody.PackHtml"/>) is,
/// byte for byte, the text and the HTML packed as strings, as the outbox stored them before: Vietnamese composed or
/// not (a text that is not NFC is normalised), trailing blanks, a table (rendered by the component), empty texts, and
/// a short body after a long one on the same thread (nothing of the long one is left in the buffers).
/// </summary>
public sealed class MailPackingTests
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 30)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_packed_body_is_its_text_and_html_packed(int seed)
    {
        var random = new Random(seed);
        string[] texts =
        [
            "Kính gửi: UBND Xã Hai.", "a < b && c > d; \"quoted\"", "Dòng một\nDòng hai", "", "   ",
            "Tie\u0302\u0301ng Vie\u0323\u0302t tổ hợp 🙂", "https://qcdc.example.vn/?period=2020S1&unit=XA2", "kết thúc \t \n",
            new string('x', 3_000) + " Đề nghị rà soát",
        ];
        string Text() => texts[random.Next(texts.Length)];
        var title = Text();
        var body = new MailBody().Heading(Text());
        for (var i = random.Next(1, 9); i > 0; i--)
        {
            _ = random.Next(6) switch
            {
                0 => body.Paragraph(Text()),
                1 => body.Bullets(Enumerable.Range(0, random.Next(0, 5)).Select(_ => Text())),
                2 => body.Link(Text(), Text()),
                3 => body.Footer(Text(), Text()),
                4 when random.Next(3) == 0 => body.Table(["Đơn vị", "Số"], [[Text(), "1.234"], ["Xã <Một>", "12"]]),
                _ => body.Paragraph(Text() + "\n" + Text()),
            };
        }

        body.PackText().Should().Equal(CompactText.Mail.Pack(body.ToText()));
        body.PackHtml(title).Should().Equal(CompactText.Mail.Pack(body.ToHtml(title)));
        CompactText.Mail.Unpack(body.PackText()).Should().Be(body.ToText());

        var small = new MailBody().Paragraph("Ngắn.");
        small.PackText().Should().Equal(CompactText.Mail.Pack("Ngắn.\n"), "nothing of the longer body before is left over");
        small.PackHtml("T").Should().Equal(CompactText.Mail.Pack(small.ToHtml("T")));
    }

    [Fact]
    public void A_text_that_is_not_nfc_is_stored_composed()
    {
        var body = new MailBody().Paragraph("Vie\u0323\u0302t Nam");

        CompactText.Mail.Unpack(body.PackText()).Should().Be("Việt Nam\n");
        CompactText.Mail.Unpack(body.PackHtml("Vie\u0323\u0302t")).Should().Contain("<title>Việt</title>").And.Contain("<p>Việt Nam</p>");
    }

    [Fact]
    public void An_outbox_row_holds_its_bodies_packed_and_reads_them_back()
    {
        var row = new OutboxMessage { Key = "k", Recipient = "a@example.vn", Subject = "S", TextBody = "Xin chào\n", HtmlBody = null };

        row.PackedTextBody.Should().Equal(CompactText.Mail.Pack("Xin chào\n"));
        row.TextBody.Should().Be("Xin chào\n");
        row.PackedHtmlBody.Should().BeNull();
        row.HtmlBody.Should().BeNull();
    }
}
