using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Findings;
using QcdcCompliance.Reports;
using QcdcCompliance.Tests.Infrastructure;
using Xunit.Abstractions;
using static QcdcCompliance.Tests.Reports.ReportReading;

namespace QcdcCompliance.Tests.Reports;

[Collection(ReviewProvinceCollection.Name)]
public sealed class ReviewReportTests(ReviewProvince province, ITestOutputHelper output)
{
    private ReviewReports Reports => ActivatorUtilities.CreateInstance<ReviewReports>(province.Engine.Services,
        ActivatorUtilities.CreateInstance<ReviewReportQueries>(province.Engine.Services, Overviews), new ReviewReportOptions());

    private OverviewQueries Overviews => ActivatorUtilities.CreateInstance<OverviewQueries>(province.Engine.Services);

    private ComplianceQueries Compliance => province.Engine.Services.GetRequiredService<ComplianceQueries>();

    [Fact]
    public async Task Docx_passes_the_OpenXml_validator_and_its_appendix_restates_every_compliance_row()
    {
        var file = await Reports.WriteAsync(ReviewProvince.Period, ReviewProvince.Code, ReportFormat.Docx, ReportLanguage.Vi);
        using var doc = WordprocessingDocument.Open(new MemoryStream(file.Content), false);

        var errors = new OpenXmlValidator(FileFormatVersions.Office2019).Validate(doc).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        errors.Should().BeEmpty();

        var (_, _, totals, children) = await Compliance.ForAreaAsync(ReviewProvince.Period, ReviewProvince.Code);
        var tables = Tables(doc);
        totals.Should().NotBeEmpty();
        foreach (var total in totals)
        {
            var rows = tables[$"appendix:{total.TargetCode}"];
            var expected = children.Where(c => c.TargetCode == total.TargetCode).Append(total).ToList();
            rows.Should().HaveCount(expected.Count, $"one row per child area and one for the province, for {total.TargetCode}");
            foreach (var (row, want) in rows.Zip(expected))
            {
                row[0].Should().EndWith(want.AreaName);
                (Number(row[1]), Number(row[2]), Number(row[3]), Number(row[4]), Number(row[5]))
                    .Should().Be((want.PopulationUnits, want.MetUnits, want.MissingUnits, want.Numerator, want.Denominator), $"{total.TargetCode} {want.AreaCode}");
                row[7].Should().Be(want.Denominator > 0 ? VietnamesePercent(want.Numerator, want.Denominator) : "–");
                row[8].Should().Be(want.Status switch { AreaStatus.Met => "Đạt", AreaStatus.Short => "Chưa đạt", AreaStatus.Incomplete => "Chưa đủ số liệu", _ => "Không áp dụng" });
            }
        }

        totals.Should().Contain(t => t.Status == AreaStatus.Short, "the province falls short of something, so the report has findings to restate");
        doc.MainDocumentPart!.ImageParts.Should().NotBeEmpty("the report carries its charts");
        output.WriteLine($"{file.FileName}: {file.Content.Length} bytes, {tables.Count} tables");
    }

    [Fact]
    public async Task Docx_lists_exactly_the_current_unit_findings_and_restates_the_summed_values()
    {
        var file = await Reports.WriteAsync(ReviewProvince.Period, ReviewProvince.Code, ReportFormat.Docx, ReportLanguage.Vi);
        using var doc = WordprocessingDocument.Open(new MemoryStream(file.Content), false);
        var findings = (await province.Engine.Findings.ListAsync(new FindingFilter(ReviewProvince.Period) { Area = ReviewProvince.Code }))
            .Where(f => f.SubjectType == SubjectType.Unit && f.State != FindingState.Resolved).ToList();

        var listed = Tables(doc)["flagged"];
        findings.Should().NotBeEmpty();
        listed.Select(r => (r[0], r[1])).Should().Equal(findings.Select(f => (f.TargetCode, f.SubjectCode)));

        var text = Text(doc);
        var sums = await SumsAsync(ReviewProvince.Period, "PROPAGANDA_SESSIONS", "PROPAGANDA_ATTENDEES", "MEDIATION_TEAMS", "MEDIATORS");
        text.Should().Contain($"tuyên truyền được {VietnameseNumber(sums["PROPAGANDA_SESSIONS"])} cuộc với {VietnameseNumber(sums["PROPAGANDA_ATTENDEES"])} lượt người tham dự");
        text.Should().Contain($"{VietnameseNumber(sums["MEDIATION_TEAMS"])} tổ hòa giải với {VietnameseNumber(sums["MEDIATORS"])} thành viên");

        var (_, _, totals, _) = await Compliance.ForAreaAsync(ReviewProvince.Period, ReviewProvince.Code);
        var reported = totals.Single(t => t.TargetCode == ReportingTarget.Code);
        text.Should().Contain($"Có {VietnameseNumber(reported.ShortUnits)}/{VietnameseNumber(reported.PopulationUnits)} cơ sở chưa báo cáo đầy đủ số liệu kỳ {ReviewProvince.Period} (hạn báo cáo 20/07/2020)");
        text.Should().Contain("6 tháng đầu năm 2020").And.Contain("PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2020");
    }

