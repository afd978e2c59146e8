using QcdcCompliance.Views;

namespace QcdcCompliance.Reports;

/// <summary>
/// Writes a <see cref="ReportDocument"/> as one self-contained HTML page (styles inline, charts as inline SVG): the
/// same content as the DOCX, for a browser, printable, needing nothing from the internet. The page is the Razor
/// component <c>ReportPage</c> of QcdcCompliance.Views.
/// </summary>
public static class HtmlReportWriter
{
    public static string Write(ReportDocument report) => HtmlViews.Report(report);
}
