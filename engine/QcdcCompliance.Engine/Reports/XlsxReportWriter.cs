using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;

namespace QcdcCompliance.Reports;

/// <summary>
/// The review report's tables as a workbook, typed so that a spreadsheet can sum them: the targets of the area, the
/// appendix per target and area (value, denominator, target, share), the summed figures per area, and every flagged
/// unit (never cut short, unlike the printed list). Shares are stored truncated like the report prints them.
/// </summary>
public static class XlsxReportWriter
{
    public static byte[] Write(ReviewReportData data, ReportLanguage language)
    {
        var w = ReportWording.For(language);
        var o = data.Overview;
        string T(string vi, string en) => w.T(vi, en);

        var share = T("Tỷ lệ", "Share");
        var previousShare = T("Tỷ lệ kỳ trước", "Previous share");
        var targets = o.Targets.Select(t => Row(
            (T("Mã chỉ tiêu", "Target"), t.Current.TargetCode),
            (T("Nội dung", "Text"), w.TargetText(t.Current)),
            (T("Thuộc diện", "Units"), t.Current.PopulationUnits),
            (T("Đạt", "Met"), t.Current.MetUnits),
            (T("Chưa đạt", "Short"), t.Current.ShortUnits),
            (T("Chưa báo cáo", "Not reported"), t.Current.MissingUnits),
            (T("Giá trị", "Value"), t.Current.Numerator),
            (T("Mẫu số", "Denominator"), t.Current.Denominator),
            (share, Fraction(t.Current.Numerator, t.Current.Denominator)),
            (T("Chỉ tiêu", "Threshold"), w.Threshold(t.Current)),
            (T("Đánh giá", "Status"), w.Status(t.Current.Status)),
            (previousShare, t.Previous is { } p ? Fraction(p.Numerator, p.Denominator) : null),
            (T("Thay đổi (điểm %)", "Change (points)"), t.Change))).ToList();

        var byArea = new List<Dictionary<string, object?>>();
        foreach (var t in o.Targets)
        {
            foreach (var r in o.ChildrenOf(t.Current.TargetCode).Append(t.Current))
            {
                byArea.Add(Row(
                    (T("Mã chỉ tiêu", "Target"), r.TargetCode),
                    (T("Mã địa bàn", "Area code"), r.AreaCode),
                    (T("Địa bàn", "Area"), r.AreaName),
                    (T("Thuộc diện", "Units"), r.PopulationUnits),
                    (T("Đạt", "Met"), r.MetUnits),
                    (T("Chưa báo cáo", "Not reported"), r.MissingUnits),
                    (T("Giá trị", "Value"), r.Numerator),
                    (T("Mẫu số", "Denominator"), r.Denominator),
                    (T("Chỉ tiêu", "Threshold"), w.Threshold(r)),
                    (share, Fraction(r.Numerator, r.Denominator)),
                    (T("Đánh giá", "Status"), w.Status(r.Status))));
            }
        }

        var figures = data.ChildFigures.Append(data.Totals).Select(f =>
        {
            var row = Row((T("Mã địa bàn", "Area code"), f.AreaCode), (T("Địa bàn", "Area"), f.AreaName));
            foreach (var code in ReviewReportQueries.RestatedIndicators)
                row[code] = f.ReportingUnits(code) > 0 ? f.Sum(code) : null;
            return row;
        }).ToList();

        var flagged = data.FlaggedUnits.Select(u => Row(
            (T("Mã chỉ tiêu", "Target"), u.Finding.TargetCode),
            (T("Mã cơ sở", "Unit code"), u.Finding.SubjectCode),
            (T("Tên cơ sở", "Unit"), u.Finding.SubjectName),
            (T("Loại hình", "Kind"), w.KindName(u.Kind)),
            (T("Địa bàn", "Area"), u.AreaPath),
            (T("Kết quả", "Measured"), w.Measured(u.Finding, data.Setting(u.Finding.TargetCode))),
            (T("Tử số", "Numerator"), u.Finding.Measurement.Numerator),
            (T("Mẫu số", "Denominator"), u.Finding.Measurement.Denominator),
            (T("Giá trị", "Value"), u.Finding.Measurement.Value),
            (T("Yêu cầu", "Required"), w.Required(u.Finding, data.Setting(u.Finding.TargetCode))),
            (T("Tình trạng", "State"), w.State(u.Finding.State)),
            (T("Mức độ", "Severity"), w.Severity(u.Finding.Severity)),
            (T("Mã phát hiện", "Finding"), u.Finding.Id),
            (T("Lần đánh giá đầu tiên", "First run"), u.Finding.FirstRunId))).ToList();

        var about = new List<Dictionary<string, object?>>
        {
            Row((T("Mục", "Item"), T("Địa bàn", "Area")), (T("Giá trị", "Value"), $"{o.Area.Code} {o.Area.Name}")),
            Row((T("Mục", "Item"), T("Kỳ", "Period")), (T("Giá trị", "Value"), $"{o.Period.Code} ({w.Format.Date(o.Period.Start)} – {w.Format.Date(o.Period.End)})")),
            Row((T("Mục", "Item"), T("Lần đánh giá", "Run")), (T("Giá trị", "Value"), o.LatestRun is { } run ? $"#{run.Id}, {w.Format.Time(run.FinishedAt ?? run.StartedAt)}, {run.RuleSetVersion}" : "")),
            Row((T("Mục", "Item"), T("Lập lúc (giờ Việt Nam)", "Generated (Viet Nam time)")), (T("Giá trị", "Value"), w.Format.Time(data.GeneratedAtUtc))),
        };

        var sheets = new Dictionary<string, object>
        {
            [T("Chỉ tiêu", "Targets")] = targets,
            [T("Theo địa bàn", "By area")] = byArea,
            [T("Số liệu tổng hợp", "Figures")] = figures,
            [T("Cơ sở chưa đạt", "Flagged units")] = flagged,
            [T("Thông tin", "About")] = about,
        };
        var configuration = new OpenXmlConfiguration
        {
            DynamicColumns =
            [
                new DynamicExcelColumn(share) { Format = "0.0%" },
                new DynamicExcelColumn(previousShare) { Format = "0.0%" },
            ],
        };
        using var stream = new MemoryStream();
        stream.SaveAs(sheets, configuration: configuration);
        return stream.ToArray();
    }

    /// <summary>A share as the report prints it (to a tenth of a percent, by the one rule), stored as a fraction.</summary>
    public static decimal? Fraction(long numerator, long denominator) => DisplayFormat.Fraction(numerator, denominator);

    private static Dictionary<string, object?> Row(params (string Key, object? Value)[] cells) => cells.ToDictionary(c => c.Key, c => c.Value);
}

/// <summary>The formats a review report is written in.</summary>
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
    public async Task<ReportFile> WriteAsync(string periodCode, string areaCode, ReportFormat format, ReportLanguage language, CancellationToken ct = default)
    {
        var data = await queries.LoadAsync(periodCode, areaCode, ct);
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
