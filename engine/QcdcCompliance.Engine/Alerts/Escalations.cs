using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Reports;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Alerts;

/// <summary>A finding left open too long, as the committee above its subject is told of it.</summary>
public sealed record OverdueFinding(AlertFinding Finding, string Period, Area Area, DateTime OpenSince, int DaysOpen);

/// <summary>The weekly e-mail to a committee: the findings in its subtree open longer than the setting, oldest first.</summary>
public static class Escalations
{
    public static ComposedMessage Compose(string recipient, IReadOnlyList<OverdueFinding> findings, int afterDays, DateOnly today,
        IReadOnlyDictionary<string, string> targetTexts, AlertOptions options)
    {
        var areas = findings.Select(f => f.Area).DistinctBy(a => a.Id).OrderBy(a => a.Level).ThenBy(a => a.Code, StringComparer.Ordinal).ToList();
        var oldest = findings.OrderByDescending(f => f.DaysOpen).ThenBy(f => f.Finding.TargetCode, StringComparer.Ordinal)
            .ThenBy(f => f.Finding.SubjectCode, StringComparer.Ordinal).ToList();
        var subject = $"[QCDC] {Vietnamese.Number(findings.Count)} phát hiện quá {afterDays} ngày chưa khắc phục – {string.Join(", ", areas.Select(a => a.Name))}";
        var body = new MailBody()
            .Heading("Báo cáo các phát hiện chậm khắc phục")
            .Paragraph($"Kính gửi: Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở {string.Join(", ", areas.Select(a => ReportWording.InText(a.Name)))}.")
            .Paragraph($"Đến ngày {Vietnamese.Date(today)}, {Vietnamese.Number(findings.Count)} trường hợp chưa đạt chỉ tiêu trên địa bàn phụ trách đã quá {afterDays} ngày "
                + $"mà chưa được khắc phục. Đề nghị Ban Chỉ đạo đôn đốc các đơn vị, địa bàn liên quan khắc phục trước ngày {Vietnamese.Date(today.AddDays(options.FixWithinDays))}.")
            .Table(["Kỳ", "Chỉ tiêu", "Mã", "Đối tượng", "Chưa khắc phục từ", "Số ngày"], oldest.Take(options.DigestUnits).Select(f => (IReadOnlyList<string>)
            [
                PeriodCode.TryParseStored(f.Period, out var p) ? PeriodName(p) : f.Period, FindingText.Short(f.Finding.TargetCode, targetTexts), f.Finding.SubjectCode, f.Finding.SubjectName,
                Vietnamese.Date(Vietnamese.LocalDate(f.OpenSince)),
                Vietnamese.Number(f.DaysOpen),
            ]));
        if (oldest.Count > options.DigestUnits)
            body.Paragraph($"… và {Vietnamese.Number(oldest.Count - options.DigestUnits)} phát hiện khác: xem trên trang tổng hợp.");
        foreach (var period in oldest.Select(f => f.Period).Distinct())
        {
            body.Link($"Xem {(PeriodCode.TryParseStored(period, out var p) ? PeriodName(p) : period)} trên trang tổng hợp", options.DashboardUrl.Replace("{period}", period, StringComparison.Ordinal)
                .Replace("{area}", Uri.EscapeDataString(areas[0].Code), StringComparison.Ordinal));
        }

        body.Signed(options).Footer($"Thư được gửi tự động, tối đa mỗi tuần một lần, khi có kết quả chưa đạt tồn tại quá {afterDays} ngày. Xin không trả lời thư này.",
            $"This is an automated escalation from QcdcCompliance: {findings.Count} finding(s) in the areas of "
            + $"{string.Join(", ", areas.Select(a => a.Code))} have been open for more than {afterDays} days. You receive it as a committee address "
            + "in the Alerts:Committees setting, at most once a week. Please do not reply.");
        return new ComposedMessage(OutboxKeys.Escalation(recipient, today), MessageKind.Escalation, recipient, subject, body);
    }

    /// <summary>
    /// The shortfalls of a period a committee waived (<see cref="FindingActionKind.Waive"/>), as <see cref="Episode"/>s: a
    /// waiver is the committee's decision that the shortfall needs no more action, so it is not escalated to it week
    /// after week. It covers the shortfall it was given for, through the later runs that re-measured it (their rows have
    /// the same first run); one put right and found anew is a new shortfall, escalated again.
    /// </summary>
    public static async Task<HashSet<(int Scope, string Target, SubjectType Type, int Subject, long FirstRun)>> WaivedAsync(
        QcdcDbContext db, int periodId, CancellationToken ct) =>
        (await (from a in db.FindingActions.AsNoTracking()
                join f in db.Findings.AsNoTracking() on a.FindingId equals f.Id
                where a.Kind == FindingActionKind.Waive && f.PeriodId == periodId
                select new { f.ScopeAreaId, f.TargetCode, f.SubjectType, f.SubjectId, f.FirstRunId }).ToListAsync(ct))
        .Select(w => (w.ScopeAreaId, w.TargetCode, w.SubjectType, w.SubjectId, w.FirstRunId)).ToHashSet();

    /// <summary>The shortfall a finding row is a version of (<see cref="WaivedAsync"/>).</summary>
    public static (int Scope, string Target, SubjectType Type, int Subject, long FirstRun) Episode(Finding f) =>
        (f.ScopeAreaId, f.TargetCode, f.SubjectType, f.SubjectId, f.FirstRunId);

    private static string PeriodName(PeriodCode code) =>
        Vietnamese.Period(new Period { Code = "", Type = code.Type, Year = code.Year, Number = code.Number });
}
