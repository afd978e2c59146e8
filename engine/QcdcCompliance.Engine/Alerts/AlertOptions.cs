using MailKit.Security;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Alerts;

/// <summary>
/// Settings of the alert e-mails (section <c>Alerts</c>). Without <see cref="SmtpOptions.Host"/>, messages are written
/// as <c>.eml</c> files to <see cref="PickupFolder"/> instead of being sent.
/// </summary>
public sealed class AlertOptions
{
    /// <summary>The sender, as an address or <c>Name &lt;address&gt;</c>.</summary>
    public string From { get; set; } = "Ban Chỉ đạo QCDC <qcdc@localhost>";

    /// <summary>The committee (Ban Chỉ đạo) addresses per area code; several addresses separated by <c>;</c> or <c>,</c>.</summary>
    public Dictionary<string, string> Committees { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Where a digest points to: <c>{period}</c> and <c>{area}</c> are replaced.</summary>
    public string DashboardUrl { get; set; } = "http://localhost:5080/?period={period}&area={area}";

    /// <summary>
    /// Where a unit alert and a reminder point to: the unit's own page in the reporting officers' workspace, which its
    /// reporting officer can open; <c>{period}</c> and <c>{unit}</c> are replaced.
    /// </summary>
    public string UnitUrl { get; set; } = "http://localhost:5080/workspace/units/{unit}?period={period}";

    /// <summary>The unit's reporting template (of its area), linked from the same messages: <c>{period}</c> and <c>{unit}</c> are replaced.</summary>
    public string TemplateUrl { get; set; } = "http://localhost:5080/workspace/template?period={period}&unit={unit}";

    /// <summary>A unit's page or template link for a period, its placeholders filled in.</summary>
    public static string ForUnit(string pattern, string period, string unit) =>
        pattern.Replace("{period}", period, StringComparison.Ordinal).Replace("{unit}", Uri.EscapeDataString(unit), StringComparison.Ordinal);

    /// <summary>Who signs every e-mail: the committee's standing office.</summary>
    public string Signature { get; set; } = "Văn phòng Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở";

    /// <summary>
    /// Days a unit or area is given to put a shortfall right after the run that found it (the date an e-mail asks the
    /// fix by); before the period's reporting deadline, that deadline.
    /// </summary>
    public int FixWithinDays { get; set; } = 30;

    /// <summary>The date an e-mail asks a shortfall found on <paramref name="runDay"/> to be put right by.</summary>
    public DateOnly FixBy(Period period, DateOnly runDay) => runDay <= period.Deadline ? period.Deadline : runDay.AddDays(FixWithinDays);

    /// <summary>How many units a digest lists by name, worst first (the counts per target always cover all).</summary>
    public int DigestUnits { get; set; } = 20;

    /// <summary>The folder <c>.eml</c> files go to when no SMTP host is set (relative to the working folder).</summary>
    public string PickupFolder { get; set; } = "qcdc-mail";

    /// <summary>Attempts before a message is marked Dead (it stays in the outbox, listed by <c>qcdc outbox</c>).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay after the first failed attempt; doubled after each further one, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The longest a process waits before trying a relay that failed again (after <see cref="RetryBaseDelay"/>, doubling):
    /// short, because every message waits for it and none uses up an attempt meanwhile.
    /// </summary>
    public TimeSpan RelayRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a claimed message is reserved for the process sending it; longer than any send can take.</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The folder of the <see cref="OutboxJournal"/>: the messages the relay accepted whose Sent mark the database has
    /// not stored yet, one small file each, kept until it is. Default: beside a SQLite database
    /// (<c>qcdc.db.outbox-journal</c>), and <c>qcdc-outbox-journal</c> in the working folder for a server's. Every
    /// process delivering from one database on a machine should use the same folder.
    /// </summary>
    public string? JournalFolder { get; set; }

    /// <summary>Messages read per query while delivering.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>A delivery round stops taking new messages after this long (the job runs again a minute later).</summary>
    public TimeSpan RoundBudget { get; set; } = TimeSpan.FromSeconds(50);

    /// <summary>The right-hand side of Message-IDs (default: the sender's domain).</summary>
    public string? MessageIdDomain { get; set; }

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The committee addresses of an area, or none.</summary>
    public IReadOnlyList<string> CommitteeOf(string areaCode) =>
        Committees.TryGetValue(areaCode, out var text) && !string.IsNullOrWhiteSpace(text)
            ? text.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
}

/// <summary>The SMTP relay (section <c>Alerts:Smtp</c>). Keep the password out of files: set <c>Alerts__Smtp__Password</c>.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;

    /// <summary>None, Auto, SslOnConnect, StartTls or StartTlsWhenAvailable.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    public string? UserName { get; set; }
    public string? Password { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}
