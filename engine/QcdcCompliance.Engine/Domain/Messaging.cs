namespace QcdcCompliance.Domain;

public enum MessageKind
{
    UnitAlert,
    AreaDigest,
    ReportingReminder,
    Escalation,
}

public enum MessageStatus
{
    Pending,
    Sent,
    Dead,

    /// <summary>
    /// A message never delivered, and never picked again, <see cref="OutboxMessage.LastError"/> saying why: a unit alert
    /// every line of which a later run of its period had resolved (or found anew, telling it itself) when delivery came to
    /// render it; a reminder whose unit had reported all it owed by then; a dead message that a retry sent to its
    /// recipient's new address instead, as another row.
    /// </summary>
    Withdrawn,
}

/// <summary>
/// An e-mail in the transactional outbox, written in the transaction that stores its cause. <see cref="Key"/> is unique
/// (run, recipient, kind; or reminder/escalation and its date), so a retry or a re-run never queues it twice.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }
    public required string Key { get; set; }
    public MessageKind Kind { get; set; }
    public long? RunId { get; set; }
    public required string Recipient { get; set; }
    public required string Subject { get; set; }

    /// <summary>The plain-text part as sent, byte for byte; held and stored as <see cref="PackedTextBody"/>.</summary>
    public string TextBody
    {
        get => CompactText.Mail.Unpack(PackedTextBody);
        set => PackedTextBody = CompactText.Mail.Pack(value);
    }

    /// <summary>The HTML part as sent; held and stored as <see cref="PackedHtmlBody"/>.</summary>
    public string? HtmlBody
    {
        get => PackedHtmlBody is null ? null : CompactText.Mail.Unpack(PackedHtmlBody);
        set => PackedHtmlBody = value is null ? null : CompactText.Mail.Pack(value);
    }

    /// <summary>
    /// The bodies as stored (<see cref="CompactText.Mail"/>): a run's alerts are packed as they are composed, never held as
    /// text, and a row read back is unpacked only when its text is asked for.
    /// </summary>
    public byte[] PackedTextBody { get; set; } = [];

    public byte[]? PackedHtmlBody { get; set; }

    /// <summary>
    /// For a unit alert, what it is made of (its units and their findings of the run, by reference to the run's stored
    /// findings and <see cref="AlertRunWords"/>), written by the evaluation instead of its bodies: delivery renders it once,
    /// stores the bodies, then sends them. Null for a message composed whole (digests, reminders, escalations, and rows
    /// written before unit alerts were deferred).
    /// </summary>
    public byte[]? Parts { get; set; }

    /// <summary>Whether the bodies are still to be rendered from <see cref="Parts"/> (they are stored before the first send).</summary>
    public bool AwaitsRendering => Parts is not null && PackedTextBody.Length == 0;

    /// <summary>
    /// The sender (<c>Alerts:From</c>) and the Message-ID's domain as the message was first sent with: kept with its
    /// first claim, so that a retry goes out as the same message and <c>qcdc outbox show</c> prints the message as it was
    /// delivered, byte for byte, whatever the settings say since. Null until then (the settings of the moment are shown).
    /// </summary>
    public string? SentFrom { get; set; }

    /// <inheritdoc cref="SentFrom"/>
    public string? MessageIdDomain { get; set; }

    public DateTime CreatedAt { get; set; }
    public MessageStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTime? SentAt { get; set; }
}

/// <summary>
/// What every unit alert of one run says alike, as the run said it (the period and target words, the finish time, the
/// date to put things right by, the links, the signature, the area gaps): written once per run in the run's
/// transaction, so that an alert rendered at delivery says what it would have said at the evaluation, whatever
/// changed since. <see cref="Words"/> is JSON packed with <see cref="CompactText.Mail"/>.
/// </summary>
public sealed class AlertRunWords
{
    public long RunId { get; set; }
    public byte[] Words { get; set; } = [];
}

public enum Role
{
    Auditor,
    Committee,
    Reporter,
    Admin,

    /// <summary>An administrator of the whole country: sees every province, changes areas and lineage across provinces, runs the jobs dashboard.</summary>
    NationalAdmin,
}

/// <summary>An API key: only its SHA-256 is stored; the key itself is shown once when created.</summary>
public sealed class ApiKey
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public Role Role { get; set; }
    public int AreaId { get; set; }

    /// <summary>The first characters of the key, to find its row without scanning.</summary>
    public required string Prefix { get; set; }

    public required string KeyHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}
