using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;

namespace QcdcCompliance.Reports;

/// <summary>
/// The review report's tables as a workbook, typed so that a spreadsheet can sum them: the targets of the area, the
/// appendix per target and area (value, denominator, threshold, share), the summed figures per area, and every flagged
/// unit (never cut short, unlike the printed list). The first row names each column in the reader's language, the
/// second gives its code (indicator codes, field names) for machines; counts are numbers formatted #,##0, shares and
/// thresholds are fractions formatted as percentages (the share exact, numerator over denominator, so that a filter
/// "share ≥ threshold" agrees with the verdict; shown beside a threshold to the tenth of a percent and up to three more
/// digits, so 2.333/3.333 reads 69.997%, never 70.0%), and every column has a width.
/// </summary>
public static class XlsxReportWriter
{
    private const string Count = "#,##0";
    private const string Share = "0.0%";

    /// <summary>A share beside its threshold: the exact fraction with the digits Excel needs to show 69.997%, not 70.0%, for 2.333/3.333.</summary>
    private const string ShareBesideThreshold = "0.0##%";
    private const string Threshold = "0%";

    public static byte[] Write(ReviewReportData data, ReportLanguage language)
    {
        var w = ReportWording.For(language, data.Overview.Period);
        var o = data.Overview;
        string T(string vi, string en) => w.T(vi, en);
        var columns = new Dictionary<string, DynamicExcelColumn>();

        Column C(string vi, string en, string code, double width, string? format = null)
        {
            var header = T(vi, en);
            if (!columns.ContainsKey(header))
                columns[header] = new DynamicExcelColumn(header) { Width = width, Format = format };
            return new Column(header, code);
        }

        var targetCode = C("Mã chỉ tiêu", "Target code", "target", 16);
        var targetName = C("Chỉ tiêu", "Target", "target_name", 44);
        var text = C("Nội dung", "Text", "target_text", 60);
        var population = C("Thuộc diện", "Units", "population_units", 11, Count);
        var met = C("Đạt", "Met", "met_units", 10, Count);
        var shortUnits = C("Chưa đạt", "Short", "short_units", 10, Count);
        var missing = C("Chưa báo cáo", "Not reported", "missing_units", 13, Count);
        var value = C("Giá trị", "Value", "numerator", 12, Count);
        var denominator = C("Mẫu số", "Denominator", "denominator", 12, Count);
        var share = C("Tỷ lệ", "Share", "share", 10, ShareBesideThreshold);
        var op = C("Phép so sánh", "Operator", "operator", 8);
        var threshold = C("Ngưỡng", "Threshold", "threshold", 10, Threshold);
        var status = C("Đánh giá", "Status", "status", 16);
        var previousShare = C("Tỷ lệ kỳ trước", "Previous share", "previous_share", 14, Share);
        var change = C("Thay đổi (điểm %)", "Change (points)", "change_points", 14, "+0.0;-0.0;0.0");
        var areaCode = C("Mã địa bàn", "Area code", "area", 14);
        var areaName = C("Địa bàn", "Area", "area_name", 28);
        // Which part of the area a row of a per-area sheet covers: the own units' row carries the area's code as its total does.
        var part = C("Phạm vi", "Part", "part", 16);
        string PartOf(bool own, bool total) => total ? T("toàn địa bàn", "total") : own ? T("trực thuộc trực tiếp", "own units") : T("địa bàn cấp dưới", "child area");

        var targets = Sheet([targetCode, targetName, text, population, met, shortUnits, missing, value, denominator, share, op, threshold, status, previousShare, change],
            o.Targets.Select(t => Values(t.Current.TargetCode, w.TargetName(t.Current), w.TargetText(t.Current), t.Current.PopulationUnits, t.Current.MetUnits,
                t.Current.JudgesUnits ? t.Current.ShortUnits : null, t.Current.MissingUnits, t.Current.Numerator, t.Current.Denominator,
                Fraction(t.Current.Numerator, t.Current.Denominator), OperatorOf(t.Current), ThresholdOf(t.Current), w.Status(t.Current.Status),
                t.Previous is { } p ? DisplayFormat.ShownFraction(p.Numerator, p.Denominator) : null, t.Change)));

        // The gap of an area short of a target: the fewest units (or counts) that must change, from its finding.
        var gaps = data.AreaFindings.Where(f => f.Measurement.Gap is not null).ToDictionary(f => (f.TargetCode, f.SubjectCode), f => f.Measurement.Gap);
        var gap = C("Cần thêm", "Gap", "gap", 10, Count);
        var byArea = Sheet([targetCode, areaCode, areaName, part, population, met, missing, value, denominator, op, threshold, share, status, gap],
            o.Targets.SelectMany(t => o.PartsOf(t.Current.TargetCode).Append(t.Current)).Select(r => Values(r.TargetCode, r.AreaCode, w.RowName(r),
                PartOf(r.OwnUnits, r.AreaId == o.Area.Id && !r.OwnUnits), r.PopulationUnits, r.MetUnits, r.MissingUnits, r.Numerator, r.Denominator, OperatorOf(r), ThresholdOf(r),
                Fraction(r.Numerator, r.Denominator), w.RowStatus(r), r.OwnUnits ? null : gaps.GetValueOrDefault((r.TargetCode, r.AreaCode)))));

        var expected = C("Phải báo cáo", "Expected", "expected_units", 13, Count);
        var completeness = data.Completeness is not { } c ? null : Sheet([
                areaCode, areaName, part, expected, C("Đã báo cáo đủ", "Complete", "complete_units", 13, Count), C("Đúng hạn", "On time", "on_time_units", 11, Count),
                C("Muộn", "Late", "late_units", 10, Count), C("Còn thiếu", "Partial", "partial_units", 11, Count), missing,
                C("Tỷ lệ báo cáo", "Reporting rate", "reporting_rate", 13, Share),
            ],
            Parts(c.Children, c.OwnUnits, c.Totals).Select(a => Values(a.Row.AreaCode, a.Own ? w.OwnUnitsName(a.Row.AreaName) : a.Row.AreaName, PartOf(a.Own, a.Total), a.Row.Expected, a.Row.Complete,
                    a.Row.OnTime, a.Row.Late, a.Row.Partial, a.Row.Missing, DisplayFormat.ShownFraction(a.Row.Complete, a.Row.Expected))));

        var period = C("Kỳ", "Period", "period", 10);
        var changePrevious = C("So với kỳ trước (điểm %)", "Against the previous period (points)", "change_previous_points", 16, "+0.0;-0.0;0.0");
        var changeLastYear = C("So với cùng kỳ (điểm %)", "Against the same period last year (points)", "change_last_year_points", 16, "+0.0;-0.0;0.0");
        var test = C("Yêu cầu khi đó", "Test then", "test", 12);
        // Before a merger the figures sum the areas merged into this one: the row says which.
        var summed = C("Tổng của các địa bàn", "Sum of the areas", "measured_over", 32);
        var trend = Sheet([targetCode, targetName, period, population, met, missing, value, denominator, share, test, status, changePrevious, changeLastYear, summed],
            data.Trends.SelectMany(t => UpTo(t.Points, o.Period).Select(p => Values(t.Target, o.Targets.FirstOrDefault(s => s.Current.TargetCode == t.Target) is { } s ? w.TargetName(s.Current) : t.Target,
                p.Period, p.PopulationUnits, p.MetUnits, p.MissingUnits, p.Numerator, p.Denominator, Fraction(p.Numerator, p.Denominator), w.Format.Test(p.Test), w.Status(p.Status),
                p.ChangeFromPreviousPeriod, p.ChangeFromSamePeriodLastYear, w.MeasuredOver(t, p) is { Length: > 0 } over ? over.Trim(' ', '(', ')') : null))));

        var whatIf = data.WhatIf is not { } proposal ? null : Sheet([
                targetCode, C("Loại đối tượng", "Subject type", "subject_type", 12), C("Mã", "Code", "subject_code", 16), C("Tên", "Name", "subject_name", 32),
                C("Hiện nay", "Now", "now", 16), C("Theo đề xuất", "Proposed", "proposed", 16),
                C("Tỷ lệ hiện nay", "Share now", "now_share", 12, ShareBesideThreshold), C("Tỷ lệ theo đề xuất", "Share proposed", "proposed_share", 14, ShareBesideThreshold),
                C("Yêu cầu hiện nay", "Test now", "now_test", 14), C("Yêu cầu đề xuất", "Proposed test", "proposed_test", 14), gap,
                // A count target's least count per unit, now and proposed, as the what-if page and the DOCX appendix say it.
                C("Mỗi cơ sở ít nhất (hiện nay)", "Each unit at least (now)", "minimum_now", 14, Count),
                C("Mỗi cơ sở ít nhất (đề xuất)", "Each unit at least (proposed)", "minimum_proposed", 14, Count),
            ],
            // The tests as every other sheet writes them ("≥ 70%", not the machines' ">= 70%"), the current set's beside the proposal's.
            proposal.Rows.Select(r => Values(r.Target, r.SubjectType == SubjectType.Area ? T("địa bàn", "area") : T("cơ sở", "unit"), r.SubjectCode, r.SubjectName,
                w.Standing(r.Now), w.Standing(r.Proposed),
                r.NowFigures is { Denominator: > 0 } n ? Fraction(n.Numerator ?? 0, n.Denominator.Value) : null,
                r.ProposedFigures is { Denominator: > 0 } f ? Fraction(f.Numerator ?? 0, f.Denominator.Value) : null,
                r.NowFigures?.Test is { } now ? w.Format.Test(now) : null, r.ProposedFigures?.Test is { } proposed ? w.Format.Test(proposed) : null, r.ProposedFigures?.Gap,
                proposal.Minimums.GetValueOrDefault(r.Target).Now, proposal.Minimums.GetValueOrDefault(r.Target).Proposed)));

        var indicatorColumns = ReviewReportQueries.RestatedIndicators
            .Select(code => C(IndicatorCatalogue.Get(code).NameVi, IndicatorCatalogue.Get(code).NameEn, code, 18, Count)).ToList();
        var figures = Sheet([areaCode, areaName, part, .. indicatorColumns],
            Parts(data.ChildFigures, data.OwnFigures, data.Totals).Select(f => Values([f.Row.AreaCode, f.Own ? w.OwnUnitsName(f.Row.AreaName) : f.Row.AreaName, PartOf(f.Own, f.Total),
                    .. ReviewReportQueries.RestatedIndicators.Select(code => f.Row.ReportingUnits(code) > 0 ? (object?)f.Row.Sum(code) : null)])));

        var flagged = Sheet([
                targetCode, C("Mã cơ sở", "Unit code", "unit", 16), C("Tên cơ sở", "Unit", "unit_name", 36), C("Loại hình", "Kind", "kind", 28),
                C("Địa bàn (tên)", "Area (names)", "area_path", 40), C("Kết quả", "Measured", "measured", 16, ShareBesideThreshold), C("Tử số", "Numerator", "finding_numerator", 10, Count),
                C("Mẫu số (phát hiện)", "Denominator (finding)", "finding_denominator", 12, Count), C("Số liệu", "Value", "value", 10, Count),
                C("Yêu cầu", "Required", "required", 16), C("Tình trạng", "State", "state", 16), C("Mức độ", "Severity", "severity", 12),
                C("Mã phát hiện", "Finding", "finding_id", 12), C("Lần đánh giá đầu tiên", "First run", "first_run_id", 12),
            ],
            data.FlaggedUnits.Select(u => Values(u.Finding.TargetCode, u.Finding.SubjectCode, u.Finding.SubjectName, w.KindName(u.Kind), u.AreaPath,
                // A share is the exact fraction (typed, as in "Theo địa bàn"); a yes/no, a count or "not reported" is said in words.
                ReportWording.ShareOf(u.Finding) is { } measured ? Fraction(measured.Numerator, measured.Denominator) : w.Measured(u.Finding, data.Setting(u.Finding.TargetCode)),
                u.Finding.Measurement.Numerator, u.Finding.Measurement.Denominator,
                u.Finding.Measurement.Value, w.Required(u.Finding, data.Setting(u.Finding.TargetCode)), w.State(u.Finding.State),
                w.Severity(u.Finding.Severity), u.Finding.Id, u.Finding.FirstRunId)));

        var item = C("Mục", "Item", "item", 28);
        var itemValue = C("Nội dung thông tin", "Value", "value_text", 80);
        var about = Sheet([item, itemValue],
        [
            Values(T("Địa bàn", "Area"), $"{o.Area.Name} ({o.Area.Code})"),
            Values(T("Kỳ", "Period"), $"{ReportWording.Capitalised(w.PeriodName(o.Period))} ({o.Period.Code}: {w.Format.Date(o.Period.Start)} – {w.Format.Date(o.Period.End)})"),
            Values(T("Lần đánh giá", "Run"), o.LatestRun is { } run ? $"#{run.Id}, {w.Format.Time(run.FinishedAt ?? run.StartedAt)}, {run.RuleSetVersion}" : ""),
            Values(T("Lập lúc (giờ Việt Nam)", "Generated (Viet Nam time)"), w.Format.Time(data.GeneratedAtUtc)),
            Values(T("Ký duyệt", "Sign-off"), data.SignedOff is { } signed
                ? T($"Đã ký duyệt ngày {w.Format.Date(DateOnly.FromDateTime(DisplayFormat.Local(signed.At)))} lúc {DisplayFormat.Local(signed.At):HH:mm} (giờ Việt Nam), bởi {CommitteeAct.NameOf(signed.By)}",
                    $"Signed off on {w.Format.Date(DateOnly.FromDateTime(DisplayFormat.Local(signed.At)))} at {DisplayFormat.Local(signed.At):HH:mm} (Viet Nam time), by {CommitteeAct.NameOf(signed.By)}")
                  // The run signed, as the DOCX says it: the "Run" row above is the latest, which may be a later one.
                  + (signed.RunId is { } signedRun ? w.SignedRun(signedRun) : "")
                  + (signed.Reason is { } reason ? (signed.IncompleteUnits > 0
                      ? T($"; còn {signed.IncompleteUnits} cơ sở chưa báo cáo đủ; lý do: {reason}", $"; {signed.IncompleteUnits} unit(s) not reported in full; reason: {reason}")
                      : T($"; ghi chú: {reason}", $"; note: {reason}")) : "")
                : T("Chưa ký duyệt", "Not signed off")),
            Values(T("Cách làm tròn", "Rounding"), T("Ô tỷ lệ giữ tỷ lệ đúng (tử số/mẫu số), nên lọc \"tỷ lệ ≥ ngưỡng\" khớp với đánh giá; báo cáo ghi tỷ lệ làm tròn đến 0,1% (từ 5 trở lên làm tròn lên), tỷ lệ chưa đủ 100% không ghi thành 100%, tỷ lệ lớn hơn 0 không ghi thành 0%, tỷ lệ chưa đạt ngưỡng không ghi thành đạt (69,997% so với ≥ 70% ghi 69,9%).",
                "Share cells hold the exact share (numerator/denominator), so a filter \"share ≥ threshold\" agrees with the status; the report rounds shares half up to 0.1%, a share short of 100% never reads 100%, one above 0 never 0%, one short of its threshold never reads as meeting it (69.997% against ≥ 70% reads 69.9%).")),
        ]);

        var sheets = new Dictionary<string, object>
        {
            [T("Chỉ tiêu", "Targets")] = targets,
            [T("Theo địa bàn", "By area")] = byArea,
            [T("Số liệu tổng hợp", "Figures")] = figures,
            [T("Cơ sở chưa đạt", "Flagged units")] = flagged,
        };
        if (completeness is not null)
            sheets[T("Tình hình báo cáo", "Reporting")] = completeness;
        sheets[T("Diễn biến", "Trend")] = trend;
        if (whatIf is not null)
            sheets[T("Chỉ tiêu đề xuất", "Proposed targets")] = whatIf;
        sheets[T("Thông tin", "About")] = about;
        var configuration = new OpenXmlConfiguration { DynamicColumns = [.. columns.Values] };
        using var stream = new MemoryStream();
        stream.SaveAs(sheets, configuration: configuration);
        return stream.ToArray();
    }

