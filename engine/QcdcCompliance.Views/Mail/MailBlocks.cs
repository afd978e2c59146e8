namespace QcdcCompliance.Views.Mail;

/// <summary>A block of an e-mail's content, written once and rendered twice: as plain text (by the engine) and as HTML (<see cref="MailPage"/>).</summary>
public abstract record MailBlock;

public sealed record MailHeading(string Text) : MailBlock;

/// <summary>A paragraph; its line breaks are kept.</summary>
public sealed record MailParagraph(string Text) : MailBlock
{
    public string[] Lines => Text.Split('\n');
}

public sealed record MailBullets(IReadOnlyList<string> Items) : MailBlock;

/// <summary>A table; columns whose every cell is a number are aligned right.</summary>
public sealed record MailTable(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows) : MailBlock
{
    /// <summary>For each column, whether every cell is a number (digits, '.', ',', '%').</summary>
    public bool[] NumericColumns() =>
        Headers.Select((_, i) => Rows.Count > 0 && Rows.All(r => r[i].Length > 0 && r[i].All(c => char.IsAsciiDigit(c) || c is '.' or ',' or '%'))).ToArray();
}

public sealed record MailLink(string Label, string Url) : MailBlock;

/// <summary>The English footer, set apart by the usual signature separator.</summary>
public sealed record MailFooter(string Text) : MailBlock;
