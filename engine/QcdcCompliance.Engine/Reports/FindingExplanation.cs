using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;

namespace QcdcCompliance.Reports;

/// <summary>A finding's evidence in words, Vietnamese first, then English (for <c>qcdc explain</c>, e-mails and pages).</summary>
public static class FindingExplanation
{
    /// <param name="setTitle">
    /// The title of the target's set, whose number ("11-QĐi/TW", as the title writes it) names the set where
    /// <paramref name="sets"/> no longer holds it; the evidence keeps the code.
    /// </param>
    /// <param name="sets">
    /// The sets stored today: the target and its set are named by their words (<see cref="StoredSetVersions.TargetOf"/>,
    /// <see cref="StoredSetVersions.SetName"/>), and where the copy the finding's evidence names was imported again after
    /// its run (or removed), the target texts (today's) are not shown beside the requirement that run judged by.
    /// </param>
    /// <param name="links">
    /// The finding's row beside this one (<see cref="FindingQueries.LinksAsync"/>): what became of a superseded row, and
    /// the shortfall a resolving row closed; none given, none said.
    /// </param>
    public static string Render(FindingView f, string? targetTextVi, string? targetTextEn, string? setTitle = null, StoredSetVersions? sets = null,
        FindingLinks? links = null)
    {
        var e = JsonNode.Parse(f.Evidence)!.AsObject();
        var text = new StringBuilder();
        Write(text, f, e, targetTextVi, Labels.Vietnamese, int.MaxValue, setTitle, sets, links);
        text.AppendLine();
        Write(text, f, e, targetTextEn, Labels.English, int.MaxValue, setTitle, sets, links);
        return text.ToString();
    }

    /// <summary>
    /// The explanation explain, the API and the e-mails give (Vietnamese, then English): the target's texts and set are
    /// those of the setting the finding was judged by (<see cref="StoredSetVersions.JudgedBy(FindingView)"/>), none where
    /// that copy is gone, never today's setting nor another set's of the same code.
    /// </summary>
    public static string RenderJudged(FindingView f, StoredSetVersions sets, FindingLinks? links = null)
    {
        var setting = sets.JudgedBy(f);
        return Render(f, setting?.TextVi, setting?.TextEn, setting?.Resolution?.Title, sets, links);
    }

    /// <summary>The evidence in one language only (a page that shows one language at a time).</summary>
    /// <param name="listed">
    /// How many codes of an area's lists of units to name (the rest counted): a page names the first
    /// <see cref="ListedOnPages"/>, where a province's explanation names every one of 116,093 (4.3 MB). explain, the API and
    /// the e-mails name them all.
    /// </param>
    /// <param name="setTitle">The title of the target's set (see the other overload).</param>
    /// <param name="sets">The sets stored today (see the other overload).</param>
    public static string Render(FindingView f, string? targetText, bool vietnamese, int listed = int.MaxValue, string? setTitle = null, StoredSetVersions? sets = null)
    {
        var text = new StringBuilder();
        Write(text, f, JsonNode.Parse(f.Evidence)!.AsObject(), targetText, vietnamese ? Labels.Vietnamese : Labels.English, listed, setTitle, sets);
        return text.ToString();
    }

    /// <summary>How many units of an area's lists a dashboard page names in a finding's explanation.</summary>
    public const int ListedOnPages = 50;

