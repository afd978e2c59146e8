using System.Numerics;
using System.Text;
using System.Text.Unicode;
using nietras.SeparatedValues;

namespace QcdcCompliance.Import.Files;

/// <summary>
/// RFC 4180 CSV as spreadsheet programs save it: UTF-8 with or without BOM (UTF-16 with a BOM too), CRLF or LF,
/// quoted cells with doubled quotes and line breaks, and ',' or the ';' that a Vietnamese locale writes. The bytes are
/// checked and decoded here (every encoding problem named by row); the records are split by Sep.
/// </summary>
public static class CsvTable
{
    public const int MaxCellLength = 10_000;

    /// <summary>What a workbook read as CSV is told (the file's name is the problem's; its row is the whole file's).</summary>
    public const string WorkbookNotCsv = "the file is an Excel workbook, not a CSV file, though it was read as CSV (its name ends in .csv or .txt, or it was sent as text/csv): "
                                         + "save it as an Excel Workbook (.xlsx) and import that file, or save it from Excel as 'CSV UTF-8 (Comma delimited)'";

    public static Table Read(string file, byte[] bytes, IReadOnlyList<Column> schema, ProblemList problems) =>
        Read(file, bytes, schema, problems, ImportLimits.Default, CancellationToken.None);

    public static Table Read(string file, byte[] bytes, IReadOnlyList<Column> schema, ProblemList problems, ImportLimits limits, CancellationToken ct)
    {
        var reader = Open(bytes, problems);
        if (reader is null)
            return new Table(file, schema, [], problems);

        if (Next(reader, 0, bytes) is not { } header)
        {
            reader.Dispose();
            problems.Add(0, "", "the file is empty; the first row must name the columns");
            return new Table(file, schema, [], problems);
        }

        if (header.Unterminated)
        {
            reader.Dispose();
            problems.Add(header.Number, "", header.Problem(limits.MaxCellLength));
            return new Table(file, schema, [], problems);
        }

        var map = HeaderMatcher.Match(header.Cells, schema, problems);
        if (problems.Any)
        {
            reader.Dispose();
            return new Table(file, schema, [], problems);
        }

        return new Table(file, schema, Rows(reader, bytes, header.Cells.Length, map, schema.Count, limits.MaxCellLength, problems, ct), problems)
        {
            Numbers = NumbersOf(bytes),
        };
    }

    /// <summary>
    /// How the file writes numbers, told by its delimiter: a ';' is what a locale with the decimal comma saves (its ','
    /// is then decimal); with ',' or a tab the decimal point is likely but not sure (<see cref="NumberConvention.DecimalPointUnsure"/>).
    /// </summary>
    public static NumberConvention NumbersOf(byte[] bytes)
    {
        char delimiter;
        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        {
            // The first lines are enough to tell the delimiter; an odd or broken tail is the reader's to refuse.
            var head = Math.Min(bytes.Length - 2, 1 << 16) & ~1;
            delimiter = Delimiter(new UnicodeEncoding(bigEndian: bytes[0] == 0xFE, byteOrderMark: false).GetString(bytes, 2, head).AsSpan());
        }
        else
        {
            var span = bytes.AsSpan();
            delimiter = Delimiter(span.StartsWith(Encoding.UTF8.Preamble) ? span[3..] : span);
        }

        return delimiter == ';' ? NumberConvention.DecimalComma : NumberConvention.DecimalPointUnsure;
    }

    /// <summary>
    /// The file's records as they stand, cells uncleaned, without a header: what a reader of another layout (a filled
    /// template, <see cref="WideValueTable"/>) starts from. Encoding and quoting problems go to <paramref name="problems"/>.
    /// </summary>
    public static IEnumerable<GridRow> Grid(byte[] bytes, ProblemList problems, ImportLimits limits, CancellationToken ct)
    {
        using var reader = Open(bytes, problems);
        if (reader is null)
            yield break;
        var previous = 0;
        while (Next(reader, previous, bytes) is { } record)
        {
            previous = record.Number;
            if ((record.Number & 1023) == 0)
                ct.ThrowIfCancellationRequested();
            if (record.Number > limits.MaxRows)
            {
                problems.Add(record.Number, "", $"the file has a row {record.Number:N0}; the limit is {limits.MaxRows:N0} rows");
                yield break;
            }

            if (record.Unterminated)
            {
                problems.Add(record.Number, "", record.Problem(limits.MaxCellLength));
                yield break;
            }

            var cells = new string?[record.Cells.Length];
            for (var i = 0; i < cells.Length; i++)
                cells[i] = record.Cells[i].Length == 0 ? null : record.Cells[i];
            yield return new GridRow(record.Number, cells);
        }
    }

