using System.Text;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using QcdcCompliance.Reports;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Import;

public sealed class ValueImportTests
{
    private static Task<Engine> ProvinceAsync() => Engine.SqliteAsync().WithProvinceAsync();

    /// <summary>The test province with 3,000 more communes' people's committees, U0000 to U2999, each in the commune <paramref name="area"/> gives it.</summary>
    private static async Task<Engine> ThousandsOfCommunesAsync(StorageProvider provider, string name, Func<int, string> area)
    {
        var engine = await (provider == StorageProvider.Sqlite ? Engine.SqliteAsync() : Engine.PostgresAsync(name)).WithProvinceAsync();
        var units = new StringBuilder(Province.UnitsHeader);
        for (var u = 0; u < 3000; u++)
            units.Append($"U{u:0000},UBND {u},Commune,{area(u)},false,10,,,\n");
        try
        {
            await engine.ImportAsync(ImportKind.Units, "many-units.csv", units.ToString());
            return engine;
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task Every_kind_of_bad_value_is_listed_with_file_row_and_column_and_nothing_is_stored()
    {
        await using var engine = await ProvinceAsync();
        var problems = await engine.RefusedAsync(ImportKind.Values, "values.csv", Province.ValuesHeader +
            """
            XA1,2020S1,REGULATION_ISSUED,true,
            NOBODY,2020S1,REGULATION_ISSUED,true,
            XA1,2020H1,REGULATION_ISSUED,true,
            XA1,2020S1,NO_SUCH_THING,1,
            XA1,2020S1,DIALOGUE_CONFERENCES,abc,
            XA1,2020S1,REGULATION_ISSUED,maybe,
            XA2,2020S1,DIALOGUE_CONFERENCES,-1,
            DN2,2020S1,DISCLOSURE_POSTED,true,
            XA1,2020S1,STAFF_CONFERENCE_HELD,true,
            XA1,2020,REGULATION_ISSUED,true,
            OLD,2020S1,REGULATION_ISSUED,true,
            XA3,2020S1,MEDIATION_CASES,,
            """);

        problems.Select(p => p.ToString()).Should().BeEquivalentTo(
            "values.csv:3:unit_code: unknown unit NOBODY; import it with 'qcdc import units' first",
            "values.csv:4:period: '2020H1' is not a period; write 2020 (year), 2020S1 or 2020S2 (half-years)",
            "values.csv:5:indicator: unknown indicator NO_SUCH_THING; see the catalogue (qcdc indicators)",
            "values.csv:6:value: 'abc' is not a whole number; write it without decimals, e.g. 1327453 or 1.327.453",
            "values.csv:7:value: 'maybe' is not a yes/no value; write true/false, 1/0 or có/không",
            "values.csv:8:value: -1 is below 0; a count cannot be negative",
            "values.csv:9:indicator: DISCLOSURE_POSTED does not apply to unit DN2 (NonStateEnterprise, no trade union); it applies to XA,CQ,SN,DNNN,DN-CĐ",
            "values.csv:10:period: STAFF_CONFERENCE_HELD is reported per year, not per half-year; use a period such as 2020",
            "values.csv:11:period: REGULATION_ISSUED is reported per half-year, not per year; use a period such as 2020S1 or 2020S2",
            "values.csv:12:unit_code: the area C9 of unit OLD did not exist in 2020S1 and has no successor; fix the unit's area or the area's validity",
            "values.csv:13:value: value is empty; write the figure for MEDIATION_CASES, or leave the row out");
    }

    [Fact]
    public async Task A_code_holding_an_invisible_character_is_refused_naming_the_character_and_where_it_stands()
    {
        await using var engine = await ProvinceAsync();
        // As pasted from a web page or a document: each shows as 'XA1' or 'XA 3', and 'is not a valid code' said nothing.
        var problems = await engine.RefusedAsync(ImportKind.Values, "values.csv", Province.ValuesHeader +
            "XA\u200B1,2020S1,REGULATION_ISSUED,true,\nXA1\u202F,2020S1,DIALOGUE_CONFERENCES,1,\n\u00ADXA2,2020S1,REGULATION_ISSUED,true,\nXA 3,2020S1,REGULATION_ISSUED,true,\n");

        problems.Select(p => p.ToString()).Should().Equal(
            "values.csv:2:unit_code: the code holds an invisible character (U+200B ZERO WIDTH SPACE) between 'XA' and '1' (character 3); retype the code",
            "values.csv:5:unit_code: the code holds a space (U+0020 SPACE) between 'XA' and '3' (character 3); retype the code");
        problems.Select(ImportWording.Vietnamese).Should().Equal(
            "mã chứa một ký tự ẩn (U+200B ZERO WIDTH SPACE) giữa 'XA' và '1' (ký tự thứ 3); gõ lại mã",
            "mã chứa một dấu cách (U+0020 SPACE) giữa 'XA' và '3' (ký tự thứ 3); gõ lại mã");
    }

    [Fact]
    public async Task What_shows_as_nothing_or_as_a_space_at_either_end_of_a_cell_is_trimmed_as_a_space_is()
    {
        await using var engine = await ProvinceAsync();
        // A narrow no-break space (U+202F, what a French or Vietnamese locale puts in numbers), a soft hyphen, a word
        // joiner, an ideographic space, a left-to-right mark and a control character, each at an end of a cell: the
        // officer sees 'XA1', '1' and 'true', and so does the import.
        var summary = await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader +
            "XA1\u202F,\u2060 2020S1\u3000,DIALOGUE_CONFERENCES\u200E,\u00AD1\u202F,\n\u0001XA2\u2009,2020S1,REGULATION_ISSUED,\u2007true\u00AD,\n");

        (summary.Rows, summary.Inserted).Should().Be((2, 2));
        await using var db = engine.Db();
        var stored = await (from v in db.DataValues join u in db.Units on v.UnitId equals u.Id select new { u.Code, v.Value }).ToListAsync();
        stored.Should().BeEquivalentTo(new[] { new { Code = "XA1", Value = 1L }, new { Code = "XA2", Value = 1L } });
    }

    [Fact]
    public async Task Importing_again_a_file_whose_change_was_never_evaluated_names_its_scope_for_evaluation()
    {
        await using var engine = await ProvinceAsync();
        await engine.LoadTargetSetsAsync();
        const string file = Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,true,\n";
        const string change = Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,false,\n";
        (await engine.ImportAsync(ImportKind.Values, "v.csv", file)).TouchedScopes.Should().Equal(("2020S1", "P"));
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        (await engine.ImportAsync(ImportKind.Values, "v.csv", file)).TouchedScopes.Should().BeEmpty("the run saw every stored value");

        // The change is stored, and the process stops before its evaluation (killed, or the host restarted with its job).
        (await engine.ImportAsync(ImportKind.Values, "change.csv", change)).TouchedScopes.Should().Equal(("2020S1", "P"));
        var again = await engine.ImportAsync(ImportKind.Values, "change.csv", change);
        (again.Unchanged, again.TouchedUnits.Count).Should().Be((1, 0));
        again.TouchedScopes.Should().Equal([("2020S1", "P")], "the stored change was never evaluated: importing the file again evaluates it");

        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        (await engine.ImportAsync(ImportKind.Values, "change.csv", change)).TouchedScopes.Should().BeEmpty();
    }

    [Fact]
    public async Task A_value_for_an_indicator_that_does_not_apply_to_the_kind_is_refused()
    {
        await using var engine = await ProvinceAsync();
        var problems = await engine.RefusedAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + "TH1,2020S1,REGULATION_ISSUED,true,\n");
        problems.Should().ContainSingle().Which.ToString().Should().Be(
            "values.csv:2:indicator: REGULATION_ISSUED does not apply to unit TH1 (Village, no trade union); it applies to XA,CQ,SN,DNNN,DN,LL");
    }

