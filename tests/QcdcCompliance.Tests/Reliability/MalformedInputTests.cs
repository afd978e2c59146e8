using System.IO.Compression;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Reliability;

/// <summary>
/// A corpus of hostile files, each imported into the test province: every one is either stored whole or refused with
/// a message that names the row at fault (or, for a file that cannot be read at all, says how to save it), and a
/// refusal stores nothing (<see cref="ImportProbe"/> checks both). The same corpus runs on PostgreSQL, which refuses
/// text that SQLite stores.
/// </summary>
public sealed class MalformedInputTests
{
    /// <summary>One file: what it is, and what must come of it besides the invariants every file keeps.</summary>
    public sealed record Case(string Name, ImportKind Kind, string File, Func<byte[]> Bytes, Func<Engine, ImportOutcome, Task> Check);

    private const string Formula = "=cmd|' /C calc'!A0";
    private const string SqlInjection = "'; DROP TABLE \"Units\"; --";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string UnitRow(string code, string name) => $"{code},{name},NonStateEnterprise,C1,true,10,,,\n";

    private static readonly string ValidValues = Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,true,\nXA2,2020S1,DIALOGUE_CONFERENCES,2,\n";

    public static readonly IReadOnlyList<Case> Corpus =
    [
        // Truncated files.
        new("csv truncated inside a quoted cell", ImportKind.Units, "units.csv", () => Utf8(Province.UnitsHeader + UnitRow("DN7", "Công ty Bảy") + "DN8,\"Công ty Tá"),
            Refused(3, "never closed")),
        new("csv truncated in the middle of a row", ImportKind.Values, "values.csv", () => Utf8(ValidValues + "XA3,2020S1,REGULA"),
            Refused(4, "unknown indicator REGULA")),
        new("csv truncated inside a UTF-8 character", ImportKind.Units, "units.csv", () => Utf8(Province.UnitsHeader + UnitRow("DN7", "Công ty Bảy") + "DN8,Công ty Tá")[..^1],
            Refused(3, "not UTF-8")),
        new("xlsx truncated to half", ImportKind.Values, "values.xlsx", () => Xlsx(ValidValues)[..(Xlsx(ValidValues).Length / 2)],
            Unreadable("not a readable XLSX")),
        new("json truncated", ImportKind.Values, "values.json", () => Utf8("""[{"unit_code": "XA1", "period": "2020S1", "indicator": "REGULATION_ISSUED", "val"""),
            Unreadable("not valid JSON (line 1")),

        // Wrong encodings.
        new("csv in Windows-1258", ImportKind.Units, "units.csv", () => Windows1258(Province.UnitsHeader + UnitRow("DN7", "Công ty Bảy")), Refused(2, "not UTF-8")),
        new("csv in UTF-16 LE without a byte-order mark", ImportKind.Values, "values.csv", () => Encoding.Unicode.GetBytes(ValidValues), Refused(1, "UTF-16")),
        new("csv in UTF-16 BE without a byte-order mark", ImportKind.Values, "values.csv", () => Encoding.BigEndianUnicode.GetBytes(ValidValues), Refused(1, "UTF-16")),
        new("csv in UTF-16 LE with its byte-order mark", ImportKind.Values, "values.csv", () => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(ValidValues)],
            Accepted(2)),
        new("csv in UTF-16 LE with its byte-order mark and half a surrogate pair on row 2", ImportKind.Values, "values.csv",
            () => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Province.ValuesHeader + "XA"), 0x00, 0xD8, .. Encoding.Unicode.GetBytes("1,2020S1,REGULATION_ISSUED,true,\n")],
            Refused(2, "not valid UTF-16", single: true)),
        new("csv in UTF-16 BE with its byte-order mark and a last odd byte", ImportKind.Values, "values.csv",
            () => [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(Province.ValuesHeader), 0x41],
            Refused(2, "not valid UTF-16", single: true)),
        new("csv with U+FFFF in a name", ImportKind.Units, "units.csv", () => Utf8(Province.UnitsHeader + UnitRow("DN7", "Công\uFFFFty")), Refused(2, "U+FFFF", single: true)),
        new("csv with U+FFFE in the header", ImportKind.Values, "values.csv", () => Utf8("unit_code,per\uFFFEiod,indicator,value,comment\nXA1,2020S1,REGULATION_ISSUED,true,\n"),
            Refused(1, "")),
        new("an old Excel workbook (.xls)", ImportKind.Values, "values.xls", OldExcelWorkbook, Unreadable("the file is an old Excel workbook (.xls, Excel 97-2003)")),
        new("an old Excel workbook named .xlsx", ImportKind.Units, "units.xlsx", OldExcelWorkbook, Unreadable("the file is an old Excel workbook (.xls, Excel 97-2003)")),
        // A workbook renamed .csv was refused as "UTF-16 text without a byte-order mark": it is told a workbook, and how to save it.
        new("an xlsx workbook renamed .csv", ImportKind.Values, "values.csv", () => Xlsx(ValidValues), Unreadable("the file is an Excel workbook, not a CSV file")),
        new("an xlsx workbook of units renamed .txt", ImportKind.Units, "units.txt", () => Xlsx(Province.UnitsHeader + UnitRow("DN7", "Công ty Bảy")),
            Unreadable("the file is an Excel workbook, not a CSV file")),
        new("an old Excel workbook renamed .csv", ImportKind.Values, "values.csv", OldExcelWorkbook, Unreadable("the file is an old Excel workbook (.xls, Excel 97-2003)")),
        new("csv with NUL bytes in a name", ImportKind.Units, "units.csv", () => Utf8(Province.UnitsHeader + UnitRow("DN7", "Công\0ty")), Refused(2, "NUL")),
        new("json with a NUL escape in a name", ImportKind.Units, "units.json",
            () => Utf8("""[{"code":"DN7","name":"Công\u0000ty","kind":"NonStateEnterprise","area_code":"C1","has_trade_union":true,"headcount":10,"contact_email":null,"active_from":null,"active_to":null}]"""), Refused(1, "NUL")),
        new("json with half a surrogate pair", ImportKind.Units, "units.json",
            () => Utf8("""[{"code":"DN7","name":"Công ty \ud83d","kind":"NonStateEnterprise","area_code":"C1","has_trade_union":true,"headcount":10,"contact_email":null,"active_from":null,"active_to":null}]"""), Refused(1, "surrogate")),
        new("json with a byte that is not UTF-8 inside a field name", ImportKind.Values, "values.json",
            () => [.. Utf8("""[{"unit_code":"XA1","period":"2020S1","indicator":"REGULATION_ISSUED","value":true},{"uni"""), 0x82, .. Utf8("""t_code":"XA2"}]""")],
            Unreadable("not UTF-8 text (line 1, byte 90")),
        new("json with half a surrogate pair in a field name", ImportKind.Units, "units.json",
            () => Utf8("""[{"code":"DN7","name\ud800":"Công ty","kind":"NonStateEnterprise","area_code":"C1","has_trade_union":true,"headcount":10,"contact_email":null,"active_from":null,"active_to":null}]"""),
            Refused(1, "surrogate")),
        // Found by ImportFuzzTests (seed fLEjF79xFQb1): the outer object's field name was read by the lookup of "rows" and threw.
        new("json object whose outer field name holds half a surrogate pair", ImportKind.Units, "units.json",
            () => Utf8("""{"ro\ud800ws":[{"code":"DN8","name":"Công ty Tám","kind":"NonStateEnterprise","area_code":"C2","has_trade_union":false,"headcount":3,"contact_email":null,"active_from":null,"active_to":null}]}"""),
            Unreadable("line 1: a text holds an escape for half")),
        new("binary garbage named .csv", ImportKind.Values, "values.csv", () => Garbage(4096, 1), Unreadable("CSV UTF-8")),
        new("binary garbage named .json", ImportKind.Values, "values.json", () => Garbage(4096, 2), Unreadable("not UTF-8")),
        new("target set with half a surrogate pair", ImportKind.Targets, "targets.json", () => Utf8("{\n  \"code\": \"NQ-X\",\n  \"title\": \"Ngh\\ud800\"\n}"), Unreadable("line 3: a text holds an escape for half")),
        new("target set that is not UTF-8", ImportKind.Targets, "targets.json", () => [.. Utf8("{\"code\": \""), 0xC0, .. Utf8("\"}")], Unreadable("not UTF-8 text (line 1, byte 11")),
        new("target set with a field twice in a target", ImportKind.Targets, "targets.json",
            () => Utf8("{\"code\": \"NQ-X\", \"title\": \"X\", \"issued\": \"2021-01-01\", \"targets\": [{\"code\": \"T1\", \"indicators\": [\"REGULATION_ISSUED\"], \"indicators\": []}]}"),
            Unreadable("a field appears twice in one object")),

        // Text that must be stored as written, normalised.
        new("csv with NFD names", ImportKind.Units, "units.csv", () => Utf8(Province.UnitsHeader + UnitRow("DN7", "Công ty Mười Một".Normalize(NormalizationForm.FormD))),
            StoredName("DN7", "Công ty Mười Một".Normalize(NormalizationForm.FormC))),
        new("csv whose unit name is a formula", ImportKind.Units, "units.csv", () => Utf8(Province.UnitsHeader + UnitRow("DN7", $"\"{Formula.Replace("\"", "\"\"")}\"")),
            StoredName("DN7", Formula)),
        new("csv whose unit name is an SQL injection", ImportKind.Units, "units.csv", () => Utf8(Province.UnitsHeader + UnitRow("DN7", $"\"{SqlInjection.Replace("\"", "\"\"")}\"")),
            StoredName("DN7", SqlInjection)),
        new("xlsx whose unit name is a formula", ImportKind.Units, "units.xlsx", () => Xlsx(Province.UnitsHeader + UnitRow("DN7", "@SUM(1+1)*cmd|' /C calc'!A0")),
            StoredName("DN7", "@SUM(1+1)*cmd|' /C calc'!A0")),

        // Codes and values that are not what they claim.
        new("csv whose unit code is a formula", ImportKind.Units, "units.csv", () => Utf8(Province.UnitsHeader + UnitRow("=1+1", "Công ty")), Refused(2, "not a valid code")),
        new("csv whose unit code is an SQL injection", ImportKind.Units, "units.csv", () => Utf8(Province.UnitsHeader + UnitRow($"\"X{SqlInjection.Replace("\"", "\"\"")}\"", "Công ty")),
            Refused(2, "not a valid code")),
        new("csv whose value is a formula", ImportKind.Values, "values.csv", () => Utf8(Province.ValuesHeader + "XA1,2020S1,DIALOGUE_CONFERENCES,=SUM(A1:A9),\n"),
            Refused(2, "not a whole number")),
        new("csv whose value is a number too big for any count", ImportKind.Values, "values.csv",
            () => Utf8(Province.ValuesHeader + "XA1,2020S1,DIALOGUE_CONFERENCES,99999999999999999999999999999999,\n"), Refused(2, "is too large: at most 999,999,999,999")),
        new("json whose value is 1e999", ImportKind.Values, "values.json",
            () => Utf8("""[{"unit_code":"XA1","period":"2020S1","indicator":"DIALOGUE_CONFERENCES","value":1e999}]"""), Refused(1, "is too large: at most 999,999,999,999")),

        // Huge cells.
        new("csv with a 20,000-character cell", ImportKind.Units, "units.csv", () => Utf8(Province.UnitsHeader + UnitRow("DN7", new string('x', 20_000))),
            Refused(2, "the limit is 10000")),
        new("csv with a 300-character name", ImportKind.Units, "units.csv", () => Utf8(Province.UnitsHeader + UnitRow("DN7", new string('ê', 300))), Refused(2, "the limit is 256")),
        new("csv with a 5 MB quoted cell", ImportKind.Units, "units.csv", () => Utf8(Province.UnitsHeader + UnitRow("DN7", $"\"{new string(',', 5_000_000)}\"")),
            Refused(2, "the limit is 10000")),
        new("xlsx with a 20,000-character cell", ImportKind.Units, "units.xlsx", () => Xlsx(Province.UnitsHeader + UnitRow("DN7", new string('x', 20_000))),
            Refused(2, "the limit is 10000")),

        // Headers.
        new("csv with a duplicate header", ImportKind.Values, "values.csv", () => Utf8("unit_code,period,indicator,value,value\nXA1,2020S1,REGULATION_ISSUED,true,false\n"),
            Refused(1, "appears twice")),
        new("xlsx with a duplicate header", ImportKind.Values, "values.xlsx", () => Xlsx("unit_code,period,indicator,value,Value\nXA1,2020S1,REGULATION_ISSUED,true,false\n"),
            Refused(1, "appears twice")),
        new("json with a duplicate field", ImportKind.Values, "values.json",
            () => Utf8("""[{"unit_code":"XA1","period":"2020S1","indicator":"REGULATION_ISSUED","value":true,"VALUE":false}]"""), Refused(1, "appears twice")),
        new("csv with a header only", ImportKind.Values, "values.csv", () => Utf8(Province.ValuesHeader), Accepted(0)),
        new("csv that is empty", ImportKind.Values, "values.csv", () => [], Unreadable("empty")),
        new("csv that is only a byte-order mark", ImportKind.Values, "values.csv", () => Encoding.UTF8.GetPreamble(), Unreadable("empty")),
        new("csv with a value under no column", ImportKind.Values, "values.csv", () => Utf8(Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,true,,extra\n"),
            Refused(2, "stands under no column")),
        new("csv with old Mac line ends", ImportKind.Values, "values.csv", () => Utf8(ValidValues.Replace('\n', '\r')), Accepted(2)),

        // JSON shapes.
        new("json that is an object", ImportKind.Values, "values.json", () => Utf8("""{"unit_code":"XA1"}"""), Unreadable("array of objects")),
        new("json with an object as a value", ImportKind.Values, "values.json",
            () => Utf8("""[{"unit_code":"XA1","period":"2020S1","indicator":"REGULATION_ISSUED","value":{"$gt":""}}]"""), Refused(1, "must be a string")),
        new("json nested 10,000 deep", ImportKind.Values, "values.json", () => Utf8(new string('[', 10_000) + new string(']', 10_000)), Unreadable("not valid JSON")),
        new("zip that is not a workbook", ImportKind.Values, "values.xlsx", NotAWorkbook, Unreadable("not a readable XLSX")),

        // Many rows, one bad.
        new("csv of 1,000,000 units with one bad row", ImportKind.Units, "units.csv", () => ManyUnits(1_000_000, badRow: 765_433), Refused(765_433, "not a unit kind", single: true)),
        new("json of 20,000 values with one bad row", ImportKind.Units, "units.json", () => ManyUnitsJson(20_000, badRow: 12_345), Refused(12_345, "not a unit kind", single: true)),
        new("xlsx of 20,000 units with one bad row", ImportKind.Units, "units.xlsx", () => Xlsx(Encoding.UTF8.GetString(ManyUnits(20_000, badRow: 17_001))),
            Refused(17_001, "not a unit kind", single: true)),
    ];

    public static TheoryData<string> CaseNames(bool small)
    {
        var data = new TheoryData<string>();
        foreach (var c in Corpus.Where(c => !small || !c.Name.StartsWith("csv of 1,000,000", StringComparison.Ordinal)))
            data.Add(c.Name);
        return data;
    }

    public static TheoryData<string> AllCases() => CaseNames(small: false);

    [Theory]
    [MemberData(nameof(AllCases))]
    public async Task A_hostile_file_is_stored_whole_or_refused_naming_the_row_and_nothing_is_stored(string name)
    {
        var c = Corpus.Single(c => c.Name == name);
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();

        var outcome = await ImportProbe.ImportAsync(engine, c.Kind, c.File, c.Bytes());

        await c.Check(engine, outcome);
    }

    [Fact]
    public async Task The_corpus_keeps_the_same_invariants_on_PostgreSQL()
    {
        await using var engine = await Engine.PostgresAsync("corpus").WithProvinceAsync();
        var wrong = new List<string>();
        foreach (var c in Corpus.Where(c => !c.Name.StartsWith("csv of 1,000,000", StringComparison.Ordinal)))
        {
            try
            {
                await c.Check(engine, await ImportProbe.ImportAsync(engine, c.Kind, c.File, c.Bytes()));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                wrong.Add($"{c.Name}: {e.GetType().Name}: {e.Message}");
            }
        }

        wrong.Should().BeEmpty();
    }

    [Theory]
    [InlineData("99999999999999999999")]
    [InlineData("79228162514264337593543950335")]
    [InlineData("-79228162514264337593543950335%")]
    public void A_percentage_far_out_of_range_is_read_as_out_of_range_not_an_overflow(string text)
    {
        Cells.TryPercentage(text, out var hundredths, out _).Should().BeTrue();
        hundredths.Should().NotBeInRange(0, 10_000);
    }

    private static Func<Engine, ImportOutcome, Task> Refused(int row, string says, bool single = false) => (_, outcome) =>
    {
        outcome.Refused.Should().BeTrue($"the file must be refused, but was {outcome}");
        var problems = outcome.Refusal!.Problems;
        problems.Should().Contain(p => p.Row == row && p.Message.Contains(says, StringComparison.Ordinal), $"a problem on row {row} says '{says}': {outcome}");
        problems.Should().OnlyContain(p => p.ToString().StartsWith($"{p.File}:{p.Row}:", StringComparison.Ordinal), "every problem names its row");
        if (single)
            problems.Should().ContainSingle();
        return Task.CompletedTask;
    };

    /// <summary>A file that cannot be read at all: no row is at fault, the message names the file and says what to do.</summary>
    private static Func<Engine, ImportOutcome, Task> Unreadable(string says) => (_, outcome) =>
    {
        outcome.Refused.Should().BeTrue($"the file must be refused, but was {outcome}");
        outcome.Refusal!.Problems.Should().Contain(p => p.Message.Contains(says, StringComparison.Ordinal), outcome.ToString());
        return Task.CompletedTask;
    };

    private static Func<Engine, ImportOutcome, Task> Accepted(int rows) => (_, outcome) =>
    {
        outcome.Refused.Should().BeFalse(outcome.ToString());
        outcome.Summary!.Rows.Should().Be(rows);
        return Task.CompletedTask;
    };

    private static Func<Engine, ImportOutcome, Task> StoredName(string code, string name) => async (engine, outcome) =>
    {
        outcome.Refused.Should().BeFalse(outcome.ToString());
        await using var db = engine.Db();
        (await db.Units.SingleAsync(u => u.Code == code)).Name.Should().Be(name, "a name is stored as written, in NFC");
        (await db.Units.CountAsync()).Should().BeGreaterThan(8, "the Units table is still there");
    };

    /// <summary>The first sector of an OLE2 compound file, as an Excel 97-2003 workbook starts.</summary>
    private static byte[] OldExcelWorkbook() => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[16], 0x3E, 0x00, 0x03, 0x00, 0xFE, 0xFF, 0x09, 0x00, .. new byte[480]];

    private static byte[] Xlsx(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(line =>
        {
            var cells = line.Split(',');
            IDictionary<string, object?> row = new Dictionary<string, object?>();
            for (var i = 0; i < header.Length; i++)
                row[$"c{i}"] = i < cells.Length && cells[i].Length > 0 ? cells[i] : null;
            return row;
        }).Prepend(header.Select((h, i) => (h, i)).ToDictionary(x => $"c{x.i}", x => (object?)x.h));
        var stream = new MemoryStream();
        stream.SaveAs(rows, printHeader: false, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    private static byte[] Windows1258(string text)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1258).GetBytes(text);
    }

    private static byte[] Garbage(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        bytes[0] = 0xC3; // never a byte-order mark, never '[' or 'P'
        return bytes;
    }

    private static byte[] NotAWorkbook()
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = new StreamWriter(zip.CreateEntry("xl/workbook.xml").Open());
            entry.Write("<workbook><sheets><sheet name=\"Trang 1\" r:id=\"rId9\"/></sheets></workbook>");
        }

        return stream.ToArray();
    }

    private static byte[] ManyUnits(int count, int badRow)
    {
        var csv = new StringBuilder(Province.UnitsHeader, count * 60);
        for (var row = 2; row <= count + 1; row++)
            csv.Append("DN-").Append(row).Append(",Công ty ").Append(row).Append(row == badRow ? ",Enterprize" : ",NonStateEnterprise").Append(",C1,true,10,,,\n");
        return Utf8(csv.ToString());
    }

    private static byte[] ManyUnitsJson(int count, int badRow)
    {
        var json = new StringBuilder("[");
        for (var row = 1; row <= count; row++)
        {
            json.Append(row == 1 ? "" : ",").Append("{\"code\":\"DN-").Append(row).Append("\",\"name\":\"Công ty ").Append(row)
                .Append("\",\"kind\":\"").Append(row == badRow ? "Enterprize" : "NonStateEnterprise").Append("\",\"area_code\":\"C1\",\"has_trade_union\":false,\"headcount\":10,\"contact_email\":null,\"active_from\":null,\"active_to\":null}");
        }

        return Utf8(json.Append(']').ToString());
    }
}
