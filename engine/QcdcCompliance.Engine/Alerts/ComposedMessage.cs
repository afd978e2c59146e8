using System.Globalization;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Alerts;

/// <summary>An e-mail ready for the outbox: its unique key, who it goes to, and what it says.</summary>
public sealed record ComposedMessage(string Key, MessageKind Kind, string Recipient, string Subject, MailBody Body, long? RunId = null)
{
    public OutboxMessage ToOutbox(DateTime now) => new()
    {
        Key = Key,
        Kind = Kind,
        RunId = RunId,
        Recipient = Recipient,
        Subject = Vietnamese.Nfc(Subject),
        PackedTextBody = Body.PackText(),
        PackedHtmlBody = Body.PackHtml(Subject),
        CreatedAt = now,
        Status = MessageStatus.Pending,
        Attempts = 0,
        NextAttemptAt = now,
    };
}

/// <summary>
/// The unique keys of outbox messages. A key names what the message is about, so that composing the same thing again
/// (a retried job, a re-run) finds the key taken instead of queuing a second e-mail.
/// </summary>
public static class OutboxKeys
{
    /// <summary>One message per recipient and kind for a run.</summary>
    public static string ForRun(long runId, MessageKind kind, string recipient) =>
        $"run:{runId.ToString(CultureInfo.InvariantCulture)}:{kind}:{Normalise(recipient)}";

    /// <summary>One reminder per unit, period and day (the day in Asia/Ho_Chi_Minh).</summary>
    public static string Reminder(string period, string unitCode, DateOnly day) =>
        $"remind:{period}:{unitCode}:{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The period, unit code and day of a reminder's key (<see cref="Reminder"/>), or of a copy of it re-addressed
    /// (<c>…:to:{address}</c>, <see cref="OutboxReaddressing"/>), or null for another key.
    /// </summary>
    public static (string Period, string Unit, DateOnly Day)? ReadReminder(string key)
    {
        var parts = key.Split(':');
        static bool IsDay(string text, out DateOnly day) => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
        var end = parts.Length;
        while (end >= 6 && parts[end - 2] == "to" && !IsDay(parts[end - 1], out _))
            end -= 2;
        return end >= 4 && parts[0] == "remind" && IsDay(parts[end - 1], out var day)
            ? (parts[1], string.Join(':', parts[2..(end - 1)]), day)
            : null;
    }

    /// <summary>One escalation per committee address and ISO week.</summary>
    public static string Escalation(string recipient, DateOnly day) =>
        $"escalate:{Normalise(recipient)}:{ISOWeek.GetYear(day.ToDateTime(TimeOnly.MinValue)).ToString(CultureInfo.InvariantCulture)}-W{ISOWeek.GetWeekOfYear(day.ToDateTime(TimeOnly.MinValue)).ToString("00", CultureInfo.InvariantCulture)}";

    /// <summary>Addresses compare without case: one person, one message.</summary>
    public static string Normalise(string recipient) => recipient.Trim().ToLowerInvariant();
}
