using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Tests.Reports;

/// <summary>Reads a generated DOCX back: its tables by caption id, its text, and Vietnamese numbers as longs.</summary>
public static class ReportReading
{
    public static Dictionary<string, List<string[]>> Tables(WordprocessingDocument doc) =>
        doc.MainDocumentPart!.Document!.Body!.Descendants<Table>()
            .Where(t => t.GetFirstChild<TableProperties>()?.GetFirstChild<TableCaption>()?.Val?.Value is not null)
            .ToDictionary(
                t => t.GetFirstChild<TableProperties>()!.GetFirstChild<TableCaption>()!.Val!.Value!,
                t => t.Elements<TableRow>().Skip(1).Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToArray()).ToList());

    public static string Text(WordprocessingDocument doc) =>
        string.Join("\n", doc.MainDocumentPart!.Document!.Body!.Elements<Paragraph>().Select(p => p.InnerText));

    /// <summary>1.327.453 → 1327453.</summary>
    public static long Number(string text) => long.Parse(text.Replace(".", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>The share a reader expects, by the one rule (<see cref="Shares.RoundPercent"/>), a comma, a percent sign.</summary>
    public static string VietnamesePercent(long numerator, long denominator) =>
        Shares.Percent(numerator, denominator).Replace('.', ',') + "%";

    /// <summary>The share a reader expects beside its threshold: kept on the exact share's side of it (69,9% for 2.333/3.333 beside ≥ 70%).</summary>
    public static string VietnamesePercent(long numerator, long denominator, Threshold? beside) =>
        Shares.Percent(numerator, denominator, beside).Replace('.', ',') + "%";

    /// <summary>1327453 → 1.327.453, written independently of the report code.</summary>
    public static string VietnameseNumber(long value) =>
        value.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', '.');
}
