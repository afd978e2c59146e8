namespace QcdcCompliance.Import.Files;

/// <summary>
/// How a file writes a number typed as text: which of '.' and ',' is its decimal separator (the other groups thousands,
/// as spaces do), and whether the file tells it for sure. A count is read by it (<see cref="Cells.TryWholeNumber"/>), never
/// by how many digits follow the separator: "2.500" was 2500 while "2.50" was refused.
/// </summary>
public enum NumberConvention
{
    /// <summary>'.' is the decimal point, ',' groups thousands, for sure: JSON, whose numbers are written so.</summary>
    DecimalPoint,

    /// <summary>
    /// ',' is the decimal comma, '.' groups thousands: a CSV separated by ';', which is what a locale that writes the
    /// decimal comma saves (Excel in Vietnamese; LibreOffice's ';' filter).
    /// </summary>
    DecimalComma,

    /// <summary>
    /// '.' is most likely the decimal point and ',' groups thousands (a CSV separated by ',' or a tab, a workbook's text
    /// cells), but a program in a Vietnamese locale writes such a file too (LibreOffice saves ',' by default, numbers as
    /// shown: 2500 as "2.500"): a '.' followed by three digits, which reads two ways, is refused rather than guessed.
    /// </summary>
    DecimalPointUnsure,
}
