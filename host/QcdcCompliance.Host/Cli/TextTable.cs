using System.Text;

namespace QcdcCompliance.Host.Cli;

/// <summary>A plain text table for the terminal: columns padded to their widest cell, numbers aligned right.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public TextTable Add(params object?[] cells)
    {
        _rows.Add(cells.Select(c => c?.ToString() ?? "").ToArray());
        return this;
    }

    public override string ToString()
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        Line(headers);
        text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in _rows)
            Line(row);
        return text.ToString();

        void Line(string[] cells) =>
            text.AppendLine(string.Join("  ", cells.Select((c, i) => IsNumber(c) ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd());
    }

    private static bool IsNumber(string cell) => cell.Length > 0 && (char.IsAsciiDigit(cell[0]) || cell[0] == '-') && cell.TrimEnd('%').All(c => char.IsAsciiDigit(c) || c is '.' or ',' or '-');
}
