using QcdcCompliance.Import.Files;

namespace QcdcCompliance.Import;

/// <summary>Reads the cells of one row, reporting what is wrong with each to the file's problem list.</summary>
public readonly struct RowReader(Table table, TableRow row, ProblemList problems)
{
    public int Number => row.Number;

    /// <summary>The unit the row is about, named with each of its problems (<see cref="ImportProblem.Unit"/>).</summary>
    public string? Unit { get; init; }

    /// <summary>The indicator the row is about, named with each of its problems (<see cref="ImportProblem.Indicator"/>).</summary>
    public string? Indicator { get; init; }

    public void Problem(int column, string message) => problems.Add(row.Number, table.Schema[column].Name, message, Unit, Indicator);

    public string? Text(int column, int maxLength = 256)
    {
        var text = Import.Text.Clean(row.Cells[column]);
        if (text is not null && text.Length > maxLength)
        {
            Problem(column, $"the text is {text.Length} characters long; the limit is {maxLength}");
            return null;
        }

        return text;
    }

    public string? RequiredText(int column, int maxLength = 256)
    {
        var text = Text(column, maxLength);
        if (text is null && Import.Text.Clean(row.Cells[column]) is null)
            Problem(column, $"{table.Schema[column].Name} is empty; fill it in");
        return text;
    }

    /// <summary>A required name, on one line (<see cref="Import.Text.SingleLine"/>): a line break inside it becomes a space.</summary>
    public string? Name(int column, int maxLength = 256) => RequiredText(column, maxLength) is { } text ? Import.Text.SingleLine(text) : null;

    public string? Code(int column, bool required = true)
    {
        var code = Import.Text.Code(row.Cells[column]);
        if (code is null)
        {
            if (required)
                Problem(column, $"{table.Schema[column].Name} is empty; fill it in");
            return null;
        }

        if (!Import.Text.IsValidCode(code))
        {
            Problem(column, Import.Text.InvisibleInCode(code) ?? Import.Text.LookAlikeInCode(code)
                            ?? $"'{Shorten(code)}' is not a valid code; use letters, digits and - _ . / (at most 64 characters, starting with a letter or digit)");
            return null;
        }

        return code;
    }

    public DateOnly? Date(int column)
    {
        var text = Import.Text.Clean(row.Cells[column]);
        if (text is null)
            return null;
        if (Cells.TryDate(text, out var date, out var error))
            return date;
        Problem(column, error);
        return null;
    }

    public bool? Boolean(int column)
    {
        var text = Import.Text.Clean(row.Cells[column]);
        if (text is null)
            return null;
        if (Cells.TryBoolean(text, out var value, out var error))
            return value;
        Problem(column, error);
        return null;
    }

    public long? WholeNumber(int column, long min = 0, long max = long.MaxValue)
    {
        var text = Import.Text.Clean(row.Cells[column]);
        if (text is null)
            return null;
        if (!Cells.TryWholeNumber(text, out var value, out var error, max, table.Numbers))
        {
            Problem(column, error);
            return null;
        }

        if (value < min)
        {
            Problem(column, $"{value} is below {min}; a count cannot be negative");
            return null;
        }

        return value;
    }

    /// <summary>A percentage from 0 to 100, in hundredths of a percent.</summary>
    public long? Percentage(int column)
    {
        var text = Import.Text.Clean(row.Cells[column]);
        if (text is null)
            return null;
        if (!Cells.TryPercentage(text, out var value, out var error))
        {
            Problem(column, error);
            return null;
        }

        if (value is < 0 or > 10_000)
        {
            Problem(column, $"{text} is outside 0-100%; a share cannot be negative or over 100%");
            return null;
        }

        return value;
    }

    public bool IsBlank(int column) => Import.Text.Clean(row.Cells[column]) is null;

    /// <summary>Whether the cell holds only <see cref="Clear"/>: the file empties a stored value that a blank cell would keep.</summary>
    public bool Clears(int column) => Import.Text.Clean(row.Cells[column]) == Clear;

    /// <summary>What a cell holds to empty an optional stored value (a headcount, an e-mail, a date) where a blank keeps it.</summary>
    public const string Clear = "-";

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
