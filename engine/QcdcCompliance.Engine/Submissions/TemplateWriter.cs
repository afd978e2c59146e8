using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using CsvCell = QcdcCompliance.Import.Files.CsvCell;
using CsvWriter = QcdcCompliance.Import.Files.CsvWriter;

namespace QcdcCompliance.Submissions;

public enum TemplateFormat
{
    Xlsx,
    Csv,
}

/// <summary>
/// Writes a <see cref="ReportingTemplate"/> as the file an officer fills: row 1 the Vietnamese names (and how to write
/// each), row 2 the codes the import reads (<see cref="WideValueTable"/>), one row per unit below. In XLSX the cells a
/// unit is not asked for are grey and locked (sheet protection, no password: it guards against slips, not people), yes/no
/// cells offer "có / không", counts accept whole numbers ≥ 0, percentages 0-100; a second sheet explains the columns
/// and the deadline. The sheet is streamed (<see cref="OpenXmlWriter"/>): a province of 260,000 units never stands in
/// memory as a document.
/// </summary>
public static class TemplateWriter
{
    public const string DataSheet = "Số liệu";
    public const string GuideSheet = "Hướng dẫn";
    public const string Yes = "có";
    public const string No = "không";

    private const int FirstDataRow = 3;

    // Styles (cellXfs): 0 default, 1 names row, 2 codes row, 3 open cell, 4 closed cell, 5 the unit's own cells, 6 guide title.
    private const uint NameStyle = 1, CodeStyle = 2, OpenStyle = 3, ClosedStyle = 4, UnitStyle = 5, TitleStyle = 6;

    public static string Extension(TemplateFormat format) => format == TemplateFormat.Csv ? "csv" : "xlsx";

    public static string ContentType(TemplateFormat format) => format == TemplateFormat.Csv
        ? "text/csv; charset=utf-8"
        : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static bool TryParseFormat(string? text, out TemplateFormat format)
    {
        format = TemplateFormat.Xlsx;
        return string.IsNullOrWhiteSpace(text) || Enum.TryParse(text.Trim(), ignoreCase: true, out format) && Enum.IsDefined(format);
    }

    public static void Write(ReportingTemplate template, TemplateFormat format, Stream stream)
    {
        if (format == TemplateFormat.Csv)
            WriteCsv(template, stream);
        else
            WriteXlsx(template, stream);
    }

    /// <summary>How a column's cells are written, in Vietnamese: what the names row says under the indicator's name.</summary>
    public static string HowToWrite(Indicator indicator) => indicator.ValueType switch
    {
        IndicatorValueType.Boolean => "có / không",
        IndicatorValueType.Percentage => "%, từ 0 đến 100",
        IndicatorValueType.Amount => "đồng, số nguyên ≥ 0",
        _ => "số nguyên ≥ 0",
    };

