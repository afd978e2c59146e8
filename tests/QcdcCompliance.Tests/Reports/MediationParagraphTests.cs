using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;
using static QcdcCompliance.Tests.Reports.ReportReading;

namespace QcdcCompliance.Tests.Reports;

/// <summary>Section 6 of the review report restates the mediation cases, settled and rate whenever they are reported, teams or not.</summary>
public sealed class MediationParagraphTests
{
    [Fact]
    public async Task Mediation_cases_settled_and_rate_are_restated_under_section_6_when_no_unit_reported_its_teams()
    {
        await using var engine = await Engine.SqliteAsync(configure: s => s.AddQcdcReports()).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        // The communes report the cases the mediation rate reads (14 of 20 settled), none its mediation teams.
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader
            + "XA1,2020S1,MEDIATION_CASES,10,\nXA1,2020S1,MEDIATION_SUCCESSES,7,\nXA2,2020S1,MEDIATION_CASES,10,\nXA2,2020S1,MEDIATION_SUCCESSES,7,\n");
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var reports = engine.Services.GetRequiredService<ReviewReports>();

        var vi = await TextAsync(reports, ReportLanguage.Vi);
        var section6 = vi[vi.IndexOf("6. Công tác tiếp công dân, giải quyết khiếu nại, tố cáo và hòa giải ở cơ sở", StringComparison.Ordinal)..];
        section6.Should().Contain("Về hòa giải ở cơ sở, trong kỳ tiếp nhận 20 vụ việc, đã hòa giải thành 14 vụ, đạt tỷ lệ 70,0% (14/20 vụ việc)");
        vi.Should().NotContain("tổ hòa giải", "no unit reported its teams: no count of them is written");

        var en = await TextAsync(reports, ReportLanguage.En);
        en[en.IndexOf("6. Citizen reception, complaints and mediation", StringComparison.Ordinal)..]
            .Should().Contain("Grassroots mediation: 20 cases were received in the period and 14 settled, 70.0% (14/20 cases)");
    }

    private static async Task<string> TextAsync(ReviewReports reports, ReportLanguage language)
    {
        var docx = await reports.WriteAsync("2020S1", "P", ReportFormat.Docx, language);
        using var doc = WordprocessingDocument.Open(new MemoryStream(docx.Content), false);
        return Text(doc);
    }
}
