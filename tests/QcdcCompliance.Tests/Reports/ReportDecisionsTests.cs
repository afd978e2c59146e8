using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using QcdcCompliance.Decisions;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;
using QcdcCompliance.Submissions;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Tests.Decisions;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;
using static QcdcCompliance.Tests.Reports.ReportReading;

namespace QcdcCompliance.Tests.Reports;

/// <summary>
/// The committee's decisions in the review report, read back from the DOCX and the XLSX: the gap of each short target,
/// the sign-off with its date and reason, the reporting completeness per area, the trend over the periods, and the
/// optional what-if of a proposed target set.
/// </summary>
public sealed class ReportDecisionsTests
{
    private const string LastYear = Province.ValuesHeader +
        """
        XA1,2019S1,MEDIATION_CASES,10,
        XA1,2019S1,MEDIATION_SUCCESSES,5,
        XA2,2019S1,MEDIATION_CASES,10,
        XA2,2019S1,MEDIATION_SUCCESSES,6,
        XA3,2019S1,MEDIATION_CASES,10,
        XA3,2019S1,MEDIATION_SUCCESSES,9,

        """;

    private static async Task<Engine> ProvinceAsync()
    {
        var engine = await Engine.SqliteAsync(configure: s => s.AddQcdcReports()).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values-2019.csv", LastYear);
        await engine.ImportAsync(ImportKind.Values, "values.csv", WhatIfTests.Values);
        await engine.Evaluations.EvaluateAsync("2019S1", null, RunTrigger.Manual);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        return engine;
    }

    [Fact]
    public async Task The_report_states_each_gap_the_sign_off_with_its_date_and_reason_the_reporting_per_area_and_the_trend()
    {
        await using var engine = await ProvinceAsync();
        const string reason = "Đã nhắc các đơn vị còn thiếu, ký để kịp hội nghị sơ kết";
        var signed = (await engine.Services.GetRequiredService<SignOffService>().SignOffAsync("2020S1", "P", reason, "Trưởng ban Nguyễn Văn A")).SignOff;
        signed.IncompleteUnits.Should().BeGreaterThan(0, "units of P have not reported everything: the sign-off needs its reason");
        var reports = engine.Services.GetRequiredService<ReviewReports>();

        var docx = await reports.WriteAsync("2020S1", "P", ReportFormat.Docx, ReportLanguage.Vi);
        await File.WriteAllBytesAsync(Chromium.ArtefactPath("report-signed-off.docx"), docx.Content);
        using var doc = WordprocessingDocument.Open(new MemoryStream(docx.Content), false);
        var text = Text(doc);
        var tables = Tables(doc);

        // Signed off: the day in Viet Nam (UTC+7, no daylight saving) and, with units incomplete, why.
        var day = signed.At.AddHours(7).ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);
        var clock = signed.At.AddHours(7).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        text.Should().Contain($"Đã ký duyệt ngày {day} lúc {clock} (giờ Việt Nam), bởi {CommitteeAct.NameOf(signed.By)}")
            .And.NotContain("apikey:").And.Contain($"Ký duyệt khi còn {signed.IncompleteUnits} cơ sở chưa báo cáo đủ số liệu; lý do: {reason}.");

        // The gap of every target the province falls short of, in the words its finding carries.
        var overview = await engine.Services.GetRequiredService<OverviewQueries>().ForAreaAsync("2020S1", "P");
        var findings = await engine.Findings.ListAsync(new FindingFilter("2020S1") { Area = "P" });
        var gaps = overview.Targets.Where(t => t.Current.Status == AreaStatus.Short && t.Current.TargetCode != ReportingTarget.Code)
            .Select(t => findings.Single(f => f.SubjectType == SubjectType.Area && f.SubjectCode == "P" && f.TargetCode == t.Current.TargetCode))
            .Where(f => f.Measurement.Gap is not null)
            .ToList();
        gaps.Should().NotBeEmpty("the province falls short of a share or ratio target");
        foreach (var f in gaps)
            text.Should().Contain($"Để đạt chỉ tiêu: {FindingExplanation.GapWords(f, vietnamese: true)}.", f.TargetCode);
        text.Should().Contain("Để đạt chỉ tiêu: cần thêm");