    [Fact]
    public async Task Xlsx_holds_the_appendix_per_target_and_area_and_every_flagged_unit()
    {
        var file = await Reports.WriteAsync(ReviewProvince.Period, ReviewProvince.Code, ReportFormat.Xlsx, ReportLanguage.Vi);
        var (_, _, totals, children) = await Compliance.ForAreaAsync(ReviewProvince.Period, ReviewProvince.Code);

        var byArea = MiniExcel.Query(new MemoryStream(file.Content), useHeaderRow: true, sheetName: "Theo địa bàn").Cast<IDictionary<string, object?>>().ToList();
        var expected = totals.SelectMany(t => children.Where(c => c.TargetCode == t.TargetCode).Append(t)).ToList();
        byArea.Should().HaveCount(expected.Count);
        foreach (var (row, want) in byArea.Zip(expected))
        {
            ((string)row["Mã chỉ tiêu"]!, (string)row["Mã địa bàn"]!).Should().Be((want.TargetCode, want.AreaCode));
            (Convert.ToInt64(row["Giá trị"]), Convert.ToInt64(row["Mẫu số"]), Convert.ToInt64(row["Thuộc diện"]), Convert.ToInt64(row["Đạt"]))
                .Should().Be((want.Numerator, want.Denominator, want.PopulationUnits, want.MetUnits));
            if (want.Denominator > 0)
                Convert.ToDecimal(row["Tỷ lệ"]).Should().Be(Shares.Truncate(want.Numerator / (decimal)want.Denominator, 3));
        }

        var flagged = MiniExcel.Query(new MemoryStream(file.Content), useHeaderRow: true, sheetName: "Cơ sở chưa đạt").Cast<IDictionary<string, object?>>().ToList();
        var findings = (await province.Engine.Findings.ListAsync(new FindingFilter(ReviewProvince.Period) { Area = ReviewProvince.Code }))
            .Where(f => f.SubjectType == SubjectType.Unit && f.State != FindingState.Resolved).ToList();
        flagged.Select(r => ((string)r["Mã chỉ tiêu"]!, (string)r["Mã cơ sở"]!)).Should().Equal(findings.Select(f => (f.TargetCode, f.SubjectCode)));
    }

    [Fact]
    public async Task District_report_covers_only_the_district_and_its_communes()
    {
        var district = (await Overviews.ForAreaAsync(ReviewProvince.Period, ReviewProvince.Code)).Children.First().AreaCode;
        var file = await Reports.WriteAsync(ReviewProvince.Period, district, ReportFormat.Xlsx, ReportLanguage.Vi);
        var flagged = MiniExcel.Query(new MemoryStream(file.Content), useHeaderRow: true, sheetName: "Cơ sở chưa đạt").Cast<IDictionary<string, object?>>().ToList();
        var findings = (await province.Engine.Findings.ListAsync(new FindingFilter(ReviewProvince.Period) { Area = district }))
            .Where(f => f.SubjectType == SubjectType.Unit && f.State != FindingState.Resolved).ToList();
        var all = (await province.Engine.Findings.ListAsync(new FindingFilter(ReviewProvince.Period)))
            .Count(f => f.SubjectType == SubjectType.Unit && f.State != FindingState.Resolved);

        flagged.Select(r => (string)r["Mã cơ sở"]!).Should().Equal(findings.Select(f => f.SubjectCode));
        flagged.Count.Should().BeLessThan(all, "units of the other districts are left out");
        var byArea = MiniExcel.Query(new MemoryStream(file.Content), useHeaderRow: true, sheetName: "Theo địa bàn").Cast<IDictionary<string, object?>>().ToList();
        byArea.Select(r => (string)r["Mã địa bàn"]!).Should().Contain(district).And.NotContain(ReviewProvince.Code);
    }

