using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using QcdcCompliance.Decisions;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;
using static QcdcCompliance.Tests.Reports.ReportReading;

namespace QcdcCompliance.Tests.Reports;

/// <summary>
/// A change in percentage points is one figure wherever a reader meets it: taken from the exact shares and rounded once,
/// never from shares already rounded for display.
/// </summary>
public sealed class ReportChangesTests
{
    /// <summary>
    /// Complaints resolved in province P: 8.936/10.000 (89,36%, shown 89,4%) in 2019S1, 894/1.000 (89,40%) in 2019S2 and
    /// 1.181/1.300 (90,846%, shown 90,8%) in 2020S1. Exactly, 2020S1 gains 1,486 points on 2019S1 (+1,5) and 1,446 on
    /// 2019S2 (+1,4); the shown shares subtracted give +1,4 and +1,4, shares rounded to two decimals +1,49 and +1,45,
    /// which round again to +1,5 and +1,5.
    /// </summary>
    private const string Complaints = Province.ValuesHeader +
        """
        XA1,2019S1,COMPLAINTS_RECEIVED,10000,
        XA1,2019S1,COMPLAINTS_RESOLVED,8936,
        XA1,2019S2,COMPLAINTS_RECEIVED,1000,
        XA1,2019S2,COMPLAINTS_RESOLVED,894,
        XA1,2020S1,COMPLAINTS_RECEIVED,1300,
        XA1,2020S1,COMPLAINTS_RESOLVED,1181,

        """;

    private const string Target = "KPI-COMPLAINTS";

    [Fact]
    public async Task A_change_is_taken_from_the_exact_shares_and_reads_the_same_in_every_table_the_workbook_the_trend_and_the_dashboard()
    {
        await using var engine = await Engine.SqliteAsync(configure: s => s.AddQcdcReports()).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Complaints);
        foreach (var period in new[] { "2019S1", "2019S2", "2020S1" })
            await engine.Evaluations.EvaluateAsync(period, null, RunTrigger.Manual);
        var reports = engine.Services.GetRequiredService<ReviewReports>();

        var docx = await reports.WriteAsync("2020S1", "P", ReportFormat.Docx, ReportLanguage.Vi);
        using var doc = WordprocessingDocument.Open(new MemoryStream(docx.Content), false);
        var tables = Tables(doc);
        const string name = "Tỷ lệ giải quyết đơn thư khiếu nại, tố cáo";
        // Section I.4: now, the same period last year and its change, the previous period and its change.
        tables["comparison"].Single(r => r[0] == name).Skip(2).Should().Equal("90,8%", "89,4%", "+1,5", "89,4%", "+1,4");
        // Appendix 5: the three periods, then the change against the previous period and against the same period last year.
        tables["trend"].Single(r => r[0] == name)[^2..].Should().Equal("+1,4", "+1,5");

        var html = System.Text.Encoding.UTF8.GetString((await reports.WriteAsync("2020S1", "P", ReportFormat.Html, ReportLanguage.Vi)).Content);
        var cells = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "(<[^>]+>)+", "|"));
        cells.Should().Contain($"|{name}|≥\u00a085%|90,8%|89,4%|+1,5|89,4%|+1,4|").And.Contain($"|{name}|≥\u00a085%|89,4%|89,4%|90,8%|+1,4|+1,5|");

        var point = (await engine.Services.GetRequiredService<TrendQueries>().ForAsync("P", Target)).Points.Single(p => p.Period == "2020S1");
        new decimal?[] { point.ChangeFromPreviousPeriod, point.ChangeFromSamePeriodLastYear }.Should().Equal([1.4m, 1.5m], "the trend API gives the figure the report prints");
        var standing = (await engine.Services.GetRequiredService<OverviewQueries>().ForAreaAsync("2020S1", "P")).Targets.Single(t => t.Current.TargetCode == Target);
        standing.Change.Should().Be(1.4m, "the dashboard's overview shows the change against the previous period the report prints");

        var xlsx = (await reports.WriteAsync("2020S1", "P", ReportFormat.Xlsx, ReportLanguage.Vi)).Content;
        var trend = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true, sheetName: "Diễn biến").Cast<IDictionary<string, object?>>().Skip(1)
            .Single(r => (string?)r["Mã chỉ tiêu"] == Target && (string?)r["Kỳ"] == "2020S1");
        (Convert.ToDecimal(trend["So với kỳ trước (điểm %)"]), Convert.ToDecimal(trend["So với cùng kỳ (điểm %)"])).Should().Be((1.4m, 1.5m));
        var targets = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true, sheetName: "Chỉ tiêu").Cast<IDictionary<string, object?>>().Skip(1)
            .Single(r => (string?)r["Mã chỉ tiêu"] == Target);
        Convert.ToDecimal(targets["Thay đổi (điểm %)"]).Should().Be(1.4m);
    }

    [Fact]
    public async Task The_workbooks_trend_holds_the_periods_up_to_the_reports_own_oldest_first()
    {
        await using var engine = await Engine.SqliteAsync(configure: s => s.AddQcdcReports()).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Complaints + "XA1,2020S2,COMPLAINTS_RECEIVED,10,\nXA1,2020S2,COMPLAINTS_RESOLVED,9,\n");
        foreach (var period in new[] { "2020S2", "2019S1", "2020S1", "2019", "2019S2" })
            await engine.Evaluations.EvaluateAsync(period, null, RunTrigger.Manual);

        var xlsx = (await engine.Services.GetRequiredService<ReviewReports>().WriteAsync("2020S1", "P", ReportFormat.Xlsx, ReportLanguage.Vi)).Content;

        var periods = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true, sheetName: "Diễn biến").Cast<IDictionary<string, object?>>().Skip(1)
            .Where(r => (string?)r["Mã chỉ tiêu"] == Target).Select(r => (string?)r["Kỳ"]).ToList();
        periods.Should().Equal(["2019S1", "2019S2", "2019", "2020S1"], "a report of 2020S1 holds nothing of 2020S2, and its periods read in time order");
    }
}
