namespace QcdcCompliance.Import.Files;

/// <summary>
/// How much of a file an import reads before it refuses it (section <c>Imports</c> of the host's settings). Each bound
/// is checked before the work it guards: a workbook's declared size before its rows, a compressed part's size before
/// it is inflated, a cell's length before it is kept.
/// </summary>
public sealed record ImportLimits
{
    public const int DefaultMaxProblems = 1000;

    public static readonly ImportLimits Default = new();

    /// <summary>Rows of a sheet, declared or present (Excel's own limit is 1,048,576).</summary>
    public int MaxRows { get; init; } = 1_048_576;

    /// <summary>Columns of a sheet, declared or present: the schemas have at most 9; room is left for stray columns.</summary>
    public int MaxColumns { get; init; } = 256;

    /// <summary>Cells present in a sheet (each costs time to read, whatever it holds).</summary>
    public long MaxCells { get; init; } = 10_000_000;

    /// <summary>Characters of one cell, in any format.</summary>
    public int MaxCellLength { get; init; } = CsvTable.MaxCellLength;

    /// <summary>Bytes of a workbook's parts once inflated (a small zip can inflate to gigabytes).</summary>
    public long MaxUnpackedBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Problems kept for a refused file; the rest are counted, not listed.</summary>
    public int MaxProblems { get; init; } = DefaultMaxProblems;
}
