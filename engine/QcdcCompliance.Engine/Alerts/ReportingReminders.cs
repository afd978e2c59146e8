using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Reports;

namespace QcdcCompliance.Alerts;

/// <summary>The reminder to a unit's contact that the unit has not reported everything for a period due soon or overdue.</summary>
public static class ReportingReminders
{
    public static ComposedMessage Compose(Period period, UnitFact unit, IReadOnlyList<string> missing, DateOnly today, AlertOptions options)
    {
        var days = period.Deadline.DayNumber - today.DayNumber;
        var (subject, when) = days >= 0
            ? ($"[QCDC] Nhắc báo cáo {Vietnamese.Period(period)} – {unit.Name}: hạn {Vietnamese.Date(period.Deadline)}",
               days == 0 ? "hôm nay là hạn cuối" : $"còn {days} ngày")
            : ($"[QCDC] Quá hạn báo cáo {Vietnamese.Period(period)} – {unit.Name}: hạn {Vietnamese.Date(period.Deadline)}",
               $"đã quá hạn {-days} ngày");
        var body = new MailBody()
            .Heading($"Nhắc báo cáo kết quả thực hiện Quy chế dân chủ ở cơ sở {Vietnamese.Period(period)}")
            .Paragraph($"Kính gửi: {unit.Name}.")
            .Paragraph($"Đến ngày {Vietnamese.Date(today)}, đơn vị chưa báo cáo {missing.Count} nội dung số liệu {Vietnamese.Period(period)}. "
                + $"Hạn báo cáo: ngày {Vietnamese.Date(period.Deadline)} ({when}).")
            .Bullets(missing.Select(code => IndicatorCatalogue.Find(code)?.NameVi ?? code))
            .Paragraph(days >= 0
                ? $"Đề nghị đơn vị giao cán bộ báo cáo nhập đủ số liệu trước ngày {Vietnamese.Date(period.Deadline)}. Đơn vị chưa báo cáo đủ sau hạn được ghi nhận là chưa đạt yêu cầu báo cáo đầy đủ."
                : $"Đề nghị đơn vị giao cán bộ báo cáo nhập đủ số liệu ngay, chậm nhất ngày {Vietnamese.Date(today.AddDays(7))}. Đơn vị đang được ghi nhận là chưa đạt yêu cầu báo cáo đầy đủ.")
            .Link("Nhập số liệu trên trang của đơn vị", AlertOptions.ForUnit(options.UnitUrl, period.Code, unit.Code))
            .Link("Tải mẫu báo cáo (Excel)", AlertOptions.ForUnit(options.TemplateUrl, period.Code, unit.Code))
            .Signed(options)
            .Footer("Thư nhắc được gửi tự động, tối đa mỗi ngày một lần, đến địa chỉ liên hệ của đơn vị. Xin không trả lời thư này.",
                $"This is an automated reminder from QcdcCompliance: unit {unit.Code} has not reported {missing.Count} indicator(s) for "
                + $"{ReportWording.English.PeriodName(period)} ({period.Code}), due {period.Deadline:yyyy-MM-dd}. You receive it as the unit's contact address, at most once a day. Please do not reply.");
        return new ComposedMessage(OutboxKeys.Reminder(period.Code, unit.Code, today), MessageKind.ReportingReminder, unit.ContactEmail!.Trim(), subject, body);
    }
}
