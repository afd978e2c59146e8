namespace QcdcCompliance.Import;

/// <summary>
/// One thing wrong with an input file, written <c>file:row:column: message</c>. Rows count as a spreadsheet shows
/// them (the header is row 1 in CSV and XLSX); in JSON the row is the element's position in its array.
/// </summary>
public sealed record ImportProblem(string File, int Row, string Column, string Message)
{
    public override string ToString() => (Row, Column) switch
    {
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

    public void Add(int row, string column, string message)
    {
        if (_problems.Count < Max)
            _problems.Add(new ImportProblem(File, row, column, message));
        else
            _notListed++;
    }

    public void ThrowIfAny()
    {
        if (Any)
            throw new ImportRejectedException(File, _problems.OrderBy(p => p.Row).ThenBy(p => p.Column, StringComparer.Ordinal).ToList(), _notListed);
    }
}