    private sealed record Labels(bool InVietnamese, string Finding, string Target, string Subject, string State, string FirstSeen,
        string RecordedBy, string Severity, string Measured, string Required, string NotReported, string UnitsShort, string UnitsNotReported, string LegalBasis, string Rule,
        string Resolution, string RuleSet, string Gap, string Candidates)
    {
        public static readonly Labels Vietnamese = new(true, "Phát hiện", "chỉ tiêu", "Đối tượng", "Trạng thái", "xuất hiện từ lần đánh giá",
            "ghi nhận ở lần", "mức độ", "Kết quả", "Yêu cầu", "Chưa báo cáo", "Các đơn vị chưa đạt", "Các đơn vị chưa báo cáo", "Căn cứ", "Quy tắc đánh giá", "bộ chỉ tiêu theo",
            "phiên bản bộ quy tắc", "Khoảng cách tới chỉ tiêu", "Đơn vị cần thực hiện (tác động lớn trước)");

        public static readonly Labels English = new(false, "Finding", "target", "Subject", "State", "first seen in run",
            "recorded by run", "severity", "Measured", "Required", "Not reported", "Units short", "Units not reported", "Legal basis", "Rule", "target set of",
            "rule-set version", "Gap to target", "Units that could close it (largest effect first)");
    }

