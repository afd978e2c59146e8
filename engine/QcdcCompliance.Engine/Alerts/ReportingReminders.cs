using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Alerts;

/// <summary>The reminder to a unit's contact that the unit has not reported everything for a period due soon or overdue.</summary>
public static class ReportingReminders
{
    public static ComposedMessage Compose(Period period, UnitFact unit, IReadOnlyList<string> missing, DateOnly today, AlertOptions options)
    {
        var days = period.Deadline.DayNumber - today.DayNumber;
        var (subject, when) = days >= 0
            ? ($"[QCDC] Nhắc báo cáo kỳ {period.Code} – {unit.Name}: hạn {Vietnamese.Date(period.Deadline)}",
               days == 0 ? "hôm nay là hạn cuối" : $"còn {days} ngày")
            : ($"[QCDC] Quá hạn báo cáo kỳ {period.Code} – {unit.Name}: hạn {Vietnamese.Date(period.Deadline)}",
               $"đã quá hạn {-days} ngày");
        var body = new MailBody()
            .Heading($"Nhắc báo cáo kết quả thực hiện Quy chế dân chủ ở cơ sở kỳ {period.Code}")
            .Paragraph($"Kính gửi: {unit.Name} ({unit.Code}).")
            .Paragraph($"Đến ngày {Vietnamese.Date(today)}, đơn vị chưa báo cáo {missing.Count} chỉ tiêu của kỳ {Vietnamese.Period(period)}. "
                + $"Hạn báo cáo: {Vietnamese.Date(period.Deadline)} ({when}).")
            .Bullets(missing.Select(code => IndicatorCatalogue.Find(code) is { } i ? $"{i.Code} — {i.NameVi}" : code))
            .Paragraph("Đề nghị cán bộ báo cáo của đơn vị nhập đủ số liệu. Đơn vị chưa báo cáo đủ sau hạn được ghi nhận là chưa đạt chỉ tiêu báo cáo (REPORTED).")
            .Link("Nhập số liệu trên trang của đơn vị", AlertOptions.ForUnit(options.UnitUrl, period.Code, unit.Code))
            .Link("Tải mẫu báo cáo (Excel)", AlertOptions.ForUnit(options.TemplateUrl, period.Code, unit.Code))
            .Footer($"This is an automated reminder from QcdcCompliance: unit {unit.Code} has not reported {missing.Count} indicator(s) for period "
                + $"{period.Code}, due {period.Deadline:yyyy-MM-dd}. You receive it as the unit's contact address, at most once a day. Please do not reply.");
        return new ComposedMessage(OutboxKeys.Reminder(period.Code, unit.Code, today), MessageKind.ReportingReminder, unit.ContactEmail!.Trim(), subject, body);
    }
}
