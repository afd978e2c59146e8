using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Reports;
using QcdcCompliance.Storage;

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

    /// <summary>
    /// Checks the reminders among <paramref name="rows"/> that no attempt has reached the relay with yet against what their
    /// units have reported since they were queued (a relay down for a day holds them that long): one whose unit now owes
    /// nothing is named in <see cref="Rendering.Withdrawn"/>, with why; one whose unit owes less (or otherwise than it
    /// said) is composed again, as of <paramref name="today"/>, in memory, and named in <see cref="Rendering.Rendered"/>
    /// so that delivery stores its bodies with the claim; one still true is left as it was queued. A unit no longer found
    /// in its period (closed, moved, its key unreadable) leaves its reminder as it is: nothing says it is wrong.
    /// </summary>
    public static async Task RecheckAsync(QcdcDbContext db, FactLoader loader, IReadOnlyCollection<OutboxMessage> rows, Rendering rendering,
        DateOnly today, AlertOptions options, CancellationToken ct)
    {
        var queued = rows.Where(r => r is { Kind: MessageKind.ReportingReminder, Status: MessageStatus.Pending, Attempts: 0 })
            .Select(r => (Row: r, Of: OutboxKeys.ReadReminder(r.Key))).Where(q => q.Of is not null).ToList();
        if (queued.Count == 0)
            return;
        var tree = await db.LoadAreaTreeAsync(ct);
        foreach (var byPeriod in queued.GroupBy(q => q.Of!.Value.Period))
        {
            if (await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Code == byPeriod.Key, ct) is not { } period)
                continue;
            var codes = byPeriod.Select(q => q.Of!.Value.Unit).Distinct().ToList();
            var units = await db.Units.AsNoTracking().Where(u => codes.Contains(u.Code)).Select(u => new { u.Id, u.AreaId }).ToListAsync(ct);
            var reports = new Dictionary<string, UnitReport>(StringComparer.Ordinal);
            foreach (var byProvince in units.GroupBy(u => tree.PathOn(u.AreaId, period.End) is { Count: > 0 } path ? path[^1] : null).Where(g => g.Key is not null))
            {
                foreach (var report in await loader.LoadUnitsAsync(db, period, byProvince.Key!, tree, byProvince.Select(u => u.Id).ToList(), ct))
                    reports[report.Unit.Code] = report;
            }

            foreach (var (row, of) in byPeriod)
            {
                if (!reports.TryGetValue(of!.Value.Unit, out var report))
                    continue;
                if (report.Missing.Count == 0)
                {
                    rendering.Withdrawn[row.Id] = $"withdrawn, never sent: unit {report.Unit.Code} has reported all it owes for {period.Code} since the reminder was queued";
                    continue;
                }

                var unit = report.Unit with { ContactEmail = row.Recipient };
                if (Compose(period, unit, report.Missing, of.Value.Day, options).Body.PackText().AsSpan().SequenceEqual(row.PackedTextBody))
                    continue;
                var fresh = Compose(period, unit, report.Missing, today, options).ToOutbox(row.CreatedAt);
                (row.Subject, row.PackedTextBody, row.PackedHtmlBody) = (fresh.Subject, fresh.PackedTextBody, fresh.PackedHtmlBody);
                rendering.Rendered.Add(row.Id);
            }
        }
    }
}
