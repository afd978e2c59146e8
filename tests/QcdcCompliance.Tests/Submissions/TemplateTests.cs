using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Reports;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Import.Files;
using QcdcCompliance.Submissions;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Submissions;

/// <summary>
/// The reporting template as an officer uses it: downloaded, filled in another program (here the Open XML SDK editing
/// the workbook in place, as a spreadsheet program would, keeping its protection and lists), imported through the one
/// import path and evaluated.
/// </summary>
public sealed class TemplateTests
{
    private static async Task<Engine> ProvinceAsync()
    {
        var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        return engine;
    }

    private static Task<ReportingTemplate> TemplateAsync(Engine engine, string period = "2020S1", string area = "P") =>
        engine.Services.GetRequiredService<ReportingTemplates>().ForAreaAsync(period, area);

    private static byte[] Xlsx(ReportingTemplate template)
    {
        using var stream = new MemoryStream();
        TemplateWriter.Write(template, TemplateFormat.Xlsx, stream);
        return stream.ToArray();
    }

    [Fact]
    public async Task The_template_has_a_row_per_active_unit_a_column_per_indicator_asked_locked_grey_cells_lists_and_a_guide()
    {
        await using var engine = await ProvinceAsync();
        await engine.ImportAsync(ImportKind.Values, "v.csv", Province.ValuesHeader + "XA1,2020S1,INSPECTION_SUPERVISIONS,3,\nXA1,2020S1,REGULATION_ISSUED,true,\n");

        var template = await TemplateAsync(engine);
        var bytes = Xlsx(template);

        template.Rows.Select(r => r.UnitCode).Should().Equal("CQ1", "DN1", "DN2", "TH1", "XA1", "XA2", "XA3"); // OLD closed in 2019
        template.Columns.Should().OnlyContain(c => c.PeriodType == PeriodType.HalfYear).And.Contain(c => c.Code == "INSPECTION_SUPERVISIONS");
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        new OpenXmlValidator(FileFormatVersions.Office2019).Validate(document).Select(e => $"{e.Path?.XPath}: {e.Description}")
            .Should().BeEmpty("the package is written part by part into a zip, and must be a valid workbook");
        var book = document.WorkbookPart!;
        book.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value).Should().Equal(TemplateWriter.DataSheet, TemplateWriter.GuideSheet);
        var sheet = ((WorksheetPart)book.GetPartById(book.Workbook.Sheets!.Elements<Sheet>().First().Id!)).Worksheet;
        var rows = sheet.Descendants<Row>().ToList();
        Texts(rows[1]).Take(4).Should().Equal("unit_code", "unit_name", "period", template.Columns[0].Code);
        Texts(rows[0])[3].Should().StartWith(template.Columns[0].NameVi);
        sheet.Descendants<SheetProtection>().Single().Sheet!.Value.Should().BeTrue();

        var formats = book.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        bool Locked(Cell cell) => formats[(int)(cell.StyleIndex?.Value ?? 0)].Protection?.Locked?.Value ?? true;
        Cell At(string unit, string indicator) => rows.Single(r => Texts(r).FirstOrDefault() == unit).Elements<Cell>()
            .ElementAt(3 + template.Columns.ToList().FindIndex(c => c.Code == indicator));

        Locked(At("XA1", "INSPECTION_SUPERVISIONS")).Should().BeFalse("a commune owes its inspection board's supervisions");
        Locked(At("DN2", "DISCLOSURE_POSTED")).Should().BeTrue("an enterprise without a union is not asked to post");
        Locked(At("TH1", "REGULATION_ISSUED")).Should().BeTrue("a village is not asked the regulation");
        formats[(int)At("DN2", "DISCLOSURE_POSTED").StyleIndex!.Value].FillId!.Value.Should().NotBe(0u, "a cell not asked is grey");
        At("XA1", "INSPECTION_SUPERVISIONS").CellValue!.Text.Should().Be("3", "a value stored is filled in");
        At("XA1", "REGULATION_ISSUED").InnerText.Should().Be("có");
        At("XA2", "INSPECTION_SUPERVISIONS").CellValue.Should().BeNull("a value not reported stays empty");

