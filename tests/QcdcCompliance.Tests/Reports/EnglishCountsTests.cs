using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;
using static QcdcCompliance.Tests.Reports.ReportReading;

namespace QcdcCompliance.Tests.Reports;

/// <summary>An English report counts in English: a count of one takes the singular ("1 state administrative agency").</summary>
public sealed class EnglishCountsTests
{
    /// <summary>
    /// Every unit of province P reports every figure of the 2020S1 targets except the commune party secretaries'
    /// citizen reception days: six targets are judged, one is not. P has one state agency and one village.
    /// </summary>
    private const string Values = Province.ValuesHeader +
        """
        XA1,2020S1,COMPLAINTS_RECEIVED,10,
        XA1,2020S1,COMPLAINTS_RESOLVED,9,
        XA2,2020S1,COMPLAINTS_RECEIVED,10,
        XA2,2020S1,COMPLAINTS_RESOLVED,9,
        XA3,2020S1,COMPLAINTS_RECEIVED,10,
        XA3,2020S1,COMPLAINTS_RESOLVED,9,
        CQ1,2020S1,COMPLAINTS_RECEIVED,10,
        CQ1,2020S1,COMPLAINTS_RESOLVED,9,
        XA1,2020S1,MEDIATION_CASES,10,
        XA1,2020S1,MEDIATION_SUCCESSES,8,
        XA2,2020S1,MEDIATION_CASES,10,
        XA2,2020S1,MEDIATION_SUCCESSES,8,
        XA3,2020S1,MEDIATION_CASES,10,
        XA3,2020S1,MEDIATION_SUCCESSES,8,
        XA1,2020S1,REGULATION_ISSUED,true,
        XA2,2020S1,REGULATION_ISSUED,false,
        XA3,2020S1,REGULATION_ISSUED,true,
        CQ1,2020S1,REGULATION_ISSUED,true,
        DN1,2020S1,REGULATION_ISSUED,true,
        DN2,2020S1,REGULATION_ISSUED,true,
        XA1,2020S1,PEOPLE_INFORMED,30,
        XA1,2020S1,PEOPLE_TO_INFORM,30,
        XA2,2020S1,PEOPLE_INFORMED,25,
        XA2,2020S1,PEOPLE_TO_INFORM,25,
        XA3,2020S1,PEOPLE_INFORMED,20,
        XA3,2020S1,PEOPLE_TO_INFORM,20,
        CQ1,2020S1,PEOPLE_INFORMED,12,
        CQ1,2020S1,PEOPLE_TO_INFORM,12,
        DN1,2020S1,PEOPLE_INFORMED,50,
        DN1,2020S1,PEOPLE_TO_INFORM,50,
        DN2,2020S1,PEOPLE_INFORMED,40,
        DN2,2020S1,PEOPLE_TO_INFORM,40,
        XA1,2020S1,DISCLOSURE_POSTED,true,
        XA2,2020S1,DISCLOSURE_POSTED,true,
        XA3,2020S1,DISCLOSURE_POSTED,true,
        CQ1,2020S1,DISCLOSURE_POSTED,true,
        DN1,2020S1,DISCLOSURE_POSTED,true,
        XA1,2020S1,DIALOGUE_CONFERENCES,1,

        """;

    [Fact]
    public async Task A_count_of_one_takes_the_singular_in_the_English_report()
    {
        await using var engine = await Engine.SqliteAsync(configure: s => s.AddQcdcReports()).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Values);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        var docx = await engine.Services.GetRequiredService<ReviewReports>().WriteAsync("2020S1", "P", ReportFormat.Docx, ReportLanguage.En);
        using var doc = WordprocessingDocument.Open(new MemoryStream(docx.Content), false);
        var text = Text(doc);

        text.Should().Contain("(3 commune people's committees, 1 state administrative agency, 2 non-state enterprises, 1 village or residential group)")
            .And.Contain("Thử province has 1 state administrative agency reporting in the period.")
            .And.Contain("Thử province has 1 village or residential group reporting in the period.")
            .And.Contain("1 of 1 state administrative agency met")
            .And.Contain("; 1 could not be judged or does not apply.")
            .And.Contain("Commune leaders held 1 dialogue conference with the people.");
        text.Should().NotMatchRegex(@"\b1 (state administrative agencies|villages|non-state enterprises|units|areas)\b").And.NotContain("(s)");
    }
}
