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
        if (bytes.StartsWith("PK"u8))
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
        FileFormat? format = null) =>
        (format ?? Detect(file, bytes)) switch
        {
            FileFormat.Xlsx => XlsxTable.Read(file, bytes, schema, problems, limits, ct),
            FileFormat.Json => JsonTable.Read(file, bytes, schema, problems, limits, ct),
            _ => CsvTable.Read(file, bytes, schema, problems, limits, ct),
        };
}