        var validations = sheet.Descendants<DataValidation>().ToList();
        var regulation = XlsxTable.ColumnName(3 + template.Columns.ToList().FindIndex(c => c.Code == "REGULATION_ISSUED"));
        var dialogues = XlsxTable.ColumnName(3 + template.Columns.ToList().FindIndex(c => c.Code == "INSPECTION_SUPERVISIONS"));
        validations.Single(v => v.SequenceOfReferences!.InnerText == $"{regulation}3:{regulation}9").Formula1!.Text.Should().Be("\"có,không\"");
        var whole = validations.Single(v => v.SequenceOfReferences!.InnerText == $"{dialogues}3:{dialogues}9");
        whole.Type!.Value.Should().Be(DataValidationValues.Whole);
        whole.Formula1!.Text.Should().Be("0");

        var guide = (WorksheetPart)book.GetPartById(book.Workbook.Sheets!.Elements<Sheet>().Last().Id!);
        guide.Worksheet.InnerText.Should().Contain("Hạn nộp: 20/07/2020").And.Contain("INSPECTION_SUPERVISIONS").And.Contain("Ô để trống: tệp không gửi số liệu của ô đó")
            .And.Contain("số liệu đã lưu (mẫu tải lại ghi sẵn) thì được giữ nguyên", "a template downloaded again shows the stored values, and clearing one keeps it");
    }

    [Fact]
    public async Task A_template_filled_in_another_program_imports_evaluates_and_resolves_the_units_findings()
    {
        await using var engine = await ProvinceAsync();
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var before = await engine.Findings.ListAsync(new FindingFilter("2020S1") { Unit = "XA1" });
        before.Should().Contain(f => f.TargetCode == "REPORTED" && f.State != FindingState.Resolved, "XA1 has reported nothing yet");

        var template = await TemplateAsync(engine);
        var filled = Fill(Xlsx(template), template, (unit, indicator) => indicator.ValueType == IndicatorValueType.Boolean ? "có" : 12);
        var summary = await engine.ImportAsync(ImportKind.Values, "mau-da-dien.xlsx", filled, by: "officer@C1");

        var open = template.Rows.Sum(r => r.Cells.Count(c => c == TemplateCell.Open));
        summary.Inserted.Should().Be(open, "every open cell filled is one value, and nothing else");
        await using (var db = engine.Db())
        {
            var xa1 = await db.Units.SingleAsync(u => u.Code == "XA1");
            var stored = await db.DataValues.Where(v => v.UnitId == xa1.Id).ToListAsync();
            stored.Should().Contain(v => v.IndicatorId == IndicatorCatalogue.Get("REGULATION_ISSUED").Id && v.Value == 1);
            stored.Should().Contain(v => v.IndicatorId == IndicatorCatalogue.Get("INSPECTION_SUPERVISIONS").Id && v.Value == 12 && v.StoredBy == "officer@C1");
        }

        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var after = await engine.Findings.ListAsync(new FindingFilter("2020S1") { Unit = "XA1", Target = "REPORTED" });
        after.Should().ContainSingle().Which.State.Should().Be(FindingState.Resolved, "XA1 reported everything it owed");

        // Downloaded again, the template shows what was sent; imported again unchanged, it changes nothing.
        var again = await TemplateAsync(engine);
        again.Rows.Single(r => r.UnitCode == "XA1").Values.Should().Contain(12);
        (await engine.ImportAsync(ImportKind.Values, "lan-hai.xlsx", Xlsx(again))).Unchanged.Should().Be(open);
    }

    [Fact]
    public async Task A_template_read_and_written_again_by_MiniExcel_imports_as_it_is()
    {
        await using var engine = await ProvinceAsync();
        var template = await TemplateAsync(engine);
        var columns = template.Columns.ToList();

        // As a script would: every row read as cells (A, B, C…), XA1's figures typed, the sheet saved as a new workbook.
        var rows = MiniExcelLibs.MiniExcel.Query(new MemoryStream(Xlsx(template)), useHeaderRow: false, sheetName: TemplateWriter.DataSheet)
            .Cast<IDictionary<string, object?>>().Select(r => new Dictionary<string, object?>(r)).ToList();
        var xa1 = rows.Single(r => Equals(r["A"], "XA1"));
        xa1[XlsxTable.ColumnName(3 + columns.FindIndex(c => c.Code == "REGULATION_ISSUED"))] = "không";
        xa1[XlsxTable.ColumnName(3 + columns.FindIndex(c => c.Code == "INSPECTION_SUPERVISIONS"))] = 7;
        using var saved = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(saved, rows, printHeader: false);

        var summary = await engine.ImportAsync(ImportKind.Values, "script.xlsx", saved.ToArray());

        summary.Inserted.Should().Be(2);
        await using var db = engine.Db();
        var unit = await db.Units.SingleAsync(u => u.Code == "XA1");
        (await db.DataValues.Where(v => v.UnitId == unit.Id).ToDictionaryAsync(v => v.IndicatorId, v => v.Value)).Should().BeEquivalentTo(new Dictionary<int, long>
        {
            [IndicatorCatalogue.Get("REGULATION_ISSUED").Id] = 0, [IndicatorCatalogue.Get("INSPECTION_SUPERVISIONS").Id] = 7,
        });
    }

    [Fact]
    public async Task The_commands_write_a_template_take_it_back_filled_by_another_library_and_audit_each_first_value_with_the_operator_and_file()
    {
        await using var engine = await ProvinceAsync();
        var folder = TestFolders.NewFolder("template");
        var blank = Path.Combine(folder, "mau.xlsx");
        await HostProcess.RunAsync(engine.Storage, "template", "--period", "2020S1", "--area", "D1", "--out", blank);

        // Filled by MiniExcel as an officer's script would: XA1's inspection supervisions typed, saved as a new workbook.
        var rows = MiniExcelLibs.MiniExcel.Query(blank, useHeaderRow: false, sheetName: TemplateWriter.DataSheet)
            .Cast<IDictionary<string, object?>>().Select(r => new Dictionary<string, object?>(r)).ToList();
        var codes = rows[1].Values.Select(v => v?.ToString()).ToList();
        rows.Single(r => Equals(r["A"], "XA1"))[XlsxTable.ColumnName(codes.IndexOf("INSPECTION_SUPERVISIONS"))] = 6;
        var filled = Path.Combine(folder, "mau-da-dien.xlsx");
        MiniExcelLibs.MiniExcel.SaveAs(filled, rows, printHeader: false);
        await HostProcess.RunAsync(engine.Storage, "import", "values", filled, "--no-evaluate");

        await using var db = engine.Db();
        var xa1 = await db.Units.SingleAsync(u => u.Code == "XA1");
        var audit = await db.DataValueAudits.SingleAsync(a => a.UnitId == xa1.Id);
        audit.Should().Match<DataValueAudit>(a => a.OldValue == null && a.NewValue == 6 && a.Source == "mau-da-dien.xlsx"
            && a.IndicatorId == IndicatorCatalogue.Get("INSPECTION_SUPERVISIONS").Id && a.ChangedBy.StartsWith("cli:"));
        (await db.DataValues.SingleAsync(v => v.UnitId == xa1.Id)).StoredBy.Should().Be(audit.ChangedBy);
    }

    [Fact]
    public async Task A_filled_template_whose_guide_was_moved_first_is_refused_naming_the_sheet_that_was_read()
    {
        await using var engine = await ProvinceAsync();
        var template = await TemplateAsync(engine);
        var filled = Fill(Xlsx(template), template, (unit, indicator) => (unit, indicator.Code) == ("XA1", "REGULATION_ISSUED") ? "có" : null);
        using var stream = new MemoryStream();
        stream.Write(filled);
        using (var document = SpreadsheetDocument.Open(stream, true))
        {
            // The guide's tab dragged before the data's, as an officer reading it first might leave it.
            var sheets = document.WorkbookPart!.Workbook.Sheets!;
            var guide = sheets.Elements<Sheet>().Single(s => s.Name == TemplateWriter.GuideSheet);
            guide.Remove();
            sheets.PrependChild(guide);
        }

        var problems = await engine.RefusedAsync(ImportKind.Values, "mau.xlsx", stream.ToArray());

        problems[0].ToString().Should().Be("mau.xlsx: sheet 'Hướng dẫn' (the first of the workbook's 2 sheets: 'Hướng dẫn', 'Số liệu') was read, and only the first "
                                           + "sheet is imported; move the sheet that holds the data to the front and save the workbook again");
        problems.Skip(1).Should().Contain(p => p.Message.StartsWith("column 'unit_code' is missing", StringComparison.Ordinal));
        ImportWording.Vietnamese(problems[0]).Should().Be("đã đọc trang tính 'Hướng dẫn' (trang đầu tiên trong 2 trang của tệp: 'Hướng dẫn', 'Số liệu'); "
                                                          + "chỉ trang đầu tiên được nhập: chuyển trang chứa số liệu lên đầu rồi lưu lại tệp");
    }

    [Fact]
    public async Task Every_wrong_cell_is_named_by_sheet_cell_unit_and_indicator_and_nothing_is_stored()
    {
        await using var engine = await ProvinceAsync();
        var template = await TemplateAsync(engine);
        var columns = template.Columns.ToList();
        string Letter(string code) => XlsxTable.ColumnName(3 + columns.FindIndex(c => c.Code == code));
        var row = template.Rows.ToList().FindIndex(r => r.UnitCode == "XA1") + 3;
        var dn2 = template.Rows.ToList().FindIndex(r => r.UnitCode == "DN2") + 3;

        var filled = Fill(Xlsx(template), template, (unit, indicator) => (unit, indicator.Code) switch
        {
            ("XA1", "INSPECTION_SUPERVISIONS") => -3,
            ("XA1", "MEDIATION_CASES") => 2.5,
            ("XA1", "REGULATION_ISSUED") => "chắc có",
            _ => null,
        }, closed: ("DN2", "DISCLOSURE_POSTED", "có"));
        var problems = await engine.RefusedAsync(ImportKind.Values, "mau.xlsx", filled);

        problems.Select(p => p.ToString()).Should().BeEquivalentTo(
            $"mau.xlsx:'Số liệu'!{Letter("INSPECTION_SUPERVISIONS")}{row}: XA1, INSPECTION_SUPERVISIONS: -3 is below 0; a count cannot be negative",
            $"mau.xlsx:'Số liệu'!{Letter("MEDIATION_CASES")}{row}: XA1, MEDIATION_CASES: '2.5' is not a whole number; write it without decimals, e.g. 1327453 or 1.327.453",
            $"mau.xlsx:'Số liệu'!{Letter("REGULATION_ISSUED")}{row}: XA1, REGULATION_ISSUED: 'chắc có' is not a yes/no value; write true/false, 1/0 or có/không",
            $"mau.xlsx:'Số liệu'!{Letter("DISCLOSURE_POSTED")}{dn2}: DN2, DISCLOSURE_POSTED: DISCLOSURE_POSTED does not apply to unit DN2 (NonStateEnterprise, no trade union); it applies to XA,CQ,SN,DNNN,DN-CĐ");
        problems.Should().OnlyContain(p => p.Cell != null && p.Unit != null && p.Indicator != null);
        problems.Select(ImportWording.Vietnamese).Should().Contain(m => m.Contains("nhỏ hơn 0", StringComparison.Ordinal))
            .And.Contain(m => m.Contains("không phải số nguyên", StringComparison.Ordinal))
            .And.Contain(m => m.Contains("có/không", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_csv_template_with_bom_crlf_and_decomposed_letters_imports_and_empty_cells_are_not_reported()
    {
        await using var engine = await ProvinceAsync();
        var template = await TemplateAsync(engine);
        using var stream = new MemoryStream();
        TemplateWriter.Write(template, TemplateFormat.Csv, stream);
        var text = Encoding.UTF8.GetString(stream.ToArray());
        text.Should().StartWith("\uFEFFMã đơn vị,").And.Contain("\r\nunit_code,unit_name,period,");

        var lines = text.TrimStart('\uFEFF').Split("\r\n").ToList();
        var codes = lines[1].Split(',').ToList();
        var xa1 = lines.FindIndex(l => l.StartsWith("XA1,", StringComparison.Ordinal));
        var cells = lines[xa1].Split(',');
        cells[codes.IndexOf("REGULATION_ISSUED")] = "co\u0301"; // "có" decomposed, as some Mac and web forms write it
        cells[codes.IndexOf("DISCLOSURE_POSTED")] = "KHO\u0302NG";
        cells[codes.IndexOf("INSPECTION_SUPERVISIONS")] = "4";
        lines[xa1] = string.Join(',', cells);
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(string.Join("\r\n", lines))).ToArray();

        var summary = await engine.ImportAsync(ImportKind.Values, "mau.csv", bytes);

        summary.Inserted.Should().Be(3, "only the three filled cells are values: an empty cell is not reported, never zero");
        await using var db = engine.Db();
        var unit = await db.Units.SingleAsync(u => u.Code == "XA1");
        var stored = await db.DataValues.Where(v => v.UnitId == unit.Id).ToDictionaryAsync(v => v.IndicatorId, v => v.Value);
        stored.Should().BeEquivalentTo(new Dictionary<int, long>
        {
            [IndicatorCatalogue.Get("REGULATION_ISSUED").Id] = 1, [IndicatorCatalogue.Get("DISCLOSURE_POSTED").Id] = 0, [IndicatorCatalogue.Get("INSPECTION_SUPERVISIONS").Id] = 4,
        });

        var refused = await engine.RefusedAsync(ImportKind.Values, "sai.csv", string.Join("\r\n", lines).Replace("XA2,UBND Xã Hai,2020S1,", "XA2,UBND Xã Hai,2020S1,-1", StringComparison.Ordinal));
        refused.Should().ContainSingle().Which.ToString().Should().Be(
            $"sai.csv:{lines.FindIndex(l => l.StartsWith("XA2,", StringComparison.Ordinal)) + 1}:4: XA2, {codes[3]}: {Expected(codes[3])}");
    }

    private static string Expected(string code) => IndicatorCatalogue.Get(code).ValueType == IndicatorValueType.Boolean
        ? "'-1' is not a yes/no value; write true/false, 1/0 or có/không"
        : "-1 is below 0; a count cannot be negative";

    private static List<string> Texts(Row row) => row.Elements<Cell>().Select(c => c.InnerText).ToList();

    /// <summary>
    /// Types values into the open cells of a template, as an officer in a spreadsheet program would: strings as shared
    /// strings, numbers as numbers. <paramref name="closed"/> forces one locked cell (a protection lifted by hand).
    /// </summary>
    internal static byte[] Fill(byte[] template, ReportingTemplate model, Func<string, Indicator, object?> value,
        (string Unit, string Indicator, string Text)? closed = null)
    {
        using var stream = new MemoryStream();
        stream.Write(template);
        using (var document = SpreadsheetDocument.Open(stream, true))
        {
            var book = document.WorkbookPart!;
            var shared = book.SharedStringTablePart ?? book.AddNewPart<SharedStringTablePart>();
            shared.SharedStringTable ??= new SharedStringTable();
            var sheet = ((WorksheetPart)book.GetPartById(book.Workbook.Sheets!.Elements<Sheet>().First().Id!)).Worksheet;
            var rows = sheet.Descendants<Row>().ToList();
            for (var r = 0; r < model.Rows.Count; r++)
            {
                var cells = rows[r + 2].Elements<Cell>().ToList();
                for (var c = 0; c < model.Columns.Count; c++)
                {
                    var forced = closed is { } x && x.Unit == model.Rows[r].UnitCode && x.Indicator == model.Columns[c].Code;
                    if (model.Rows[r].Cells[c] != TemplateCell.Open && !forced)
                        continue;
                    var cell = cells[3 + c];
                    switch (forced ? closed!.Value.Text : value(model.Rows[r].UnitCode, model.Columns[c]))
                    {
                        case null:
                            continue;
                        case string text:
                            shared.SharedStringTable.AppendChild(new SharedStringItem(new DocumentFormat.OpenXml.Spreadsheet.Text(text)));
                            cell.RemoveAllChildren();
                            cell.DataType = CellValues.SharedString;
                            cell.CellValue = new CellValue(shared.SharedStringTable.Count() - 1);
                            break;
                        case var number:
                            cell.RemoveAllChildren();
                            cell.DataType = null;
                            cell.CellValue = new CellValue(Convert.ToDouble(number, System.Globalization.CultureInfo.InvariantCulture));
                            break;
                    }
                }
            }
        }

        return stream.ToArray();
    }
}
