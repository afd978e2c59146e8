using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using MiniExcelLibs;
using QcdcCompliance.Import;
using QcdcCompliance.Import.Files;

namespace QcdcCompliance.Benchmarks;

/// <summary>
/// <c>qcdc-bench xlsx-refusal</c>: the time to refuse the 1.6 KB workbook of issue 18 (<c>&lt;dimension ref="A1:XFD20"/&gt;</c>,
/// one cell in row 20) with MiniExcel's query as the importer used it before, and with the streaming reader; and the
/// time to read one cell under the largest dimension the limits allow (A1:IV1048576).
/// </summary>
public static class XlsxRefusal
{
    public static int Run()
    {
        var probe = Workbook("""<dimension ref="A1:XFD20"/>""");
        var corner = Workbook("""<dimension ref="A1:IV1048576"/>""");
        Console.WriteLine($"workbook: {probe.Length:N0} bytes, <dimension ref=\"A1:XFD20\"/>, header in row 1, one cell in row 20");

        var clock = Stopwatch.StartNew();
        var rows = MiniExcel.Query(new MemoryStream(probe), useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        Console.WriteLine($"MiniExcel 1.46 query (the reader before): {clock.Elapsed.TotalSeconds:F2} s to read {rows.Count} rows of {rows[0].Count:N0} columns");

        clock.Restart();
        var problems = new ProblemList("xfd.xlsx");
        var table = TableReader.Read("xfd.xlsx", probe, ValueImporter.Schema, problems);
        _ = table.Rows.ToList();
        Console.WriteLine($"streaming reader: {clock.Elapsed.TotalMilliseconds:F1} ms to refuse it: {problems.Items.FirstOrDefault()}");

        clock.Restart();
        for (var i = 0; i < 100; i++)
            _ = TableReader.Read("corner.xlsx", corner, ValueImporter.Schema, new ProblemList("corner.xlsx")).Rows.ToList();
        Console.WriteLine($"streaming reader, one cell under A1:IV1048576: {clock.Elapsed.TotalMilliseconds / 100:F2} ms a read");
        return 0;
    }

    private static byte[] Workbook(string dimension)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "[Content_Types].xml",
                """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>""");
            Add(zip, "_rels/.rels",
                """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Add(zip, "xl/workbook.xml",
                """<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>""");
            Add(zip, "xl/_rels/workbook.xml.rels",
                """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>""");
            Add(zip, "xl/worksheets/sheet1.xml",
                $"""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>unit_code</t></is></c><c r="B1" t="inlineStr"><is><t>period</t></is></c><c r="C1" t="inlineStr"><is><t>indicator</t></is></c><c r="D1" t="inlineStr"><is><t>value</t></is></c></row><row r="20"><c r="A20" t="inlineStr"><is><t>XA1</t></is></c></row></sheetData></worksheet>""");
        }

        return stream.ToArray();
    }

    private static void Add(ZipArchive zip, string name, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
        writer.Write(content);
    }
}
