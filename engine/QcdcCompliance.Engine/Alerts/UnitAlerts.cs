using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Findings;
using QcdcCompliance.Reports;

namespace QcdcCompliance.Alerts;

/// <summary>
/// The e-mail to a unit's contact: the unit's New findings of one run, one message per address (an address that is
/// the contact of several units gets them all in one). Persisting findings are not repeated. A unit is not told of a
/// shortfall that is only missing data (<see cref="FindingOutcome.Missing"/>: figures not reported, REPORTED itself)
/// before the period's deadline: until then it is not late, and the reminder job asks it. Such a finding is held, not
/// dropped: it is told once, by the first run after the deadline that finds it still open, or by the run that finds the
/// figures reported short (<see cref="Held"/>). A finding that comes back once its target judges the unit again, saying
/// what the unit was last told, is not told again (<see cref="RepeatedShortfalls"/>).
/// <para>
/// The evaluation does not render them: it writes each message's row (key, recipient, subject) with what the message is
/// made of (<see cref="OutboxMessage.Parts"/>: its units, and which of their findings of the run with which area gap),
/// and once per run the words every alert says alike (<see cref="UnitAlertWords"/>). Delivery renders a message from
/// those and the run's stored findings alone (<see cref="Render"/>, through <see cref="DeferredAlerts"/>), so it says
/// what it would have said at the evaluation, however the units, target texts or settings changed since.
/// </para>
/// </summary>
public static class UnitAlerts
{
    /// <summary>
    /// Who is told what, from the run's findings alone (no database, no finish time): the New unit findings with a
    /// contact address, grouped by address in the addresses' order, the targets they name, and the areas' gaps. Made
    /// while the run's rows are written (<see cref="AlertComposer.Prepare"/>).
    /// </summary>
    /// <remarks>New findings that reopen what the unit was last told are taken out afterwards (<see cref="UnitAlertGroups.Without"/>).</remarks>
    public static UnitAlertGroups Group(RecordedRun run, AlertOptions options)
    {
        var beforeDeadline = BeforeDeadline(run.Period, run.Run.StartedAt);
        var (gaps, gapIndex) = AreaGaps(run);
        var findings = run.New
            .Where(d => d.SubjectType == SubjectType.Unit && !string.IsNullOrWhiteSpace(d.ContactEmail))
            .Where(d => !(beforeDeadline && d.Measurement.Outcome == FindingOutcome.Missing))
            .ToList();
        var held = Held(run);
        if (held.Count > 0)
        {
            findings.AddRange(held);
            findings.Sort(FindingBuilder.Compare);
        }

        // Each target used, by its index in the words: its words are said once per run, not once a line.
        var targetCodes = findings.Select(d => d.TargetCode).Distinct().Order(StringComparer.Ordinal).ToList();
        var recipients = findings
            .GroupBy(d => OutboxKeys.Normalise(d.ContactEmail!))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        return new UnitAlertGroups(recipients, targetCodes, gaps, gapIndex);
    }

    /// <summary>Whether a run that started at <paramref name="startedAt"/> (UTC) started before the end of the period's deadline, Viet Nam time.</summary>
    public static bool BeforeDeadline(Period period, DateTime startedAt) => Vietnamese.LocalDate(startedAt) <= period.Deadline;

    /// <summary>
    /// Whether the run may tell a unit a finding it held back before (<see cref="Held"/>): its previous run was before the
    /// deadline, and this one is after it or found missing figures reported short. Cheap: a run that may not is not searched.
    /// </summary>
    public static bool MayTellHeld(RecordedRun run) =>
        run.PreviousRunStartedAt is { } previous && BeforeDeadline(run.Period, previous)
        && (!BeforeDeadline(run.Period, run.Run.StartedAt) || run.OutcomeBefore.Values.Any(o => o == FindingOutcome.Missing));

    /// <summary>
    /// The unit findings open before and after the run that the unit was not told and is told now: in the previous run
    /// (before the deadline) only missing data, and now after the deadline, or reported short. Each is told once: the run
    /// after this one starts after it, and a finding it tells is no longer held.
    /// </summary>
    private static List<FindingDraft> Held(RecordedRun run)
    {
        if (!MayTellHeld(run))
            return [];
        var beforeDeadline = BeforeDeadline(run.Period, run.Run.StartedAt);
        var fresh = run.New.Select(d => d.Key).ToHashSet();
        return run.OpenAfter
            .Where(d => d.SubjectType == SubjectType.Unit && !string.IsNullOrWhiteSpace(d.ContactEmail))
            .Where(d => run.OutcomeBefore.GetValueOrDefault(d.Key, d.Measurement.Outcome) == FindingOutcome.Missing)
            .Where(d => !(beforeDeadline && d.Measurement.Outcome == FindingOutcome.Missing) && !fresh.Contains(d.Key))
            .ToList();
    }

