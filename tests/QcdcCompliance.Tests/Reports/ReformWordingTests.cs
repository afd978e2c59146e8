using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Reports;

/// <summary>The report's words for a period after the reform of 1/7/2025, when only xã and phường remain below a province.</summary>
public sealed class ReformWordingTests
{
    private const string Values = Province.ValuesHeader + "XA1,2026S1,REGULATION_ISSUED,true,\nXA2,2026S1,REGULATION_ISSUED,false,\n";

    [Fact]
    public async Task After_the_reform_communes_are_xa_phuong_and_the_leadership_sentence_names_the_law_without_its_sets_label()
    {
        await using var engine = await Engine.SqliteAsync(configure: s => s.AddQcdcReports()).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Values);
        await engine.Evaluations.EvaluateAsync("2026S1", null, RunTrigger.Manual);

        var docx = await engine.Services.GetRequiredService<ReviewReports>().WriteAsync("2026S1", "P", ReportFormat.Docx, ReportLanguage.Vi);
        using var doc = WordprocessingDocument.Open(new MemoryStream(docx.Content), false);
        var prose = doc.MainDocumentPart!.Document!.Body!.Elements<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText).ToList();
        var text = string.Join("\n", prose.Take(prose.IndexOf("PHỤ LỤC")));

        text.Should().Contain("Ban Chỉ đạo theo dõi").And.MatchRegex(@"thuộc \d+ xã, phường \(\d+ ủy ban nhân dân xã, phường,")
            .And.Contain("Thực hiện dân chủ ở xã, phường\n").And.NotContain("thị trấn", "no thị trấn exists after 1/7/2025");
        text.Should().Contain("Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 và các văn bản hướng dẫn, cấp ủy, chính quyền")
            .And.NotContain("những yêu cầu tối thiểu", "the set's label is not part of the law's name");
    }
}
