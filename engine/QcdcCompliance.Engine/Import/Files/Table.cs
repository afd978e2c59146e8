namespace QcdcCompliance.Import.Files;

/// <summary>A column an import expects.</summary>
public sealed record Column(string Name, bool Required = true);

/// <summary>
/// A row of a file as it stands, before any header is matched: its number (1-based) and its cells by column (0-based, null
/// when empty). <paramref name="Uncomputed"/>, when a workbook's row has any, holds by column the formula of a cell that
/// carries no computed result (<see cref="XlsxTable.Uncomputed"/>); such a cell is null in <paramref name="Cells"/>.
/// </summary>
public readonly record struct GridRow(int Number, string?[] Cells, string?[]? Uncomputed = null)
{
    /// <summary>The formula of the cell in <paramref name="column"/> if it has no computed result, else null.</summary>
    public string? UncomputedAt(int column) => Uncomputed is { } formulas && column >= 0 && column < formulas.Length ? formulas[column] : null;
}

/// <summary>The indicators a filled template's row (a unit and a period, as written) leaves empty.</summary>
public sealed record BlankCells(string Unit, string Period, IReadOnlyList<string> Indicators);

/// <summary>A data row: its number as the user sees it, and its cells in the order of the schema's columns.</summary>
public readonly record struct TableRow(int Number, string?[] Cells);

/// <summary>
/// A file read as rows under a header, whatever its format. Rows come lazily so that a million-row file is never
/// held twice; the header is checked against the schema before the first row is read.
/// </summary>
public sealed class Table(string file, IReadOnlyList<Column> schema, IEnumerable<TableRow> rows, ProblemList problems)
{
    public string File { get; } = file;

    /// <summary>Problems of the file: the reader's (encoding, quotes, stray cells) and the importer's, in one list.</summary>
    public ProblemList Problems { get; } = problems;

    public IReadOnlyList<Column> Schema { get; } = schema;

    /// <summary>How the file writes numbers typed as text: what its count cells are read by (set by the import when its caller knows better).</summary>
    public NumberConvention Numbers { get; internal set; } = NumberConvention.DecimalPoint;
    public IEnumerable<TableRow> Rows { get; } = Storable(rows, schema, problems);

    /// <summary>
    /// A filled template's empty cells under an indicator, row by row, complete once <see cref="Rows"/> is read: what
    /// keeps a value stored before (an import leaves what it does not name), counted in the summary. Empty for a long file.
    /// </summary>
    public IReadOnlyList<BlankCells> Blanks { get; internal init; } = [];

    public int IndexOf(string column)
    {
        for (var i = 0; i < Schema.Count; i++)
        {
            if (Schema[i].Name == column)
                return i;
        }

        throw new ArgumentException($"{column} is not in the schema");
    }

    /// <summary>
    /// Rows whose every cell is text a database can store. A NUL character (PostgreSQL refuses it in text) or half a
    /// surrogate pair (no encoding writes it) is the user's to fix, named like any other problem; such a row is left out.
    /// </summary>
    private static IEnumerable<TableRow> Storable(IEnumerable<TableRow> rows, IReadOnlyList<Column> schema, ProblemList problems)
    {
        foreach (var row in rows)
        {
            var storable = true;
            for (var i = 0; i < row.Cells.Length; i++)
            {
                if (row.Cells[i] is { } cell && Unstorable(cell) is { } why)
                {
                    problems.Add(row.Number, schema[i].Name, why);
                    storable = false;
                }
            }

            if (storable)
                yield return row;
        }
    }

    private static string? Unstorable(string cell)
    {
        var span = cell.AsSpan();
        if (span.Contains('\0'))
            return "the cell holds a NUL character (U+0000), which text cannot hold; the file may be UTF-16 or binary: save it as CSV UTF-8";
        var at = Text.FirstNonText(span);
        if (at < 0)
            return null;
        return char.IsSurrogate(span[at])
            ? $"the cell holds half of a UTF-16 surrogate pair (U+{(int)span[at]:X4} at character {at + 1}), which is not text; write the character whole"
            : $"the cell holds U+{(int)span[at]:X4} at character {at + 1}, which is not text (often a byte-order mark read the wrong way round); save the file as CSV UTF-8";
    }
}

/// <summary>Matches a header row to a schema: names compared case-insensitively, spaces read as underscores.</summary>
public static class HeaderMatcher
{
    /// <returns>For each source column, the schema index it fills, or -1 for an ignored blank column.</returns>
    public static int[] Match(IReadOnlyList<string?> header, IReadOnlyList<Column> schema, ProblemList problems)
    {
        var map = new int[header.Count];
        var seen = new Dictionary<int, int>();
        for (var i = 0; i < header.Count; i++)
        {
            var name = Normalise(header[i]);
            if (name.Length == 0)
            {
                map[i] = -1;
                continue;
            }

            var index = -1;
            for (var s = 0; s < schema.Count; s++)
            {
                if (schema[s].Name == name)
                    index = s;
            }

            if (index < 0)
            {
                problems.Add(1, header[i] ?? "", $"unexpected column '{header[i]}'; the columns are {Describe(schema)}");
                map[i] = -1;
                continue;
            }

            if (seen.TryGetValue(index, out var first))
                problems.Add(1, name, $"column '{name}' appears twice (columns {first + 1} and {i + 1}); keep one");
            seen[index] = i;
            map[i] = index;
        }

        foreach (var (column, s) in schema.Select((c, s) => (c, s)))
        {
            if (column.Required && !seen.ContainsKey(s))
                problems.Add(1, column.Name, $"column '{column.Name}' is missing; the columns are {Describe(schema)}");
        }

        return map;
    }

    public static string Normalise(string? header) =>
        (Text.Clean(header) ?? "").ToLowerInvariant().Replace(' ', '_').Replace('-', '_');

    private static string Describe(IReadOnlyList<Column> schema) =>
        string.Join(",", schema.Select(c => c.Required ? c.Name : c.Name + " (optional)"));
}
