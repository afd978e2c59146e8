namespace QcdcCompliance.Import;

/// <summary>
/// The label of a totals row ("Tổng cộng", "Tổng", "Cộng", "Tổng số", "Total"), which officers' report sheets often end
/// with: it is no unit, and its sums are the evaluation's to make from the units' figures, never a figure to store. Read
/// as names and yes/no words are (<see cref="Text.Fold"/>: NFC or not, case and diacritics aside), a trailing ':' aside.
/// </summary>
public static class TotalsLabel
{
    private static readonly HashSet<string> Labels = new(StringComparer.Ordinal) { "tong cong", "tong", "cong", "tong so", "total", "totals", "grand total" };

    /// <summary>Whether the cell reads as a totals row's label.</summary>
    public static bool Is(string? cell)
    {
        // A unit's code is read on every row: only text as short as a label is folded (a call into ICU).
        if (cell is null || cell.Length > 24 || Text.Clean(cell) is not { } text || text[0] is not ('T' or 't' or 'C' or 'c' or 'G' or 'g'))
            return false;
        var folded = string.Join(' ', Text.Fold(text).TrimEnd(':', '.').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return Labels.Contains(folded);
    }

    /// <summary>Why the row is refused, and that deleting it is the way out.</summary>
    public static string Refusal(string label) =>
        $"'{label}' labels a totals row, not a unit: the units' figures are added up by the evaluation, never imported; delete this row";
}