    /// <summary>A threshold as the fraction a spreadsheet compares with: 1 for 100%, 0.7 for 70%; empty where the set changed since and the run recorded none.</summary>
    private static decimal? ThresholdOf(ComplianceRow row) => row.ThresholdRecorded ? row.ThresholdMillionths / (decimal)Domain.Threshold.One : null;

    private static string? OperatorOf(ComplianceRow row) => row.ThresholdRecorded ? DisplayFormat.Symbol(row.Operator) : null;

    private sealed record Column(string Header, string Code);

    /// <summary>A per-area sheet's rows: the child areas, the area's own units (when it has any), then its total.</summary>
    private static IEnumerable<(T Row, bool Own, bool Total)> Parts<T>(IEnumerable<T> children, T? own, T total) where T : class =>
        children.Select(c => (c, false, false)).Concat(own is null ? [] : [(own, true, false)]).Append((total, false, true));

    /// <summary>A sheet: the header row (the columns' names), the codes row under it, then the rows.</summary>
    private static List<Dictionary<string, object?>> Sheet(IReadOnlyList<Column> columns, IEnumerable<object?[]> rows)
    {
        var sheet = new List<Dictionary<string, object?>> { columns.ToDictionary(c => c.Header, c => (object?)c.Code) };
        sheet.AddRange(rows.Select(values => columns.Zip(values).ToDictionary(x => x.First.Header, x => x.Second)));
        return sheet;
    }

