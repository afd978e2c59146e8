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

/// <summary>Thrown when a file is refused; nothing of it was stored.</summary>
public sealed class ImportRejectedException(string file, IReadOnlyList<ImportProblem> problems)
    : Exception($"{file} was refused with {problems.Count} problem(s); nothing was stored. First: {problems.FirstOrDefault()}")
{
    public string File { get; } = file;
    public IReadOnlyList<ImportProblem> Problems { get; } = problems;
}

/// <summary>Collects problems while a file is read, and refuses it at the end if there were any.</summary>
public sealed class ProblemList(string file)
{
    private readonly List<ImportProblem> _problems = [];

    public string File { get; } = file;
    public int Count => _problems.Count;
    public bool Any => _problems.Count > 0;
    public IReadOnlyList<ImportProblem> Items => _problems;

    public void Add(int row, string column, string message) => _problems.Add(new ImportProblem(File, row, column, message));

    public void ThrowIfAny()
    {
        if (_problems.Count > 0)
            throw new ImportRejectedException(File, _problems.OrderBy(p => p.Row).ThenBy(p => p.Column, StringComparer.Ordinal).ToList());
    }
}