    private static void Write(StringBuilder text, FindingView f, JsonObject e, string? targetText, Labels l, int listed, string? setTitle, StoredSetVersions? sets,
        FindingLinks? links = null)
    {
        var state = State(f, l.InVietnamese);
        var severity = l.InVietnamese ? SeverityVi(f.Severity) : f.Severity.ToString();
        // The target, the period and the set in words, as the report names them: the codes are the JSON's and the tables'.
        var words = l.InVietnamese ? ReportWording.Vietnamese : ReportWording.English;
        var set = SetName(e, setTitle, sets);
        text.AppendLine(CultureInfo.InvariantCulture, $"{l.Finding} #{f.Id}: {words.TargetPhrase(sets?.TargetOf(f.TargetCode, e), f.TargetCode, inSentence: true)}, {words.PeriodName(f.Period)}");
        if (sets?.ReplacedSince(e) == true)
        {
            // The replaced set's texts are not kept: today's would read beside the requirement this run judged by.
            var replaced = l.InVietnamese
                ? $"bộ chỉ tiêu theo {set} đã được nhập lại sau lần đánh giá #{f.RunId}; nội dung chỉ tiêu khi đánh giá không được lưu, yêu cầu dưới đây là yêu cầu lần đánh giá đó đã dùng (đánh giá lại kỳ để áp dụng bộ hiện hành)"
                : $"the target set of {set} was imported again after run #{f.RunId}; the target's text then is not kept, the requirement below is the one that run judged by (evaluate the period again to apply the current set)";
            text.AppendLine(CultureInfo.InvariantCulture, $"  {Capitalise(l.Target)}: {replaced}");
        }
        else if (targetText is not null)
            text.AppendLine(CultureInfo.InvariantCulture, $"  {Capitalise(l.Target)}: {targetText}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {l.Subject}: {Subject(f, e, l.InVietnamese)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {l.State}: {state} ({l.FirstSeen} #{f.FirstRunId}, {l.RecordedBy} #{f.RunId}); {l.Severity} {severity}");
        if (links?.Next is { } next)
        {
            text.AppendLine(l.InVietnamese
                ? string.Create(CultureInfo.InvariantCulture, $"  Về sau: đã được lần đánh giá #{next.RunId} ghi nhận là {State(next, true)} (phát hiện #{next.Id})")
                : string.Create(CultureInfo.InvariantCulture, $"  Since: run #{next.RunId} recorded it as {State(next, false)} (finding #{next.Id})"));
        }

        if (f.State == FindingState.Resolved && links?.Previous is { } previous)
        {
            text.AppendLine(l.InVietnamese
                ? string.Create(CultureInfo.InvariantCulture, $"  Thiếu hụt được đóng: phát hiện #{previous.Id} (lần đánh giá #{previous.RunId}) giữ số liệu khi chưa đạt")
                : string.Create(CultureInfo.InvariantCulture, $"  Shortfall closed: finding #{previous.Id} (run #{previous.RunId}) holds the figures while short"));
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  {l.Measured}: {Result(f, e, l.InVietnamese)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {l.Required}: {Requirement(f, e, l.InVietnamese)}");
        Gap(text, e, l);
        List(text, e, "missing", l.NotReported, l.InVietnamese ? "; " : ", ", count: false, l.InVietnamese, indicatorNames: l.InVietnamese);
        List(text, e, "shortUnits", l.UnitsShort, ", ", count: true, l.InVietnamese, listed: listed);
        List(text, e, "unitsNotReported", l.UnitsNotReported, ", ", count: true, l.InVietnamese, listed: listed);
        List(text, e, "legalBasis", l.LegalBasis, "; ", count: false, l.InVietnamese);
        text.AppendLine(CultureInfo.InvariantCulture, $"  {l.Rule}: {e["rule"]} ({l.Resolution} {set}), {l.RuleSet} {e["ruleSetVersion"]}");
    }

    /// <summary>
    /// The set the evidence names as a sentence names it (<see cref="StoredSetVersions.SetName"/>); where it is not stored
    /// any more (or no stored sets are given), its number as its title writes it, else its code: nothing else is known of it.
    /// </summary>
    private static string SetName(JsonObject e, string? setTitle, StoredSetVersions? sets) =>
        sets?.SetName(e) ?? Resolution.NumberAsWritten(setTitle, e["resolution"]?.GetValue<string>() ?? "");

    /// <summary>The gap in words ("cần thêm 1 doanh nghiệp ký thỏa ước…") and the first candidates with their effect.</summary>
    private static void Gap(StringBuilder text, JsonObject e, Labels l)
    {
        if (e["gap"] is not JsonObject gap)
            return;
        text.AppendLine(CultureInfo.InvariantCulture, $"  {l.Gap}: {gap[l.InVietnamese ? "vi" : "en"]?.GetValue<string>()}");
        if (gap["candidates"] is not JsonArray { Count: > 0 } candidates)
            return;
        var shown = candidates.Take(CandidatesShown).Select(c => c!["effect"] is { } effect && gap["of"]?.GetValue<string>() == "counts"
            ? $"{c["unit"]} (+{effect})" : $"{c["unit"]}");
        var more = candidates.Count > CandidatesShown ? (l.InVietnamese ? $" và {Count(candidates.Count - CandidatesShown, true)} đơn vị khác" : $" and {Count(candidates.Count - CandidatesShown, false)} more") : "";
        text.AppendLine(CultureInfo.InvariantCulture, $"  {l.Candidates}: {string.Join(", ", shown)}{more}");
    }

    /// <summary>An area finding's gap in words, in one language, from its evidence; null when it has none (a unit finding, or one recorded before gaps).</summary>
    public static string? GapWords(FindingView f, bool vietnamese) => GapWords(f.Evidence, vietnamese);

    /// <summary>The gap in words from a finding's evidence (see <see cref="GapText"/>); null when it has none.</summary>
    public static string? GapWords(string evidence, bool vietnamese) =>
        evidence.Length > 0 && JsonNode.Parse(evidence)?["gap"]?[vietnamese ? "vi" : "en"]?.GetValue<string>() is { } words ? words : null;

    /// <summary>An area finding's early warning in words ("Nguy cơ không đạt…", "Cần gần như tất cả…"), or null when its run made none.</summary>
    public static string? WarningWords(FindingView f, bool vietnamese) =>
        f.Evidence.Length > 0 && JsonNode.Parse(f.Evidence)?["earlyWarning"]?[vietnamese ? "vi" : "en"]?.GetValue<string>() is { } words ? words : null;

    /// <summary>How many candidate units <c>explain</c> names (the evidence keeps them all).</summary>
    public const int CandidatesShown = 20;

    private static void List(StringBuilder text, JsonObject e, string field, string label, string separator, bool count, bool vietnamese, bool indicatorNames = false,
        int listed = int.MaxValue)
    {
        if (e[field] is not JsonArray { Count: > 0 } items)
            return;
        var heading = count ? $"{label} ({Count(items.Count, vietnamese)})" : label;
        var names = items.Take(listed).Select(i => i!.GetValue<string>()).Select(c => indicatorNames ? IndicatorCatalogue.Find(c)?.NameVi ?? c : c);
        var rest = items.Count - Math.Min(listed, items.Count);
        var more = rest == 0 ? "" : vietnamese ? $" và {Count(rest, true)} đơn vị khác" : $" and {Count(rest, false)} more";
        text.AppendLine(CultureInfo.InvariantCulture, $"  {heading}: {string.Join(separator, names)}{more}");
    }

    private static readonly CultureInfo VietnameseCulture = CultureInfo.GetCultureInfo("vi-VN");

    /// <summary>A count as the report and the gap's words write it: 101.515 in Vietnamese, 101,515 in English.</summary>
    private static string Count(long count, bool vietnamese) => count.ToString("N0", vietnamese ? VietnameseCulture : CultureInfo.InvariantCulture);

    private static string Count(JsonNode? count, bool vietnamese) => count is null ? "" : Count((long)count, vietnamese);

    private static string Capitalise(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    private static string Subject(FindingView f, JsonObject e, bool vietnamese)
    {
        if (f.SubjectType == SubjectType.Area)
            return vietnamese ? $"địa bàn {f.SubjectCode} ({f.SubjectName})" : $"area {f.SubjectCode} ({f.SubjectName})";
        // The Vietnamese text names the unit; the path of area codes is for the English (machine-minded) reader.
        var path = e["unit"]?["path"] is JsonArray p ? string.Join(" › ", p.Select(x => x!.GetValue<string>())) : "";
        return vietnamese ? $"{f.SubjectName} (mã {f.SubjectCode})" : $"unit {f.SubjectCode} ({f.SubjectName}), in {path}";
    }

    /// <summary>
    /// What was measured, as its row's outcome says: a shortfall's figures; a resolving row's reading, met, or that the
    /// run read nothing of the subject; a resolving row stored before rows carried their run's reading, the figures of the
    /// shortfall it copied, said to be those.
    /// </summary>
    private static string Result(FindingView f, JsonObject e, bool vietnamese) => f.Measurement.Outcome switch
    {
        FindingOutcome.NotMeasured => vietnamese
            ? $"lần đánh giá #{f.RunId} không đo đối tượng này theo chỉ tiêu (không đọc số liệu nào)"
            : $"not measured by run #{f.RunId} (no value read)",
        FindingOutcome.Met => $"{Measure(f, e, vietnamese)}{(vietnamese ? "; đạt" : "; met")}",
        _ when f.State == FindingState.Resolved => vietnamese
            ? $"số liệu khi chưa đạt (bản ghi cũ: lần đánh giá #{f.RunId} không lưu số liệu đã đọc): {Measure(f, e, true)}"
            : $"figures while short (an older row: run #{f.RunId} kept none of what it read): {Measure(f, e, false)}",
        _ => Measure(f, e, vietnamese),
    };

    private static string Measure(FindingView f, JsonObject e, bool vietnamese)
    {
        if (f.SubjectType == SubjectType.Area)
        {
            // The evidence's share is the invariant fraction (0.7722) for machines; a reader gets the report's percentage.
            var share = Percent(f, e, vietnamese);
            if (f.Measurement.Outcome == FindingOutcome.Incomplete)
                return vietnamese
                    ? $"chưa đủ số liệu: {Count(e["reportedUnits"], vietnamese)}/{Count(e["populationUnits"], vietnamese)} đơn vị đã báo cáo; đến nay {Count(e["numerator"], vietnamese)}/{Count(e["denominator"], vietnamese)} = {share ?? "không tính được"}"
                    : $"incomplete: {Count(e["reportedUnits"], vietnamese)} of {Count(e["populationUnits"], vietnamese)} units reported; so far {Count(e["numerator"], vietnamese)}/{Count(e["denominator"], vietnamese)} = {share ?? "not computable"}";
            return vietnamese
                ? $"tỷ lệ {share ?? "không tính được"} ({Count(e["numerator"], vietnamese)}/{Count(e["denominator"], vietnamese)}); {Count(e["metUnits"], vietnamese)}/{Count(e["populationUnits"], vietnamese)} cơ sở đạt, {Count(e["missingUnits"], vietnamese)} cơ sở chưa báo cáo"
                : $"{Count(e["numerator"], vietnamese)}/{Count(e["denominator"], vietnamese)} = {share ?? "not computable"} ({Count(e["metUnits"], vietnamese)} of {Count(e["populationUnits"], vietnamese)} units met, {Count(e["missingUnits"], vietnamese)} not reported)";
        }

        if (e["values"] is not JsonObject values || values.Count == 0)
            return vietnamese ? $"thiếu {f.Measurement.Value} nội dung số liệu" : $"{f.Measurement.Value} indicator(s) missing";
        return vietnamese
            ? string.Join("; ", values.Select(kv => $"{IndicatorCatalogue.Find(kv.Key)?.NameVi ?? kv.Key}: {ValueVi(kv.Key, kv.Value)}"))
            : string.Join(", ", values.Select(kv => $"{kv.Key} = {(kv.Value is null ? "not reported" : kv.Value.ToJsonString())}"));
    }

    /// <summary>The area's share as the report writes it beside its threshold, by the one rule: 77,2% in Vietnamese, 77.2% in English; null without a denominator.</summary>
    private static string? Percent(FindingView f, JsonObject e, bool vietnamese)
    {
        if ((long?)e["numerator"] is not { } numerator || (long?)e["denominator"] is not { } denominator || denominator <= 0)
            return null;
        var percent = Shares.Percent(numerator, denominator, f.Measurement.Threshold);
        return (vietnamese ? percent.Replace('.', ',') : percent) + "%";
    }

    private static string ValueVi(string code, JsonNode? node)
    {
        if (node is null)
            return "chưa báo cáo";
        var value = node.GetValue<long>();
        return IndicatorCatalogue.Find(code)?.ValueType == IndicatorValueType.Boolean ? (value == 1 ? "có" : "không") : value.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', '.');
    }

    /// <summary>
    /// What the target requires of the subject. A unit has no share: in Vietnamese its requirement is the unit alert's own
    /// words ("ban hành đầy đủ quy chế…", "ít nhất 12 trong kỳ", "báo cáo đầy đủ…"), one wording for the e-mail and the
    /// explanation (<see cref="UnitRequirement"/>); an area's is its share.
    /// </summary>
    private static string Requirement(FindingView f, JsonObject e, bool vietnamese)
    {
        var share = new Threshold(f.Measurement.Operator, f.Measurement.ThresholdMillionths).ToString();
        var read = (e["values"] as JsonObject)?.Select(v => v.Key).ToList() ?? [];
        if (f.SubjectType == SubjectType.Unit && vietnamese)
            return UnitRequirement.Vietnamese(f.TargetCode, f.Measurement, read, () => $"tỷ lệ {share}");
        if (vietnamese)
            return $"tỷ lệ {share}";
        if (f.SubjectType == SubjectType.Unit)
        {
            if (f.TargetCode == Evaluation.ReportingTarget.Code)
                return "every indicator that applies to the unit, reported on time";
            if (f.Measurement.Minimum is { } minimum)
                return $"at least {minimum} in the period";
            return f.Measurement.Denominator is not > 1 && read.Count > 0 && read.TrueForAll(c => IndicatorCatalogue.Find(c)?.ValueType == IndicatorValueType.Boolean)
                ? string.Join("; ", read.Select(c => IndicatorCatalogue.Find(c)!.NameEn.ToLowerInvariant()))
                : $"share {share}";
        }

        return $"share {share}";
    }

    /// <summary>
    /// A finding's state as its readers see it (<see cref="FindingResolutions"/>): a resolved finding of a unit that closed
    /// says the unit left the population and from when, one whose target no longer judges its subject says so, one whose
    /// unit left the target's population says so and why, never "Đã khắc phục" (nothing was put right);
    /// every other finding its state's word.
    /// </summary>
    public static string State(FindingView f, bool vietnamese) => f.Resolution switch
    {
        FindingResolution.UnitClosed => vietnamese
            ? $"Đơn vị ngừng hoạt động từ {Date(f.UnitClosedOn!.Value)}, không còn thuộc diện"
            : $"Closed (active until {Date(f.UnitClosedOn!.Value)}): no longer in the population",
        FindingResolution.NoLongerEvaluated => vietnamese ? NoLongerEvaluatedVi : NoLongerEvaluatedEn,
        FindingResolution.LeftPopulation => LeftState(vietnamese, f.LeftBecause),
        _ => vietnamese ? StateVi(f.State) : f.State.ToString(),
    };

    /// <summary>A resolved finding whose unit left the target's population (<see cref="FindingResolution.LeftPopulation"/>), as every surface says it.</summary>
    public const string LeftPopulationVi = "Không còn thuộc diện đánh giá";

    /// <summary>The same in English.</summary>
    public const string LeftPopulationEn = "Left the target's population";

    /// <summary>
    /// The state of a finding whose unit left the target's population, with why where it is known (the resolving row's
    /// evidence): never "Đã khắc phục", the unit put nothing right.
    /// </summary>
    public static string LeftState(bool vietnamese, NotMeasuredBecause? because) => because is { } why
        ? vietnamese ? $"{LeftPopulationVi} ({LeftBecause(why, true)})" : $"{LeftPopulationEn} ({LeftBecause(why, false)})"
        : vietnamese ? LeftPopulationVi : LeftPopulationEn;

    /// <summary>Why the run that resolved a finding did not measure its unit, in words.</summary>
    public static string LeftBecause(NotMeasuredBecause because, bool vietnamese) => because switch
    {
        NotMeasuredBecause.OutOfScope => vietnamese ? "đơn vị chuyển ra ngoài địa bàn được đánh giá" : "the unit moved out of the area evaluated",
        NotMeasuredBecause.Kind => vietnamese ? "đơn vị đổi loại hình, không thuộc đối tượng của chỉ tiêu" : "the unit changed kind and is outside the target's population",
        NotMeasuredBecause.TradeUnion => vietnamese ? "đơn vị không còn tổ chức công đoàn, chỉ tiêu chỉ tính đơn vị có công đoàn" : "the unit no longer has a trade union, which the target requires",
        NotMeasuredBecause.OutsideBoundArea => vietnamese ? "địa bàn của đơn vị nằm ngoài phạm vi áp dụng của bộ chỉ tiêu" : "the unit's area is outside the area the target set applies to",
        _ => vietnamese ? "chỉ tiêu không còn đánh giá từng đơn vị" : "the target no longer measures units one by one",
    };

    /// <summary>A resolved finding whose target no longer judges its subject, as the pages and the digest say it.</summary>
    public const string NoLongerEvaluatedVi = "Không còn được đánh giá: chỉ tiêu không còn áp dụng";

    /// <summary>The same in English.</summary>
    public const string NoLongerEvaluatedEn = "No longer evaluated: the target no longer applies";

    /// <summary>The state of resolved findings whose units closed, counted together without one date (a run's page).</summary>
    public static string ClosedState(bool vietnamese) =>
        vietnamese ? "Đơn vị ngừng hoạt động, không còn thuộc diện" : "Closed: no longer in the population";

    /// <summary>A day as Viet Nam writes it (31/10/2020), in both languages, as the pages' <c>DisplayFormat.Date</c> does.</summary>
    private static string Date(DateOnly day) => day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    public static string StateVi(FindingState state) => state switch
    {
        FindingState.New => "Mới",
        FindingState.Persisting => "Chưa khắc phục",
        _ => "Đã khắc phục",
    };

    public static string SeverityVi(Severity severity) => severity switch
    {
        Severity.High => "cao",
        Severity.Medium => "trung bình",
        _ => "thấp",
    };
}
