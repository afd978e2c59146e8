using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Import.Files;
using QcdcCompliance.Reports;
using QcdcCompliance.Submissions;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Submissions;

/// <summary>
/// What a filled workbook carries besides the figures, as scripts and officers leave it: formulas saved without their result
/// (openpyxl and report generators write the formula alone), a totals row under the units, a row whose unit or period is
/// wrong in every one of its filled cells. Each is refused once, by its cell, saying how to fix it; nothing is stored.
/// </summary>
public sealed class SpreadsheetLeftoversTests
{
    private static async Task<(Engine Engine, ReportingTemplate Model, byte[] Template)> TemplateAsync()
    {
        var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        var model = await engine.Services.GetRequiredService<ReportingTemplates>().ForAreaAsync("2020S1", "P");
        using var stream = new MemoryStream();
        TemplateWriter.Write(model, TemplateFormat.Xlsx, stream);
        return (engine, model, stream.ToArray());
    }

    private static string Column(ReportingTemplate model, string indicator) => XlsxTable.ColumnName(3 + model.Columns.ToList().FindIndex(c => c.Code == indicator));

    private static int Row(ReportingTemplate model, string unit) => model.Rows.ToList().FindIndex(r => r.UnitCode == unit) + 3;

    /// <summary>A cell of the first sheet as it is saved: its formula, its cached result (null: no &lt;v&gt; at all) and its type.</summary>
    private sealed record Saved(string Reference, string? Formula, string? Result, CellValues? Type = null, string? Text = null);

    /// <summary>The workbook with these cells written over (a row past the last one added), as the program that saved it wrote them.</summary>
    private static byte[] Edit(byte[] workbook, params Saved[] cells)
    {
        using var stream = new MemoryStream();
        stream.Write(workbook);
        using (var document = SpreadsheetDocument.Open(stream, true))
        {
            var book = document.WorkbookPart!;
            var data = ((WorksheetPart)book.GetPartById(book.Workbook.Sheets!.Elements<Sheet>().First().Id!)).Worksheet.GetFirstChild<SheetData>()!;
            foreach (var saved in cells)
            {
                var number = uint.Parse(new string(saved.Reference.SkipWhile(char.IsLetter).ToArray()), System.Globalization.CultureInfo.InvariantCulture);
                var row = data.Elements<Row>().FirstOrDefault(r => r.RowIndex!.Value == number) ?? data.AppendChild(new Row { RowIndex = number });
                // The template writes its cells in order without references: each is given the one its place means.
                var column = 0;
                foreach (var present in row.Elements<Cell>())
                {
                    column = present.CellReference?.Value is { } reference ? XlsxTableOrder(reference) : column + 1;
                    present.CellReference = XlsxTable.ColumnName(column - 1) + number;
                }

                var cell = row.Elements<Cell>().FirstOrDefault(c => c.CellReference!.Value == saved.Reference);
                if (cell is null)
                {
                    cell = new Cell { CellReference = saved.Reference };
                    var after = row.Elements<Cell>().FirstOrDefault(c => XlsxTableOrder(c.CellReference!.Value!) > XlsxTableOrder(saved.Reference));
                    if (after is null)
                        row.AppendChild(cell);
                    else
                        row.InsertBefore(cell, after);
                }

                cell.RemoveAllChildren();
                cell.DataType = null;
                if (saved.Type is { } type)
                    cell.DataType = type;
                if (saved.Text is { } text)
                {
                    cell.DataType = CellValues.InlineString;
                    cell.AppendChild(new InlineString(new DocumentFormat.OpenXml.Spreadsheet.Text(text)));
                }

                if (saved.Formula is { } formula)
                    cell.AppendChild(new CellFormula(formula));
                if (saved.Result is { } result)
                    cell.AppendChild(new CellValue(result));
            }
        }

        return stream.ToArray();
    }

    private static int XlsxTableOrder(string reference) =>
        reference.TakeWhile(char.IsLetter).Aggregate(0, (n, c) => n * 26 + (c - 'A' + 1));

    private static async Task<Dictionary<string, long>> StoredAsync(Engine engine, string unit)
    {
        await using var db = engine.Db();
        var id = (await db.Units.SingleAsync(u => u.Code == unit)).Id;
        return (await db.DataValues.Where(v => v.UnitId == id).ToListAsync()).ToDictionary(v => IndicatorCatalogue.All.Single(i => i.Id == v.IndicatorId).Code, v => v.Value);
    }

