using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
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

        var compliance = await Compliance.ForAreaAsync(ReviewProvince.Period, ReviewProvince.Code);
        var (_, _, totals, children) = compliance;
        var tables = Tables(doc);
        totals.Should().NotBeEmpty();
        foreach (var total in totals)
        {
            var rows = tables[$"appendix:{total.TargetCode}"];
            var expected = children.Concat(compliance.OwnUnits).Where(c => c.TargetCode == total.TargetCode).Append(total).ToList();
            rows.Should().HaveCount(expected.Count, $"one row per child area, one for the province's own agencies and one for the province, for {total.TargetCode}");
            foreach (var (row, want) in rows.Zip(expected))
            {
                row[0].Should().EndWithEquivalentOf(want.AreaName, "the total row reads \"Toàn tỉnh …\", the own agencies' \"Cơ quan, đơn vị trực thuộc tỉnh …\"");
                (Number(row[1]), Number(row[2]), Number(row[3]), Number(row[4]), Number(row[5]))
                    .Should().Be((want.PopulationUnits, want.MetUnits, want.MissingUnits, want.Numerator, want.Denominator), $"{total.TargetCode} {want.AreaCode}");
                row[7].Should().Be(want.Denominator > 0 ? VietnamesePercent(want.Numerator, want.Denominator, want.Threshold) : "–");
                // The own units' row is no area, never judged as one: its units short counted, or not judged at this level (OwnUnitsStatusTests).
                row[8].Should().Be(want.OwnUnits ? ReportWording.Vietnamese.RowStatus(want)
                    : want.Status switch { AreaStatus.Met => "Đạt", AreaStatus.Short => "Chưa đạt", AreaStatus.Incomplete => "Chưa đủ số liệu", _ => "Không áp dụng" });
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
        listed.Select(r => (r[1], r[2])).Should().Equal(findings.Select(f => (f.SubjectName, f.SubjectCode)), "the unit's name leads, its code beside it");
        listed.Select(r => r[0]).Should().NotIntersectWith(findings.Select(f => f.TargetCode), "the target is named by its set's label, not its code")
            .And.Contain("Báo cáo đầy đủ");

        var text = Text(doc);
        var sums = await SumsAsync(ReviewProvince.Period, "PROPAGANDA_SESSIONS", "PROPAGANDA_ATTENDEES", "MEDIATION_TEAMS", "MEDIATORS");
        text.Should().Contain($"tuyên truyền được {VietnameseNumber(sums["PROPAGANDA_SESSIONS"])} cuộc với {VietnameseNumber(sums["PROPAGANDA_ATTENDEES"])} lượt người tham dự");
        text.Should().Contain($"{VietnameseNumber(sums["MEDIATION_TEAMS"])} tổ hòa giải với {VietnameseNumber(sums["MEDIATORS"])} thành viên");

        var (_, _, totals, _) = await Compliance.ForAreaAsync(ReviewProvince.Period, ReviewProvince.Code);
        var reported = totals.Single(t => t.TargetCode == ReportingTarget.Code);
        text.Should().Contain($"Có {VietnameseNumber(reported.ShortUnits)}/{VietnameseNumber(reported.PopulationUnits)} cơ sở chưa báo cáo đầy đủ số liệu 6 tháng đầu năm 2020 (hạn báo cáo ngày 20/07/2020)");
        text.Should().Contain("6 tháng đầu năm 2020").And.Contain("PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2020");
    }

    [Fact]
    public async Task Xlsx_holds_the_appendix_per_target_and_area_and_every_flagged_unit()
    {
        var file = await Reports.WriteAsync(ReviewProvince.Period, ReviewProvince.Code, ReportFormat.Xlsx, ReportLanguage.Vi);
        var compliance = await Compliance.ForAreaAsync(ReviewProvince.Period, ReviewProvince.Code);
        var (_, _, totals, children) = compliance;

        var byArea = MiniExcel.Query(new MemoryStream(file.Content), useHeaderRow: true, sheetName: "Theo địa bàn").Cast<IDictionary<string, object?>>().ToList();
        ((string)byArea[0]["Mã chỉ tiêu"]!, (string)byArea[0]["Ngưỡng"]!, (string)byArea[0]["Tỷ lệ"]!).Should().Be(("target", "threshold", "share"), "the second header row gives the codes");
        byArea.RemoveAt(0);
        var expected = totals.SelectMany(t => children.Concat(compliance.OwnUnits).Where(c => c.TargetCode == t.TargetCode).Append(t)).ToList();
        byArea.Should().HaveCount(expected.Count);
        foreach (var (row, want) in byArea.Zip(expected))
        {
            ((string)row["Mã chỉ tiêu"]!, (string)row["Mã địa bàn"]!).Should().Be((want.TargetCode, want.AreaCode));
            (Convert.ToInt64(row["Giá trị"]), Convert.ToInt64(row["Mẫu số"]), Convert.ToInt64(row["Thuộc diện"]), Convert.ToInt64(row["Đạt"]))
                .Should().Be((want.Numerator, want.Denominator, want.PopulationUnits, want.MetUnits));
            if (want.Denominator > 0)
                Convert.ToDecimal(row["Tỷ lệ"]).Should().BeApproximately(want.Numerator / (decimal)want.Denominator, 0.000_000_000_1m, "the cell holds the exact share");
            row["Ngưỡng"].Should().BeAssignableTo<double>("a threshold is a number a spreadsheet can compare with");
            Convert.ToDecimal(row["Ngưỡng"]).Should().Be(want.ThresholdMillionths / 1_000_000m);
        }

        var flagged = MiniExcel.Query(new MemoryStream(file.Content), useHeaderRow: true, sheetName: "Cơ sở chưa đạt").Cast<IDictionary<string, object?>>().Skip(1).ToList();
        var findings = (await province.Engine.Findings.ListAsync(new FindingFilter(ReviewProvince.Period) { Area = ReviewProvince.Code }))
            .Where(f => f.SubjectType == SubjectType.Unit && f.State != FindingState.Resolved).ToList();
        flagged.Select(r => ((string)r["Mã chỉ tiêu"]!, (string)r["Mã cơ sở"]!)).Should().Equal(findings.Select(f => (f.TargetCode, f.SubjectCode)));

        // The figures sheet: indicators by name in the first row, their codes in the second.
        var figures = MiniExcel.Query(new MemoryStream(file.Content), useHeaderRow: true, sheetName: "Số liệu tổng hợp").Cast<IDictionary<string, object?>>().ToList();
        figures[0][IndicatorCatalogue.Get("MEDIATION_CASES").NameVi].Should().Be("MEDIATION_CASES");

        // Read as a spreadsheet program does: every column has a width, counts and shares carry their number formats.
        using var workbook = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(file.Content), false);
        var part = workbook.WorkbookPart!;
        foreach (var sheet in part.WorksheetParts)
        {
            var widths = sheet.Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Column>().ToList();
            widths.Should().NotBeEmpty().And.OnlyContain(c => c.Width != null && c.Width.Value > 5);
        }

        var formats = part.WorkbookStylesPart!.Stylesheet.NumberingFormats!.Elements<DocumentFormat.OpenXml.Spreadsheet.NumberingFormat>().Select(f => f.FormatCode!.Value).ToList();
        formats.Should().Contain("#,##0").And.Contain("0.0%").And.Contain("0.0##%").And.Contain("0%");
    }

    [Fact]
    public async Task District_report_covers_only_the_district_and_its_communes()
    {
        var district = (await Overviews.ForAreaAsync(ReviewProvince.Period, ReviewProvince.Code)).Children.First().AreaCode;
        var file = await Reports.WriteAsync(ReviewProvince.Period, district, ReportFormat.Xlsx, ReportLanguage.Vi);
        var flagged = MiniExcel.Query(new MemoryStream(file.Content), useHeaderRow: true, sheetName: "Cơ sở chưa đạt").Cast<IDictionary<string, object?>>().Skip(1).ToList();
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

        // The sections added for the committee's decisions and the reporting officers, in English too.
        var text = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", " "));
        text.Should().Contain("Against the same period last year (the first half of 2019) and the previous period")
            .And.Contain("Reporting rate:").And.Contain("Appendix 4. Reporting per area").And.Contain("Appendix 5. The targets over the periods")
            .And.MatchRegex("The figures of the first half of 2020 for Thử Nghiệm province (are not signed off yet|were signed off)");
        // Places as English writes them: the place, then its level; sentences open with a capital.
        text.Should().MatchRegex("PEOPLE'S COMMITTEE\\s+OF THỬ NGHIỆM PROVINCE").And.Contain(". At the end of the first half of 2020, Thử Nghiệm province meets")
            .And.NotContain("Tỉnh Thử Nghiệm meets").And.NotContain("ngày");
    }

    [Fact]
    public void Numbers_dates_and_times_are_written_the_Vietnamese_way()
    {
        var f = DisplayFormat.Vietnamese;
        f.Number(1_327_453).Should().Be("1.327.453");
        f.Percent(240, 325, 0).Should().Be("74%", "73,85% rounds half up to 74% in whole percents");
        f.Percent(240, 325).Should().Be("73,8%");
        f.Percent(3415, 3426).Should().Be("99,7%");
        f.Percent(1373, 1374).Should().Be("99,9%", "99,93% rounds to 99,9%");
        f.Percent(9999, 10_000).Should().Be("99,9%", "99,99% would round to 100,0%, and a share short of 100% never reads 100%");
        f.Percent(199, 200, 0).Should().Be("99%");
        f.Percent(1, 10_000).Should().Be("0,1%", "a share above 0 never reads 0%");
        f.Percent(0, 10).Should().Be("0,0%");
        f.Percent(10, 10).Should().Be("100,0%");
        f.Percent(1, 8).Should().Be("12,5%", "12,5% exactly");
        f.Percent(1, 16, 1).Should().Be("6,3%", "6,25% rounds half up");
        f.Ratio(1233, 1374, "đơn thư").Should().Be("89,7% (1.233/1.374 đơn thư)");
        DisplayFormat.Fraction(240, 325).Should().Be(240m / 325m, "the XLSX stores the exact share beside a threshold, for a filter to agree with the verdict");
        DisplayFormat.ShownFraction(240, 325).Should().Be(0.738m, "and the shown share where no threshold stands beside it");
        Shares.Format(9999, 10_000).Should().Be("0.9999");
        Shares.Format(99_999, 100_000).Should().Be("0.9999", "machine outputs keep the rule too");
        QcdcCompliance.Alerts.Vietnamese.Percent(240, 325).Should().Be("73,8%", "e-mails write shares through the same formatter");
        f.Date(new DateOnly(2020, 7, 29)).Should().Be("29/07/2020");
        f.Time(new DateTime(2020, 7, 29, 8, 35, 0, DateTimeKind.Utc)).Should().Be("15:35 29/07/2020", "times are shown in Asia/Ho_Chi_Minh");
        DisplayFormat.English.Number(1_327_453).Should().Be("1,327,453");
    }

    [Fact]
    public async Task Docx_prose_names_periods_targets_and_areas_in_words_and_keeps_codes_to_the_appendix()
    {
        var file = await Reports.WriteAsync(ReviewProvince.Period, ReviewProvince.Code, ReportFormat.Docx, ReportLanguage.Vi);
        using var doc = WordprocessingDocument.Open(new MemoryStream(file.Content), false);
        var body = doc.MainDocumentPart!.Document!.Body!;
        // Running text: the paragraphs outside tables (headings, prose, captions), the letterhead and signature aside.
        var prose = body.Elements<Paragraph>().Select(p => p.InnerText).Where(t => t.Length > 0).ToList();
        var (_, _, totals, children) = await Compliance.ForAreaAsync(ReviewProvince.Period, ReviewProvince.Code);
        var overview = await Overviews.ForAreaAsync(ReviewProvince.Period, ReviewProvince.Code);
        var appendix = prose.FindIndex(p => p == "PHỤ LỤC");
        appendix.Should().BePositive();
        foreach (var paragraph in prose.Take(appendix))
        {
            foreach (var code in totals.Select(t => t.TargetCode).Concat(children.Select(c => c.AreaCode)).Append(ReviewProvince.Code))
                paragraph.Should().NotMatchRegex($@"(^|[\s(:,]){System.Text.RegularExpressions.Regex.Escape(code)}($|[\s).:,;])", $"\"{paragraph}\" names {code} by its code");
            paragraph.Should().NotContain("2020S1").And.NotContain("2019S2").And.NotContain(overview.LatestRun!.RuleSetVersion[..8]);
            paragraph.Should().NotContain("Toàn Tỉnh").And.NotContain("địa bàn Tỉnh").And.NotContain("UBND");
        }

        var text = string.Join("\n", prose);
        text.Should().Contain("toàn tỉnh Thử Nghiệm").And.Contain("6 tháng đầu năm 2020")
            .And.MatchRegex(@"hoàn thành lúc \d\d:\d\d ngày \d\d/\d\d/\d{4}; báo cáo lập lúc \d\d:\d\d ngày \d\d/\d\d/\d{4} \(giờ Việt Nam\)");
        // Villages report figures but no target of the sets judges them before the 2022 law: said, not an empty section.
        var villages = prose.FindIndex(p => p.EndsWith("Thực hiện dân chủ ở thôn, tổ dân phố", StringComparison.Ordinal));
        villages.Should().BePositive();
        prose[villages + 2].Should().Be("Trong 6 tháng đầu năm 2020, không có chỉ tiêu nào đang theo dõi áp dụng cho loại hình cơ sở này; số liệu báo cáo được tổng hợp tại Phụ lục 2.");
        text.Should().Contain("Chỉ tiêu 1 (xây dựng quy chế dân chủ)", "targets are named by the short name their set carries");
        text.Should().Contain("2. Hoạt động của Ban Chỉ đạo").And.Contain("4. Bài học kinh nghiệm");
        text.Should().Contain($"đạt {totals.Count(t => t.Status == AreaStatus.Met)}/{totals.Count} chỉ tiêu", "the count covers every target shown");

        // Ratios are stated as the ratio, with what they count.
        if (totals.SingleOrDefault(t => t.TargetCode == "KPI-COMPLAINTS") is { Denominator: > 0 } complaints)
            text.Should().Contain($"tỷ lệ {VietnamesePercent(complaints.Numerator, complaints.Denominator, complaints.Threshold)} ({VietnameseNumber(complaints.Numerator)}/{VietnameseNumber(complaints.Denominator)} đơn thư)");
    }

    [Theory]
    [InlineData(ReportLanguage.Vi, "Ban Chỉ đạo theo dõi", "cơ sở", "ủy ban Mặt trận Tổ quốc và các tổ chức chính trị - xã hội", "ban dân vận")]
    [InlineData(ReportLanguage.En, "The committee follows", "units", "Fatherland Front committees and mass organisations", "mass mobilisation boards")]
    public async Task The_units_followed_are_listed_by_kind_and_the_kinds_add_up_to_the_total(ReportLanguage language, string opening, string units, string front, string board)
    {
        var file = await Reports.WriteAsync(ReviewProvince.Period, ReviewProvince.Code, ReportFormat.Docx, language);
        using var doc = WordprocessingDocument.Open(new MemoryStream(file.Content), false);
        var sentence = Text(doc).Split('\n').Single(p => p.StartsWith(opening, StringComparison.Ordinal));
        var match = System.Text.RegularExpressions.Regex.Match(sentence, $@" ([\d.,]+) {units} [^(]*\(([^)]*)\)");
        match.Success.Should().BeTrue(sentence);
        var parts = match.Groups[2].Value.Split(", ").Where(p => char.IsDigit(p[0])).ToList();

        parts.Sum(p => Whole(p[..p.IndexOf(' ', StringComparison.Ordinal)])).Should().Be(Whole(match.Groups[1].Value), $"the kinds in \"{sentence}\" add up to the total");
        parts.Should().Contain(p => p.EndsWith(" " + front, StringComparison.Ordinal)).And.Contain(p => p.EndsWith(" " + board, StringComparison.Ordinal),
            "the generated province has a front committee per commune and a mass mobilisation board per district and province");

        static long Whole(string number) => long.Parse(number.Replace(".", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Docx_letterhead_follows_decree_30_and_the_party_format_is_a_setting()
    {
        var file = await Reports.WriteAsync(ReviewProvince.Period, ReviewProvince.Code, ReportFormat.Docx, ReportLanguage.Vi);
        using (var doc = WordprocessingDocument.Open(new MemoryStream(file.Content), false))
        {
            var (left, right) = LetterheadCells(doc);
            var lines = left.Elements<Paragraph>().ToList();
            (lines[0].InnerText, lines[1].InnerText).Should().Be(("ỦY BAN NHÂN DÂN", "TỈNH THỬ NGHIỆM"), "a name too long for one line breaks after the body's kind, not inside the area's name");
            IsBold(lines[0]).Should().BeFalse("the parent body stands above in plain capitals");
            lines.Where(IsBold).Select(p => p.InnerText).Should().Equal("BAN CHỈ ĐẠO THỰC HIỆN", "QUY CHẾ DÂN CHỦ Ở CƠ SỞ");
            lines[^1].InnerText.Should().Be("Số: ……/BC-BCĐ");
            var motto = right.Elements<Paragraph>().ToList();
            motto[0].InnerText.Should().Be("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
            IsBold(motto[0]).Should().BeTrue();
            var date = motto[^1];
            date.InnerText.Should().Be("Thử Nghiệm, ngày …… tháng …… năm ……");
            date.Descendants<Run>().Should().OnlyContain(r => r.RunProperties!.Italic != null, "the place and date line is in italics");

            var signature = doc.MainDocumentPart!.Document!.Body!.Descendants<Table>().Single(t => Caption(t) == "signature").InnerText;
            signature.Should().Contain("Nơi nhận:").And.Contain("- Lưu: VT.");

            var comparison = Tables(doc)["comparison"];
            comparison.Should().HaveCount((await Compliance.ForAreaAsync(ReviewProvince.Period, ReviewProvince.Code)).Totals.Count, "one row per target");
            var header = doc.MainDocumentPart!.Document!.Body!.Descendants<Table>().Single(t => Caption(t) == "comparison").Elements<TableRow>().First().InnerText;
            header.Should().Contain("6 tháng đầu năm 2019 (cùng kỳ)").And.Contain("6 tháng cuối năm 2019 (kỳ trước)");
        }

        var options = new ReviewReportOptions();
        options.Committees[ReviewProvince.Code] = new CommitteeStyle { Format = LetterheadFormat.Party, Recipients = ["Ban Thường vụ Tỉnh ủy", "Ban Chỉ đạo Trung ương"] };
        var party = ActivatorUtilities.CreateInstance<ReviewReports>(province.Engine.Services,
            ActivatorUtilities.CreateInstance<ReviewReportQueries>(province.Engine.Services, Overviews), options);
        var partyFile = await party.WriteAsync(ReviewProvince.Period, ReviewProvince.Code, ReportFormat.Docx, ReportLanguage.Vi);
        using (var doc = WordprocessingDocument.Open(new MemoryStream(partyFile.Content), false))
        {
            var (left, right) = LetterheadCells(doc);
            left.Elements<Paragraph>().First().InnerText.Should().Be("TỈNH ỦY THỬ NGHIỆM");
            left.Elements<Paragraph>().Last().InnerText.Should().Be("Số ……-BC/BCĐ");
            right.Elements<Paragraph>().First().InnerText.Should().Be("ĐẢNG CỘNG SẢN VIỆT NAM");
            doc.MainDocumentPart!.Document!.Body!.Descendants<Table>().Single(t => Caption(t) == "signature").InnerText
                .Should().Contain("- Ban Thường vụ Tỉnh ủy;").And.Contain("- Ban Chỉ đạo Trung ương;");
        }

        static (TableCell Left, TableCell Right) LetterheadCells(WordprocessingDocument doc)
        {
            var cells = doc.MainDocumentPart!.Document!.Body!.Descendants<Table>().Single(t => Caption(t) == "letterhead").Descendants<TableCell>().ToList();
            return (cells[0], cells[1]);
        }

        static bool IsBold(Paragraph p) => p.Descendants<Run>().Any() && p.Descendants<Run>().All(r => r.RunProperties?.Bold != null);

        static string? Caption(DocumentFormat.OpenXml.Wordprocessing.Table t) => t.GetFirstChild<TableProperties>()?.GetFirstChild<TableCaption>()?.Val?.Value;
    }

    [Fact]
    public async Task A_report_for_the_second_half_alone_is_refused_and_names_the_year_report()
    {
        var act = () => Reports.WriteAsync("2020S2", ReviewProvince.Code, ReportFormat.Docx, ReportLanguage.Vi);
        (await act.Should().ThrowAsync<EvaluationRequestException>()).Which.Message
            .Should().Contain("6 tháng cuối năm 2020").And.Contain("báo cáo năm 2020");

        var year = await Reports.WriteAsync("2020", ReviewProvince.Code, ReportFormat.Docx, ReportLanguage.Vi);
        using var doc = WordprocessingDocument.Open(new MemoryStream(year.Content), false);
        Text(doc).Should().Contain("Tổng kết thực hiện quy chế dân chủ ở cơ sở năm 2020");
        Tables(doc).Should().ContainKey("comparison");
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
        tables["flagged"].Select(r => r[2]).Should().Equal(findings);
    }
}
