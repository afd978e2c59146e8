using System.Security.Cryptography;
using System.Text;
using MimeKit;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Alerts;

/// <summary>An outbox row as the e-mail that goes out: plain text and HTML, a Message-ID that follows from the key.</summary>
public static class OutboxMail
{
    /// <summary>
    /// The same key always gives the same Message-ID, so that if a message is ever sent twice (see the README's
    /// exactly-once section) the receiving systems see one message delivered twice, not two messages.
    /// </summary>
    public static string MessageId(string key, string domain) =>
        $"qcdc.{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32]}@{domain}";

    public static MimeMessage Build(OutboxMessage row, AlertOptions options)
    {
        // As first sent (kept with the first claim), else as the settings say now.
        var from = MailboxAddress.Parse(row.SentFrom ?? options.From);
        var message = new MimeMessage
        {
            Subject = row.Subject,
            MessageId = MessageId(row.Key, row.MessageIdDomain ?? options.MessageIdDomain ?? from.Domain),
            Date = TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc)), Vietnamese.TimeZone),
        };
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse(row.Recipient));
        // RFC 3834: a machine wrote this; auto-responders stay quiet.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("X-Qcdc-Outbox-Key", row.Key);
        message.Body = new BodyBuilder { TextBody = row.TextBody, HtmlBody = row.HtmlBody }.ToMessageBody();
        // The boundary between the text and the HTML follows from the key (MimeKit draws one at random): the same row
        // gives the same bytes, so the audit view (qcdc outbox show) shows exactly what was delivered.
        if (message.Body is Multipart multipart)
            multipart.Boundary = "=-qcdc-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(row.Key)))[..24];
        message.Prepare(EncodingConstraint.EightBit);
        return message;
    }

    /// <summary>
    /// The message as delivered, byte for byte: what the pickup folder's file holds and what an SMTP relay receives. Lines
    /// end in CRLF, as on the wire (RFC 5322): MimeKit's default is the platform's LF, which made the audit view's hash
    /// differ from the received message's.
    /// </summary>
    public static Task WriteAsync(MimeMessage message, Stream output, CancellationToken ct = default) => message.WriteToAsync(Wire, output, ct);

    private static readonly FormatOptions Wire = CreateWire();

    private static FormatOptions CreateWire()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        return options;
    }

    /// <summary>The pickup file of a message: sortable by creation time, and the same name for the same key.</summary>
    public static string FileName(OutboxMessage row) =>
        $"{Vietnamese.Local(row.CreatedAt):yyyyMMdd-HHmmss}-{row.Kind}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(row.Key)))[..16]}.eml";
}
