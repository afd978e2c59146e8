using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace QcdcCompliance.Import.Files;

/// <summary>
/// The first sheet of an XLSX workbook, header in row 1. Typed cells become canonical text: numbers invariant
/// (12, 0.75), dates yyyy-MM-dd, booleans true/false, so that the importers read every format the same way.
/// <para>
/// The sheet's XML is streamed with an <see cref="XmlReader"/>, so reading costs time in proportion to the cells
/// present, never to the size a sheet declares (<c>&lt;dimension ref="A1:XFD20"/&gt;</c> claims 16,384 columns in a few
/// bytes). Before anything is read, the declared size and each part's inflated size are checked against
/// <see cref="ImportLimits"/>; while reading, the rows, columns, cells and characters present are. Cells are typed as
/// MiniExcel 1.46 types them (shared and inline strings, booleans, numbers, dates by their number format), dates counted in the
/// workbook's own date system (1900, or 1904 as Excel for Mac and Numbers may save).
/// </para>
/// </summary>
public static partial class XlsxTable
{
    public static Table Read(string file, byte[] bytes, IReadOnlyList<Column> schema, ProblemList problems) =>
        Read(file, bytes, schema, problems, ImportLimits.Default, CancellationToken.None);

    public static Table Read(string file, byte[] bytes, IReadOnlyList<Column> schema, ProblemList problems, ImportLimits limits, CancellationToken ct)
    {
        Workbook workbook;
        IEnumerator<SheetRow> rows;
        try
        {
            workbook = Workbook.Open(bytes, limits, problems);
            if (problems.Any)
                return new Table(file, schema, [], problems);
            rows = workbook.Rows(ct).GetEnumerator();
            if (problems.Any)
                return new Table(file, schema, [], problems);
        }
        catch (Exception e) when (Unreadable(e))
        {
            problems.Add(0, "", $"the file is not a readable XLSX workbook ({e.Message}); save it again as .xlsx or export it as CSV UTF-8");
            return new Table(file, schema, [], problems);
        }

        SheetRow? first;
        try
        {
            first = rows.MoveNext() ? rows.Current : null;
        }
        catch (Exception e) when (Unreadable(e))
        {
            problems.Add(0, "", $"the file is not a readable XLSX workbook ({e.Message}); save it again as .xlsx or export it as CSV UTF-8");
            return new Table(file, schema, [], problems);
        }

        if (problems.Any)
            return new Table(file, schema, [], problems);
        if (first is null)
        {
            problems.Add(0, "", "the first sheet is empty; its first row must name the columns");
            return new Table(file, schema, [], problems);
        }

        // The header is row 1; a sheet whose first row is further down has an empty header (and every column missing).
        var headerRow = first.Value.Number == 1 ? first.Value : new SheetRow(1, []);
        var width = Math.Max(workbook.DeclaredColumns, headerRow.Cells.Count == 0 ? 0 : headerRow.Cells.Max(c => c.Column) + 1);
        var header = new string?[width];
        foreach (var cell in headerRow.Cells)
            header[cell.Column] = CellText(cell.Value);
        var map = HeaderMatcher.Match(header, schema, problems);
        if (problems.Any)
        {
            // Columns missing from the guide sheet that a user moved to the front say nothing of the sheet they were looked for in.
            if (workbook.SheetNames.Count > 1)
                problems.Add(0, "", SheetRead(workbook.SheetName, workbook.SheetNames));
            return new Table(file, schema, [], problems);
        }

        // A problem of a row's cell is named by that cell too (Sheet1!D40), as a filled template's are.
        var letters = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var c = 0; c < map.Length; c++)
        {
            if (map[c] >= 0)
                letters[schema[map[c]].Name] = ColumnName(c);
        }