    /// <summary>
    /// The run's words and one function per recipient, in the recipients' order, that makes its outbox row (bodies not
    /// rendered): independent of each other, so that a province's 200,000 rows are made on every core while they are written.
    /// </summary>
    /// <param name="halves">For a year, the halves each (unit, target) lacks (<see cref="MissingHalves"/>): named after the line, their form and template linked.</param>
    public static (UnitAlertWords Words, IReadOnlyList<Func<DateTime, OutboxMessage>> Messages) Plan(RecordedRun run, UnitAlertGroups groups,
        IReadOnlyDictionary<string, string> targetTexts, AlertOptions options, IReadOnlyDictionary<(int Unit, string Target), string[]>? halves = null)
    {
        // A line's words after it: its area's gap, or the halves it lacks (and the gap), one entry per distinct text.
        var (notes, notePeriods) = (groups.Gaps.ToList(), groups.Gaps.Select(_ => (IReadOnlyList<string>?)null).ToList());
        var noteIndex = new Dictionary<(int Unit, string Target), int>();
        var byText = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var ((unit, target), codes) in halves ?? new Dictionary<(int, string), string[]>())
        {
            var gap = Gap(run.Report(unit)?.Unit.Path, target, groups.GapIndex);
            var text = MissingHalves.Note(codes) + (gap >= 0 ? " " + groups.Gaps[gap] : "");
            if (!byText.TryGetValue(text, out var index))
            {
                byText[text] = index = notes.Count;
                notes.Add(text);
                notePeriods.Add(codes);
            }

            noteIndex[(unit, target)] = index;
        }

        var targetCodes = groups.TargetCodes;
        var targetIndex = targetCodes.Select((code, i) => (code, i)).ToDictionary(t => t.code, t => t.i, StringComparer.Ordinal);
        var period = Vietnamese.Period(run.Period);
        var words = new UnitAlertWords(run.Period.Code, run.Scope.Code, period, Capital(period), Vietnamese.Time(run.Run.FinishedAt ?? run.Run.StartedAt),
            Vietnamese.Date(options.FixBy(run.Period, Vietnamese.LocalDate(run.Run.StartedAt))), options.UnitUrl, options.TemplateUrl, options.Signature,
            targetCodes, [.. targetCodes.Select(code => FindingText.Target(code, targetTexts))], notes, noteIndex.Count > 0 ? notePeriods : null);