    [Fact]
    public async Task A_duplicate_row_names_the_first()
    {
        await using var engine = await ProvinceAsync();
        var problems = await engine.RefusedAsync(ImportKind.Values, "values.csv", Province.ValuesHeader +
            "XA1,2020S1,DIALOGUE_CONFERENCES,1,\nxa1,2020s1,dialogue_conferences,2,\n");
        problems.Should().ContainSingle().Which.ToString().Should().Be(
            "values.csv:3:unit_code: duplicate row: XA1 DIALOGUE_CONFERENCES 2020S1 is already on row 2; keep one");
    }

    [Fact]
    public async Task A_missing_or_extra_column_refuses_the_file()
    {
        await using var engine = await ProvinceAsync();
        (await engine.RefusedAsync(ImportKind.Values, "values.csv", "unit_code,period,indicator\nXA1,2020S1,REGULATION_ISSUED\n"))
            .Should().ContainSingle().Which.ToString().Should().StartWith("values.csv:1:value: column 'value' is missing");
        (await engine.RefusedAsync(ImportKind.Values, "values.csv", "unit_code,period,indicator,value,comment,extra\nXA1,2020S1,REGULATION_ISSUED,1,,x\n"))
            .Should().ContainSingle().Which.ToString().Should().StartWith("values.csv:1:extra: unexpected column 'extra'");
        (await engine.RefusedAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,1,,stray\n"))
            .Should().ContainSingle().Which.ToString().Should().StartWith("values.csv:2:column 6: a value 'stray' stands under no column");
    }

    [Fact]
    public async Task One_bad_row_among_many_stores_nothing_and_names_the_row()
    {
        await using var engine = await ProvinceAsync();
        var units = new StringBuilder(Province.UnitsHeader);
        for (var u = 0; u < 1000; u++)
            units.Append($"U{u:0000},UBND {u},Commune,C1,false,10,,,\n");
        await engine.ImportAsync(ImportKind.Units, "many-units.csv", units.ToString());

        var csv = new StringBuilder(Province.ValuesHeader);
        var row = 1;
        for (var u = 0; u < 1000; u++)
        {
            foreach (var (period, indicator) in new[] { ("2020S1", "MEDIATION_CASES"), ("2020S2", "MEDIATION_CASES"), ("2020S1", "MEDIATION_SUCCESSES") })
            {
                row++;
                csv.Append(row == 2345 ? $"U{u:0000},{period},{indicator},lots,\n" : $"U{u:0000},{period},{indicator},{u % 7},\n");
            }
        }

        var problems = await engine.RefusedAsync(ImportKind.Values, "big.csv", csv.ToString());

        problems.Should().ContainSingle().Which.ToString().Should().Be("big.csv:2345:value: 'lots' is not a whole number; write it without decimals, e.g. 1327453 or 1.327.453");
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task A_sparse_file_naming_thousands_of_units_reads_them_whole_and_still_refuses_an_unknown_one_by_its_row(StorageProvider provider)
    {
        // One value a unit over 3,000 units: the importer reads the unit table once instead of code by code (issue 16), on a
        // connection of its own while the import starts (the file is over ValueImporter.ReadAheadFrom).
        await using var engine = await ThousandsOfCommunesAsync(provider, "sparse", _ => "C1");
        string Sparse(int? unknownAt) => Province.ValuesHeader + string.Concat(Enumerable.Range(0, 3000)
            .Select(u => $"{(u == unknownAt ? "NOBODY" : $"U{u:0000}")},2020S1,MEDIATION_CASES,{u % 5},\n"));

        // On PostgreSQL the 2,500 rows before the unknown unit went to the server as they were checked, under a period the
        // import stored at its first row: refused, the file leaves neither.
        var problems = await engine.RefusedAsync(ImportKind.Values, "sparse.csv", Sparse(unknownAt: 2500));
        problems.Should().ContainSingle().Which.ToString().Should().Be("sparse.csv:2502:unit_code: unknown unit NOBODY; import it with 'qcdc import units' first");
        await using (var refused = engine.Db())
        {
            (await refused.DataValues.CountAsync(), await refused.DataValueAudits.CountAsync(), await refused.Periods.CountAsync(p => p.Code == "2020S1"))
                .Should().Be((0, 0, 0), "a refused file stores nothing, not even what was sent while it was checked");
        }

        Encoding.UTF8.GetByteCount(Sparse(null)).Should().BeGreaterThan((int)ValueImporter.ReadAheadFrom, "the units are read ahead");
        ImportSummary summary;
        int streamed;
        using (var own = new OwnSpans("sparse import"))
        {
            summary = await engine.ImportAsync(ImportKind.Values, "sparse.csv", Sparse(unknownAt: null));
            streamed = own.Spans.Single(a => a.OperationName == "qcdc.import.check").GetTagItem("qcdc.import.streamed") as int? ?? -1;
        }

        streamed.Should().Be(provider == StorageProvider.Postgres ? 3000 : 0, "on PostgreSQL a large file's new values go to the server while it is checked");
        (summary.Rows, summary.Inserted).Should().Be((3000, 3000));
        await using var db = engine.Db();
        (await db.DataValues.Where(v => v.IndicatorId == IndicatorCatalogue.Get("MEDIATION_CASES").Id).SumAsync(v => v.Value)).Should().Be(Enumerable.Range(0, 3000).Sum(u => u % 5));
        // The period, new to the database, stored by plain SQL with its calendar dates, and the values under its id.
        var period = await db.Periods.SingleAsync(p => p.Code == "2020S1");
        (period.Type, period.Year, period.Number, period.Start, period.End).Should().Be((PeriodType.HalfYear, 2020, 1, new DateOnly(2020, 1, 1), new DateOnly(2020, 6, 30)));
        (await db.DataValues.CountAsync(v => v.PeriodId == period.Id)).Should().Be(3000);
        (await db.DataValueAudits.CountAsync(a => a.PeriodId == period.Id && a.OldValue == null)).Should().Be(3000);
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task A_file_in_any_order_is_stored_in_the_order_of_the_values_keys_and_reports_its_units_in_order(StorageProvider provider)
    {
        // The rows of two periods over 3,000 units, shuffled (as a spreadsheet sorted by another column, or not at all,
        // gives them): stored as the same file in order would be, each audit row in the values' key order, and the units
        // to evaluate listed by period, scope and unit.
        await using var engine = await ThousandsOfCommunesAsync(provider, "anyorder", u => u % 2 == 0 ? "C1" : "C2");
        var rows = Enumerable.Range(0, 3000).SelectMany(u => new[]
        {
            $"U{u:0000},2020S1,MEDIATION_CASES,{u % 5},\n", $"U{u:0000},2020S2,MEDIATION_CASES,{u % 7},\n", $"U{u:0000},2020S1,DIALOGUE_CONFERENCES,{u % 3},\n",
        }).ToList();
        var shuffled = rows.OrderBy(r => (uint)r.GetHashCode()).ToList();
        shuffled.Should().NotEqual(rows);

        var summary = await engine.ImportAsync(ImportKind.Values, "shuffled.csv", Province.ValuesHeader + string.Concat(shuffled));

        (summary.Rows, summary.Inserted).Should().Be((9000, 9000));
        await using var db = engine.Db();
        var periods = await db.Periods.ToDictionaryAsync(p => p.Id, p => p.Code);
        var audits = await db.DataValueAudits.Where(a => a.Source == "shuffled.csv").OrderBy(a => a.Id).Select(a => new { a.PeriodId, a.UnitId, a.IndicatorId, a.NewValue }).ToListAsync();
        audits.Should().HaveCount(9000);
        audits.Select(a => (a.PeriodId, a.UnitId, a.IndicatorId)).Should().BeInAscendingOrder(Comparer<(int, int, int)>.Default, "written in the values' key order");
        var stored = await db.DataValues.Join(db.Units, v => v.UnitId, u => u.Id, (v, u) => new { u.Code, v.PeriodId, v.IndicatorId, v.Value }).ToListAsync();
        stored.Select(v => $"{v.Code},{periods[v.PeriodId]},{IndicatorCatalogue.All.Single(i => i.Id == v.IndicatorId).Code},{v.Value},\n").Order(StringComparer.Ordinal).Should().Equal(rows.Order(StringComparer.Ordinal));
        summary.TouchedUnits.Should().HaveCount(6000).And.BeInAscendingOrder(Comparer<(string Period, string Scope, int UnitId)>.Create((a, b) =>
            (string.CompareOrdinal(a.Period, b.Period), string.CompareOrdinal(a.Scope, b.Scope), a.UnitId.CompareTo(b.UnitId)) switch
            {
                (not 0 and var p, _, _) => p,
                (_, not 0 and var s, _) => s,
                (_, _, var u) => u,
            }));
    }

    [Fact]
    public async Task A_large_file_naming_few_units_looks_them_up_by_code_and_drops_the_units_read_ahead()
    {
        // Over ValueImporter.ReadAheadFrom, yet 500 units: the read started ahead is not what the rows are checked against.
        await using var engine = await ProvinceAsync();
        var units = new StringBuilder(Province.UnitsHeader);
        for (var u = 0; u < 500; u++)
            units.Append($"U{u:0000},UBND {u},Commune,C1,false,10,,,\n");
        await engine.ImportAsync(ImportKind.Units, "some-units.csv", units.ToString());
        var file = Province.ValuesHeader + string.Concat(Enumerable.Range(0, 500).SelectMany(u => new[] { "2020S1", "2020S2", "2021S1", "2021S2" }
            .Select(p => $"U{u:0000},{p},MEDIATION_CASES,{u % 7},hòa giải ở cơ sở đợt {p}\n")));
        Encoding.UTF8.GetByteCount(file).Should().BeGreaterThan((int)ValueImporter.ReadAheadFrom);

        var summary = await engine.ImportAsync(ImportKind.Values, "few-units.csv", file);

        (summary.Rows, summary.Inserted).Should().Be((2000, 2000));
        await using var db = engine.Db();
        (await db.DataValues.SumAsync(v => v.Value)).Should().Be(4 * Enumerable.Range(0, 500).Sum(u => u % 7));
        (await db.Periods.CountAsync()).Should().Be(4);
    }

    [Fact]
    public async Task A_file_as_spreadsheets_save_it_is_read_BOM_CRLF_semicolons_NFD_text_and_Vietnamese_words()
    {
        await using var engine = await ProvinceAsync();
        var decomposedComment = "Đã niêm yết".Normalize(NormalizationForm.FormD);
        var text = "unit_code;period;indicator;value;comment\r\n"
                   + "XA1;2020S1;REGULATION_ISSUED;Có;\r\n"
                   + $"XA2;2020S1;REGULATION_ISSUED;không;\"{decomposedComment}; bảng tin\"\r\n"
                   + "XA3;2020S1;PROPAGANDA_ATTENDEES;1.327.453;\r\n";
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray();

        var summary = await engine.ImportAsync(ImportKind.Values, "values.csv", bytes);

        summary.Inserted.Should().Be(3);
        await using var db = engine.Db();
        var values = await db.DataValues.Join(db.Units, v => v.UnitId, u => u.Id, (v, u) => new { u.Code, v.Value, v.Comment }).ToListAsync();
        values.Should().Contain(v => v.Code == "XA1" && v.Value == 1);
        values.Should().Contain(v => v.Code == "XA2" && v.Value == 0 && v.Comment == "Đã niêm yết; bảng tin".Normalize(NormalizationForm.FormC));
        values.Should().Contain(v => v.Code == "XA3" && v.Value == 1_327_453);
    }

    [Fact]
    public async Task A_file_that_is_not_UTF8_is_refused_with_the_row_and_how_to_fix_it()
    {
        await using var engine = await ProvinceAsync();
        var bytes = Encoding.UTF8.GetBytes(Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,1,ok\n").Concat(new byte[] { (byte)'X', (byte)'A', (byte)'2', (byte)',', 0xC0, 0xAF, (byte)'\n' }).ToArray();
        var problems = await engine.RefusedAsync(ImportKind.Values, "values.csv", bytes);
        problems.Should().ContainSingle().Which.ToString().Should().Be(
            "values.csv:3:: the file is not UTF-8 text (byte 80 cannot be read); save it as 'CSV UTF-8' in your spreadsheet program");
    }

    [Fact]
    public async Task An_XLSX_with_typed_cells_and_a_JSON_file_import_like_the_CSV()
    {
        await using var engine = await ProvinceAsync();
        var sheet = new MemoryStream();
        MiniExcel.SaveAs(sheet, new[]
        {
            new Dictionary<string, object?> { ["unit_code"] = "XA1", ["period"] = "2020S1", ["indicator"] = "REGULATION_ISSUED", ["value"] = true, ["comment"] = null },
            new Dictionary<string, object?> { ["unit_code"] = "XA1", ["period"] = "2020S1", ["indicator"] = "CITIZEN_RECEPTION_DAYS", ["value"] = 12d, ["comment"] = "đủ" },
        }, excelType: ExcelType.XLSX);
        (await engine.ImportAsync(ImportKind.Values, "values.xlsx", sheet.ToArray())).Inserted.Should().Be(2);

        var json = """[{"unit_code": "XA2", "period": "2020S1", "indicator": "CITIZEN_RECEPTION_DAYS", "value": 10}, {"unit_code": "XA2", "period": "2020S1", "indicator": "REGULATION_ISSUED", "value": false}]""";
        (await engine.ImportAsync(ImportKind.Values, "values.json", json)).Inserted.Should().Be(2);

        var badJson = """[{"unit_code": "XA3", "period": "2020S1", "indicator": "CITIZEN_RECEPTION_DAYS", "value": -2, "note": "x"}]""";
        (await engine.RefusedAsync(ImportKind.Values, "bad.json", badJson)).Select(p => p.ToString()).Should().BeEquivalentTo(
            "bad.json:1:note: unexpected field 'note'; the fields are unit_code,period,indicator,value,comment",
            "bad.json:1:value: -2 is below 0; a count cannot be negative");
    }

    /// <summary>
    /// A count cell holding a formula's result within floating noise of an integer (=0.7*10 stores 7.000000000000001) is
    /// the integer the spreadsheet shows; a truly fractional one is refused naming its cell, as a template's cells are.
    /// </summary>
    [Fact]
    public async Task An_XLSX_count_a_formula_left_within_floating_noise_of_an_integer_is_that_integer_and_a_refused_cell_is_named()
    {
        await using var engine = await ProvinceAsync();
        static byte[] Sheet(params (string Unit, string Indicator, double Value)[] rows)
        {
            var sheet = new MemoryStream();
            MiniExcel.SaveAs(sheet, rows.Select(r => new Dictionary<string, object?>
            {
                ["unit_code"] = r.Unit, ["period"] = "2020S1", ["indicator"] = r.Indicator, ["value"] = r.Value, ["comment"] = null,
            }), excelType: ExcelType.XLSX);
            return sheet.ToArray();
        }

        var stored = await engine.ImportAsync(ImportKind.Values, "values.xlsx",
            Sheet(("XA1", "MEDIATION_CASES", 3333.0000000000005), ("XA1", "MEDIATION_SUCCESSES", 0.7 * 10), ("XA2", "MEDIATION_CASES", 2332.9999999999995)));
        var problems = await engine.RefusedAsync(ImportKind.Values, "bad.xlsx", Sheet(("XA2", "DIALOGUE_CONFERENCES", 1), ("XA3", "MEDIATION_CASES", 2.5)));

        stored.Inserted.Should().Be(3);
        await using var db = engine.Db();
        (await db.DataValues.OrderBy(v => v.Value).Select(v => v.Value).ToListAsync()).Should().Equal(7, 2333, 3333);
        var problem = problems.Should().ContainSingle().Which;
        problem.ToString().Should().Be("bad.xlsx:3:value (Sheet1!D3): '2.5' is not a whole number; write it without decimals, e.g. 1327453 or 1.327.453");
        problem.Cell.Should().Be("Sheet1!D3");
        ImportWording.Where(problem).Should().Be("ô Sheet1!D3, đơn vị XA3, chỉ tiêu MEDIATION_CASES", "a list's row names its unit and indicator as a template's cell does");
    }

    /// <summary>
    /// Counts are read by the file's number convention, not by how many digits follow a separator: a ';' file (a locale
    /// with the decimal comma) reads ',' as decimal and '.' as thousands; a ',' file reads ',' as thousands, and refuses a
    /// '.' before three digits, which a Vietnamese-locale program writes for thousands and an English one for decimals.
    /// </summary>
    [Fact]
    public async Task Counts_are_read_by_the_files_number_convention_and_a_cell_that_reads_two_ways_is_refused_saying_both()
    {
        await using var engine = await ProvinceAsync();
        var comma = await engine.ImportAsync(ImportKind.Values, "comma.csv", Province.ValuesHeader +
            """
            XA1,2020S1,MEDIATION_CASES,"1,000",
            XA2,2020S1,MEDIATION_CASES,1.0,
            XA3,2020S1,PROPAGANDA_ATTENDEES,1.327.453,
            XA1,2020S1,DIALOGUE_CONFERENCES,"2,00",
            XA2,2020S1,DIALOGUE_CONFERENCES,0.000,
            """);
        var semicolon = await engine.ImportAsync(ImportKind.Values, "semicolon.csv", """
            unit_code;period;indicator;value;comment
            XA1;2020S2;MEDIATION_CASES;1,000;
            XA2;2020S2;MEDIATION_CASES;2.500;
            XA3;2020S2;MEDIATION_CASES;1,00;
            XA3;2020S2;PROPAGANDA_ATTENDEES;1.327.453;
            """);
        var ambiguous = await engine.RefusedAsync(ImportKind.Values, "comma.csv", Province.ValuesHeader +
            """
            XA1,2020S2,DIALOGUE_CONFERENCES,2.500,
            XA2,2020S2,DIALOGUE_CONFERENCES,2.000,
            XA3,2020S2,DIALOGUE_CONFERENCES,2.50,
            """);
        var decimals = await engine.RefusedAsync(ImportKind.Values, "semicolon.csv", """
            unit_code;period;indicator;value;comment
            XA1;2020S2;DIALOGUE_CONFERENCES;1,5;
            XA2;2020S2;DIALOGUE_CONFERENCES;2,500;
            """);

        (comma.Inserted, semicolon.Inserted).Should().Be((5, 4));
        await using var db = engine.Db();
        var values = await db.DataValues.Join(db.Units, v => v.UnitId, u => u.Id, (v, u) => new { u.Code, v.PeriodId, v.IndicatorId, v.Value }).ToListAsync();
        var s1 = (await db.Periods.SingleAsync(p => p.Code == "2020S1")).Id;
        int Of(string code) => IndicatorCatalogue.Find(code)!.Id;
        long Value(string unit, bool first, string indicator) => values.Single(v => v.Code == unit && (v.PeriodId == s1) == first && v.IndicatorId == Of(indicator)).Value;
        (Value("XA1", true, "MEDIATION_CASES"), Value("XA2", true, "MEDIATION_CASES"), Value("XA3", true, "PROPAGANDA_ATTENDEES"),
            Value("XA1", true, "DIALOGUE_CONFERENCES"), Value("XA2", true, "DIALOGUE_CONFERENCES")).Should().Be((1000L, 1L, 1_327_453L, 2L, 0L), "',' groups thousands in a ',' file");
        (Value("XA1", false, "MEDIATION_CASES"), Value("XA2", false, "MEDIATION_CASES"), Value("XA3", false, "MEDIATION_CASES"),
            Value("XA3", false, "PROPAGANDA_ATTENDEES")).Should().Be((1L, 2500L, 1L, 1_327_453L), "',' is the decimal comma of a ';' file, '.' groups its thousands");
        ambiguous.Select(p => p.ToString()).Should().Equal(
            "comma.csv:2:value: '2.500' is ambiguous: with '.' as the decimal point it is 2.5, with '.' grouping thousands 2500; write the figure with digits only (2500)",
            "comma.csv:3:value: '2.000' is ambiguous: with '.' as the decimal point it is 2, with '.' grouping thousands 2000; write the figure with digits only (2 or 2000)",
            "comma.csv:4:value: '2.50' is not a whole number; write it without decimals, e.g. 1327453 or 1.327.453");
        ImportWording.Vietnamese(ambiguous[0]).Should().Be(
            "'2.500' đọc được hai cách: dấu '.' là dấu thập phân thì là 2,5, dấu '.' phân cách hàng nghìn thì là 2500; chỉ ghi chữ số, không dấu chấm, dấu phẩy (2500)");
        decimals.Select(p => p.ToString()).Should().Equal(
            "semicolon.csv:2:value: '1,5' is not a whole number as this file writes numbers (a file separated by ';': ',' is its decimal comma, '.' groups thousands, 1.327.453); write digits only, e.g. 1327453",
            "semicolon.csv:3:value: '2,500' is not a whole number as this file writes numbers (a file separated by ';': ',' is its decimal comma, '.' groups thousands, 1.327.453); write digits only, e.g. 1327453");
        ImportWording.Vietnamese(decimals[0]).Should().StartWith("'1,5' không phải số nguyên theo cách ghi số của tệp");
    }

    [Fact]
    public async Task Every_value_stored_is_audited_a_first_one_with_no_old_value_a_change_with_the_old_one_who_when_and_which_file()
    {
        await using var engine = await ProvinceAsync();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2020, 7, 3, 2, 0, 0, TimeSpan.Zero));
        await engine.Imports.ImportAsync(ImportKind.Values, "first.csv", Encoding.UTF8.GetBytes(Province.ValuesHeader + "XA1,2020S1,CITIZEN_RECEPTION_DAYS,10,\nXA2,2020S1,CITIZEN_RECEPTION_DAYS,12,\n"),
            new ImportContext("reporter-a", clock));
        clock.Advance(TimeSpan.FromDays(2));
        var second = await engine.Imports.ImportAsync(ImportKind.Values, "second.csv",
            Encoding.UTF8.GetBytes(Province.ValuesHeader + "XA1,2020S1,CITIZEN_RECEPTION_DAYS,12,bổ sung\nXA2,2020S1,CITIZEN_RECEPTION_DAYS,12,\n"), new ImportContext("reporter-b", clock));

        second.Updated.Should().Be(1);
        second.Unchanged.Should().Be(1);
        second.TouchedScopes.Should().Equal([("2020", "P"), ("2020S1", "P")], "the year 2020 sums the half-years' reception days");
        await using var db = engine.Db();
        var units = await db.Units.ToDictionaryAsync(u => u.Id, u => u.Code);
        var audits = await db.DataValueAudits.OrderBy(a => a.Id).ToListAsync();
        audits.Select(a => (units[a.UnitId], a.OldValue, a.NewValue, a.ChangedBy, a.Source, a.ChangedAt)).Should().Equal(
            ("XA1", (long?)null, (long?)10, "reporter-a", "first.csv", new DateTime(2020, 7, 3, 2, 0, 0, DateTimeKind.Utc)),
            ("XA2", null, 12, "reporter-a", "first.csv", new DateTime(2020, 7, 3, 2, 0, 0, DateTimeKind.Utc)),
            ("XA1", 10, 12, "reporter-b", "second.csv", new DateTime(2020, 7, 5, 2, 0, 0, DateTimeKind.Utc)));
        audits.Should().OnlyContain(a => a.IndicatorId == IndicatorCatalogue.Get("CITIZEN_RECEPTION_DAYS").Id && a.OldComment == null);
        var audit = audits[^1];
        audit.NewComment.Should().Be("bổ sung");
        audit.ChangedAt.Kind.Should().Be(DateTimeKind.Utc);
        (await db.DataValues.SingleAsync(v => v.Value == 12 && v.Comment == "bổ sung")).StoredBy.Should().Be("reporter-b");
    }

    [Fact]
    public async Task A_reporter_may_import_values_of_units_in_its_own_area_only()
    {
        await using var engine = await ProvinceAsync();
        int d1;
        await using (var db = engine.Db())
            d1 = (await db.Areas.SingleAsync(a => a.Code == "D1")).Id;

        await engine.ImportAsync(ImportKind.Values, "mine.csv", Province.ValuesHeader + "XA1,2020S1,CITIZEN_RECEPTION_DAYS,12,\n", restrictToArea: d1);
        var refusal = await FluentActions.Awaiting(() => engine.ImportAsync(ImportKind.Values, "theirs.csv", Province.ValuesHeader + "XA3,2020S1,CITIZEN_RECEPTION_DAYS,12,\n", restrictToArea: d1))
            .Should().ThrowAsync<ImportRejectedException>();
        refusal.Which.Problems.Should().ContainSingle().Which.Message.Should().Be(
            "unknown unit XA3, or outside your area; you may import values of your own area's units only (a new unit is imported with 'qcdc import units' first)");
    }

    /// <summary>A unit of another district is answered as one that does not exist, before its kind or union are named (issue 18, item 6).</summary>
    [Fact]
    public async Task A_reporter_is_told_the_same_of_a_unit_outside_its_area_as_of_one_that_does_not_exist_and_nothing_of_its_attributes()
    {
        await using var engine = await ProvinceAsync();
        int d2;
        await using (var db = engine.Db())
            d2 = (await db.Areas.SingleAsync(a => a.Code == "D2")).Id;

        // DN2 (in D1) is a non-state enterprise without a union: DISCLOSURE_POSTED does not apply to it, which must not be said to D2.
        var outside = await FluentActions.Awaiting(() => engine.ImportAsync(ImportKind.Values, "v.csv", Province.ValuesHeader + "DN2,2020S1,DISCLOSURE_POSTED,true,\n", restrictToArea: d2))
            .Should().ThrowAsync<ImportRejectedException>();
        var unknown = await FluentActions.Awaiting(() => engine.ImportAsync(ImportKind.Values, "v.csv", Province.ValuesHeader + "DN8,2020S1,DISCLOSURE_POSTED,true,\n", restrictToArea: d2))
            .Should().ThrowAsync<ImportRejectedException>();

        outside.Which.Problems.Select(p => p.ToString()).Should().Equal(unknown.Which.Problems.Select(p => p.ToString().Replace("DN8", "DN2", StringComparison.Ordinal)));
        outside.Which.Problems.Should().NotContain(p => p.Message.Contains("NonStateEnterprise", StringComparison.Ordinal) || p.Message.Contains("union", StringComparison.Ordinal));
    }
}
