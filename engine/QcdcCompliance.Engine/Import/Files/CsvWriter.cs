using System.Globalization;
using nietras.SeparatedValues;

namespace QcdcCompliance.Import.Files;

/// <summary>
/// A cell to write: text, whose leading <c>= + - @</c>, tab or carriage return (a formula to a spreadsheet) gets an
/// apostrophe; or a figure the product formatted itself (a count, a share, a date), written as it is.
/// </summary>
public readonly record struct CsvCell(string? Value, bool IsText)
{
    public static implicit operator CsvCell(string? text) => new(text, true);

    public static implicit operator CsvCell(long? number) => new(number?.ToString(CultureInfo.InvariantCulture), false);

    /// <summary>A figure already formatted by the product (a share "3/4", a threshold "0.8", a period code, a date): never guarded.</summary>
    public static CsvCell Figure(string? value) => new(value, false);
}

/// <summary>
/// Every CSV the product writes (findings, what-if, completeness, reporting templates, the demo's data files) goes
/// through here: Sep with quoting (a cell holding ',', '"' or a line break is quoted, quotes doubled), and the formula
/// guard on every text cell. Line ends are the output's <see cref="TextWriter.NewLine"/>; a byte-order mark is the
/// caller's choice (the encoding's preamble, or <see cref="Bom"/>).
/// </summary>
public sealed class CsvWriter : IDisposable
{
    /// <summary>The byte-order mark (U+FEFF, EF BB BF in UTF-8) with which a file for Excel starts.</summary>
    public const string Bom = "\uFEFF";

    private readonly SepWriter _sep;

    public CsvWriter(TextWriter output) =>
        _sep = Sep.New(',').Writer(o => o with
        {
            WriteHeader = false,
            Escape = true,
            DisableColCountCheck = true,
            ColNotSetOption = SepColNotSetOption.Empty,
            CultureInfo = CultureInfo.InvariantCulture,
        }).To(output, leaveOpen: true);

    /// <summary>One record of cells.</summary>
    public void Row(params ReadOnlySpan<CsvCell> cells)
    {
        using var row = _sep.NewRow();
        for (var i = 0; i < cells.Length; i++)
            row[i].Set(cells[i].IsText ? Guard(cells[i].Value) : cells[i].Value ?? "");
    }

    /// <summary>One record of text cells (a header, a row of names).</summary>
    public void Row(IEnumerable<string?> cells)
    {
        using var row = _sep.NewRow();
        var i = 0;
        foreach (var cell in cells)
            row[i++].Set(Guard(cell));
    }

    public void Dispose() => _sep.Dispose();

    /// <summary>The whole CSV as a string: LF line ends, a byte-order mark first when asked.</summary>
    public static string Text(Action<CsvWriter> write, bool bom = false)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        if (bom)
            text.Write(Bom);
        using (var csv = new CsvWriter(text))
            write(csv);
        return text.ToString();
    }

    /// <summary>A text cell as written: empty for nothing, an apostrophe before what a spreadsheet would run as a formula.</summary>
    public static string Guard(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        return value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
    }
}
