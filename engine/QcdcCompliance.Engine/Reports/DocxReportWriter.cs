using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using A = DocumentFormat.OpenXml.Drawing;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;
using PIC = DocumentFormat.OpenXml.Drawing.Pictures;

namespace QcdcCompliance.Reports;

/// <summary>
/// Writes a <see cref="ReportDocument"/> as a Word document set out like an administrative report: A4, Times New Roman
/// 13 pt, 2/2/3/1.5 cm margins, page numbers, tables on the Table Grid style with their id as the table caption, charts
/// as PNG pictures.
/// </summary>
public static class DocxReportWriter
{
    private const string Font = "Times New Roman";
    private const long ContentWidthEmu = 16L * 360_000;
    private const int ContentWidthTwips = 9355;

    public static byte[] Write(ReportDocument report)
    {
        using var stream = new MemoryStream();
        using (var package = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            package.PackageProperties.Title = report.Title;
            package.PackageProperties.Language = report.Language == ReportLanguage.En ? "en-GB" : "vi-VN";
            var main = package.AddMainDocumentPart();
            AddStyles(main, report.Language);
            var footer = main.AddNewPart<FooterPart>();
            footer.Footer = new Footer(new Paragraph(
                new ParagraphProperties(new Justification { Val = JustificationValues.Center }),
                new SimpleField(new Run(new Text("1"))) { Instruction = " PAGE " }));
            var body = new Body();
            var pictures = 0;
            foreach (var block in report.Blocks)
            {
                foreach (var element in Render(block, main, ref pictures))
                    body.Append(element);
            }

            body.Append(new SectionProperties(
                new FooterReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(footer) },
                new PageSize { Width = 11906U, Height = 16838U },
                new PageMargin { Top = 1134, Bottom = 1134, Left = 1701U, Right = 850U, Header = 567U, Footer = 567U, Gutter = 0U }));
            main.Document = new Document(body);
            main.Document.Save();
        }