        var messages = groups.Recipients
            .Select(group => (Func<DateTime, OutboxMessage>)(now => Row(run, group, words, targetIndex, groups.GapIndex, noteIndex, now)))
            .ToList();
        return (words, messages);
    }

    /// <summary>A recipient's row: its key, subject and parts; its bodies are rendered at delivery.</summary>
    private static OutboxMessage Row(RecordedRun run, IGrouping<string, FindingDraft> group, UnitAlertWords words, Dictionary<string, int> targetIndex,
        Dictionary<(string Target, int Area), int> gapIndex, Dictionary<(int Unit, string Target), int> noteIndex, DateTime now)
    {
        UnitAlertPart Part(int id, string code, string name, IEnumerable<FindingDraft> findings)
        {
            var path = run.Report(id)?.Unit.Path;
            var pairs = new List<int>(8);
            foreach (var d in findings)
            {
                pairs.Add(targetIndex[d.TargetCode]);
                pairs.Add((noteIndex.Count > 0 && noteIndex.TryGetValue((id, d.TargetCode), out var note) ? note : Gap(path, d.TargetCode, gapIndex)) + 1);
            }

            return new UnitAlertPart(id, code, name, [.. pairs]);
        }

        // Most addresses are one unit's: its part is made straight from the group (a province's first run makes 168,000 rows,
        // and grouping each again by unit was a fifth of making them).
        var first = group.First();
        var parts = group.All(d => d.SubjectId == first.SubjectId)
            ? [Part(first.SubjectId, first.SubjectCode, first.SubjectName, group)]
            : group.GroupBy(d => (d.SubjectId, d.SubjectCode, d.SubjectName)).OrderBy(u => u.Key.SubjectCode, StringComparer.Ordinal)
                .Select(u => Part(u.Key.SubjectId, u.Key.SubjectCode, u.Key.SubjectName, u)).ToList();
        return new OutboxMessage
        {
            Key = OutboxKeys.ForRun(run.Run.Id, MessageKind.UnitAlert, group.Key),
            Kind = MessageKind.UnitAlert,
            RunId = run.Run.Id,
            Recipient = group.First().ContactEmail!.Trim(),
            Subject = Vietnamese.Nfc(Subject(words, parts)),
            Parts = UnitAlertPart.Write(parts),
            CreatedAt = now,
            Status = MessageStatus.Pending,
            Attempts = 0,
            NextAttemptAt = now,
        };
    }

    /// <summary>
    /// The index of the gap of the nearest area on a unit's path (its own first) that falls short of the target, or -1:
    /// shares are measured per district and province, so a unit of a commune is told its district's gap.
    /// </summary>
    private static int Gap(IReadOnlyList<AreaRef>? path, string target, Dictionary<(string Target, int Area), int> gapIndex)
    {
        if (path is null || gapIndex.Count == 0)
            return -1;
        foreach (var area in path)
        {
            if (gapIndex.TryGetValue((target, area.Id), out var gap))
                return gap;
        }

        return -1;
    }

    /// <summary>The subject of a message of these parts: also said again at delivery when lines no longer true are left out (<see cref="DeferredAlerts"/>).</summary>
    internal static string Subject(UnitAlertWords words, IReadOnlyList<UnitAlertPart> units)
    {
        var count = units.Sum(p => p.Findings.Length / 2);
        return units.Count == 1
            ? $"[QCDC] {words.Capital} – {units[0].Name}: {count} chỉ tiêu chưa đạt"
            : $"[QCDC] {words.Capital} – {units.Count} đơn vị: {count} chỉ tiêu chưa đạt";
    }

    /// <summary>
    /// The message a row's parts say, from the run's words and its stored findings (<paramref name="finding"/>: the run's
    /// finding of a target and unit): the one composition of a unit alert, used by delivery and by the audit view.
    /// </summary>
    public static MailBody Render(long runId, IReadOnlyList<UnitAlertPart> units, UnitAlertWords words, Func<string, int, Finding> finding)
    {
        var count = units.Sum(p => p.Findings.Length / 2);
        var first = units[0];
        var body = new MailBody()
            .Heading("Thông báo kết quả đánh giá thực hiện Quy chế dân chủ ở cơ sở")
            .Paragraph(units.Count == 1
                ? $"Kính gửi: {first.Name}."
                : $"Kính gửi: {string.Join("; ", units.Select(Named))}.")
            .Paragraph($"Kết quả đánh giá thực hiện Quy chế dân chủ ở cơ sở {words.Period} (hoàn thành lúc {words.Finished}, giờ Việt Nam) "
                + $"cho thấy {(units.Count == 1 ? "đơn vị" : "các đơn vị")} chưa đạt {count} chỉ tiêu sau:");
        foreach (var unit in units)
        {
            if (units.Count > 1)
                body.Heading(Named(unit));
            var lines = new string[unit.Findings.Length / 2];
            for (var i = 0; i < lines.Length; i++)
            {
                var (target, gap) = (unit.Findings[2 * i], unit.Findings[(2 * i) + 1]);
                lines[i] = Line(AlertFinding.From(finding(words.TargetCodes[target], unit.Id), unit.Name), words.Targets[target], gap == 0 ? null : words.Gaps[gap - 1]);
            }

            body.Bullets(lines);
            // Each unit of a shared address has its own page and template: the second unit's officer is not sent to the first's.
            if (units.Count > 1)
                Links(body, words, unit);
        }

        body.Paragraph($"Đề nghị {(units.Count == 1 ? "đơn vị" : "các đơn vị")} rà soát, khắc phục các nội dung trên và giao cán bộ báo cáo cập nhật số liệu "
                + $"trước ngày {words.FixBy}. Khi chỉ tiêu đã đạt, lần đánh giá sau sẽ ghi nhận là đã khắc phục.");
        if (units.Count == 1)
            Links(body, words, first);
        body.Signed(words.Signature)
            .Footer("Thư được gửi tự động từ hệ thống theo dõi thực hiện Quy chế dân chủ ở cơ sở đến địa chỉ liên hệ của đơn vị. "
                + "Xin không trả lời thư này; số liệu được cập nhật qua cán bộ báo cáo của đơn vị.",
                $"This is an automated message from QcdcCompliance, which tracks the grassroots-democracy (QCDC) targets. "
                + $"Evaluation run #{runId} of {words.ScopeCode} for {ReportWording.English.PeriodName(words.PeriodCode)} ({words.PeriodCode}) found {count} new shortfall(s) of "
                + $"{string.Join(", ", units.Select(u => u.Code))}; you receive it as the unit's contact address. "
                + "Please do not reply: correct the data through your reporting officer.");
        return body;
    }

    /// <summary>A unit among several of one address, by name and code: two units of one name are told apart, and the template lists units by code.</summary>
    private static string Named(UnitAlertPart unit) => $"{unit.Name} (mã {unit.Code})";

    /// <summary>The unit's page and template for the period, then those of each half its year lines lack (the year's have no column for a half's figure).</summary>
    private static void Links(MailBody body, UnitAlertWords words, UnitAlertPart unit)
    {
        body.Link("Xem chi tiết và cập nhật số liệu", AlertOptions.ForUnit(words.UnitUrl, words.PeriodCode, unit.Code))
            .Link("Tải mẫu báo cáo", AlertOptions.ForUnit(words.TemplateUrl, words.PeriodCode, unit.Code));
        if (words.NotePeriods is not { } periods)
            return;
        var halves = Enumerable.Range(0, unit.Findings.Length / 2).Select(i => unit.Findings[(2 * i) + 1]).Where(n => n > 0 && n <= periods.Count)
            .SelectMany(n => periods[n - 1] ?? []).Distinct().Order(StringComparer.Ordinal);
        foreach (var half in halves)
        {
            body.Link($"Nhập số liệu {Vietnamese.Period(half)}", AlertOptions.ForUnit(words.UnitUrl, half, unit.Code))
                .Link($"Tải mẫu báo cáo {Vietnamese.Period(half)}", AlertOptions.ForUnit(words.TemplateUrl, half, unit.Code));
        }
    }

    /// <summary>A finding's line, with its area's gap after it when there is one; <paramref name="target"/> is the target's words (<see cref="FindingText.Target"/>).</summary>
    private static string Line(AlertFinding f, string target, string? gap)
    {
        var (measured, required) = FindingText.MeasuredAndRequired(f);
        return gap is null
            ? $"{target}. Kết quả: {measured}. Yêu cầu: {required}. Mức độ: {Vietnamese.Severity(f.Severity)}."
            : $"{target}. Kết quả: {measured}. Yêu cầu: {required}. Mức độ: {Vietnamese.Severity(f.Severity)}. {gap}";
    }

    /// <summary>
    /// For each share or ratio target an area falls short of after the run, what the area still needs, in words
    /// ("Địa bàn Xã Một: cần thêm 1 doanh nghiệp ký thỏa ước lao động tập thể."), with its index keyed by target and area:
    /// a unit told it falls short of such a target is told what its area needs too.
    /// </summary>
    private static (List<string> Gaps, Dictionary<(string Target, int Area), int> Index) AreaGaps(RecordedRun run)
    {
        var (gaps, index) = (new List<string>(), new Dictionary<(string, int), int>());
        foreach (var f in run.OpenAfter)
        {
            if (f.SubjectType == SubjectType.Area && f.Measurement.Gap > 0 && (f.KnownGapWords() ?? AlertFinding.From(f).Words("gap")) is { } words)
            {
                index[(f.TargetCode, f.SubjectId)] = gaps.Count;
                gaps.Add($"Địa bàn {f.SubjectName}: {words}.");
            }
        }

        return (gaps, index);
    }

    private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}