    [Fact]
    public async Task A_formula_saved_without_its_result_is_refused_by_its_cell_and_the_same_workbook_with_its_results_imports()
    {
        var (engine, model, template) = await TemplateAsync();
        await using var _ = engine;
        var (xa1, xa2) = (Row(model, "XA1"), Row(model, "XA2"));
        var (inspections, cases, dialogues, regulation) =
            (Column(model, "INSPECTION_SUPERVISIONS"), Column(model, "MEDIATION_CASES"), Column(model, "DIALOGUE_CONFERENCES"), Column(model, "REGULATION_ISSUED"));
        Saved[] Cells(string? rounded, string? sum) =>
        [
            new($"{inspections}{xa1}", null, "10"),
            // openpyxl: the formula and an empty <v>; another writer: the formula alone.
            new($"{cases}{xa1}", $"ROUND({inspections}{xa1}*0.7,0)", rounded),
            new($"{dialogues}{xa1}", "1+1", sum),
            // Computed by a spreadsheet program: a number, and a text formula whose result is empty ("" cached as t="str").
            new($"{inspections}{xa2}", "2+3", "5"),
            new($"{regulation}{xa2}", "IF(FALSE,\"có\",\"\")", "", CellValues.String),
        ];

        var problems = await engine.RefusedAsync(ImportKind.Values, "script.xlsx", Edit(template, Cells(rounded: "", sum: null)));

        problems.Select(p => (p.Cell, p.Unit, p.Indicator)).Should().BeEquivalentTo(
            [($"'Số liệu'!{cases}{xa1}", "XA1", "MEDIATION_CASES"), ($"'Số liệu'!{dialogues}{xa1}", "XA1", "DIALOGUE_CONFERENCES")],
            "each formula without a result is refused by its cell, once; the typed cell and the computed formulas are not problems");
        problems.Single(p => p.Indicator == "DIALOGUE_CONFERENCES").ToString().Should().Be(
            $"script.xlsx:'Số liệu'!{dialogues}{xa1}: XA1, DIALOGUE_CONFERENCES: the cell holds the formula =1+1 with no computed result (a script or program "
            + "that writes workbooks without computing them saved it); open the file in Excel or LibreOffice and save it, so that its formulas are computed, then send it again");
        ImportWording.Vietnamese(problems.Single(p => p.Indicator == "MEDIATION_CASES")).Should().Be(
            $"ô chứa công thức =ROUND({inspections}{xa1}*0.7,0) chưa được tính (tệp do một chương trình ghi mà không tính công thức); "
            + "mở tệp trong Excel hoặc LibreOffice, lưu lại (để công thức được tính) rồi gửi lại");

        // Saved again by a spreadsheet program, which caches every result: the figures the formulas compute are stored.
        await engine.ImportAsync(ImportKind.Values, "saved.xlsx", Edit(template, Cells(rounded: "7", sum: "2")));

        (await StoredAsync(engine, "XA1")).Should().BeEquivalentTo(new Dictionary<string, long> { ["INSPECTION_SUPERVISIONS"] = 10, ["MEDIATION_CASES"] = 7, ["DIALOGUE_CONFERENCES"] = 2 });
        (await StoredAsync(engine, "XA2")).Should().BeEquivalentTo(new Dictionary<string, long> { ["INSPECTION_SUPERVISIONS"] = 5 }, "a formula computed to \"\" is an empty cell");
    }

    [Fact]
    public async Task A_long_workbooks_value_saved_as_a_formula_without_its_result_is_refused_by_row_column_and_cell()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        using var sheet = new MemoryStream();
        MiniExcel.SaveAs(sheet, new[] { ("XA1", 4), ("XA2", 6) }.Select(r => new Dictionary<string, object?>
        {
            ["unit_code"] = r.Item1, ["period"] = "2020S1", ["indicator"] = "MEDIATION_CASES", ["value"] = r.Item2, ["comment"] = null,
        }), excelType: ExcelType.XLSX);

        var problems = await engine.RefusedAsync(ImportKind.Values, "values.xlsx", Edit(sheet.ToArray(), new Saved("D3", "D2+2", null)));