        return stream.ToArray();
    }

    private static IEnumerable<OpenXmlElement> Render(Block block, MainDocumentPart main, ref int pictures)
    {
        switch (block)
        {
            case LetterheadBlock letterhead:
                return [Letterhead(letterhead), Empty()];
            case HeadingBlock heading:
                return [StyledParagraph(heading.Level switch { 0 => "Title", 1 => "Heading1", 2 => "Heading2", _ => "Heading3" }, [new TextRun(heading.Text)])];
            case ParagraphBlock paragraph:
                return [StyledParagraph(paragraph.Kind switch
                {
                    ParagraphKind.Centered => "Subtitle",
                    ParagraphKind.Placeholder => "Placeholder",
                    ParagraphKind.Note => "Note",
                    ParagraphKind.Bullet => "Bullet",
                    _ => "Normal",
                }, paragraph.Runs)];
            case TableBlock table:
                return [StyledParagraph("Caption", [new TextRun(table.Caption)]), Table(table), Empty()];
            case ChartBlock chart:
                pictures++;
                return [Picture(main, chart, pictures), StyledParagraph("Caption", [new TextRun(chart.Caption)])];
            case PageBreakBlock:
                return [new Paragraph(new Run(new Break { Type = BreakValues.Page }))];
            case SignatureBlock signature:
                return [Empty(), Signature(signature)];
            default:
                throw new InvalidOperationException($"no DOCX rendering for {block.GetType().Name}");
        }
    }

    private static Paragraph StyledParagraph(string style, IEnumerable<TextRun> runs)
    {
        var paragraph = new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = style }));
        foreach (var run in runs.Where(r => r.Text.Length > 0))
            paragraph.Append(Run(run.Text, run.Bold, run.Italic));
        return paragraph;
    }

    private static Run Run(string text, bool bold = false, bool italic = false, int? halfPoints = null)
    {
        var properties = new RunProperties();
        if (bold)
            properties.Append(new Bold());
        if (italic)
            properties.Append(new Italic());
        if (halfPoints is { } size)
            properties.Append(new FontSize { Val = size.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var run = new Run();
        if (properties.HasChildren)
            run.Append(properties);
        run.Append(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
        return run;
    }

    private static Paragraph Empty() => new(new ParagraphProperties(new ParagraphStyleId { Val = "Normal" }, new SpacingBetweenLines { After = "0" }));

    private static Paragraph CellParagraph(string text, JustificationValues align, bool bold, int halfPoints, bool italic = false, bool underline = false)
    {
        var run = Run(text, bold, italic, halfPoints);
        if (underline)
            run.RunProperties!.Append(new Underline { Val = UnderlineValues.Single });
        return new Paragraph(
            new ParagraphProperties(new SpacingBetweenLines { Before = "0", After = "0", Line = "240", LineRule = LineSpacingRuleValues.Auto }, new Justification { Val = align }),
            run);
    }

    private static Table Letterhead(LetterheadBlock head)
    {
        var left = new TableCell(new TableCellProperties(new TableCellWidth { Width = "3700", Type = TableWidthUnitValues.Dxa }));
        foreach (var line in head.Parent)
            left.Append(CellParagraph(line, JustificationValues.Center, bold: false, 24));
        foreach (var line in head.Issuer)
            left.Append(CellParagraph(line, JustificationValues.Center, bold: true, 24));
        left.Append(CellParagraph(head.Party ? "*" : "———", JustificationValues.Center, false, 20));
        left.Append(CellParagraph(head.Number, JustificationValues.Center, false, 26));
        var right = new TableCell(new TableCellProperties(new TableCellWidth { Width = "5655", Type = TableWidthUnitValues.Dxa }));
        foreach (var (line, i) in head.Motto.Select((l, i) => (l, i)))
            right.Append(CellParagraph(line, JustificationValues.Center, true, head.Party ? 30 : i == 0 ? 24 : 26, underline: head.Party || i > 0));
        if (!head.Party)
            right.Append(CellParagraph(" ", JustificationValues.Center, false, 20));
        right.Append(CellParagraph(head.PlaceAndDate, JustificationValues.Center, false, 26, italic: true));
        return new Table(
            new TableProperties(
                new TableWidth { Width = ContentWidthTwips.ToString(System.Globalization.CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa },
                new TableLayout { Type = TableLayoutValues.Fixed },
                new TableCaption { Val = "letterhead" }),
            new TableGrid(new GridColumn { Width = "3700" }, new GridColumn { Width = "5655" }),
            new TableRow(left, right));
    }

    private static Table Signature(SignatureBlock signature)
    {
        var left = new TableCell(new TableCellProperties(new TableCellWidth { Width = "4677", Type = TableWidthUnitValues.Dxa }));
        foreach (var (line, i) in signature.Recipients.Select((l, i) => (l, i)))
            left.Append(CellParagraph(line, JustificationValues.Left, bold: i == 0, i == 0 ? 24 : 22, italic: i == 0));
        var right = new TableCell(new TableCellProperties(new TableCellWidth { Width = "4678", Type = TableWidthUnitValues.Dxa }));
        foreach (var (line, i) in signature.Signer.Select((l, i) => (l, i)))
            right.Append(CellParagraph(line, JustificationValues.Center, bold: i < 2, 26, italic: i >= 2));
        return new Table(
            new TableProperties(
                new TableWidth { Width = ContentWidthTwips.ToString(System.Globalization.CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa },
                new TableLayout { Type = TableLayoutValues.Fixed },
                new TableCaption { Val = "signature" }),
            new TableGrid(new GridColumn { Width = "4677" }, new GridColumn { Width = "4678" }),
            new TableRow(left, right));
    }

    private static Table Table(TableBlock block)
    {
        var total = block.Columns.Sum(c => c.Weight);
        var widths = block.Columns.Select(c => ContentWidthTwips * c.Weight / total).ToList();
        var grid = new TableGrid();
        foreach (var w in widths)
            grid.Append(new GridColumn { Width = w.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var table = new Table(
            new TableProperties(
                new TableStyle { Val = "TableGrid" },
                new TableWidth { Width = ContentWidthTwips.ToString(System.Globalization.CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa },
                new TableLayout { Type = TableLayoutValues.Fixed },
                new TableCaption { Val = block.Id }),
            grid);
        var size = block.Columns.Count > 7 ? 18 : 20;
        var header = new TableRow(new TableRowProperties(new TableHeader()));
        foreach (var (column, w) in block.Columns.Zip(widths))
        {
            header.Append(new TableCell(
                new TableCellProperties(new TableCellWidth { Width = w.ToString(System.Globalization.CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa },
                    new Shading { Val = ShadingPatternValues.Clear, Color = "auto", Fill = "DCE6F1" }),
                CellParagraph(column.Header, JustificationValues.Center, true, size)));
        }

        table.Append(header);
        foreach (var row in block.Rows)
        {
            var tr = new TableRow(new TableRowProperties(new CantSplit()));
            foreach (var ((cell, column), w) in row.Cells.Zip(block.Columns).Zip(widths))
            {
                tr.Append(new TableCell(
                    new TableCellProperties(new TableCellWidth { Width = w.ToString(System.Globalization.CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa }),
                    CellParagraph(cell, column.Align switch { Align.Right => JustificationValues.Right, Align.Center => JustificationValues.Center, _ => JustificationValues.Left },
                        row.Total, size)));
            }

            table.Append(tr);
        }

        return table;
    }

    private static Paragraph Picture(MainDocumentPart main, ChartBlock chart, int id)
    {
        var png = ChartRenderer.Png(chart.Spec);
        var (pixelWidth, pixelHeight) = PngSize(png);
        var image = main.AddImagePart(ImagePartType.Png);
        using (var data = new MemoryStream(png))
            image.FeedData(data);
        var relationship = main.GetIdOfPart(image);
        var cx = ContentWidthEmu;
        var cy = ContentWidthEmu * pixelHeight / pixelWidth;
        var name = $"chart{id}.png";
        var inline = new DW.Inline(
            new DW.Extent { Cx = cx, Cy = cy },
            new DW.EffectExtent { LeftEdge = 0L, TopEdge = 0L, RightEdge = 0L, BottomEdge = 0L },
            new DW.DocProperties { Id = (UInt32Value)(uint)id, Name = name, Description = chart.Spec.Description },
            new DW.NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoChangeAspect = true }),
            new A.Graphic(new A.GraphicData(
                new PIC.Picture(
                    new PIC.NonVisualPictureProperties(
                        new PIC.NonVisualDrawingProperties { Id = 0U, Name = name },
                        new PIC.NonVisualPictureDrawingProperties()),
                    new PIC.BlipFill(new A.Blip { Embed = relationship }, new A.Stretch(new A.FillRectangle())),
                    new PIC.ShapeProperties(
                        new A.Transform2D(new A.Offset { X = 0L, Y = 0L }, new A.Extents { Cx = cx, Cy = cy }),
                        new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })))
            { Uri = "http://schemas.openxmlformats.org/drawingml/2006/picture" }))
        {
            DistanceFromTop = 0U, DistanceFromBottom = 0U, DistanceFromLeft = 0U, DistanceFromRight = 0U,
        };
        return new Paragraph(
            new ParagraphProperties(new KeepNext(), new Justification { Val = JustificationValues.Center }),
            new Run(new Drawing(inline)));
    }

    /// <summary>Width and height from the PNG header (IHDR).</summary>
    private static (long Width, long Height) PngSize(byte[] png) =>
        (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));

    private static void AddStyles(MainDocumentPart main, ReportLanguage language)
    {
        var styles = main.AddNewPart<StyleDefinitionsPart>();
        var lang = language == ReportLanguage.En ? "en-GB" : "vi-VN";
        styles.Styles = new Styles(
            new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(
                    new RunFonts { Ascii = Font, HighAnsi = Font, ComplexScript = Font, EastAsia = Font },
                    new FontSize { Val = "26" }, new FontSizeComplexScript { Val = "26" },
                    new Languages { Val = lang })),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(
                    new SpacingBetweenLines { After = "120", Line = "276", LineRule = LineSpacingRuleValues.Auto }))),
            ParagraphStyle("Normal", "Normal", null, new StyleParagraphProperties(new Justification { Val = JustificationValues.Both }), null, isDefault: true),
            ParagraphStyle("Title", "Title", "Normal",
                new StyleParagraphProperties(new SpacingBetweenLines { Before = "240", After = "0" }, new Justification { Val = JustificationValues.Center }),
                new StyleRunProperties(new Bold(), new FontSize { Val = "30" })),
            ParagraphStyle("Subtitle", "Subtitle", "Normal",
                new StyleParagraphProperties(new SpacingBetweenLines { After = "240" }, new Justification { Val = JustificationValues.Center }),
                new StyleRunProperties(new Bold(), new FontSize { Val = "28" })),
            ParagraphStyle("Heading1", "heading 1", "Normal",
                new StyleParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = "240", After = "120" }, new Justification { Val = JustificationValues.Left }, new OutlineLevel { Val = 0 }),
                new StyleRunProperties(new Bold(), new FontSize { Val = "26" })),
            ParagraphStyle("Heading2", "heading 2", "Normal",
                new StyleParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = "180", After = "60" }, new OutlineLevel { Val = 1 }),
                new StyleRunProperties(new Bold(), new FontSize { Val = "26" })),
            ParagraphStyle("Heading3", "heading 3", "Normal",
                new StyleParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = "120", After = "60" }, new OutlineLevel { Val = 2 }),
                new StyleRunProperties(new Bold(), new Italic(), new FontSize { Val = "26" })),
            ParagraphStyle("Caption", "caption", "Normal",
                new StyleParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = "120", After = "60" }, new Justification { Val = JustificationValues.Center }),
                new StyleRunProperties(new Bold(), new Italic(), new FontSize { Val = "22" })),
            ParagraphStyle("Note", "Note", "Normal",
                new StyleParagraphProperties(new SpacingBetweenLines { After = "120" }),
                new StyleRunProperties(new Italic(), new Color { Val = "404040" }, new FontSize { Val = "22" })),
            ParagraphStyle("Placeholder", "Placeholder", "Normal",
                new StyleParagraphProperties(
                    new ParagraphBorders(new LeftBorder { Val = BorderValues.Single, Size = 12U, Space = 4U, Color = "7F7F7F" }),
                    new Shading { Val = ShadingPatternValues.Clear, Color = "auto", Fill = "F2F2F2" },
                    new Indentation { Left = "113" }),
                new StyleRunProperties(new Italic(), new Color { Val = "1F3864" })),
            ParagraphStyle("Bullet", "List Bullet", "Normal",
                new StyleParagraphProperties(new Indentation { Left = "284", Hanging = "0" }), null),
            new Style(
                new StyleName { Val = "Table Grid" },
                new BasedOn { Val = "TableNormal" },
                new StyleTableProperties(new TableBorders(
                    new TopBorder { Val = BorderValues.Single, Size = 4U, Space = 0U, Color = "auto" },
                    new LeftBorder { Val = BorderValues.Single, Size = 4U, Space = 0U, Color = "auto" },
                    new BottomBorder { Val = BorderValues.Single, Size = 4U, Space = 0U, Color = "auto" },
                    new RightBorder { Val = BorderValues.Single, Size = 4U, Space = 0U, Color = "auto" },
                    new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4U, Space = 0U, Color = "auto" },
                    new InsideVerticalBorder { Val = BorderValues.Single, Size = 4U, Space = 0U, Color = "auto" }),
                    new TableCellMarginDefault(
                        new TopMargin { Width = "28", Type = TableWidthUnitValues.Dxa },
                        new TableCellLeftMargin { Width = 85, Type = TableWidthValues.Dxa },
                        new BottomMargin { Width = "28", Type = TableWidthUnitValues.Dxa },
                        new TableCellRightMargin { Width = 85, Type = TableWidthValues.Dxa })))
            { Type = StyleValues.Table, StyleId = "TableGrid" },
            new Style(new StyleName { Val = "Normal Table" }, new UIPriority { Val = 99 }, new SemiHidden(), new UnhideWhenUsed(),
                new StyleTableProperties(new TableIndentation { Width = 0, Type = TableWidthUnitValues.Dxa }))
            { Type = StyleValues.Table, StyleId = "TableNormal", Default = true });
        styles.Styles.Save();
    }

    private static Style ParagraphStyle(string id, string name, string? basedOn, StyleParagraphProperties? paragraph, StyleRunProperties? run, bool isDefault = false)
    {
        var style = new Style { Type = StyleValues.Paragraph, StyleId = id };
        if (isDefault)
            style.Default = true;
        style.Append(new StyleName { Val = name });
        if (basedOn is not null)
            style.Append(new BasedOn { Val = basedOn });
        style.Append(new PrimaryStyle());
        if (paragraph is not null)
            style.Append(paragraph);
        if (run is not null)
            style.Append(run);
        return style;
    }
}