        // Reporting per area: the same figures as the workspace's, child areas then the province.
        var completeness = await engine.Services.GetRequiredService<CompletenessQueries>().ForAreaAsync("2020S1", "P");
        var rows = tables["completeness"];
        var parts = completeness.Children.Concat(completeness.OwnUnits is { } own ? [own] : []).Append(completeness.Totals).ToList();
        rows.Should().HaveCount(parts.Count, "the child areas, the province's own units (if any), then the province");
        foreach (var (row, area) in rows.Zip(parts))
        {
            row.Skip(1).Should().Equal(VietnameseNumber(area.Expected), VietnameseNumber(area.Complete), VietnameseNumber(area.OnTime), VietnameseNumber(area.Late),
                VietnameseNumber(area.Partial), VietnameseNumber(area.Missing), VietnamesePercent(area.Complete, area.Expected));
        }

        rows[^1][0].Should().Be("Toàn tỉnh Thử");
        var t = completeness.Totals;
        text.Should().Contain($"Tỷ lệ báo cáo: {t.Complete}/{t.Expected} cơ sở đã báo cáo đủ số liệu ({VietnamesePercent(t.Complete, t.Expected)}), trong đó {t.OnTime} đúng hạn, {t.Late} muộn");

        // The trend: the mediation rate of 2019S1 (20 of 30) and 2020S1 (26 of 30), and the change against the same period last year.
        var mediation = tables["trend"].Single(r => r[0] == "Tỷ lệ hòa giải thành");
        mediation.Should().Equal("Tỷ lệ hòa giải thành", "≥\u00a070%", VietnamesePercent(20, 30), VietnamesePercent(26, 30), "–", "+" + (Shares.RoundPercent(26, 30, 1) - Shares.RoundPercent(20, 30, 1)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture).Replace('.', ','));

