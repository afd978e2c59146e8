using System.Text;
using System.Text.Unicode;

namespace QcdcCompliance.Import.Files;

/// <summary>
/// RFC 4180 CSV as spreadsheet programs save it: UTF-8 with or without BOM (UTF-16 with a BOM too), CRLF or LF,
/// quoted cells with doubled quotes and line breaks, and ',' or the ';' that a Vietnamese locale writes.
/// </summary>
public static class CsvTable
{
    public const int MaxCellLength = 10_000;

    public static Table Read(string file, byte[] bytes, IReadOnlyList<Column> schema, ProblemList problems) =>
        Read(file, bytes, schema, problems, ImportLimits.Default, CancellationToken.None);

    public static Table Read(string file, byte[] bytes, IReadOnlyList<Column> schema, ProblemList problems, ImportLimits limits, CancellationToken ct)
    {
        var text = Decode(bytes, problems);
        if (text is null)
            return new Table(file, schema, [], problems);

        // Decoded as the rows are read, a buffer at a time: the file is held once, as its bytes, never again as a string.
        var parser = new Parser(text);
        var header = parser.Next();
        if (header is null)
        {
            problems.Add(0, "", "the file is empty; the first row must name the columns");
            return new Table(file, schema, [], problems);
        }

        var map = HeaderMatcher.Match(header.Value.Cells, schema, problems);
        return problems.Any ? new Table(file, schema, [], problems) : new Table(file, schema, Rows(parser, header.Value.Cells.Count, map, schema.Count, limits.MaxCellLength, problems, ct), problems);
    }

    /// <summary>
    /// The file's records as they stand, cells uncleaned, without a header: what a reader of another layout (a filled
    /// template, <see cref="WideValueTable"/>) starts from. Encoding and quoting problems go to <paramref name="problems"/>.
    /// </summary>
    public static IEnumerable<GridRow> Grid(byte[] bytes, ProblemList problems, ImportLimits limits, CancellationToken ct)
    {
        var text = Decode(bytes, problems);
        if (text is null)
            yield break;
        var parser = new Parser(text);
        while (parser.Next() is { } record)
        {
            if ((record.Number & 1023) == 0)
                ct.ThrowIfCancellationRequested();
            if (record.Number > limits.MaxRows)
            {
                problems.Add(record.Number, "", $"the file has a row {record.Number:N0}; the limit is {limits.MaxRows:N0} rows");
                yield break;
            }

            if (record.Unterminated)
            {
                problems.Add(record.Number, "", "a quoted cell is never closed; add the closing '\"'");
                yield break;
            }

            var cells = new string?[record.Cells.Count];
            for (var i = 0; i < cells.Length; i++)
                cells[i] = record.Cells[i].Length == 0 ? null : record.Cells[i];
            yield return new GridRow(record.Number, cells);
        }
    }

    private static IEnumerable<TableRow> Rows(Parser parser, int headerWidth, int[] map, int width, int maxCellLength, ProblemList problems, CancellationToken ct)
    {
        while (parser.Next() is { } record)
        {
            if ((record.Number & 1023) == 0)
                ct.ThrowIfCancellationRequested();
            var cells = new string?[width];
            var blank = true;
            for (var i = 0; i < record.Cells.Count; i++)
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

            if (record.Unterminated)
                problems.Add(record.Number, "", "a quoted cell is never closed; add the closing '\"'");
            else if (!blank)
                yield return new TableRow(record.Number, cells);
        }
    }

