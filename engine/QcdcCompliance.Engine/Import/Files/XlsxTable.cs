using System.Globalization;
using MiniExcelLibs;

namespace QcdcCompliance.Import.Files;

/// <summary>
/// The first sheet of an XLSX workbook, header in row 1. Typed cells become canonical text: numbers invariant
/// (12, 0.75), dates yyyy-MM-dd, booleans true/false, so that the importers read every format the same way.
/// </summary>
public static class XlsxTable
{
    public static Table Read(string file, byte[] bytes, IReadOnlyList<Column> schema, ProblemList problems)
    {
        List<IDictionary<string, object?>> sheet;
        try
        {
            sheet = MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: false, excelType: ExcelType.XLSX)
                .Cast<IDictionary<string, object?>>()
                .ToList();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException or InvalidOperationException or ArgumentException or System.Xml.XmlException or NullReferenceException or KeyNotFoundException or IndexOutOfRangeException)
        {
            problems.Add(0, "", $"the file is not a readable XLSX workbook ({e.Message}); save it again as .xlsx or export it as CSV UTF-8");
            return new Table(file, schema, [], problems);
        }

        if (sheet.Count == 0)
        {
            problems.Add(0, "", "the first sheet is empty; its first row must name the columns");
            return new Table(file, schema, [], problems);
        }

        var letters = sheet[0].Keys.ToList();
        var header = letters.Select(l => CellText(sheet[0][l])).ToList();
        var map = HeaderMatcher.Match(header, schema, problems);
        if (problems.Any)
            return new Table(file, schema, [], problems);

        return new Table(file, schema, Rows(sheet, letters, map, schema.Count, problems), problems);
    }

    private static IEnumerable<TableRow> Rows(List<IDictionary<string, object?>> sheet, List<string> letters, int[] map, int width, ProblemList problems)
    {
        for (var r = 1; r < sheet.Count; r++)
        {
            var row = sheet[r];
            var cells = new string?[width];
            var blank = true;
            foreach (var (letter, value) in row)
            {
                var text = CellText(value);
                if (string.IsNullOrWhiteSpace(text))
                    continue;
                var index = letters.IndexOf(letter);
                if (index < 0 || map[index] < 0)
                {
                    problems.Add(r + 1, $"column {letter}", $"a value '{text}' stands under no column; remove it or name its column");
                    continue;
                }

                if (text.Length > CsvTable.MaxCellLength)
                {
                    problems.Add(r + 1, $"column {letter}", $"a cell is {text.Length} characters long; the limit is {CsvTable.MaxCellLength}");
                    continue;
                }

                cells[map[index]] = text;
                blank = false;
            }

            if (!blank)
                yield return new TableRow(r + 1, cells);
        }
    }

    private static string? CellText(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        DateTime d when d.TimeOfDay == TimeSpan.Zero => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