    private static object?[] Values(params object?[] values) => values;

    /// <summary>A share stored exact, as a fraction (<see cref="DisplayFormat.Fraction"/>): the cell a spreadsheet compares with the threshold.</summary>
    public static decimal? Fraction(long numerator, long denominator) => DisplayFormat.Fraction(numerator, denominator);

    /// <summary>
    /// A trend's points as of the report's period: those ending by its last day, oldest first (a half-year before the year
    /// it closes). A report of 2020S1 printed later holds no figure of 2020S2 or of the year 2020.
    /// </summary>
    private static IEnumerable<TrendPoint> UpTo(IEnumerable<TrendPoint> points, Period period)
    {
        var calendar = PeriodCalendar.Default;
        var end = calendar.Create(period.Code).End;
        return points
            .Select(p => (Point: p, End: PeriodCode.TryParseStored(p.Period, out var code) ? calendar.Create(code).End : DateOnly.MaxValue))
            .Where(p => p.End <= end)
            .OrderBy(p => p.End).ThenBy(p => p.Point.Type == PeriodType.Year ? 1 : 0).ThenBy(p => p.Point.Period, StringComparer.Ordinal)
            .Select(p => p.Point);
    }
}

public enum ReportFormat
{
    Docx,
    Xlsx,
    Html,
}