    private static TextReader? Decode(byte[] bytes, ProblemList problems)
    {
        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        {
            // UTF-16 as its byte-order mark says, strictly: half a surrogate pair or an odd byte is refused, never decoded
            // into text that cannot be normalised or stored.
            var utf16 = new UnicodeEncoding(bigEndian: bytes[0] == 0xFE, byteOrderMark: true, throwOnInvalidBytes: true);
            try
            {
                return new StringReader(utf16.GetString(bytes, 2, bytes.Length - 2));
            }
            catch (DecoderFallbackException)
            {
                var at = FirstInvalidUtf16Byte(bytes, bytes[0] == 0xFE);
                var row = 1 + CountNewlines(bytes, at, bytes[0] == 0xFE);
                problems.Add(row, "", $"the file starts as UTF-16 text but is not valid UTF-16 (byte {at + 1} cannot be read); save it as 'CSV UTF-8' in your spreadsheet program");
                return null;
            }
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

        // Valid UTF-8 (checked above), decoded a buffer at a time as the parser asks.
        return new StreamReader(new MemoryStream(bytes, start, bytes.Length - start, writable: false), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false,
            bufferSize: 1 << 16);
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

    private readonly record struct Record(int Number, List<string> Cells, bool Unterminated);

    /// <summary>The records of the text, read through a buffer that holds a window of it (the first line whole, for the delimiter).</summary>
    private sealed class Parser(TextReader reader)
    {
        private char[] _buffer = new char[1 << 16];
        private int _length;
        private int _position;
        private bool _done;
        private int _number;
        private char _delimiter;

        public Record? Next()
        {
            if (!Available())
                return null;
            _number++;
            if (_delimiter == '\0')
                _delimiter = Sniff();

            var cells = new List<string>();
            var cell = new StringBuilder();
            while (true)
            {
                if (Available() && _buffer[_position] == '"')
                {
                    _position++;
                    var closed = false;
                    while (Available())
                    {
                        var c = _buffer[_position++];
                        if (c == '"')
                        {
                            if (Available() && _buffer[_position] == '"')
                            {
                                cell.Append('"');
                                _position++;
                                continue;
                            }

                            closed = true;
                            break;
                        }

                        cell.Append(c);
                    }

                    if (!closed)
                    {
                        cells.Add(cell.ToString());
                        return new Record(_number, cells, true);
                    }
                }

                // Unquoted part of the cell (or what follows a closing quote, kept as typed).
                while (Available())
                {
                    var start = _position;
                    while (_position < _length)
                    {
                        var c = _buffer[_position];
                        if (c == _delimiter || c == '\n' || c == '\r')
                            break;
                        _position++;
                    }

                    cell.Append(_buffer, start, _position - start);
                    if (_position < _length)
                        break;
                }

                if (!Available())
                {
                    cells.Add(cell.ToString());
                    return new Record(_number, cells, false);
                }

                var end = _buffer[_position];
                cells.Add(cell.ToString());
                cell.Clear();
                if (end == _delimiter)
                {
                    _position++;
                    continue;
                }

                _position++;
                if (end == '\r' && Available() && _buffer[_position] == '\n')
                    _position++;
                return new Record(_number, cells, false);
            }
        }

        /// <summary>Whether a character is there to read at <see cref="_position"/>, reading the next buffer when this one is used up.</summary>
        private bool Available()
        {
            if (_position < _length)
                return true;
            if (_done)
                return false;
            _position = 0;
            _length = reader.Read(_buffer, 0, _buffer.Length);
            if (_length > 0)
                return true;
            _length = 0;
            _done = true;
            return false;
        }

        /// <summary>Reads more after what the buffer holds, keeping it (growing the buffer when it is full); false at the end of the text.</summary>
        private bool ReadMore()
        {
            if (_done)
                return false;
            if (_position > 0)
            {
                Array.Copy(_buffer, _position, _buffer, 0, _length - _position);
                _length -= _position;
                _position = 0;
            }

            if (_length == _buffer.Length)
                Array.Resize(ref _buffer, _buffer.Length * 2);
            var read = reader.Read(_buffer, _length, _buffer.Length - _length);
            if (read <= 0)
            {
                _done = true;
                return false;
            }

            _length += read;
            return true;
        }

        private char Sniff()
        {
            // The first line whole in the buffer (a quoted cell may hold line breaks).
            while (true)
            {
                var quoted = false;
                var found = false;
                for (var i = _position; i < _length && !found; i++)
                {
                    var c = _buffer[i];
                    if (c == '"')
                        quoted = !quoted;
                    else if (!quoted && c is '\n' or '\r')
                        found = true;
                }

                if (found || !ReadMore())
                    break;
            }

            int commas = 0, semicolons = 0, tabs = 0;
            var inQuotes = false;
            for (var i = _position; i < _length; i++)
            {
                var c = _buffer[i];
                if (c == '"')
                    inQuotes = !inQuotes;
                else if (!inQuotes && c is '\n' or '\r')
                    break;
                else if (!inQuotes)
                {
                    if (c == ',') commas++;
                    else if (c == ';') semicolons++;
                    else if (c == '\t') tabs++;
                }
            }

            return semicolons > commas && semicolons >= tabs ? ';' : tabs > commas ? '\t' : ',';
        }
    }
}
