using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;
using QcdcCompliance.Tests.Decisions;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;
using static QcdcCompliance.Tests.Reports.ReportReading;

namespace QcdcCompliance.Tests.Reports;

/// <summary>The review report's what-if appendix says what the what-if page says of a count target: the least count each unit must reach, now and proposed.</summary>
public sealed class WhatIfAppendixTests
{
    [Fact]
    public async Task The_what_if_appendix_states_each_units_minimum_now_and_proposed_in_the_docx_html_and_xlsx()
    {
        // P's own dialogue target, each commune at least 1 dialogue now; the proposal asks for 3 and keeps 100% of the communes.
        await using var engine = await Engine.SqliteAsync(configure: s => s.AddQcdcReports()).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", WhatIfTests.Values);
        await engine.ImportTargetsAsync("p-dlg.json", WhatIfTests.DialogueSet(1), scope: null);
        await engine.ImportAsync(ImportKind.Values, "dialogues.csv", Province.ValuesHeader + "XA1,2020S1,DIALOGUE_CONFERENCES,2,\nXA2,2020S1,DIALOGUE_CONFERENCES,1,\nXA3,2020S1,DIALOGUE_CONFERENCES,3,\n");
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var reports = engine.Services.GetRequiredService<ReviewReports>();
        var proposal = new ReportProposal("de-xuat.json", WhatIfTests.DialogueSet(3), "test");

        var docx = (await reports.WriteAsync("2020S1", "P", ReportFormat.Docx, ReportLanguage.Vi, default, proposal)).Content;
        var path = Chromium.ArtefactPath("report-whatif-minimum.docx");
        await File.WriteAllBytesAsync(path, docx);
        using (var doc = WordprocessingDocument.Open(new MemoryStream(docx), false))
        {
            var text = Text(doc);
            text.Should().Contain(": yêu cầu hiện nay ≥\u00a0100%, mỗi cơ sở ít nhất 1; đề xuất ≥\u00a0100%, mỗi cơ sở ít nhất 3",
                "the appendix's table of the target says the minimum beside each threshold, as the what-if page does");
            Tables(doc).Keys.Should().Contain("whatif:P-2");
        }

        var html = System.Text.Encoding.UTF8.GetString((await reports.WriteAsync("2020S1", "P", ReportFormat.Html, ReportLanguage.Vi, default, proposal)).Content);
        System.Net.WebUtility.HtmlDecode(html).Should().Contain("mỗi cơ sở ít nhất 1; đề xuất ≥\u00a0100%, mỗi cơ sở ít nhất 3");
        var english = System.Text.Encoding.UTF8.GetString((await reports.WriteAsync("2020S1", "P", ReportFormat.Html, ReportLanguage.En, default, proposal)).Content);
        System.Net.WebUtility.HtmlDecode(english).Should().Contain("each unit at least 1; proposed ≥\u00a0100%, each unit at least 3");

        var xlsx = (await reports.WriteAsync("2020S1", "P", ReportFormat.Xlsx, ReportLanguage.Vi, default, proposal)).Content;
        var rows = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true, sheetName: "Chỉ tiêu đề xuất").Cast<IDictionary<string, object?>>().Skip(1).ToList();
        var xa2 = rows.Single(r => (string?)r["Mã chỉ tiêu"] == "P-2" && (string?)r["Mã"] == "XA2");
        (Convert.ToInt64(xa2["Mỗi cơ sở ít nhất (hiện nay)"]), Convert.ToInt64(xa2["Mỗi cơ sở ít nhất (đề xuất)"])).Should().Be((1L, 3L));
    }
}
