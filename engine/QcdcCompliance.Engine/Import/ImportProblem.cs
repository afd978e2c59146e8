namespace QcdcCompliance.Import;

/// <summary>
/// One thing wrong with an input file, written <c>file:row:column: message</c>. Rows count as a spreadsheet shows
/// them (the header is row 1 in CSV and XLSX); in JSON the row is the element's position in its array.
/// </summary>
public sealed record ImportProblem(string File, int Row, string Column, string Message)
{
    /// <summary>
    /// The cell as the user finds it when the file is a filled template: <c>'Số liệu'!F7</c> in a workbook, <c>7:6</c>
    /// (row:column) in CSV; null for the other files, whose problems are named by row and column name.
    /// </summary>
    public string? Cell { get; init; }

    /// <summary>The unit of the template's row the problem is about, when it is one.</summary>
    public string? Unit { get; init; }

    /// <summary>The indicator of the template's column the problem is about, when it is one.</summary>
    public string? Indicator { get; init; }

    /// <summary>
    /// Whether the problem is named by its row and column name with its <see cref="Cell"/> after them (a file read under a
    /// header row, from a workbook: <c>values.xlsx:40:value (Sheet1!D40)</c>); a filled template's is named by its cell alone.
    /// </summary>
    public bool ByName { get; init; }

    public override string ToString() => (Row, Column) switch
    {
        _ when Cell is not null && ByName => $"{File}:{Row}:{Column} ({Cell}): {Message}",
        _ when Cell is not null => $"{File}:{Cell}: {Message}",
        ( > 0, _) => $"{File}:{Row}:{Column}: {Message}",
        (_, { Length: > 0 }) => $"{File}:{Column}: {Message}",
        _ => $"{File}: {Message}",
    };
}

/// <summary>Thrown when a file is refused; nothing of it was stored. <see cref="Problems"/> lists the first ones found, <see cref="NotListed"/> counts the rest.</summary>
public sealed class ImportRejectedException(string file, IReadOnlyList<ImportProblem> problems, long notListed = 0)
    : Exception($"{file} was refused with {problems.Count + notListed} problem(s); nothing was stored. First: {problems.FirstOrDefault()}")
{
    public string File { get; } = file;
    public IReadOnlyList<ImportProblem> Problems { get; } = problems;

    /// <summary>Problems found beyond the ones listed (a file of a million bad rows is refused with the first thousand).</summary>
    public long NotListed { get; } = notListed;

    public long Total => Problems.Count + NotListed;
}

/// <summary>
/// Collects problems while a file is read, and refuses it at the end if there were any. It keeps the first
/// <see cref="Max"/> and counts the others, so a file of a million bad rows costs no more memory than one of a thousand.
/// </summary>
public sealed class ProblemList(string file, int max = Files.ImportLimits.DefaultMaxProblems)
{
    private readonly List<ImportProblem> _problems = [];
    private long _notListed;

    public string File { get; } = file;
    public int Max { get; } = Math.Max(1, max);
    public long Count => _problems.Count + _notListed;
    public bool Any => Count > 0;
    public IReadOnlyList<ImportProblem> Items => _problems;

    /// <summary>
    /// Says where a problem is as the user sees it, when the rows checked are not the file's (a filled template is read
    /// as one row per cell, <see cref="WideValueTable"/>): the cell, its unit and indicator.
    /// </summary>
    public Func<ImportProblem, ImportProblem>? Locate { get; set; }

    /// <summary>
    /// Whether a problem was said already of the same place, and is neither listed nor counted again: a filled template's row
    /// is checked as one row per cell, and a problem of its unit or period is the row's, said once (<see cref="WideValueTable"/>).
    /// </summary>
    public Func<ImportProblem, bool>? Repeats { get; set; }

    /// <param name="unit">The unit the row is about (<see cref="ImportProblem.Unit"/>), when the file's rows name one each.</param>
    /// <param name="indicator">The indicator the row is about (<see cref="ImportProblem.Indicator"/>), likewise.</param>
    public void Add(int row, string column, string message, string? unit = null, string? indicator = null)
    {
        // Past the ones listed a problem is only counted: a file of a million bad rows allocates nothing more for them.
        var problem = Repeats is null && _problems.Count >= Max ? null : new ImportProblem(File, row, column, message) { Unit = unit, Indicator = indicator };
        if (problem is not null && Repeats?.Invoke(problem) == true)
            return;
        if (_problems.Count < Max)
            _problems.Add(Locate is null ? problem! : Locate(problem!));
        else
            _notListed++;
    }

    public void ThrowIfAny()
    {
        if (Any)
            throw new ImportRejectedException(File, _problems.OrderBy(p => p.Row).ThenBy(p => p.Column, StringComparer.Ordinal).ToList(), _notListed);
    }
}
