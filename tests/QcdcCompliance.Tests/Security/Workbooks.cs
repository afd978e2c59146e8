using System.IO.Compression;
using System.Text;

namespace QcdcCompliance.Tests.Security;

/// <summary>Hand-made XLSX packages: a workbook whose sheet XML says what a test needs, as small as a hostile one can be.</summary>
public static class Workbooks
{
    /// <summary>
    /// The probe's workbook: a values header in row 1, <c>&lt;dimension ref="A1:XFD20"/&gt;</c> (16,384 columns declared)
    /// and one cell in row 20. About 1.6 KB.
    /// </summary>
    public static byte[] DeclaredXfd20() => Package(
        """<dimension ref="A1:XFD20"/>""",
        """<row r="1"><c r="A1" t="inlineStr"><is><t>unit_code</t></is></c><c r="B1" t="inlineStr"><is><t>period</t></is></c><c r="C1" t="inlineStr"><is><t>indicator</t></is></c><c r="D1" t="inlineStr"><is><t>value</t></is></c></row><row r="20"><c r="A20" t="inlineStr"><is><t>XA1</t></is></c></row>""");

    /// <summary>A header, then one real cell in column XFD (no dimension declared).</summary>
    public static byte[] CellInXfd() => Package("",
        """<row r="1"><c r="A1" t="inlineStr"><is><t>unit_code</t></is></c><c r="B1" t="inlineStr"><is><t>period</t></is></c><c r="C1" t="inlineStr"><is><t>indicator</t></is></c><c r="D1" t="inlineStr"><is><t>value</t></is></c></row><row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>""");

    /// <summary>A sheet whose XML inflates to <paramref name="megabytes"/> MB of blanks: a few kilobytes zipped.</summary>
    public static byte[] Bomb(int megabytes) => Package("", "", padding: megabytes * 1024 * 1024);

    /// <summary>A values header and one row whose shared-string cell holds <paramref name="length"/> characters.</summary>
    public static byte[] LongSharedString(int length) => Package("",
        """<row r="1"><c r="A1" t="inlineStr"><is><t>unit_code</t></is></c><c r="B1" t="inlineStr"><is><t>period</t></is></c><c r="C1" t="inlineStr"><is><t>indicator</t></is></c><c r="D1" t="inlineStr"><is><t>value</t></is></c><c r="E1" t="inlineStr"><is><t>comment</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>XA1</t></is></c><c r="B2" t="inlineStr"><is><t>2020S1</t></is></c><c r="C2" t="inlineStr"><is><t>REGULATION_ISSUED</t></is></c><c r="D2" t="b"><v>1</v></c><c r="E2" t="s"><v>0</v></c></row>""",
        sharedStrings: [new string('x', length)]);

    /// <summary>
    /// A header and rows of text, the cells under the <paramref name="dates"/> columns written as date serials under the
    /// built-in date format 14 (how Excel saves a typed date); <paramref name="date1904"/> declares the 1904 date system
    /// (<c>&lt;workbookPr date1904="1"/&gt;</c>), as Excel for Mac and Numbers may save.
    /// </summary>
    public static byte[] Dated(bool date1904, IReadOnlyList<string> dates, IReadOnlyList<string> header, params IReadOnlyList<string>[] rows)
    {
        var xml = new StringBuilder();
        foreach (var (cells, r) in new[] { header }.Concat(rows).Select((cells, i) => (cells, i + 1)))
        {
            xml.Append("<row r=\"").Append(r).Append("\">");
            foreach (var (text, c) in cells.Select((text, c) => (text, c)))
            {
                var reference = $"{(char)('A' + c)}{r}";
                if (text.Length == 0)
                    continue;
                xml.Append(r > 1 && dates.Contains(header[c])
                    ? $"""<c r="{reference}" s="1"><v>{text}</v></c>"""
                    : $"""<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>""");
            }

            xml.Append("</row>");
        }

        return Package("", xml.ToString(), workbookPr: date1904 ? """<workbookPr date1904="1"/>""" : "",
            styles: """<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>""");
    }

    private static byte[] Package(string dimension, string rows, int padding = 0, IReadOnlyList<string>? sharedStrings = null, string workbookPr = "", string? styles = null)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "[Content_Types].xml",
                """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>""");
            Add(zip, "_rels/.rels",
                """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Add(zip, "xl/workbook.xml",
                $"""<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{workbookPr}<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>""");
            Add(zip, "xl/_rels/workbook.xml.rels",
                """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>""");
            if (styles is not null)
                Add(zip, "xl/styles.xml", styles);
            if (sharedStrings is not null)
            {
                var sst = new StringBuilder("""<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">""");
                foreach (var s in sharedStrings)
                    sst.Append("<si><t>").Append(s).Append("</t></si>");
                Add(zip, "xl/sharedStrings.xml", sst.Append("</sst>").ToString());
            }

            var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize);
            using var writer = new StreamWriter(sheet.Open(), new UTF8Encoding(false));
            writer.Write("""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">""");
            writer.Write(dimension);
            writer.Write("<sheetData>");
            var blanks = new string(' ', 64 * 1024);
            for (var written = 0; written < padding; written += blanks.Length)
                writer.Write(blanks);
            writer.Write(rows);
            writer.Write("</sheetData></worksheet>");
        }

        return stream.ToArray();
    }

    private static void Add(ZipArchive zip, string name, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
        writer.Write(content);
    }
}
