namespace QcdcCompliance.Import.Files;

public enum FileFormat
{
    Csv,
    Xlsx,
    Json,
}

/// <summary>Opens a file of any supported format as a <see cref="Table"/>: by extension, else by its first bytes.</summary>
public static class TableReader
{
    public static FileFormat Detect(string fileName, ReadOnlySpan<byte> bytes)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (extension == ".xlsx")
            return FileFormat.Xlsx;
        if (extension == ".json")
            return FileFormat.Json;
        if (extension == ".csv" || extension == ".txt")
            return FileFormat.Csv;
        if (bytes.StartsWith(ZipFile))
            return FileFormat.Xlsx;
        var start = bytes.TrimStart(" \t\r\n"u8);
        if (start.StartsWith("\xEF\xBB\xBF"u8))
            start = start[3..].TrimStart(" \t\r\n"u8);
        return start.Length > 0 && (start[0] == (byte)'[' || start[0] == (byte)'{') ? FileFormat.Json : FileFormat.Csv;
    }

    public static Table Read(string file, byte[] bytes, IReadOnlyList<Column> schema, ProblemList problems, FileFormat? format = null) =>
        Read(file, bytes, schema, problems, ImportLimits.Default, CancellationToken.None, format);

    /// <summary>The table of a file, read within the limits; its rows stop with <paramref name="ct"/> (a client that went away).</summary>
    public static Table Read(string file, byte[] bytes, IReadOnlyList<Column> schema, ProblemList problems, ImportLimits limits, CancellationToken ct,
        FileFormat? format = null)
    {
        // Read as CSV, its binary records were refused as "NUL bytes ... UTF-16 text", which sent the user the wrong way.
        if (bytes.AsSpan().StartsWith(CompoundFile))
        {
            problems.Add(0, "", "the file is an old Excel workbook (.xls, Excel 97-2003), which cannot be read; open it in Excel and save it as "
                                + "'Excel Workbook (*.xlsx)' or 'CSV UTF-8 (Comma delimited)' (a workbook protected by a password is stored the same way: save it without one)");
            return new Table(file, schema, [], problems);
        }

        return (format ?? Detect(file, bytes)) switch
        {
            FileFormat.Xlsx => XlsxTable.Read(file, bytes, schema, problems, limits, ct),
            FileFormat.Json => JsonTable.Read(file, bytes, schema, problems, limits, ct),
            _ => CsvTable.Read(file, bytes, schema, problems, limits, ct),
        };
    }

    /// <summary>Whether the bytes are a workbook's, never text: a ZIP file (.xlsx) or an OLE2 compound file (.xls, or an .xlsx with a password).</summary>
    public static bool IsWorkbook(ReadOnlySpan<byte> bytes) => bytes.StartsWith(ZipFile) || bytes.StartsWith(CompoundFile);

    /// <summary>The signature of a ZIP file's first entry, which an .xlsx workbook is.</summary>
    private static ReadOnlySpan<byte> ZipFile => [0x50, 0x4B, 0x03, 0x04];

    /// <summary>The signature of an OLE2 compound file: an Excel 97-2003 workbook (.xls), or an .xlsx encrypted with a password.</summary>
    private static ReadOnlySpan<byte> CompoundFile => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
}
