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
    public static IEnumerable<ComposedMessage> Compose(RecordedRun run, IReadOnlyDictionary<string, string> targetTexts, AlertOptions options) =>
        Plan(run, targetTexts, options).Select(compose => compose());

    /// <summary>
    /// One function per recipient, in the order of <see cref="Compose"/>, that composes its message: independent of each
    /// other, so that a province's 200,000 alerts can be composed on every core while they are written.
    /// </summary>
    public static IEnumerable<Func<ComposedMessage>> Plan(RecordedRun run, IReadOnlyDictionary<string, string> targetTexts, AlertOptions options)
    {
        var beforeDeadline = Vietnamese.LocalDate(run.Run.StartedAt) <= run.Period.Deadline;
        var areaGaps = AreaGaps(run);
        // Each target's words once, not once a line (400,000 lines at a province's first run).
        var targets = targetTexts.Keys.ToDictionary(code => code, code => FindingText.Target(code, targetTexts), StringComparer.Ordinal);
        var period = Vietnamese.Period(run.Period);
        var words = new RunWords(period, Capital(period), Vietnamese.Time(run.Run.FinishedAt ?? run.Run.StartedAt),
            Vietnamese.Date(options.FixBy(run.Period, Vietnamese.LocalDate(run.Run.StartedAt))));
        var byRecipient = run.New
            .Where(d => d.SubjectType == SubjectType.Unit && !string.IsNullOrWhiteSpace(d.ContactEmail))
            .Where(d => !(beforeDeadline && d.TargetCode == ReportingTarget.Code))
            .GroupBy(d => OutboxKeys.Normalise(d.ContactEmail!))
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in byRecipient)
            yield return () => Message(run, group, areaGaps, targets, words, options);
    }

    private static ComposedMessage Message(RecordedRun run, IGrouping<string, FindingDraft> group, Dictionary<(string Target, int Area), string> areaGaps,
        Dictionary<string, string> targets, RunWords words, AlertOptions options)
    {
        var findings = group as IReadOnlyCollection<FindingDraft> ?? [.. group];
        var units = findings.GroupBy(d => (d.SubjectCode, d.SubjectName)).OrderBy(u => u.Key.SubjectCode, StringComparer.Ordinal).ToList();
        var count = findings.Count;
        var first = units[0].Key;
        var subject = units.Count == 1
            ? $"[QCDC] {words.Capital} – {first.SubjectName}: {count} chỉ tiêu chưa đạt"
            : $"[QCDC] {words.Capital} – {units.Count} đơn vị: {count} chỉ tiêu chưa đạt";

        var body = new MailBody()
            .Heading("Thông báo kết quả đánh giá thực hiện Quy chế dân chủ ở cơ sở")
            .Paragraph(units.Count == 1
                ? $"Kính gửi: {first.SubjectName}."
                : $"Kính gửi: {string.Join("; ", units.Select(u => u.Key.SubjectName))}.")
            .Paragraph($"Kết quả đánh giá thực hiện Quy chế dân chủ ở cơ sở {words.Period} (hoàn thành lúc {words.Finished}) "
                + $"cho thấy {(units.Count == 1 ? "đơn vị" : "các đơn vị")} chưa đạt {count} chỉ tiêu sau:");
        foreach (var unit in units)
        {
            if (units.Count > 1)
                body.Paragraph($"{unit.Key.SubjectName}:");
            body.Bullets(unit.Select(d => Line(AlertFinding.From(d), targets,
                run.UnitArea(d.SubjectId) is { } area && areaGaps.TryGetValue((d.TargetCode, area), out var gap) ? gap : null)));
        }

        body.Paragraph($"Đề nghị {(units.Count == 1 ? "đơn vị" : "các đơn vị")} rà soát, khắc phục các nội dung trên và giao cán bộ báo cáo cập nhật số liệu "
                + $"trước ngày {words.FixBy}. Khi chỉ tiêu đã đạt, lần đánh giá sau sẽ ghi nhận là đã khắc phục.")
            .Link("Xem chi tiết và cập nhật số liệu", AlertOptions.ForUnit(options.UnitUrl, run.Period.Code, first.SubjectCode))
            .Link("Tải mẫu báo cáo", AlertOptions.ForUnit(options.TemplateUrl, run.Period.Code, first.SubjectCode))
            .Signed(options)
            .Footer("Thư được gửi tự động từ hệ thống theo dõi thực hiện Quy chế dân chủ ở cơ sở đến địa chỉ liên hệ của đơn vị. "
                + "Xin không trả lời thư này; số liệu được cập nhật qua cán bộ báo cáo của đơn vị.",
                $"This is an automated message from QcdcCompliance, which tracks the grassroots-democracy (QCDC) targets. "
                + $"Evaluation run #{run.Run.Id} of {run.Scope.Code} for period {run.Period.Code} found {count} new shortfall(s) of "
                + $"{string.Join(", ", units.Select(u => u.Key.SubjectCode))}; you receive it as the unit's contact address. "
                + "Please do not reply: correct the data through your reporting officer.");

        return new ComposedMessage(OutboxKeys.ForRun(run.Run.Id, MessageKind.UnitAlert, group.Key), MessageKind.UnitAlert,
            findings.First().ContactEmail!.Trim(), subject, body, run.Run.Id);
    }

    /// <summary>A finding's line, with its area's gap after it when there is one; <paramref name="targets"/> holds each target's words (<see cref="FindingText.Target"/>).</summary>
    private static string Line(AlertFinding f, Dictionary<string, string> targets, string? gap)
    {
        var (measured, required) = FindingText.MeasuredAndRequired(f);
        var target = targets.GetValueOrDefault(f.TargetCode) ?? f.TargetCode;
        return gap is null
            ? $"{target}. Kết quả: {measured}. Yêu cầu: {required}. Mức độ: {Vietnamese.Severity(f.Severity)}."
            : $"{target}. Kết quả: {measured}. Yêu cầu: {required}. Mức độ: {Vietnamese.Severity(f.Severity)}. {gap}";
    }

    /// <summary>
    /// For each share or ratio target an area falls short of after the run, what the area still needs, in words
    /// ("Địa bàn Xã Một: cần thêm 1 doanh nghiệp ký thỏa ước lao động tập thể."), keyed by target and area: a unit
    /// told it falls short of such a target is told what its area needs too.
    /// </summary>
    private static Dictionary<(string Target, int Area), string> AreaGaps(RecordedRun run)
    {
        var gaps = new Dictionary<(string, int), string>();
        foreach (var f in run.OpenAfter)
        {
            if (f.SubjectType == SubjectType.Area && f.Measurement.Gap > 0 && AlertFinding.From(f).Words("gap") is { } words)
                gaps[(f.TargetCode, f.SubjectId)] = $"Địa bàn {f.SubjectName}: {words}.";
        }

        return gaps;
    }

    /// <summary>What every alert of a run says alike: the period in words (and capitalised), when the run finished, the date to put things right by.</summary>
    private sealed record RunWords(string Period, string Capital, string Finished, string FixBy);

    private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