    /// <summary>A stored value as the template shows it: có/không, a whole number, a percentage from hundredths.</summary>
    public static string Show(Indicator indicator, long value) => indicator.ValueType switch
    {
        IndicatorValueType.Boolean => value != 0 ? Yes : No,
        IndicatorValueType.Percentage => (value / 100m).ToString("0.##", CultureInfo.InvariantCulture),
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    private static string Name(Indicator indicator) => $"{indicator.NameVi} ({HowToWrite(indicator)})";

    private static void WriteCsv(ReportingTemplate template, Stream stream)
    {
        // UTF-8 with its byte-order mark and CRLF: what a spreadsheet program opens with the Vietnamese letters intact.
        using var writer = new StreamWriter(stream, new UTF8Encoding(true), 1 << 16, leaveOpen: true) { NewLine = "\r\n" };
        using var csv = new CsvWriter(writer);
        csv.Row(new[] { "Mã đơn vị", "Tên đơn vị", "Kỳ báo cáo" }.Concat(template.Columns.Select(Name)));
        csv.Row(new[] { WideValueTable.UnitColumn, WideValueTable.NameColumn, WideValueTable.PeriodColumn }.Concat(template.Columns.Select(c => c.Code)));
        var cells = new CsvCell[3 + template.Columns.Count];
        foreach (var row in template.Rows)
        {
            cells[0] = row.UnitCode;
            cells[1] = row.UnitName;
            cells[2] = template.Period.Code;
            for (var c = 0; c < template.Columns.Count; c++)
                cells[3 + c] = CsvCell.Figure(row.Values[c] is { } value && row.Cells[c] == TemplateCell.Open ? Show(template.Columns[c], value) : null);
            csv.Row(cells);
        }
    }

    private static void WriteXlsx(ReportingTemplate template, Stream stream)
    {
        // The package is written part by part straight into a zip in create mode: each part is compressed as it streams
        // and never held. (The SDK's package, opened read-write, keeps every part in memory until it is closed: 710 MB
        // for a 260,000-unit province; opened write-only, it cannot add a part.)
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        Part(zip, "[Content_Types].xml", ContentTypes);
        Part(zip, "_rels/.rels", Relationships(("rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", "xl/workbook.xml")));
        Part(zip, "xl/workbook.xml", part => new Workbook(new Sheets(
            new Sheet { Name = DataSheet, SheetId = 1, Id = "rId1" },
            new Sheet { Name = GuideSheet, SheetId = 2, Id = "rId2" })).Save(part));
        Part(zip, "xl/_rels/workbook.xml.rels", Relationships(
            ("rId1", WorksheetRelationship, "worksheets/sheet1.xml"),
            ("rId2", WorksheetRelationship, "worksheets/sheet2.xml"),
            ("rId3", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles", "styles.xml")));
        Part(zip, "xl/styles.xml", part => Stylesheet().Save(part));
        Part(zip, "xl/worksheets/sheet1.xml", part => WriteDataSheet(template, part));
        Part(zip, "xl/worksheets/sheet2.xml", part => WriteGuide(template, part));
    }

    private const string WorksheetRelationship = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";

    private static void Part(ZipArchive zip, string name, Action<Stream> write)
    {
        using var part = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        write(part);
    }

    private static void Part(ZipArchive zip, string name, string xml) =>
        Part(zip, name, part => part.Write(new UTF8Encoding(false).GetBytes(xml)));

    private const string ContentTypes =
        """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"""
        + """<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"""
        + """<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"""
        + """<Default Extension="xml" ContentType="application/xml"/>"""
        + """<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"""
        + """<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"""
        + """<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"""
        + """<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"""
        + "</Types>";

    private static string Relationships(params (string Id, string Type, string Target)[] relationships) =>
        """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"""
        + """<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"""
        + string.Concat(relationships.Select(r => $"""<Relationship Id="{r.Id}" Type="{r.Type}" Target="{r.Target}"/>"""))
        + "</Relationships>";

    private const string SheetNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    private static readonly XmlWriterSettings SheetXml = new() { Encoding = new UTF8Encoding(false), CloseOutput = false };

    /// <summary>
    /// The data sheet, written with an <see cref="XmlWriter"/> element by element: a province's millions of cells at the
    /// XML writer's speed (the SDK's <see cref="OpenXmlWriter"/> looked each element's prefix up through its features: 40%
    /// of the template's time). The package test validates the result against the schema.
    /// </summary>
    private static void WriteDataSheet(ReportingTemplate template, Stream part)
    {
        var columns = template.Columns;
        var last = FirstDataRow + template.Rows.Count - 1;
        using var xml = XmlWriter.Create(part, SheetXml);
        xml.WriteStartDocument(standalone: true);
        xml.WriteStartElement("worksheet", SheetNamespace);

        xml.WriteStartElement("sheetViews", SheetNamespace);
        xml.WriteStartElement("sheetView", SheetNamespace);
        xml.WriteAttributeString("workbookViewId", "0");
        Empty(xml, "pane", ("xSplit", "2"), ("ySplit", "2"), ("topLeftCell", "C3"), ("activePane", "bottomRight"), ("state", "frozen"));
        Empty(xml, "selection", ("pane", "bottomRight"), ("activeCell", "D3"), ("sqref", "D3"));
        xml.WriteEndElement();
        xml.WriteEndElement();

        xml.WriteStartElement("cols", SheetNamespace);
        Empty(xml, "col", ("min", "1"), ("max", "1"), ("width", "16"), ("customWidth", "1"));
        Empty(xml, "col", ("min", "2"), ("max", "2"), ("width", "40"), ("customWidth", "1"));
        Empty(xml, "col", ("min", "3"), ("max", "3"), ("width", "10"), ("customWidth", "1"));
        if (columns.Count > 0)
            Empty(xml, "col", ("min", "4"), ("max", Number(3 + columns.Count)), ("width", "22"), ("customWidth", "1"));
        xml.WriteEndElement();

        xml.WriteStartElement("sheetData", SheetNamespace);
        xml.WriteStartElement("row", SheetNamespace);
        xml.WriteAttributeString("r", "1");
        xml.WriteAttributeString("ht", "75");
        xml.WriteAttributeString("customHeight", "1");
        foreach (var name in new[] { "Mã đơn vị", "Tên đơn vị", "Kỳ báo cáo" }.Concat(columns.Select(Name)))
            Inline(xml, NameText, name);
        xml.WriteEndElement();
        xml.WriteStartElement("row", SheetNamespace);
        xml.WriteAttributeString("r", "2");
        foreach (var code in new[] { WideValueTable.UnitColumn, WideValueTable.NameColumn, WideValueTable.PeriodColumn }.Concat(columns.Select(c => c.Code)))
            Inline(xml, CodeText, code);
        xml.WriteEndElement();

        var number = FirstDataRow;
        foreach (var unit in template.Rows)
        {
            xml.WriteStartElement("row", SheetNamespace);
            xml.WriteAttributeString("r", Number(number++));
            Inline(xml, UnitText, unit.UnitCode);
            Inline(xml, UnitText, unit.UnitName);
            Inline(xml, UnitText, template.Period.Code);
            for (var c = 0; c < columns.Count; c++)
            {
                var indicator = columns[c];
                switch (unit.Values[c])
                {
                    case var _ when unit.Cells[c] == TemplateCell.Closed:
                        Empty(xml, "c", ("s", ClosedText));
                        break;
                    case null:
                        Empty(xml, "c", ("s", OpenText));
                        break;
                    case { } stored when indicator.ValueType == IndicatorValueType.Boolean:
                        Inline(xml, OpenText, Show(indicator, stored));
                        break;
                    case { } stored:
                        xml.WriteStartElement("c", SheetNamespace);
                        xml.WriteAttributeString("s", OpenText);
                        xml.WriteElementString("v", SheetNamespace, Show(indicator, stored));
                        xml.WriteEndElement();
                        break;
                }
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();

        // Locked cells (the names, the codes, the units and what they are not asked) cannot be typed in; the rest can.
        Empty(xml, "sheetProtection", ("sheet", "1"), ("objects", "1"), ("scenarios", "1"), ("formatColumns", "0"), ("formatRows", "0"), ("sort", "0"),
            ("autoFilter", "0"), ("selectLockedCells", "0"), ("selectUnlockedCells", "0"));
        if (columns.Count > 0 && template.Rows.Count > 0)
        {
            xml.WriteStartElement("dataValidations", SheetNamespace);
            xml.WriteAttributeString("count", Number(columns.Count));
            for (var c = 0; c < columns.Count; c++)
                WriteValidation(xml, columns[c], $"{XlsxTableColumn(3 + c)}{FirstDataRow}:{XlsxTableColumn(3 + c)}{last}");
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static readonly string NameText = Number((int)NameStyle), CodeText = Number((int)CodeStyle), OpenText = Number((int)OpenStyle),
        ClosedText = Number((int)ClosedStyle), UnitText = Number((int)UnitStyle);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Empty(XmlWriter xml, string element, params ReadOnlySpan<(string Name, string Value)> attributes)
    {
        xml.WriteStartElement(element, SheetNamespace);
        foreach (var (name, value) in attributes)
            xml.WriteAttributeString(name, value);
        xml.WriteEndElement();
    }

    /// <summary>A text cell as an inline string (no shared-string table to hold in memory), in a style.</summary>
    private static void Inline(XmlWriter xml, string style, string text)
    {
        xml.WriteStartElement("c", SheetNamespace);
        xml.WriteAttributeString("s", style);
        xml.WriteAttributeString("t", "inlineStr");
        xml.WriteStartElement("is", SheetNamespace);
        xml.WriteStartElement("t", SheetNamespace);
        if (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])))
            xml.WriteAttributeString("xml", "space", null, "preserve");
        xml.WriteString(text);
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void WriteValidation(XmlWriter xml, Indicator indicator, string range)
    {
        var (type, @operator, first, second, error, prompt) = indicator.ValueType switch
        {
            IndicatorValueType.Boolean => ("list", null, $"\"{Yes},{No}\"", null, "Chọn \"có\" hoặc \"không\" (để trống nếu chưa báo cáo).", "Chọn có / không"),
            IndicatorValueType.Percentage => ("decimal", "between", "0", "100", "Ghi tỷ lệ phần trăm từ 0 đến 100 (để trống nếu chưa báo cáo).", "Tỷ lệ %, từ 0 đến 100"),
            _ => ("whole", (string?)"greaterThanOrEqual", "0", (string?)null,
                "Ghi số nguyên không âm (0, 1, 2…); để trống nếu chưa báo cáo, không ghi 0 thay cho ô trống.", "Số nguyên ≥ 0"),
        };
        xml.WriteStartElement("dataValidation", SheetNamespace);
        xml.WriteAttributeString("type", type);
        if (@operator is not null)
            xml.WriteAttributeString("operator", @operator);
        xml.WriteAttributeString("allowBlank", "1");
        xml.WriteAttributeString("showInputMessage", "1");
        xml.WriteAttributeString("showErrorMessage", "1");
        xml.WriteAttributeString("errorTitle", "Giá trị không hợp lệ");
        xml.WriteAttributeString("error", error);
        xml.WriteAttributeString("promptTitle", Shorten(indicator.Code, 32));
        xml.WriteAttributeString("prompt", prompt);
        xml.WriteAttributeString("sqref", range);
        xml.WriteElementString("formula1", SheetNamespace, first);
        if (second is not null)
            xml.WriteElementString("formula2", SheetNamespace, second);
        xml.WriteEndElement();
    }

    private static void WriteGuide(ReportingTemplate template, Stream part)
    {
        var period = template.Period;
        var rows = new List<(string[] Cells, uint Style)>
        {
            ([$"Mẫu báo cáo số liệu thực hiện Quy chế dân chủ ở cơ sở, kỳ {period.Code}, địa bàn {template.Area.Name} ({template.Area.Code})"], TitleStyle),
            ([$"Reporting template, period {period.Code}, area {template.Area.Name} ({template.Area.Code})"], 0),
            ([$"Kỳ báo cáo: {period.Start:dd/MM/yyyy} – {period.End:dd/MM/yyyy}. Hạn nộp: {period.Deadline:dd/MM/yyyy} (giờ Việt Nam). Deadline: {period.Deadline:yyyy-MM-dd}."], 0),
            ([$"Số đơn vị: {template.Rows.Count}. Mỗi dòng của trang \"{DataSheet}\" là một đơn vị; mỗi cột là một chỉ tiêu (dòng 1: tên, dòng 2: mã mà hệ thống đọc)."], 0),
            (["Ô trắng: đơn vị phải báo cáo chỉ tiêu này. Ô xám (khóa): đơn vị không phải báo cáo (theo loại hình, công đoàn hoặc nhiệm vụ báo cáo); ô xám có số liệu sẽ bị từ chối."], 0),
            // A blank cell sends nothing (the import leaves what it does not name): a value stored before, which a template
            // downloaded again shows, is kept when its cell is cleared, and the guide says so rather than "not reported".
            (["Ô để trống: tệp không gửi số liệu của ô đó (không phải số 0). Chỉ tiêu chưa có số liệu thì vẫn là chưa báo cáo; số liệu đã lưu "
              + "(mẫu tải lại ghi sẵn) thì được giữ nguyên: xóa trống ô không rút được số đã nộp. Muốn sửa, ghi số đúng vào ô. "
              + "Có/không: chọn \"có\" hoặc \"không\" (cũng nhận x, 1, 0). Số: số nguyên không âm."], 0),
            (["Không sửa dòng 2 (mã), cột unit_code và period. Nộp tệp: trang Không gian báo cáo (/workspace/upload) hoặc lệnh: qcdc import values <tệp>."], 0),
            (["Tệp được kiểm tra toàn bộ: có lỗi thì không lưu gì, mỗi lỗi chỉ rõ ô (ví dụ 'Số liệu'!F7), đơn vị và chỉ tiêu."], 0),
            (["Empty cell = nothing sent for it (never zero): not reported if nothing is stored, a stored value is kept (clearing a cell withdraws nothing; write the right figure to correct one); grey cells are not asked of the unit and are refused if filled; the whole file is refused when a cell is wrong, each problem named by its cell."], 0),
            ([], 0),
            (["Cột / Column", "Mã / Code", "Chỉ tiêu", "Indicator", "Cách ghi / How to write", "Số đơn vị phải báo cáo / Units asked"], NameStyle),
        };
        for (var c = 0; c < template.Columns.Count; c++)
        {
            var indicator = template.Columns[c];
            var asked = template.Rows.Count(r => r.Cells[c] == TemplateCell.Open);
            rows.Add(([XlsxTableColumn(3 + c), indicator.Code, indicator.NameVi, indicator.NameEn, HowToWrite(indicator), asked.ToString(CultureInfo.InvariantCulture)], 0));
        }

        using var writer = OpenXmlWriter.Create(part);
        writer.WriteStartElement(new Worksheet());
        writer.WriteElement(new Columns(
            new Column { Min = 1, Max = 1, Width = 14, CustomWidth = true }, new Column { Min = 2, Max = 2, Width = 30, CustomWidth = true },
            new Column { Min = 3, Max = 4, Width = 55, CustomWidth = true }, new Column { Min = 5, Max = 6, Width = 24, CustomWidth = true }));
        writer.WriteStartElement(new SheetData());
        var number = 1u;
        foreach (var (cells, style) in rows)
        {
            writer.WriteStartElement(new Row { RowIndex = number++ });
            foreach (var text in cells)
                WriteText(writer, text, style);
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    private static void WriteText(OpenXmlWriter writer, string text, uint style) =>
        writer.WriteElement(new Cell(new InlineString(new DocumentFormat.OpenXml.Spreadsheet.Text(text) { Space = SpaceProcessingModeValues.Preserve }))
        {
            DataType = CellValues.InlineString, StyleIndex = style,
        });

    private static string XlsxTableColumn(int column) => Import.Files.XlsxTable.ColumnName(column);

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..length];

    private static Stylesheet Stylesheet()
    {
        var thin = new Border(
            new LeftBorder { Style = BorderStyleValues.Thin }, new RightBorder { Style = BorderStyleValues.Thin },
            new TopBorder { Style = BorderStyleValues.Thin }, new BottomBorder { Style = BorderStyleValues.Thin }, new DiagonalBorder());
        return new Stylesheet(
            new Fonts(
                new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
                new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
                new Font(new Bold(), new FontSize { Val = 13 }, new FontName { Val = "Calibri" })) { Count = 3 },
            new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = "FFDDEBF7" }) { PatternType = PatternValues.Solid }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = "FFBFBFBF" }) { PatternType = PatternValues.Solid })) { Count = 4 },
            new Borders(new Border(), thin) { Count = 2 },
            new CellFormats(
                new CellFormat(),
                new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }) { FontId = 1, FillId = 2, BorderId = 1, ApplyFont = true, ApplyFill = true, ApplyBorder = true, ApplyAlignment = true },
                new CellFormat { FontId = 1, FillId = 2, BorderId = 1, ApplyFont = true, ApplyFill = true, ApplyBorder = true },
                new CellFormat(new Protection { Locked = false }) { BorderId = 1, ApplyBorder = true, ApplyProtection = true },
                new CellFormat { FillId = 3, BorderId = 1, ApplyFill = true, ApplyBorder = true },
                new CellFormat { BorderId = 1, ApplyBorder = true },
                new CellFormat { FontId = 2, ApplyFont = true }) { Count = 7 });
    }
}