    [Fact]
    public async Task English_report_uses_English_words_and_numbers()
    {
        var file = await Reports.WriteAsync(ReviewProvince.Period, ReviewProvince.Code, ReportFormat.Html, ReportLanguage.En);
        var html = System.Text.Encoding.UTF8.GetString(file.Content);
        var sums = await SumsAsync(ReviewProvince.Period, "PROPAGANDA_ATTENDEES");

        html.Should().Contain("<html lang=\"en\">").And.Contain("the first half of 2020").And.Contain("<svg");
        html.Should().Contain($"{sums["PROPAGANDA_ATTENDEES"]:#,0} attendances");
        html.Should().NotContain("Phụ lục 1.");
    }

    [Fact]
    public void Numbers_dates_and_times_are_written_the_Vietnamese_way()
    {
        var f = DisplayFormat.Vietnamese;
        f.Number(1_327_453).Should().Be("1.327.453");
        f.Percent(240, 325, 0).Should().Be("73%");
        f.Percent(3415, 3426).Should().Be("99,6%", "a share short of the target is truncated, never rounded up");
        f.Date(new DateOnly(2020, 7, 29)).Should().Be("29/07/2020");
        f.Time(new DateTime(2020, 7, 29, 8, 35, 0, DateTimeKind.Utc)).Should().Be("15:35 29/07/2020", "times are shown in Asia/Ho_Chi_Minh");
        DisplayFormat.English.Number(1_327_453).Should().Be("1,327,453");
    }

    [Fact]
    public async Task Report_verb_writes_the_file_asked_for()
    {
        var path = Path.Combine(TestFolders.NewFolder("report-verb"), "bao-cao.docx");
        var storage = province.Engine.Storage;

        var code = await QcdcCompliance.Host.Cli.QcdcCli.RunAsync(
            ["report", "--period", ReviewProvince.Period, "--area", ReviewProvince.Code, "--format", "docx", "--out", path, "--provider", storage.Provider.ToString(), "--db", storage.Database!]);

        code.Should().Be(0);
        using var doc = WordprocessingDocument.Open(path, false);
        Text(doc).Should().Contain("Sơ kết thực hiện quy chế dân chủ ở cơ sở 6 tháng đầu năm 2020");
    }

    /// <summary>Sums of stored values over every unit of the province for a period, straight from the table.</summary>
    private async Task<Dictionary<string, long>> SumsAsync(string period, params string[] indicators)
    {
        await using var db = province.Engine.Db();
        var periodId = await db.Periods.Where(p => p.Code == period).Select(p => p.Id).SingleAsync();
        var result = new Dictionary<string, long>();
        foreach (var code in indicators)
        {
            var id = IndicatorCatalogue.Get(code).Id;
            result[code] = await db.DataValues.Where(v => v.PeriodId == periodId && v.IndicatorId == id).SumAsync(v => v.Value);
        }

        return result;
    }
}

/// <summary>The report's queries on the real server the integration tests use.</summary>
public sealed class ReviewReportPostgresTests
{
    [Fact]
    public async Task Docx_appendix_equals_the_compliance_rows_on_PostgreSQL()
    {
        await using var engine = await Engine.PostgresAsync("reports");
        await ReviewProvince.LoadAsync(engine);
        var overviews = ActivatorUtilities.CreateInstance<OverviewQueries>(engine.Services);
        var reports = ActivatorUtilities.CreateInstance<ReviewReports>(engine.Services,
            ActivatorUtilities.CreateInstance<ReviewReportQueries>(engine.Services, overviews), new ReviewReportOptions());

        var file = await reports.WriteAsync(ReviewProvince.Period, ReviewProvince.Code, ReportFormat.Docx, ReportLanguage.Vi);
        using var doc = WordprocessingDocument.Open(new MemoryStream(file.Content), false);
        var (_, _, totals, _) = await engine.Services.GetRequiredService<ComplianceQueries>().ForAreaAsync(ReviewProvince.Period, ReviewProvince.Code);
        var tables = Tables(doc);
        foreach (var total in totals)
        {
            var last = tables[$"appendix:{total.TargetCode}"][^1];
            (Number(last[4]), Number(last[5])).Should().Be((total.Numerator, total.Denominator), total.TargetCode);
        }

        var findings = (await engine.Findings.ListAsync(new FindingFilter(ReviewProvince.Period)))
            .Where(f => f.SubjectType == SubjectType.Unit && f.State != FindingState.Resolved).Select(f => f.SubjectCode).ToList();
        tables["flagged"].Select(r => r[1]).Should().Equal(findings);
    }
}
