using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Findings;

namespace QcdcCompliance.Alerts;

/// <summary>
/// The e-mail to a unit's contact: the unit's New findings of one run, one message per address (an address that is
/// the contact of several units gets them all in one). Persisting findings are not repeated. A unit that has not
/// reported yet is not told so before the period's deadline: until then it is not late, and the reminder job asks it.
/// </summary>
public static class UnitAlerts
{
    public static IEnumerable<ComposedMessage> Compose(RecordedRun run, IReadOnlyDictionary<string, string> targetTexts, AlertOptions options)
    {
        var beforeDeadline = Vietnamese.LocalDate(run.Run.StartedAt) <= run.Period.Deadline;
        var byRecipient = run.New
            .Select(n => n.Draft)
            .Where(d => d.SubjectType == SubjectType.Unit && !string.IsNullOrWhiteSpace(d.ContactEmail))
            .Where(d => !(beforeDeadline && d.TargetCode == ReportingTarget.Code))
            .GroupBy(d => OutboxKeys.Normalise(d.ContactEmail!))
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in byRecipient)
        {
            var units = group.GroupBy(d => (d.SubjectCode, d.SubjectName)).OrderBy(u => u.Key.SubjectCode, StringComparer.Ordinal).ToList();
            var count = group.Count();
            var first = units[0].Key;
            var subject = units.Count == 1
                ? $"[QCDC] Kỳ {run.Period.Code} – {first.SubjectName}: {count} chỉ tiêu chưa đạt"
                : $"[QCDC] Kỳ {run.Period.Code} – {units.Count} đơn vị: {count} chỉ tiêu chưa đạt";

            var body = new MailBody()
                .Heading("Thông báo kết quả đánh giá thực hiện Quy chế dân chủ ở cơ sở")
                .Paragraph(units.Count == 1
                    ? $"Kính gửi: {first.SubjectName} ({first.SubjectCode})."
                    : $"Kính gửi: đầu mối liên hệ của các đơn vị {string.Join(", ", units.Select(u => u.Key.SubjectCode))}.")
                .Paragraph($"Lần đánh giá số {run.Run.Id} của kỳ {Vietnamese.Period(run.Period)}, hoàn thành lúc {Vietnamese.Time(run.Run.FinishedAt ?? run.Run.StartedAt)} "
                    + $"(giờ Việt Nam), ghi nhận {count} chỉ tiêu chưa đạt mới phát hiện. Hạn báo cáo của kỳ: {Vietnamese.Date(run.Period.Deadline)}.");
            foreach (var unit in units)
            {
                if (units.Count > 1)
                    body.Paragraph($"Đơn vị {unit.Key.SubjectName} ({unit.Key.SubjectCode}):");
                body.Bullets(unit.Select(d => Line(AlertFinding.From(d), targetTexts)));
            }

            body.Paragraph("Đề nghị đơn vị rà soát, khắc phục và cập nhật số liệu qua cán bộ báo cáo của đơn vị. "
                    + "Khi chỉ tiêu đã đạt, lần đánh giá sau sẽ ghi nhận là đã khắc phục.")
                .Link("Xem chi tiết và cập nhật số liệu", AlertOptions.ForUnit(options.UnitUrl, run.Period.Code, first.SubjectCode))
                .Link("Tải mẫu báo cáo", AlertOptions.ForUnit(options.TemplateUrl, run.Period.Code, first.SubjectCode))
                .Footer($"This is an automated message from QcdcCompliance, which tracks the grassroots-democracy (QCDC) targets. "
                    + $"Evaluation run #{run.Run.Id} of {run.Scope.Code} for period {run.Period.Code} found {count} new shortfall(s) of "
                    + $"{string.Join(", ", units.Select(u => u.Key.SubjectCode))}; you receive it as the unit's contact address. "
                    + "Please do not reply: correct the data through your reporting officer.");

            yield return new ComposedMessage(OutboxKeys.ForRun(run.Run.Id, MessageKind.UnitAlert, group.Key), MessageKind.UnitAlert,
                group.First().ContactEmail!.Trim(), subject, body, run.Run.Id);
        }
    }

    public static string Line(AlertFinding f, IReadOnlyDictionary<string, string> targetTexts) =>
        $"{FindingText.Target(f.TargetCode, targetTexts)}. Kết quả: {FindingText.Measured(f)}. Yêu cầu: {FindingText.Required(f)}. "
        + $"Mức độ: {Vietnamese.Severity(f.Severity)}.";
}
