using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;
using static QcdcCompliance.Tests.Reports.ReportReading;

namespace QcdcCompliance.Tests.Reports;

/// <summary>Section I.7 and the tasks of section III name every target that falls short somewhere under the area, not only those short in it.</summary>
public sealed class ShortfallSectionTests
{
    /// <summary>
    /// Complaints: 211/220 resolved in province P (met, ≥ 85%), 1/10 in Huyện Hai (short). Guidance disseminated: Xã Một
    /// informed 20 of 30 (short), Xã Ba has not reported: not yet judged in P, short in Huyện Một.
    /// </summary>
    private const string Values = Province.ValuesHeader +
        """
        XA1,2020S1,COMPLAINTS_RECEIVED,100,
        XA1,2020S1,COMPLAINTS_RESOLVED,100,
        XA2,2020S1,COMPLAINTS_RECEIVED,100,
        XA2,2020S1,COMPLAINTS_RESOLVED,100,
        CQ1,2020S1,COMPLAINTS_RECEIVED,10,
        CQ1,2020S1,COMPLAINTS_RESOLVED,10,
        XA3,2020S1,COMPLAINTS_RECEIVED,10,
        XA3,2020S1,COMPLAINTS_RESOLVED,1,
        XA1,2020S1,PEOPLE_INFORMED,20,
        XA1,2020S1,PEOPLE_TO_INFORM,30,
        XA2,2020S1,PEOPLE_INFORMED,25,
        XA2,2020S1,PEOPLE_TO_INFORM,25,
        CQ1,2020S1,PEOPLE_INFORMED,12,
        CQ1,2020S1,PEOPLE_TO_INFORM,12,
        DN1,2020S1,PEOPLE_INFORMED,50,
        DN1,2020S1,PEOPLE_TO_INFORM,50,
        DN2,2020S1,PEOPLE_INFORMED,40,
        DN2,2020S1,PEOPLE_TO_INFORM,40,

        """;

    [Fact]
    public async Task A_target_not_judged_or_met_in_the_province_but_short_under_it_is_named_with_the_appendix_counts()
    {
        await using var engine = await Engine.SqliteAsync(configure: s => s.AddQcdcReports()).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Values);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var reports = engine.Services.GetRequiredService<ReviewReports>();

        var (vi, viTables) = await ProseAsync(reports, ReportLanguage.Vi);
        var informed = viTables["appendix:NQ02-3"][^1];
        informed[^1].Should().Be("Chưa đủ số liệu", "Xã Ba has not reported");
        viTables["appendix:KPI-COMPLAINTS"][^1][^1].Should().Be("Đạt");
        var shortfalls = Section(vi, "7. Cơ sở, địa bàn chưa đạt chỉ tiêu", "II. ĐÁNH GIÁ CHUNG");
        shortfalls.Should().Contain($"Chỉ tiêu 3 (quán triệt văn bản về quy chế dân chủ): ")
            .And.Contain($"(yêu cầu ≥\u00a0100%: chưa đủ số liệu); {Number(informed[1]) - Number(informed[2]) - Number(informed[3])} cơ sở chưa đạt, {informed[3]} cơ sở chưa báo cáo; 1 địa bàn chưa đạt: huyện Một.")
            .And.Contain("(yêu cầu ≥\u00a085%: đạt); 1 địa bàn chưa đạt: huyện Hai.");
        var tasks = Section(vi, "III. PHƯƠNG HƯỚNG", "IV. KIẾN NGHỊ");
        tasks.Should().Contain("Chỉ đạo 1 cơ sở chưa đạt chỉ tiêu 3 (quán triệt văn bản về quy chế dân chủ) khắc phục, tập trung ở huyện Một")
            .And.Contain("đạt yêu cầu ≥\u00a085%, tập trung ở huyện Hai");

        var (en, _) = await ProseAsync(reports, ReportLanguage.En);
        Section(en, "7. Units and areas that fall short", "II. ASSESSMENT").Should().Contain("(target ≥\u00a0100%: incomplete); 1 unit short, 1 unit not reported; 1 area short: Một district.")
            .And.Contain("(target ≥\u00a085%: met); 1 area short: Hai district.");
        Section(en, "III. TASKS", "IV. RECOMMENDATIONS").Should().Contain("Have the 1 unit short of Target 3: guidance disseminated put it right, above all in Một district")
            .And.Contain("to ≥\u00a085%, above all in Hai district");
    }

    private static async Task<(string Text, Dictionary<string, List<string[]>> Tables)> ProseAsync(ReviewReports reports, ReportLanguage language)
    {
        var docx = await reports.WriteAsync("2020S1", "P", ReportFormat.Docx, language);
        using var doc = WordprocessingDocument.Open(new MemoryStream(docx.Content), false);
        return (Text(doc), Tables(doc));
    }

    private static string Section(string text, string from, string to)
    {
        var start = text.IndexOf(from, StringComparison.Ordinal);
        start.Should().BeGreaterThanOrEqualTo(0, from);
        return text[start..text.IndexOf(to, start, StringComparison.Ordinal)];
    }
}