    private static IEnumerable<TableRow> Rows(SepReader reader, byte[] bytes, int headerWidth, int[] map, int width, int maxCellLength, ProblemList problems,
        CancellationToken ct)
    {
        using var _ = reader;
        var previous = 1;
        while (Next(reader, previous, bytes) is { } record)
        {
            previous = record.Number;
            if ((record.Number & 1023) == 0)
                ct.ThrowIfCancellationRequested();
            // An unclosed quote runs to the end of the text: nothing is read after it.
            if (record.Unterminated)
            {
                problems.Add(record.Number, "", record.Problem(maxCellLength));
                yield break;
            }

            var cells = new string?[width];
            var blank = true;
            for (var i = 0; i < record.Cells.Length; i++)
            {
                var value = record.Cells[i];
                if (value.Length == 0)
                    continue;
                if (i >= headerWidth || map[i] < 0)
                {
                    if (Text.Clean(value) is not null)
                        problems.Add(record.Number, $"column {i + 1}", $"a value '{Shorten(value)}' stands under no column; remove it or name its column");
                    continue;
                }

                if (value.Length > maxCellLength)
                {
                    problems.Add(record.Number, "", $"a cell is {value.Length} characters long; the limit is {maxCellLength}");
                    continue;
                }

                cells[map[i]] = value;
                blank = false;
            }

            if (!blank)
                yield return new TableRow(record.Number, cells);
        }
    }

    /// <summary>
    /// One record: its number (1-based, the header is 1), its cells unquoted, and whether a quote opened in it is never
    /// closed; <paramref name="Overlong"/> when the reader gave up on it (past <see cref="ReaderRowLimit"/>), its cells unread.
    /// </summary>
    private sealed record Record(int Number, string[] Cells, bool Unterminated, bool Overlong = false)
    {
        /// <summary>What is wrong with an unterminated record: an unclosed quote, or a row that never ends within the reader's limit.</summary>
        public string Problem(int maxCellLength) => Overlong && !QuoteOpen
            ? $"a row runs past {ReaderRowLimit} characters without ending; a cell holds at most {maxCellLength}"
            : "a quoted cell is never closed; add the closing '\"'";

        public bool QuoteOpen { get; init; } = true;
    }

    /// <summary>The longest row Sep reads (16 MiB of characters); past it, it throws instead of reading on.</summary>
    private const int ReaderRowLimit = 16 * 1024 * 1024;

    /// <summary>
    /// The next record of the reader (<paramref name="previous"/> the number of the last one read), or null at the end of
    /// the text. A row longer than Sep's buffer (an unclosed quote in a file over 16 MB runs that far) ends the reading
    /// as an unterminated record, named by its first row, where the quote opened: a file's fault, never a crash.
    /// </summary>
    private static Record? Next(SepReader reader, int previous, byte[] bytes)
    {
        try
        {
            if (!reader.MoveNext())
                return null;
        }
        catch (NotSupportedException)
        {
            return new Record(previous + 1, [], Unterminated: true, Overlong: true) { QuoteOpen = OddQuotes(bytes) };
        }

        var row = reader.Current;
        // Sep pairs quotes wherever they stand; an odd count means one was opened and never closed, so the record ran
        // to the end of the text. Counted on the raw row, before its cells are unquoted in place.
        var raw = row.Span;
        var unterminated = raw.Contains('"') && (raw.Count('"') & 1) == 1;
        var cells = new string[row.ColCount];
        for (var i = 0; i < cells.Length; i++)
            cells[i] = row[i].ToString();
        return new Record(row.RowIndex + 1, cells, unterminated);
    }