        problems.Should().ContainSingle().Which.ToString().Should().Be("values.xlsx:3:value (Sheet1!D3): the cell holds the formula =D2+2 with no computed result "
            + "(a script or program that writes workbooks without computing them saved it); open the file in Excel or LibreOffice and save it, so that its formulas are computed, then send it again");
        await engine.ImportAsync(ImportKind.Values, "values.xlsx", Edit(sheet.ToArray(), new Saved("D3", "D2+2", "6")));
        (await StoredAsync(engine, "XA2")).Should().BeEquivalentTo(new Dictionary<string, long> { ["MEDIATION_CASES"] = 6 });
    }

    [Theory]
    [InlineData("A", "Tổng cộng", "SUM", "30")]
    [InlineData("A", "TO\u0302\u0309NG CO\u0323\u0302NG:", "SUM", "30")] // upper case, decomposed, with a colon
    [InlineData("A", "Total", "SUM", "30")]
    [InlineData("B", "Cộng", "SUM", "30")] // in the name's column, the code's left empty
    [InlineData("A", "Tổng", "SUM", null)] // written by a script: its sums have no result
    public async Task A_totals_row_is_refused_once_at_its_label_as_a_row_to_delete(string column, string label, string function, string? sum)
    {
        var (engine, model, template) = await TemplateAsync();
        await using var _ = engine;
        var (inspections, dialogues) = (Column(model, "INSPECTION_SUPERVISIONS"), Column(model, "DIALOGUE_CONFERENCES"));
        var (xa1, totals) = (Row(model, "XA1"), model.Rows.Count + 3);
        var filled = Edit(template,
            new Saved($"{inspections}{xa1}", null, "30"), new Saved($"{dialogues}{xa1}", null, "2"),
            new Saved($"{column}{totals}", null, null, Text: label),
            new Saved($"{inspections}{totals}", $"{function}({inspections}3:{inspections}{totals - 1})", sum),
            new Saved($"{dialogues}{totals}", $"{function}({dialogues}3:{dialogues}{totals - 1})", sum is null ? null : "2"));

        var problems = await engine.RefusedAsync(ImportKind.Values, "totals.xlsx", filled);

        var problem = problems.Should().ContainSingle("a totals row is one problem, not one per filled cell, nor its code and its period").Which;
        problem.Cell.Should().Be($"'Số liệu'!{column}{totals}");
        problem.Unit.Should().BeNull("a totals row is no unit");
        problem.Message.Should().EndWith("labels a totals row, not a unit: the units' figures are added up by the evaluation, never imported; delete this row");
        var vietnamese = ImportWording.Vietnamese(problem);
        vietnamese.Should().StartWith("dòng '").And.EndWith("là dòng tổng, không phải một đơn vị (hệ thống tự cộng số liệu của các đơn vị khi đánh giá): xóa dòng này")
            .And.NotContain("gõ lại mã").And.NotContain("kỳ báo cáo");
        ImportWording.Where(problem).Should().Be($"ô 'Số liệu'!{column}{totals}");
    }

    [Fact]
    public async Task A_problem_of_a_rows_unit_or_period_is_said_once_for_the_row_not_once_per_filled_cell()
    {
        var (engine, model, template) = await TemplateAsync();
        await using var _ = engine;
        var (inspections, dialogues, cases) = (Column(model, "INSPECTION_SUPERVISIONS"), Column(model, "DIALOGUE_CONFERENCES"), Column(model, "MEDIATION_CASES"));
        var (xa1, xa2) = (Row(model, "XA1"), Row(model, "XA2"));
        var filled = Edit(template,
            new Saved($"C{xa1}", null, null), new Saved($"{inspections}{xa1}", null, "3"), new Saved($"{dialogues}{xa1}", null, "1"), new Saved($"{cases}{xa1}", null, "4"),
            new Saved($"A{xa2}", null, null, Text: "XA 2"), new Saved($"{inspections}{xa2}", null, "3"), new Saved($"{dialogues}{xa2}", null, "1"));

        var problems = await engine.RefusedAsync(ImportKind.Values, "rows.xlsx", filled);

        problems.Select(p => (p.Cell, p.Message)).Should().BeEquivalentTo(
        [
            ($"'Số liệu'!C{xa1}", "XA1: period is empty; write a period code such as 2020S1, 2020S2 or 2020"),
            ($"'Số liệu'!A{xa2}", "XA 2: the code holds a space (U+0020 SPACE) between 'XA' and '2' (character 3); retype the code"),
        ]);
    }
}