        var sheet = workbook.SheetName;
        problems.Locate = p => p.Cell is null && p.Row > 1 && letters.TryGetValue(p.Column, out var letter)
            ? p with { Cell = CellReference(sheet, letter, p.Row), ByName = true }
            : p;
        return new Table(file, schema, Rows(file, rows, first.Value.Number == 1 ? null : first, map, schema, limits, problems), problems)
        {
            Numbers = NumberConvention.DecimalPointUnsure,
        };
    }

    /// <summary>A cell as a formula names it: <c>'Số liệu'!F7</c>, the sheet's name quoted when it holds anything but letters, digits and '_'.</summary>
    public static string CellReference(string sheet, string column, int row) =>
        (sheet.All(c => char.IsLetterOrDigit(c) || c == '_') ? sheet : "'" + sheet.Replace("'", "''", StringComparison.Ordinal) + "'") + "!" + column + row.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The first sheet's rows as they stand (typed cells as canonical text, as <see cref="Read(string, byte[], IReadOnlyList{Column}, ProblemList)"/>
    /// gives them), without a header, and the sheet's name: what a reader of another layout (a filled template,
    /// <see cref="WideValueTable"/>) starts from. An unreadable workbook or one over the limits is a problem, and no row.
    /// </summary>
    public static (string SheetName, IEnumerable<GridRow> Rows) Grid(byte[] bytes, ProblemList problems, ImportLimits limits, CancellationToken ct)
    {
        try
        {
            var workbook = Workbook.Open(bytes, limits, problems);
            return problems.Any ? (workbook.SheetName, []) : (workbook.SheetName, GridRows(workbook, problems, limits, ct));
        }
        catch (Exception e) when (Unreadable(e))
        {
            problems.Add(0, "", $"the file is not a readable XLSX workbook ({e.Message}); save it again as .xlsx or export it as CSV UTF-8");
            return ("", []);
        }
    }

    private static IEnumerable<GridRow> GridRows(Workbook workbook, ProblemList problems, ImportLimits limits, CancellationToken ct)
    {
        using var rows = workbook.Rows(ct).GetEnumerator();
        while (true)
        {
            try
            {
                if (!rows.MoveNext())
                    yield break;
            }
            catch (Exception e) when (Unreadable(e))
            {
                problems.Add(0, "", $"the file is not a readable XLSX workbook ({e.Message}); save it again as .xlsx or export it as CSV UTF-8");
                yield break;
            }

            var row = rows.Current;
            var width = 0;
            foreach (var cell in row.Cells)
                width = Math.Max(width, cell.Column + 1);
            var cells = new string?[width];
            string?[]? uncomputed = null;
            foreach (var cell in row.Cells)
            {
                if (cell.Value is LongText longText)
                {
                    problems.Add(row.Number, ColumnName(cell.Column) + row.Number, $"a cell is {longText.Length} characters long; the limit is {limits.MaxCellLength}");
                    continue;
                }

                // Said by the reader of the layout, which knows whether the cell is read at all (a unit's name is not).
                if (cell.Value is UncomputedFormula formula)
                    (uncomputed ??= new string?[width])[cell.Column] = formula.Formula;
                cells[cell.Column] = CellText(cell.Value);
            }

            yield return new GridRow(row.Number, cells, uncomputed);
        }
    }

    private static IEnumerable<TableRow> Rows(string file, IEnumerator<SheetRow> rows, SheetRow? pending, int[] map, IReadOnlyList<Column> schema, ImportLimits limits,
        ProblemList problems)
    {
        using (rows)
        {
            while (true)
            {
                SheetRow row;
                if (pending is { } waiting)
                {
                    row = waiting;
                    pending = null;
                }
                else
                {
                    try
                    {
                        if (!rows.MoveNext())
                            yield break;
                    }
                    catch (Exception e) when (Unreadable(e))
                    {
                        problems.Add(0, "", $"the file is not a readable XLSX workbook ({e.Message}); save it again as .xlsx or export it as CSV UTF-8");
                        yield break;
                    }

                    row = rows.Current;
                }

                var cells = new string?[schema.Count];
                var blank = true;
                var uncomputed = false;
                foreach (var cell in row.Cells)
                {
                    var letter = ColumnName(cell.Column);
                    if (cell.Value is UncomputedFormula formula)
                    {
                        // The row is left out: read without the cell, it would be told the cell is empty as well.
                        problems.Add(row.Number, cell.Column < map.Length && map[cell.Column] >= 0 ? schema[map[cell.Column]].Name : $"column {letter}", Uncomputed(formula.Formula));
                        uncomputed = true;
                        continue;
                    }

                    if (cell.Value is LongText longText)
                    {
                        if (cell.Column >= map.Length || map[cell.Column] < 0)
                            problems.Add(row.Number, $"column {letter}", $"a value of {longText.Length} characters stands under no column; remove it or name its column");
                        else
                            problems.Add(row.Number, $"column {letter}", $"a cell is {longText.Length} characters long; the limit is {limits.MaxCellLength}");
                        continue;
                    }

                    var text = CellText(cell.Value);
                    if (string.IsNullOrWhiteSpace(text))
                        continue;
                    if (cell.Column >= map.Length || map[cell.Column] < 0)
                    {
                        problems.Add(row.Number, $"column {letter}", $"a value '{text}' stands under no column; remove it or name its column");
                        continue;
                    }

                    if (text.Length > limits.MaxCellLength)
                    {
                        problems.Add(row.Number, $"column {letter}", $"a cell is {text.Length} characters long; the limit is {limits.MaxCellLength}");
                        continue;
                    }

                    cells[map[cell.Column]] = text;
                    blank = false;
                }

                if (!blank && !uncomputed)
                    yield return new TableRow(row.Number, cells);
            }
        }
    }

    /// <summary>Which sheet of several was read, and how to have another one read.</summary>
    private static string SheetRead(string sheet, IReadOnlyList<string> sheets) =>
        $"sheet '{sheet}' (the first of the workbook's {sheets.Count} sheets: {string.Join(", ", sheets.Take(5).Select(s => $"'{s}'"))}{(sheets.Count > 5 ? ", …" : "")}) "
        + "was read, and only the first sheet is imported; move the sheet that holds the data to the front and save the workbook again";

    private static bool Unreadable(Exception e) =>
        e is InvalidDataException or IOException or FormatException or XmlException or ArgumentException or InvalidOperationException or OverflowException;

    private static string? CellText(object? value) => value switch
    {
        null or UncomputedFormula => null,
        string s => s,
        bool b => b ? "true" : "false",
        DateTime d when d.TimeOfDay == TimeSpan.Zero => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        double d => Shown(d),
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>
    /// A number cell as a spreadsheet shows it: to 15 significant digits, so that a formula's result within floating noise
    /// of an integer (=0.7*10 stores 7.000000000000001; 3333.0000000000005) reads as the integer the user sees, never as
    /// digits the user never saw; beyond 15 digits (no count is that large) the shortest exact form.
    /// </summary>
    private static string Shown(double d) =>
        Math.Abs(d) < 1e15 ? d.ToString("G15", CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A-Z, AA-ZZ, ... for a 0-based column.</summary>
    public static string ColumnName(int column)
    {
        var name = new StringBuilder(3);
        for (var n = column + 1; n > 0; n = (n - 1) / 26)
            name.Insert(0, (char)('A' + (n - 1) % 26));
        return name.ToString();
    }

    /// <summary>A cell reference (B12) as 0-based column and 1-based row; false for anything else.</summary>
    internal static bool TryParseReference(string? text, out int column, out int row)
    {
        (column, row) = (-1, 0);
        if (string.IsNullOrEmpty(text))
            return false;
        var i = 0;
        long letters = 0;
        while (i < text.Length && char.IsAsciiLetter(text[i]))
        {
            letters = letters * 26 + (char.ToUpperInvariant(text[i]) - 'A' + 1);
            if (letters > int.MaxValue / 32)
                return false;
            i++;
        }

        if (i == 0 || i == text.Length || !int.TryParse(text.AsSpan(i), NumberStyles.None, CultureInfo.InvariantCulture, out row) || row <= 0)
            return false;
        column = (int)letters - 1;
        return true;
    }

    /// <summary>A string longer than any cell may be: only its length is kept.</summary>
    private sealed record LongText(long Length);

    /// <summary>A formula cell saved without its result (<see cref="Uncomputed"/>): the formula as written, without its '='.</summary>
    private sealed record UncomputedFormula(string Formula);

    /// <summary>
    /// Why a formula cell without a computed result is refused, and how to give it one. Read as empty, it would drop a figure the
    /// officer sent and leave the unit "not reported"; read as 0, it would store a figure nobody computed.
    /// </summary>
    public static string Uncomputed(string formula) =>
        (formula.Length == 0 ? "the cell holds a formula" : $"the cell holds the formula ={(formula.Length <= 40 ? formula : formula[..40] + "…")}")
        + " with no computed result (a script or program that writes workbooks without computing them saved it); "
        + "open the file in Excel or LibreOffice and save it, so that its formulas are computed, then send it again";

    private readonly record struct SheetCell(int Column, object? Value);

    private readonly record struct SheetRow(int Number, List<SheetCell> Cells);

    /// <summary>The parts of the workbook that the first sheet needs: its XML, the shared strings, the number formats.</summary>
    private sealed class Workbook
    {
        private static readonly XmlReaderSettings SheetSettings = new()
        {
            IgnoreComments = true, IgnoreWhitespace = true, IgnoreProcessingInstructions = true, DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null,
        };

        private static readonly XmlReaderSettings TextSettings = new()
        {
            IgnoreComments = true, IgnoreProcessingInstructions = true, DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null,
        };

        private readonly ZipArchiveEntry _sheet;
        private readonly ImportLimits _limits;
        private readonly ProblemList _problems;
        private readonly List<object> _shared = [];
        private readonly List<NumberFormat> _styles = [];

        // One text buffer and one chunk buffer for every cell read: a cell's text costs its string, nothing more.
        private readonly StringBuilder _text = new();
        private readonly char[] _chunk = new char[4096];
        private long _unpacked;

        private Workbook(ZipArchiveEntry sheet, ImportLimits limits, ProblemList problems)
        {
            (_sheet, _limits, _problems) = (sheet, limits, problems);
        }

        public int DeclaredColumns { get; private set; }

        /// <summary>The first sheet's name as the workbook lists it ("Sheet1" when it names none).</summary>
        public string SheetName { get; private set; } = "Sheet1";

        /// <summary>The names of the workbook's sheets, in its order.</summary>
        public IReadOnlyList<string> SheetNames { get; private set; } = [];

        /// <summary>
        /// Whether the workbook counts its date serials from 1 January 1904 (<c>&lt;workbookPr date1904="1"/&gt;</c>: Excel for Mac's
        /// option, Numbers, old Mac workbooks) rather than from 1900: the same shown date is then a serial 1,462 days smaller.
        /// </summary>
        public bool Date1904 { get; private set; }

        public static Workbook Open(byte[] bytes, ImportLimits limits, ProblemList problems)
        {
            var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            var sheet = FirstSheet(zip, out var sheetName, out var sheetNames, out var date1904) ?? throw new InvalidDataException("it holds no worksheet");
            var workbook = new Workbook(sheet, limits, problems) { SheetName = sheetName ?? "Sheet1", SheetNames = sheetNames, Date1904 = date1904 };

            // Inflated sizes as the zip declares them, before inflating anything (each part is also counted as it is read).
            var parts = new[] { sheet, zip.GetEntry("xl/sharedStrings.xml"), zip.GetEntry("xl/styles.xml") }.OfType<ZipArchiveEntry>().ToList();
            var declared = parts.Sum(p => p.Length);
            if (declared > limits.MaxUnpackedBytes)
            {
                problems.Add(0, "", $"the workbook inflates to {declared:N0} bytes; the limit is {limits.MaxUnpackedBytes:N0}: "
                                    + "keep only the rows to import, or export the sheet as CSV UTF-8");
                return workbook;
            }

            workbook.ReadStyles(zip.GetEntry("xl/styles.xml"));
            workbook.ReadSharedStrings(zip.GetEntry("xl/sharedStrings.xml"));
            return workbook;
        }

        /// <summary>The rows present, in order; the declared dimension is checked before the first.</summary>
        public IEnumerable<SheetRow> Rows(CancellationToken ct)
        {
            using var stream = Counted(_sheet);
            using var reader = XmlReader.Create(stream, SheetSettings);
            long cells = 0;
            var rowNumber = 0;
            var width = 4;
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                    continue;
                if (reader.LocalName == "dimension")
                {
                    if (!CheckDimension(reader.GetAttribute("ref")))
                        yield break;
                }
                else if (reader.LocalName == "row")
                {
                    ct.ThrowIfCancellationRequested();
                    rowNumber = int.TryParse(reader.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > 0 ? r : rowNumber + 1;
                    if (rowNumber > _limits.MaxRows)
                    {
                        _problems.Add(rowNumber, "", $"the sheet has a row {rowNumber:N0}; the limit is {_limits.MaxRows:N0} rows");
                        yield break;
                    }

                    // A row's list starts as wide as the row before: a template's rows are alike, and no list grows cell by cell.
                    var row = new SheetRow(rowNumber, new List<SheetCell>(width));
                    if (!reader.IsEmptyElement)
                    {
                        var depth = reader.Depth;
                        var column = -1;
                        reader.Read();
                        while (!reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
                        {
                            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "c")
                            {
                                Next(reader);
                                continue;
                            }

                            column = TryParseReference(reader.GetAttribute("r"), out var c, out _) ? c : column + 1;
                            if (column >= _limits.MaxColumns)
                            {
                                _problems.Add(rowNumber, $"column {ColumnName(Math.Min(column, 16_383))}",
                                    $"the sheet has a cell in column {column + 1:N0}; the limit is {_limits.MaxColumns:N0} columns");
                                yield break;
                            }

                            if (++cells > _limits.MaxCells)
                            {
                                _problems.Add(rowNumber, "", $"the sheet holds more than {_limits.MaxCells:N0} cells; the limit is {_limits.MaxCells:N0}: split the file");
                                yield break;
                            }

                            var value = ReadCell(reader);
                            if (value is not null)
                                row.Cells.Add(new SheetCell(column, value));
                            reader.Read();
                        }
                    }

                    width = Math.Max(width, row.Cells.Count);
                    yield return row;
                }
            }
        }

        /// <summary>The declared size (<c>A1:I200</c>), refused when it says more rows or columns than the limits allow.</summary>
        private bool CheckDimension(string? reference)
        {
            var end = reference?.Split(':') is { Length: > 0 } parts ? parts[^1] : null;
            if (!TryParseReference(end, out var column, out var row))
                return true;
            DeclaredColumns = Math.Min(column + 1, _limits.MaxColumns);
            if (column + 1 > _limits.MaxColumns || row > _limits.MaxRows)
            {
                _problems.Add(0, "", $"the sheet declares {row:N0} rows and {column + 1:N0} columns ({reference}); the limits are {_limits.MaxRows:N0} rows and "
                                     + $"{_limits.MaxColumns:N0} columns: delete the empty rows and columns after the data, or export the sheet as CSV UTF-8");
                return false;
            }

            return true;
        }

        /// <summary>One &lt;c&gt; element, typed as MiniExcel types it; the reader ends on the element's end.</summary>
        private object? ReadCell(XmlReader reader)
        {
            var type = reader.GetAttribute("t");
            var styleText = reader.GetAttribute("s");
            if (reader.IsEmptyElement)
                return null;
            var depth = reader.Depth;
            object? value = null;
            string? formula = null;
            var cached = false;
            var result = false;
            reader.Read();
            while (!reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName is "v" or "is")
                {
                    var raw = reader.LocalName == "v" ? ReadText(reader, _limits.MaxCellLength) : ReadStringItem(reader, _limits.MaxCellLength);
                    cached = true;
                    result = raw is LongText or string { Length: > 0 };
                    value = raw switch
                    {
                        LongText => raw,
                        string { Length: > 0 } text => Convert(text, type),
                        _ => null,
                    };
                    reader.Read();
                }
                else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "f")
                {
                    formula = ReadText(reader, _limits.MaxCellLength) as string ?? "";
                    reader.Read();
                }
                else
                {
                    Next(reader);
                }
            }

            // A formula's result is the <v> a spreadsheet program caches when it saves; a script's writer (openpyxl, many report
            // generators) writes the formula alone, or with an empty <v>. Only a text result can be empty (="" cached as
            // t="str"): any other formula without a result was never computed, and must not be read as an empty cell.
            if (formula is not null && !result && !(cached && type == "str"))
                return new UncomputedFormula(formula);
            if (value is null or LongText || string.IsNullOrEmpty(styleText))
                return value;
            return int.TryParse(styleText, NumberStyles.Any, CultureInfo.InvariantCulture, out var style) && style >= 0 && style < _styles.Count
                ? _styles[style].Apply(value, Date1904)
                : value;
        }

        private object? Convert(string raw, string? type)
        {
            switch (type)
            {
                case "s":
                    return int.TryParse(raw, NumberStyles.Any, CultureInfo.InvariantCulture, out var index) && index >= 0 && index < _shared.Count ? _shared[index] : null;
                case "inlineStr":
                case "str":
                    return Decode(raw);
                case "b":
                    return raw == "1";
                case "d":
                    return DateTime.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AllowLeadingWhite | DateTimeStyles.AllowTrailingWhite, out var date)
                        ? date
                        : raw;
                case "e":
                    return raw;
                default:
                    return double.TryParse(raw, NumberStyles.Any, CultureInfo.InvariantCulture, out var number) ? number : raw;
            }
        }

        private void ReadSharedStrings(ZipArchiveEntry? entry)
        {
            if (entry is null)
                return;
            using var stream = Counted(entry);
            using var reader = XmlReader.Create(stream, TextSettings);
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "si")
                {
                    if (_shared.Count >= _limits.MaxCells)
                        throw new InvalidDataException($"its shared strings are more than {_limits.MaxCells:N0}");
                    var item = ReadStringItem(reader, _limits.MaxCellLength);
                    _shared.Add(item is string text ? Decode(text) : item);
                }
            }
        }

        /// <summary>The text of a string item (&lt;si&gt; or &lt;is&gt;): its &lt;t&gt; and the &lt;t&gt; of its runs, phonetic runs left out.</summary>
        private object ReadStringItem(XmlReader reader, int limit)
        {
            if (reader.IsEmptyElement)
                return "";
            var depth = reader.Depth;
            var text = _text.Clear();
            long length = 0;
            reader.Read();
            while (!reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "t")
                {
                    length += AppendText(reader, text, limit);
                    reader.Read();
                }
                else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "r")
                {
                    // A rich-text run: its <t> is read as the loop descends; its formatting (<rPr>) is skipped.
                    reader.Read();
                }
                else
                {
                    // rPh (phonetic runs), rPr and anything else: skipped whole.
                    Next(reader);
                }
            }

            return length > Hard(limit) ? new LongText(length) : text.ToString();
        }

        private object ReadText(XmlReader reader, int limit)
        {
            var text = _text.Clear();
            var length = AppendText(reader, text, limit);
            return length > Hard(limit) ? new LongText(length) : text.ToString();
        }

        /// <summary>Strings are kept up to ten times the cell limit (so a refusal can say how long the cell is after decoding); beyond, only counted.</summary>
        private static long Hard(int limit) => Math.Max(limit, 1) * 10L;

        /// <summary>The content of a text element, read in chunks: characters past the hard limit are counted, never kept.</summary>
        private long AppendText(XmlReader reader, StringBuilder text, int limit)
        {
            if (reader.IsEmptyElement)
                return 0;
            var depth = reader.Depth;
            long length = 0;
            var buffer = _chunk;
            reader.Read();
            while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth) && !reader.EOF)
            {
                if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
                {
                    int read;
                    while ((read = reader.ReadValueChunk(buffer, 0, buffer.Length)) > 0)
                    {
                        if (length + read <= Hard(limit))
                            text.Append(buffer, 0, read);
                        length += read;
                    }
                }

                if (!reader.Read())
                    break;
            }

            return length;
        }

        private void ReadStyles(ZipArchiveEntry? entry)
        {
            if (entry is null)
                return;
            var custom = new Dictionary<int, NumberFormat>();
            var formats = new List<int>();
            using (var stream = Counted(entry))
            using (var reader = XmlReader.Create(stream, SheetSettings))
            {
                var inCellXfs = false;
                while (reader.Read())
                {
                    if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "cellXfs")
                        inCellXfs = false;
                    if (reader.NodeType != XmlNodeType.Element)
                        continue;
                    switch (reader.LocalName)
                    {
                        case "numFmt":
                            int.TryParse(reader.GetAttribute("numFmtId"), out var id);
                            custom.TryAdd(id, MiniExcelLibs.Utils.DateTimeHelper.IsDateTimeFormat(reader.GetAttribute("formatCode")) ? NumberFormat.Date : NumberFormat.Other);
                            break;
                        case "cellXfs":
                            inCellXfs = !reader.IsEmptyElement;
                            break;
                        case "xf" when inCellXfs:
                            int.TryParse(reader.GetAttribute("numFmtId"), out var numFmtId);
                            formats.Add(numFmtId);
                            break;
                    }
                }
            }

            foreach (var id in formats)
                _styles.Add(NumberFormat.Builtin.TryGetValue(id, out var builtin) ? builtin : custom.GetValueOrDefault(id, NumberFormat.Other));
        }

        /// <summary>Past the current node: a whole element with its content, or one other node.</summary>
        private static void Next(XmlReader reader)
        {
            if (reader.NodeType == XmlNodeType.Element && !reader.IsEmptyElement)
                reader.Skip();
            else
                reader.Read();
        }

        /// <summary>A part's stream that refuses to inflate past what is left of the limit, whatever the zip declared.</summary>
        private Stream Counted(ZipArchiveEntry entry) => new CountingStream(entry.Open(), this);

        private static ZipArchiveEntry? FirstSheet(ZipArchive zip, out string? name, out List<string> names, out bool date1904)
        {
            name = null;
            names = [];
            date1904 = false;
            var sheets = zip.Entries.Where(e => e.FullName.TrimStart('/').StartsWith("xl/worksheets/sheet", StringComparison.OrdinalIgnoreCase)).ToList();

            // The first sheet the workbook lists (its name for problems), found through its relationship when there are several.
            string? id = null;
            if (zip.GetEntry("xl/workbook.xml") is { } book)
            {
                try
                {
                    using var reader = XmlReader.Create(book.Open(), SheetSettings);
                    while (reader.Read())
                    {
                        if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "workbookPr")
                            date1904 = reader.GetAttribute("date1904") is "1" or "true";
                        if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "sheet")
                        {
                            names.Add(reader.GetAttribute("name") ?? "");
                            if (names.Count > 1)
                                continue;
                            name = reader.GetAttribute("name");
                            id = reader.GetAttribute("id", "http://schemas.openxmlformats.org/officeDocument/2006/relationships")
                                 ?? reader.GetAttribute("id", "http://purl.oclc.org/ooxml/officeDocument/relationships");
                        }
                    }
                }
                catch (XmlException) when (sheets.Count <= 1)
                {
                    // One sheet needs no list: its name is only for problems.
                }
            }
            else if (sheets.Count > 1)
            {
                throw new InvalidDataException("xl/workbook.xml is missing");
            }

            if (sheets.Count <= 1)
                return sheets.FirstOrDefault();

            using (var reader = XmlReader.Create(zip.GetEntry("xl/_rels/workbook.xml.rels")?.Open() ?? throw new InvalidDataException("xl/_rels/workbook.xml.rels is missing"), SheetSettings))
            {
                while (reader.Read())
                {
                    if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship" && reader.GetAttribute("Id") == id)
                    {
                        var target = reader.GetAttribute("Target")?.TrimStart('/') ?? "";
                        var path = target.StartsWith("xl/", StringComparison.OrdinalIgnoreCase) ? target : "xl/" + target;
                        return sheets.FirstOrDefault(s => string.Equals(s.FullName.TrimStart('/'), path, StringComparison.OrdinalIgnoreCase)) ?? sheets[0];
                    }
                }
            }

            return sheets[0];
        }

        private sealed class CountingStream(Stream inner, Workbook workbook) : Stream
        {
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count)
            {
                var read = inner.Read(buffer, offset, count);
                workbook._unpacked += read;
                if (workbook._unpacked > workbook._limits.MaxUnpackedBytes)
                    throw new InvalidDataException($"it inflates to more than {workbook._limits.MaxUnpackedBytes:N0} bytes, the limit");
                return read;
            }

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                    inner.Dispose();
                base.Dispose(disposing);
            }
        }
    }

    /// <summary>What a cell style's number format does to a value, as MiniExcel 1.46 reads it: dates and times from serial numbers.</summary>
    private sealed class NumberFormat(int kind)
    {
        public static readonly NumberFormat Other = new(0);
        public static readonly NumberFormat Date = new(1);
        public static readonly NumberFormat Time = new(2);

        /// <summary>The built-in formats that MiniExcel converts: dates (14-16, 22, 58) and times (18-21, 45-47).</summary>
        public static readonly IReadOnlyDictionary<int, NumberFormat> Builtin = new Dictionary<int, NumberFormat>
        {
            [0] = Other, [1] = Other, [2] = Other, [3] = Other, [4] = Other, [5] = Other, [6] = Other, [7] = Other, [8] = Other, [9] = Other,
            [10] = Other, [11] = Other, [12] = Other, [13] = Other, [14] = Date, [15] = Date, [16] = Date, [17] = Other, [18] = Time, [19] = Time,
            [20] = Time, [21] = Time, [22] = Date, [37] = Other, [38] = Other, [39] = Other, [40] = Other, [41] = Other, [42] = Other, [43] = Other,
            [44] = Other, [45] = Time, [46] = Time, [47] = Time, [48] = Other, [49] = Other, [58] = Date,
        };

        /// <summary>Days from 1900's serial 0 (30 December 1899, as Excel counts it) to 1904's (1 January 1904).</summary>
        private const double Days1904 = 1462;

        public object Apply(object value, bool date1904)
        {
            // As MiniExcel: the value's text in the current culture, read back as a number.
            if (kind == 0 || !double.TryParse(System.Convert.ToString(value, CultureInfo.CurrentCulture), CultureInfo.CurrentCulture, out var number))
                return value;
            if (kind == 2)
                return TimeSpan.FromDays(number);
            if (date1904)
                number += Days1904;
            return number is > -657435.0 and < 2958466.0 ? DateTime.FromOADate(number) : value;
        }
    }

    /// <summary>OOXML's escapes of characters XML cannot hold (<c>_x000D_</c>), decoded as MiniExcel decodes them.</summary>
    private static string Decode(string text) =>
        string.IsNullOrEmpty(text) ? "" : XmlConvert.DecodeName(UppercaseEscape().Replace(text, "_x005F_$1_"));

    [GeneratedRegex("_(X[\\dA-Fa-f]{4})_")]
    private static partial Regex UppercaseEscape();
}
