using System.Text;
using System.Text.Json.Nodes;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;
using QcdcCompliance.Rules;
using QcdcCompliance.Tests.Infrastructure;
using static QcdcCompliance.Tests.Reports.ReportReading;

namespace QcdcCompliance.Tests.Reports;

/// <summary>
/// The committee's review report read against figures worked out by hand (review 53). Province QB: district D1 has ten
/// non-state enterprises with a union, each informing 80 of its 100 people; district D2 one that informed 6.996 of
/// 10.000 (69,96%); E001 sits directly under QB and informed 35 of 50 (exactly 70%) and has no regulation. QB's own set
/// reuses the shipped rules under its codes: QB-1 (a regulation, ≥ 100%) and QB-3 (people informed, ≥ 70%).
/// </summary>
public sealed class ReviewOfJudgedFiguresTests
{
    private const string Areas =
        """
        code,name,level,parent_code,valid_from,valid_to
        QB,Tỉnh Quảng Bình,Province,,,
        QB-D1,Huyện Quảng Trạch,District,QB,,
        QB-D2,Huyện Lệ Thủy,District,QB,,

        """;

    private static string Units()
    {
        var units = new StringBuilder(Province.UnitsHeader);
        for (var i = 1; i <= 10; i++)
            units.Append($"E1{i:00},Công ty TNHH Đức Hòa {i},NonStateEnterprise,QB-D1,true,100,,2019-01-01,\n");
        units.Append("E201,Công ty cổ phần Lệ Thủy,NonStateEnterprise,QB-D2,true,10000,,2019-01-01,\n");
        units.Append("E001,Công ty Điện lực Quảng Bình,NonStateEnterprise,QB,true,50,,2019-01-01,\n");
        return units.ToString();
    }

    private static string Values()
    {
        var values = new StringBuilder(Province.ValuesHeader);
        void Unit(string code, bool regulation, int informed, int toInform) =>
            values.Append($"{code},2020S1,REGULATION_ISSUED,{(regulation ? "true" : "false")},\n{code},2020S1,PEOPLE_INFORMED,{informed},\n{code},2020S1,PEOPLE_TO_INFORM,{toInform},\n");
        for (var i = 1; i <= 10; i++)
            Unit($"E1{i:00}", true, 80, 100);
        Unit("E201", true, 6996, 10_000);
        Unit("E001", false, 35, 50);
        return values.ToString();
    }

    /// <summary>QB's set; <paramref name="informed"/> changes QB-3 (its operator or threshold).</summary>
    private static byte[] Set(Action<JsonObject>? informed = null)
    {
        JsonObject Target(string code, string rule, string threshold, string name) => new()
        {
            ["code"] = code, ["rule"] = rule, ["nameVi"] = name, ["nameEn"] = name, ["population"] = "DN", ["operator"] = ">=", ["threshold"] = threshold,
            ["measuredOver"] = new JsonArray("Unit", "District", "Province"), ["periods"] = new JsonArray("S1", "S2"), ["severity"] = "High",
            ["source"] = "committee", ["textVi"] = name, ["textEn"] = name,
        };
        var qb3 = Target("QB-3", "NQ02-3", "70%", "Chỉ tiêu 3: quán triệt văn bản");
        informed?.Invoke(qb3);
        var set = new JsonObject
        {
            ["code"] = "QB-KH", ["title"] = "Kế hoạch của Ban Chỉ đạo tỉnh Quảng Bình", ["shortTitle"] = "Kế hoạch QB", ["issuer"] = "Ban Chỉ đạo tỉnh Quảng Bình",
            ["issued"] = "2019-01-01", ["validFrom"] = "2019-01-01", ["scope"] = "QB", ["followSuccessors"] = false,
            ["legalBasis"] = new JsonArray(new JsonObject { ["text"] = "Kế hoạch của Ban Chỉ đạo", ["kind"] = "committee" }),
            ["targets"] = new JsonArray(Target("QB-1", "NQ02-1", "100%", "Chỉ tiêu 1: quy chế dân chủ"), qb3),
        };
        return Encoding.UTF8.GetBytes(set.ToJsonString());
    }

    private static void Strict(JsonObject target) => target["operator"] = ">";