        // The workbook says the same.
        var xlsx = (await reports.WriteAsync("2020S1", "P", ReportFormat.Xlsx, ReportLanguage.Vi)).Content;
        var about = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true, sheetName: "Thông tin").Cast<IDictionary<string, object?>>().ToList();
        about.Should().Contain(r => (string?)r["Mục"] == "Ký duyệt" && ((string)r["Nội dung thông tin"]!).StartsWith($"Đã ký duyệt ngày {day}", StringComparison.Ordinal)
                                     && ((string)r["Nội dung thông tin"]!).Contains(reason, StringComparison.Ordinal));
        signed.RunId.Should().NotBeNull();
        ((string)about.Single(r => (string?)r["Mục"] == "Ký duyệt")["Nội dung thông tin"]!)
            .Should().Contain($"; kết quả của lần đánh giá số {signed.RunId} là kết quả chính thức của kỳ", "the workbook names the signed run as the DOCX does");
        text.Should().Contain($"; kết quả của lần đánh giá số {signed.RunId} là kết quả chính thức của kỳ");
        var byArea = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true, sheetName: "Theo địa bàn").Cast<IDictionary<string, object?>>().Skip(1).ToList();
        foreach (var f in gaps)
            Convert.ToInt64(byArea.Single(r => (string?)r["Mã chỉ tiêu"] == f.TargetCode && (string?)r["Mã địa bàn"] == "P")["Cần thêm"]).Should().Be(f.Measurement.Gap!.Value);
        var reporting = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true, sheetName: "Tình hình báo cáo").Cast<IDictionary<string, object?>>().Skip(1).ToList();
        var total = reporting.Single(r => (string?)r["Mã địa bàn"] == "P");
        (Convert.ToInt32(total["Phải báo cáo"]), Convert.ToInt32(total["Đúng hạn"]), Convert.ToInt32(total["Chưa báo cáo"])).Should().Be((t.Expected, t.OnTime, t.Missing));
        var trend = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true, sheetName: "Diễn biến").Cast<IDictionary<string, object?>>().Skip(1).ToList();
        trend.Where(r => (string?)r["Mã chỉ tiêu"] == "KPI-MEDIATION").Select(r => ((string?)r["Kỳ"], Convert.ToInt64(r["Giá trị"]), Convert.ToInt64(r["Mẫu số"])))
            .Should().Equal(("2019S1", 20L, 30L), ("2020S1", 26L, 30L));
        // The test as every other sheet and the DOCX write it: "≥ 70%", not ">= 70%".
        trend.Select(r => (string)r["Yêu cầu khi đó"]!).Should().Contain("≥\u00a070%").And.NotContain(t => t.Contains(">=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_report_not_signed_off_says_so_and_the_what_if_of_next_years_targets_is_appended_when_asked_storing_nothing()
    {
        await using var engine = await ProvinceAsync();
        var folder = TestFolders.NewFolder("report-whatif");
        var targets = Path.Combine(folder, "chi-tieu-2021.json");
        await File.WriteAllBytesAsync(targets, WhatIfTests.Proposal());
        var before = await WhatIfTests.EveryTableAsync(engine.Storage.Database!);

        var path = Path.Combine(folder, "bao-cao.docx");
        var code = await QcdcCompliance.Host.Cli.QcdcCli.RunAsync(["report", "--period", "2020S1", "--area", "P", "--format", "docx", "--out", path,
            "--whatif-targets", targets, "--provider", engine.Storage.Provider.ToString(), "--db", engine.Storage.Database!]);
        code.Should().Be(0);
        File.Copy(path, Chromium.ArtefactPath("report-whatif.docx"), overwrite: true);

        using (var doc = WordprocessingDocument.Open(path, false))
        {
            var text = Text(doc);
            text.Should().Contain("Số liệu 6 tháng đầu năm 2020 của tỉnh Thử chưa được Ban Chỉ đạo ký duyệt.")
                .And.Contain("Phụ lục 6. Nếu áp dụng bộ chỉ tiêu đề xuất cho 6 tháng đầu năm 2020")
                .And.Contain("Đánh giá thử bộ chỉ tiêu đề xuất theo Chỉ tiêu theo dõi của Ban Chỉ đạo tỉnh (", "the set by its short title, not its code");
            // Mediation raised from 70% to 90%: Huyện Một settled 16 of 20 cases, met now, short by 2 cases under the proposal.
            var mediation = Tables(doc)["whatif:KPI-MEDIATION"];
            mediation.Single(r => r[0] == "Huyện Một").Should().Equal("Huyện Một", "80,0%", "Đạt", "80,0%", "Chưa đạt", "2");
            mediation.Single(r => r[0] == "Huyện Hai")[^1].Should().Be("–", "an area that meets the proposal has no gap");
            mediation[^1][0].Should().Be("Toàn tỉnh Thử");
            Tables(doc).Keys.Should().Contain("whatif:KPI-REGULATION", "a new target reusing a shipped rule is shown too");
        }

        (await WhatIfTests.EveryTableAsync(engine.Storage.Database!)).Should().Equal(before, "the report's what-if stored nothing");

        var xlsx = (await engine.Services.GetRequiredService<ReviewReports>().WriteAsync("2020S1", "P", ReportFormat.Xlsx, ReportLanguage.Vi, default,
            new ReportProposal("chi-tieu-2021.json", WhatIfTests.Proposal(), "test"))).Content;
        var proposed = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true, sheetName: "Chỉ tiêu đề xuất").Cast<IDictionary<string, object?>>().Skip(1).ToList();
        var d1 = proposed.Single(r => (string?)r["Mã chỉ tiêu"] == "KPI-MEDIATION" && (string?)r["Mã"] == "D1");
        ((string?)d1["Hiện nay"], (string?)d1["Theo đề xuất"], Convert.ToInt64(d1["Cần thêm"])).Should().Be(("Đạt", "Chưa đạt", 2L));
    }
}