/// <summary>A run's unit alerts before their words: the New findings by recipient's address (in order), the targets they name (in order), the areas' gaps.</summary>
public sealed record UnitAlertGroups(
    IReadOnlyList<IGrouping<string, FindingDraft>> Recipients,
    IReadOnlyList<string> TargetCodes,
    List<string> Gaps,
    Dictionary<(string Target, int Area), int> GapIndex)
{
    /// <summary>
    /// These groups without the findings of <paramref name="left"/> (<see cref="RepeatedShortfalls"/>): what
    /// <see cref="UnitAlerts.Group"/> makes when it is given them, without grouping the run's findings again. A recipient
    /// left with no finding is dropped, a target no finding names any more leaves <see cref="TargetCodes"/>, and the order of
    /// what stays is kept; the areas' gaps do not depend on which findings are told.
    /// </summary>
    public UnitAlertGroups Without(IReadOnlySet<FindingKey> left)
    {
        if (left.Count == 0)
            return this;
        var (recipients, dropped) = (new List<IGrouping<string, FindingDraft>>(Recipients.Count), new HashSet<string>(StringComparer.Ordinal));
        foreach (var group in Recipients)
        {
            if (!group.Any(d => left.Contains(d.Key)))
            {
                recipients.Add(group);
                continue;
            }

            var kept = new List<FindingDraft>();
            foreach (var d in group)
            {
                if (left.Contains(d.Key))
                    dropped.Add(d.TargetCode);
                else
                    kept.Add(d);
            }

            if (kept.Count > 0)
                recipients.Add(new Recipient(group.Key, kept));
        }

        // A target stays named while any finding told still names it.
        foreach (var group in recipients)
        {
            if (dropped.Count == 0)
                break;
            foreach (var d in group)
                dropped.Remove(d.TargetCode);
        }

        return this with { Recipients = recipients, TargetCodes = dropped.Count == 0 ? TargetCodes : [.. TargetCodes.Where(code => !dropped.Contains(code))] };
    }

    private sealed class Recipient(string key, List<FindingDraft> findings) : IGrouping<string, FindingDraft>
    {
        public string Key => key;

        public IEnumerator<FindingDraft> GetEnumerator() => findings.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>
/// What every unit alert of a run says alike, as the run said it: the period (its code, in words and capitalised), the
/// scope's code, when the run finished, the date to put things right by, the links' patterns, the signature, the words of
/// each target its alerts name (<see cref="Targets"/>, by the index of <see cref="TargetCodes"/>) and its areas' gaps.
/// </summary>
/// <remarks>
/// <see cref="Gaps"/> are the words said after a line: an area's gap or, on a year, the halves a line lacks; for the
/// latter <see cref="NotePeriods"/> (by the same index, null where the words name none) holds the halves' codes, whose
/// form and template the alert links. Null for a run that names none (and for the words of runs stored before).
/// </remarks>
public sealed record UnitAlertWords(string PeriodCode, string ScopeCode, string Period, string Capital, string Finished, string FixBy, string UnitUrl,
    string TemplateUrl, string Signature, IReadOnlyList<string> TargetCodes, IReadOnlyList<string> Targets, IReadOnlyList<string> Gaps,
    IReadOnlyList<IReadOnlyList<string>?>? NotePeriods = null)
{
    public byte[] Pack() => CompactText.Mail.Pack(JsonSerializer.SerializeToUtf8Bytes(this, Json));

    public static UnitAlertWords Unpack(byte[] packed) => JsonSerializer.Deserialize<UnitAlertWords>(CompactText.Mail.UnpackUtf8(packed), Json)
        ?? throw new InvalidOperationException("An alert run's words are empty.");

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

/// <summary>
/// One unit of a unit alert: its id, code and name as the run saw them, and its findings of the run in the message's
/// order, as pairs (index of the target in <see cref="UnitAlertWords.TargetCodes"/>, 1 + index of its area's gap in
/// <see cref="UnitAlertWords.Gaps"/> or 0). Stored as a small JSON array (<see cref="OutboxMessage.Parts"/>).
/// </summary>
public sealed record UnitAlertPart(int Id, string Code, string Name, int[] Findings)
{
    public static byte[] Write(IReadOnlyList<UnitAlertPart> units)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        // The thread's writer, reset: a province's first run writes 200,000 of these.
        var json = _writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.Reset(buffer);
        json.WriteStartArray();
        foreach (var unit in units)
        {
            json.WriteStartArray();
            json.WriteNumberValue(unit.Id);
            json.WriteStringValue(unit.Code);
            json.WriteStringValue(unit.Name);
            foreach (var n in unit.Findings)
                json.WriteNumberValue(n);
            json.WriteEndArray();
        }

        json.WriteEndArray();
        json.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    public static List<UnitAlertPart> Read(byte[] parts)
    {
        var units = new List<UnitAlertPart>();
        using var document = JsonDocument.Parse(parts);
        foreach (var unit in document.RootElement.EnumerateArray())
        {
            var items = unit.EnumerateArray().ToList();
            units.Add(new UnitAlertPart(items[0].GetInt32(), items[1].GetString()!, items[2].GetString()!, [.. items.Skip(3).Select(n => n.GetInt32())]));
        }

        return units;
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;
}