    private static async Task<Engine> QuangBinhAsync(bool evaluate = true)
    {
        var engine = await Engine.SqliteAsync(configure: s => s.AddQcdcReports());
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Areas);
        await engine.ImportAsync(ImportKind.Units, "units.csv", Units());
        await engine.ImportTargetsAsync("set-a.json", Set(), null);
        var (name, content) = QcdcRules.TargetSets().Single(s => s.Name.Contains("reporting", StringComparison.Ordinal));
        await engine.ImportTargetsAsync(name, content, null);
        await engine.ImportAsync(ImportKind.Values, "values.csv", Values());
        if (evaluate)
            await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        return engine;
    }

    private static async Task<(Dictionary<string, List<string[]>> Tables, string Text)> DocxAsync(Engine engine, ReportLanguage language = ReportLanguage.Vi, ReportProposal? proposal = null)
    {
        var file = await engine.Services.GetRequiredService<ReviewReports>().WriteAsync("2020S1", "QB", ReportFormat.Docx, language, proposal: proposal);
        using var doc = WordprocessingDocument.Open(new MemoryStream(file.Content), false);
        return (Tables(doc), Text(doc));
    }

    [Fact]
    public async Task A_share_just_below_a_strict_threshold_reads_below_it_wherever_it_stands_beside_its_verdict()
    {
        await using var engine = await QuangBinhAsync(evaluate: false);
        await engine.ImportTargetsAsync("strict.json", Set(Strict), null);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        var (tables, _) = await DocxAsync(engine);
        // 6.996/10.000 = 69,96% is short of "> 70%" by 5 people; 35/50 = 70% exactly, short by 1. They do not read alike.
        tables["appendix:QB-3"].Select(r => (r[0], r[6], r[7], r[8])).Should().Contain(("Huyện Lệ Thủy", ">\u00a070%", "69,9%", "Chưa đạt"))
            .And.Contain(("Cơ quan, đơn vị trực thuộc tỉnh Quảng Bình", ">\u00a070%", "70,0%", "1 đơn vị chưa đạt"), "the own units' row is no area: E001, short, is counted");
        tables["flagged"].Where(r => r[2] == "E201").Select(r => r[4]).Should().Equal(["69,9%"], "the unit list shows E201's share beside \"> 70%\"");

        var findings = await engine.Findings.ListAsync(new FindingFilter("2020S1") { Target = "QB-3" });
        FindingExplanation.Render(findings.Single(f => f.SubjectCode == "QB-D2"), "Chỉ tiêu 3", vietnamese: true).Should().Contain("tỷ lệ 69,9% (6.996/10.000)");
        FindingExplanation.Render(findings.Single(f => f.SubjectCode == "QB-D2"), "Target 3", vietnamese: false).Should().Contain("69.9%");

        // The same proposal as a what-if over the set as it was: one figure, one reading, on both sides of the row.
        await using var before = await QuangBinhAsync();
        var (whatIf, _) = await DocxAsync(before, proposal: new ReportProposal("strict.json", Set(Strict), "test"));
        whatIf["whatif:QB-3"].Single(r => r[0] == "Huyện Lệ Thủy").Should().Equal("Huyện Lệ Thủy", "69,9%", "Chưa đạt", "69,9%", "Chưa đạt", "5");
    }

    [Fact]
    public async Task After_a_threshold_alone_is_imported_again_the_report_counts_kinds_by_the_runs_threshold_and_names_what_changed_in_words()
    {
        await using var engine = await QuangBinhAsync();
        var imported = await engine.ImportTargetsAsync("chg.json", Set(t => t["threshold"] = "75%"), null);
        (imported.Updated, imported.Unchanged).Should().Be((1, 1));

        var (tables, text) = await DocxAsync(engine);
        // Run 1 judged QB-3 by "≥ 70%": E101-E110 (80%) and E001 (70%) meet it, E201 (69,96%) does not. "≥ 75%", not
        // evaluated yet, would have 10: the kinds are counted by the threshold printed beside them, as the appendix is.
        tables["appendix:QB-3"].Last().Should().Equal("Toàn tỉnh Quảng Bình", "12", "11", "0", "7.831", "11.050", "≥\u00a070%", "70,9%", "Đạt");
        tables["kinds:Enterprises"].Single(r => r[0] == "Chỉ tiêu 3").Should().Equal("Chỉ tiêu 3", "doanh nghiệp ngoài nhà nước", "12", "11", "1", "0", "70,9%", "≥\u00a070%");
        text.Should().Contain("Chỉ tiêu 3 (quán triệt văn bản): 11/12 doanh nghiệp ngoài nhà nước đạt");

        // No value changed after the run: the set did, and only QB-3's threshold in it, said in words, not codes.
        text.Should().NotContain("số liệu đã được nhập thêm hoặc sửa sau lần đánh giá");
        text.Should().Contain("Lưu ý: bộ chỉ tiêu theo Kế hoạch QB đã được nhập lại sau lần đánh giá trên, đổi yêu cầu của chỉ tiêu 3 (quán triệt văn bản) từ ≥\u00a070% thành ≥\u00a075%.");
        text.Split('\n').Where(p => p.StartsWith("Lưu ý", StringComparison.Ordinal)).Should().NotContain(p => p.Contains("QB-", StringComparison.Ordinal),
            "codes appear only in the appendix tables");
        text.Should().NotContain("chỉ tiêu 1 (quy chế dân chủ) từ", "QB-1 was imported again unchanged");
    }

    [Fact]
    public async Task The_what_if_appendix_counts_units_short_not_their_shortfalls()
    {
        await using var engine = await QuangBinhAsync();
        var (_, text) = await DocxAsync(engine, proposal: new ReportProposal("strict.json", Set(Strict), "test"));
        // Now: E001 (no regulation) and E201 (QB-3). Proposed: the same two units; E001 now short of QB-3 as well.
        text.Should().Contain("cơ sở chưa đạt hoặc chưa báo cáo: hiện nay 2, theo đề xuất 2.");
        var (_, english) = await DocxAsync(engine, ReportLanguage.En, new ReportProposal("strict.json", Set(Strict), "test"));
        english.Should().Contain("units short or not reported: 2 now, 2 proposed.");
    }

    [Fact]
    public async Task The_workbook_types_a_units_measured_share_and_writes_the_what_ifs_tests_as_the_other_sheets_do()
    {
        await using var engine = await QuangBinhAsync();
        var xlsx = await engine.Services.GetRequiredService<ReviewReports>().WriteAsync("2020S1", "QB", ReportFormat.Xlsx, ReportLanguage.Vi,
            proposal: new ReportProposal("strict.json", Set(Strict), "test"));
        var flagged = MiniExcel.Query(new MemoryStream(xlsx.Content), useHeaderRow: true, sheetName: "Cơ sở chưa đạt").Cast<IDictionary<string, object?>>().Skip(1)
            .ToDictionary(r => ((string)r["Mã chỉ tiêu"]!, (string)r["Mã cơ sở"]!));
        var share = flagged[("QB-3", "E201")]["Kết quả"];
        share.Should().NotBeOfType<string>("a share is a number a spreadsheet can filter and sum");
        Convert.ToDecimal(share).Should().BeApproximately(0.6996m, 0.000_000_1m, "the exact share, as \"Theo địa bàn\" holds it");
        flagged[("QB-1", "E001")]["Kết quả"].Should().Be("Không", "a yes/no stays a word");

        var proposed = MiniExcel.Query(new MemoryStream(xlsx.Content), useHeaderRow: true, sheetName: "Chỉ tiêu đề xuất").Cast<IDictionary<string, object?>>().Skip(1)
            .ToDictionary(r => ((string)r["Mã chỉ tiêu"]!, (string)r["Mã"]!));
        proposed[("QB-3", "QB-D2")]["Yêu cầu hiện nay"].Should().Be("≥\u00a070%");
        proposed[("QB-3", "QB-D2")]["Yêu cầu đề xuất"].Should().Be(">\u00a070%");
        proposed[("QB-1", "QB")]["Yêu cầu đề xuất"].Should().Be("≥\u00a0100%");
    }

    [Fact]
    public async Task The_english_report_names_the_set_as_the_vietnamese_does_and_heads_the_threshold_column_required()
    {
        await using var engine = await QuangBinhAsync();
        var (tables, text) = await DocxAsync(engine, ReportLanguage.En);
        text.Should().Contain("Under Kế hoạch của Ban Chỉ đạo tỉnh Quảng Bình (Ban Chỉ đạo tỉnh Quảng Bình, 01/01/2019), the party committees")
            .And.NotContain("Under QB-KH");

        var file = await engine.Services.GetRequiredService<ReviewReports>().WriteAsync("2020S1", "QB", ReportFormat.Html, ReportLanguage.En);
        var html = Encoding.UTF8.GetString(file.Content);
        foreach (var table in System.Text.RegularExpressions.Regex.Matches(html, "<table.*?</table>", System.Text.RegularExpressions.RegexOptions.Singleline))
        {
            var headers = System.Text.RegularExpressions.Regex.Matches(table.ToString()!, "<th[^>]*>([^<]*)</th>").Select(m => m.Groups[1].Value).ToList();
            headers.Count(h => h == "Target").Should().BeLessThan(2, $"one column is the target, the other its threshold ({string.Join(" | ", headers)})");
        }

        tables.Should().ContainKey("comparison");
    }
}