/// <summary>A written report: its bytes, a file name and its media type.</summary>
public sealed record ReportFile(byte[] Content, string FileName, string ContentType);

/// <summary>Writes the review report of a period and an area in one of the formats.</summary>
public sealed class ReviewReports(ReviewReportQueries queries, ReviewReportOptions options)
{
    public async Task<ReportFile> WriteAsync(string periodCode, string areaCode, ReportFormat format, ReportLanguage language, CancellationToken ct = default,
        ReportProposal? proposal = null)
    {
        var data = await queries.LoadAsync(periodCode, areaCode, ct, proposal);
        var name = $"bao-cao-qcdc-{data.Overview.Area.Code}-{data.Overview.Period.Code}{(language == ReportLanguage.En ? "-en" : "")}";
        return format switch
        {
            ReportFormat.Docx => new ReportFile(DocxReportWriter.Write(ReviewReportComposer.Compose(data, language, options)), name + ".docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ReportFormat.Xlsx => new ReportFile(XlsxReportWriter.Write(data, language), name + ".xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            _ => new ReportFile(System.Text.Encoding.UTF8.GetBytes(HtmlReportWriter.Write(ReviewReportComposer.Compose(data, language, options))), name + ".html",
                "text/html; charset=utf-8"),
        };
    }

    public static bool TryParseFormat(string? text, out ReportFormat format) =>
        Enum.TryParse(text?.Trim(), ignoreCase: true, out format) && Enum.IsDefined(format);

    public static ReportLanguage ParseLanguage(string? text) =>
        string.Equals(text?.Trim(), "en", StringComparison.OrdinalIgnoreCase) ? ReportLanguage.En : ReportLanguage.Vi;
}
