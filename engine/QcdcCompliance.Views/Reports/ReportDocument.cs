namespace QcdcCompliance.Reports;

/// <summary>The language a page or report is written in: Vietnamese first, English on request.</summary>
public enum ReportLanguage
{
    Vi,
    En,
}

/// <summary>
/// A review report as a list of blocks that the DOCX and HTML writers render alike, so that both say the same thing.
/// </summary>
public sealed record ReportDocument(ReportLanguage Language, string Title, IReadOnlyList<Block> Blocks)
{
    public IEnumerable<TableBlock> Tables => Blocks.OfType<TableBlock>();
}

public abstract record Block;

/// <summary>
/// The letterhead of an administrative report (Decree 30/2020/NĐ-CP; the Party's format under Hướng dẫn 36-HD/VPTW):
/// on the left the parent body, the issuing body in bold beneath it, a rule and the number; on the right the national
/// name and motto (or "ĐẢNG CỘNG SẢN VIỆT NAM") in bold and the place and date in italics.
/// </summary>
public sealed record LetterheadBlock(IReadOnlyList<string> Parent, IReadOnlyList<string> Issuer, string Number, IReadOnlyList<string> Motto,
    string PlaceAndDate, bool Party = false) : Block;

/// <summary>Level 0 is the document's title, 1 a part (I, II, ...), 2 a section, 3 a subsection.</summary>
public sealed record HeadingBlock(int Level, string Text) : Block;

public enum ParagraphKind
{
    Body,
    Centered,
    /// <summary>Text the committee must write itself: shown as a marked, fill-in paragraph.</summary>
    Placeholder,
    /// <summary>Where the figures come from, in small type.</summary>
    Note,
    Bullet,
}

public sealed record TextRun(string Text, bool Bold = false, bool Italic = false);

public sealed record ParagraphBlock(IReadOnlyList<TextRun> Runs, ParagraphKind Kind = ParagraphKind.Body) : Block
{
    public static ParagraphBlock Of(string text, ParagraphKind kind = ParagraphKind.Body) => new([new TextRun(text)], kind);

    public string Text => string.Concat(Runs.Select(r => r.Text));
}

public enum Align
{
    Left,
    Right,
    Center,
}

public sealed record TableColumn(string Header, Align Align = Align.Left, int Weight = 1);

/// <summary>A row; a total row is set in bold.</summary>
public sealed record ReportRow(IReadOnlyList<string> Cells, bool Total = false);

/// <summary>
/// A table with a caption. <see cref="Id"/> names it for machines (the DOCX table caption, the HTML id, the tests):
/// <c>kinds:NQ02-1</c>, <c>appendix:NQ02-1</c>, <c>figures:...</c>, <c>flagged</c>.
/// </summary>
public sealed record TableBlock(string Id, string Caption, IReadOnlyList<TableColumn> Columns, IReadOnlyList<ReportRow> Rows) : Block;

/// <summary>A figure drawn by the engine (a chart): the HTML page shows its SVG inline under its caption.</summary>
public abstract record FigureBlock(string Id, string Caption) : Block
{
    /// <summary>The figure as an SVG element.</summary>
    public abstract string Svg();
}

public sealed record PageBreakBlock : Block;

/// <summary>The signature block: recipients on the left, the signer on the right.</summary>
public sealed record SignatureBlock(IReadOnlyList<string> Recipients, IReadOnlyList<string> Signer) : Block;