    /// <summary>
    /// Whether the text holds an odd number of quotes, so one is never closed: counted on the bytes (a quote is one byte in
    /// UTF-8, never part of another character; a 16-bit unit in UTF-16).
    /// </summary>
    private static bool OddQuotes(byte[] bytes)
    {
        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        {
            var (low, high) = bytes[0] == 0xFF ? (0, 1) : (1, 0);
            var count = 0;
            for (var i = 2; i + 1 < bytes.Length; i += 2)
            {
                if (bytes[i + low] == (byte)'"' && bytes[i + high] == 0)
                    count++;
            }

            return (count & 1) == 1;
        }

        return (bytes.AsSpan().Count((byte)'"') & 1) == 1;
    }

    /// <summary>A reader over the text of the bytes, or null when they are not text (the problem is named).</summary>
    private static SepReader? Open(byte[] bytes, ProblemList problems)
    {
        // A workbook renamed .csv (or sent as text/csv) was refused as "NUL bytes ... UTF-16 without a byte-order mark",
        // which sent the user the wrong way: say what it is and how to save it.
        if (TableReader.IsWorkbook(bytes))
        {
            problems.Add(0, "", WorkbookNotCsv);
            return null;
        }

        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        {
            // UTF-16 as its byte-order mark says, strictly: half a surrogate pair or an odd byte is refused, never decoded
            // into text that cannot be normalised or stored.
            var utf16 = new UnicodeEncoding(bigEndian: bytes[0] == 0xFE, byteOrderMark: true, throwOnInvalidBytes: true);
            string text;
            try
            {
                text = utf16.GetString(bytes, 2, bytes.Length - 2);
            }
            catch (DecoderFallbackException)
            {
                var at = FirstInvalidUtf16Byte(bytes, bytes[0] == 0xFE);
                var row = 1 + CountNewlines(bytes, at, bytes[0] == 0xFE);
                problems.Add(row, "", $"the file starts as UTF-16 text but is not valid UTF-16 (byte {at + 1} cannot be read); save it as 'CSV UTF-8' in your spreadsheet program");
                return null;
            }

            return Options(Delimiter(text.AsSpan())).FromText(text);
        }

        var span = bytes.AsSpan();
        var start = 0;
        if (span.StartsWith(Encoding.UTF8.Preamble))
        {
            span = span[3..];
            start = 3;
        }

        var nul = span.IndexOf((byte)0);
        if (nul >= 0)
        {
            // ASCII saved as UTF-16 without its byte-order mark is valid UTF-8 with a NUL after (or before) every letter.
            var row = 1 + span[..nul].Count((byte)'\n');
            problems.Add(row, "", $"the file holds NUL bytes (byte {nul + 1}): it looks like UTF-16 text without a byte-order mark, or not text at all; "
                                  + "save it as 'CSV UTF-8' in your spreadsheet program");
            return null;
        }

        if (!Utf8.IsValid(span))
        {
            var invalidAt = FirstInvalidByte(span);
            var row = 1 + span[..invalidAt].Count((byte)'\n');
            problems.Add(row, "", $"the file is not UTF-8 text (byte {invalidAt + 1} cannot be read); save it as 'CSV UTF-8' in your spreadsheet program");
            return null;
        }

        // Valid UTF-8 (checked above), decoded a buffer at a time as the rows are read: the file is held once, as its
        // bytes, never again as a string. No byte-order mark is looked for after the one taken off above.
        var decoder = new StreamReader(new MemoryStream(bytes, start, bytes.Length - start, writable: false), new UTF8Encoding(false),
            detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        return Options(Delimiter(span)).From(decoder);
    }

    private static SepReaderOptions Options(char delimiter) =>
        Sep.New(delimiter).Reader(o => o with
        {
            HasHeader = false,
            Unescape = true,
            DisableColCountCheck = true,
            // Codes, periods and indicators repeat row after row: one string each, not one a row.
            CreateToString = SepToString.PoolPerCol(maximumStringLength: 32),
        });

    /// <summary>Records read to tell the delimiter.</summary>
    private const int DelimiterRecords = 10;

    /// <summary>
    /// The delimiter: of ',', ';' and a tab, the one that splits the first records (up to <see cref="DelimiterRecords"/>,
    /// quotes respected) into the same number of cells, more than one. Line 1 alone misleads: a template saved by Excel in
    /// a Vietnamese locale has ';' between its cells and as many commas inside its names ("cán bộ, công chức, …"). When
    /// no single one does (one line, rows of uneven width), line 1 decides as before: ';' when it has more semicolons than
    /// commas, a tab when more tabs than commas, else ','.
    /// </summary>
    private static char Delimiter<T>(ReadOnlySpan<T> text) where T : unmanaged, IBinaryInteger<T>
    {
        ReadOnlySpan<char> candidates = [',', ';', '\t'];
        Span<int> count = stackalloc int[3];
        Span<int> firstLine = stackalloc int[3];
        Span<bool> even = [true, true, true];
        int records = 0;
        bool quoted = false, content = false;

        void EndRecord(Span<int> count, Span<int> firstLine, Span<bool> even)
        {
            for (var k = 0; k < count.Length; k++)
            {
                if (records == 0)
                    firstLine[k] = count[k];
                else if (count[k] != firstLine[k])
                    even[k] = false;
                count[k] = 0;
            }

            records++;
            content = false;
        }

        foreach (var unit in text)
        {
            var c = int.CreateTruncating(unit);
            if (c == '"')
                quoted = !quoted;
            else if (quoted)
                continue;
            else if (c is '\n' or '\r')
            {
                // A blank line (or the '\n' of a CRLF) ends nothing.
                if (content)
                    EndRecord(count, firstLine, even);
                if (records == DelimiterRecords)
                    break;
                continue;
            }
            else if (candidates.IndexOf((char)c) is var k and >= 0)
                count[k]++;

            content = true;
        }

        if (content)
            EndRecord(count, firstLine, even);

        var chosen = -1;
        for (var k = 0; k < candidates.Length && records > 1; k++)
        {
            if (!even[k] || firstLine[k] == 0)
                continue;
            if (chosen >= 0)
            {
                chosen = -1;
                break;
            }

            chosen = k;
        }

        if (chosen >= 0)
            return candidates[chosen];
        var (commas, semicolons, tabs) = (firstLine[0], firstLine[1], firstLine[2]);
        return semicolons > commas && semicolons >= tabs ? ';' : tabs > commas ? '\t' : ',';
    }

    /// <summary>Where UTF-16 after its byte-order mark stops being text: half a surrogate pair, or a last odd byte.</summary>
    private static int FirstInvalidUtf16Byte(byte[] bytes, bool bigEndian)
    {
        char Unit(int i) => (char)(bigEndian ? bytes[i] << 8 | bytes[i + 1] : bytes[i + 1] << 8 | bytes[i]);
        var i = 2;
        for (; i + 1 < bytes.Length; i += 2)
        {
            var c = Unit(i);
            if (char.IsHighSurrogate(c) && i + 3 < bytes.Length && char.IsLowSurrogate(Unit(i + 2)))
                i += 2;
            else if (char.IsSurrogate(c))
                return i;
        }

        return i;
    }

    /// <summary>Line feeds among the UTF-16 code units before a byte offset.</summary>
    private static int CountNewlines(byte[] bytes, int end, bool bigEndian)
    {
        var count = 0;
        for (var i = 2; i + 1 < end; i += 2)
        {
            if ((bigEndian ? bytes[i] == 0 && bytes[i + 1] == '\n' : bytes[i] == '\n' && bytes[i + 1] == 0))
                count++;
        }

        return count;
    }

    internal static int FirstInvalidByte(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[Math.Min(bytes.Length, 1 << 16)];
        var offset = 0;
        while (offset < bytes.Length)
        {
            var status = Utf8.ToUtf16(bytes[offset..], chars, out var read, out _, replaceInvalidSequences: false);
            if (status == System.Buffers.OperationStatus.InvalidData)
                return offset + read;
            offset += read;
            if (status == System.Buffers.OperationStatus.Done)
                break;
        }

        return offset;
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
