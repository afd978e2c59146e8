using System.Text.Json.Nodes;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Findings;

namespace QcdcCompliance.Reports;

/// <summary>
/// The words the review report and the dashboard share, in both languages: periods, unit kinds, statuses, what a
/// finding measured and what was required.
/// </summary>
public sealed class ReportWording(ReportLanguage language)
{
    public static readonly ReportWording Vietnamese = new(ReportLanguage.Vi);
    public static readonly ReportWording English = new(ReportLanguage.En);

    public ReportLanguage Language { get; } = language;

    public DisplayFormat Format => DisplayFormat.For(Language);

    public static ReportWording For(ReportLanguage language) => language == ReportLanguage.En ? English : Vietnamese;

    /// <summary>The wording of a period: after the reform of 1/7/2025 only xã and phường remain (no thị trấn, no huyện).</summary>
    public static ReportWording For(ReportLanguage language, Period period) => On(language, period.End);

    /// <summary>The wording of a day: "xã, phường" from 1/7/2025, "xã, phường, thị trấn" before.</summary>
    public static ReportWording On(ReportLanguage language, DateOnly day) =>
        day >= CommunesOnlyFrom ? new ReportWording(language) { CommunesOnly = true } : For(language);

    /// <summary>The first day on which the two-level local government of the 2025 reform has only communes and wards below a province.</summary>
    public static readonly DateOnly CommunesOnlyFrom = new(2025, 7, 1);

    /// <summary>Whether the period read ends after the reform: communes are "xã, phường", no longer "xã, phường, thị trấn".</summary>
    public bool CommunesOnly { get; private init; }

    private string Communes => CommunesOnly ? "xã, phường" : "xã, phường, thị trấn";

    private string CommunesEn => CommunesOnly ? "communes and wards" : "communes, wards and towns";

    public string T(string vi, string en) => Language == ReportLanguage.En ? en : vi;

    /// <summary>
    /// "6 tháng đầu năm 2020", "năm 2020"; "the first half of 2020", "the year 2020" (a bare "2020" beside "the first half
    /// of 2020" in a list or a sentence reads as a number, not a period).
    /// </summary>
    public string PeriodName(Period period) => period.Type switch
    {
        PeriodType.Year => T($"năm {period.Year}", $"the year {period.Year}"),
        PeriodType.HalfYear => period.Number == 1
            ? T($"6 tháng đầu năm {period.Year}", $"the first half of {period.Year}")
            : T($"6 tháng cuối năm {period.Year}", $"the second half of {period.Year}"),
        _ => T($"quý {period.Number} năm {period.Year}", $"Q{period.Number} {period.Year}"),
    };

    /// <summary>
    /// What a what-if says of a proposal not in force in the period (next year's set on this year's figures): that it was
    /// applied as if it were, and from when it is in force; null when it is in force as written.
    /// </summary>
    public string? AsIfInForce(WhatIfResult whatIf, string periodName)
    {
        if (whatIf.AppliedAsIfInForce is not { } v)
            return null;
        var (vi, en) = (v.From, v.To) switch
        {
            ({ } from, { } to) => ($"có hiệu lực từ {Format.Date(from)} đến {Format.Date(to)}", $"in force from {Format.Date(from)} to {Format.Date(to)}"),
            ({ } from, null) => ($"có hiệu lực từ {Format.Date(from)}", $"in force from {Format.Date(from)}"),
            (null, { } to) => ($"có hiệu lực đến {Format.Date(to)}", $"in force until {Format.Date(to)}"),
            _ => ("các mức chỉ tiêu có hiệu lực ngoài kỳ này", "its settings are dated outside the period"),
        };
        // Each target by its words, as the note on changed thresholds names them: a name may hold commas, so "; " between them.
        var settings = v.NeverInForce.Select(n => (To: Format.Date(n.To), Target: TargetPhrase(whatIf.Settings.GetValueOrDefault(n.Target), n.Target, inSentence: true))).ToList();
        var never = v.NeverInForce.Count == 0 ? ("", "") : (
            $" Không áp dụng {string.Join("; ", settings.Select(n => $"mức đến ngày {n.To} của {n.Target}"))}: mức đó kết thúc trước ngày bắt đầu ({Format.Date(v.NeverInForce[0].From)}) nên không bao giờ có hiệu lực.",
            $" Set aside {string.Join("; ", settings.Select(n => $"the setting of {n.Target} until {n.To}"))}: it ends before it starts ({Format.Date(v.NeverInForce[0].From)}), so it is never in force.");
        return T($"Bộ chỉ tiêu đề xuất chưa có hiệu lực trong {periodName} ({vi}); kết quả dưới đây áp dụng nó như thể đã có hiệu lực, mỗi chỉ tiêu theo mức đầu tiên sau kỳ.{never.Item1}",
            $"The proposed set is not in force in {periodName} ({en}); it was applied as if it were, each target by its first setting after the period.{never.Item2}");
    }

    /// <summary>A period code named inside a sentence ("năm 2020", "the first half of 2020"); the code if it is not one.</summary>
    public string PeriodName(string code) =>
        PeriodCode.TryParseStored(code, out var p) ? PeriodName(new Period { Code = code, Type = p.Type, Year = p.Year, Number = p.Number }) : code;

    /// <summary>
    /// Why an area has nothing in a period it no longer existed in: "Huyện Nghi Xuân đã kết thúc hoạt động từ ngày
    /// 01/07/2025: trong 6 tháng đầu năm 2026 không có cơ sở nào thuộc huyện Nghi Xuân, …" (what it became is said beside).
    /// </summary>
    public string AreaEndedSentence(AreaEnded ended, Period period) => T(
        $"{ended.Area.Name} đã kết thúc hoạt động từ ngày {Format.Date(ended.EndedOn)}: trong {PeriodName(period)} không có cơ sở nào thuộc {InText(ended.Area.Name)}, nên không có số liệu và kết quả đánh giá của địa bàn này.",
        $"{ended.Area.Name} was abolished on {Format.Date(ended.EndedOn)}: no unit belongs to it in {PeriodName(period)}, so it has no figures and no results for that period.");

    /// <summary>What comes before the successors' names.</summary>
    public string AreaSuccessorsLabel => T("Địa bàn kế thừa:", "Succeeded by:");

    /// <summary>What comes before the names of what its former areas (its communes) are now.</summary>
    public string FormerAreasNowLabel => T("Các địa bàn trực thuộc trước đây nay là:", "The areas that were under it are now:");

    /// <summary>The whole account of an area's end in one paragraph, names without links: what a report refused for it says.</summary>
    public string AreaEndedInFull(AreaEnded ended, Period period)
    {
        var text = new System.Text.StringBuilder(AreaEndedSentence(ended, period));
        if (ended.Successors.Count > 0)
            text.Append(' ').Append(AreaSuccessorsLabel).Append(' ').AppendJoin(", ", ended.Successors.Select(a => a.Name)).Append('.');
        if (ended.FormerAreasNow.Count > 0)
            text.Append(' ').Append(FormerAreasNowLabel).Append(' ').AppendJoin(", ", ended.FormerAreasNow.Select(a => a.Name)).Append('.');
        return text.ToString();
    }

    /// <summary>The period after this one, named: what the tasks are for.</summary>
    public string NextPeriodName(Period period) => period.Type switch
    {
        PeriodType.Year => T($"năm {period.Year + 1}", $"the year {period.Year + 1}"),
        PeriodType.HalfYear => period.Number == 1
            ? T($"6 tháng cuối năm {period.Year}", $"the second half of {period.Year}")
            : T($"6 tháng đầu năm {period.Year + 1}", $"the first half of {period.Year + 1}"),
        _ => period.Number == 4 ? T($"quý 1 năm {period.Year + 1}", $"Q1 {period.Year + 1}") : T($"quý {period.Number + 1} năm {period.Year}", $"Q{period.Number + 1} {period.Year}"),
    };

    public string KindName(UnitKind kind) => kind switch
    {
        UnitKind.Commune => T($"ủy ban nhân dân {Communes}", "commune people's committees"),
        UnitKind.StateAgency => T("cơ quan hành chính nhà nước", "state administrative agencies"),
        UnitKind.PublicServiceUnit => T("đơn vị sự nghiệp công lập", "public service units"),
        UnitKind.StateEnterprise => T("doanh nghiệp nhà nước", "state enterprises"),
        UnitKind.NonStateEnterprise => T("doanh nghiệp ngoài nhà nước", "non-state enterprises"),
        UnitKind.ArmedForces => T("đơn vị lực lượng vũ trang", "armed forces units"),
        UnitKind.FrontAndMassOrganisations => T("ủy ban Mặt trận Tổ quốc và các tổ chức chính trị - xã hội", "Fatherland Front committees and mass organisations"),
        UnitKind.MassMobilisationBoard => T("ban dân vận", "mass mobilisation boards"),
        _ => T("thôn, tổ dân phố", "villages and residential groups"),
    };

    /// <summary>What one unit is, in its kind's words: "doanh nghiệp ngoài nhà nước", "non-state enterprise" (KindName names them all).</summary>
    public string KindOfUnit(UnitKind kind) => Language == ReportLanguage.Vi ? KindName(kind) : kind switch
    {
        UnitKind.Commune => "commune people's committee",
        UnitKind.StateAgency => "state administrative agency",
        UnitKind.PublicServiceUnit => "public service unit",
        UnitKind.StateEnterprise => "state enterprise",
        UnitKind.NonStateEnterprise => "non-state enterprise",
        UnitKind.ArmedForces => "armed forces unit",
        UnitKind.FrontAndMassOrganisations => "Fatherland Front committee and mass organisations",
        UnitKind.MassMobilisationBoard => "mass mobilisation board",
        _ => "village or residential group",
    };

    /// <summary>A count of units of a kind: "1 state enterprise", "2 state enterprises" ("1 doanh nghiệp nhà nước": Vietnamese has one form).</summary>
    public string UnitsOfKind(long count, UnitKind kind) => $"{Format.Number(count)} {(count == 1 ? KindOfUnit(kind) : KindName(kind))}";

    /// <summary>An English count with its noun in the number the count asks for: "1 unit", "3 units", "0 units".</summary>
    public string Count(long count, string one, string many) => $"{Format.Number(count)} {(count == 1 ? one : many)}";

    /// <summary>
    /// The least count each unit of a count target must reach, said after its threshold (the threshold is then a share of
    /// the units that reach it): ", mỗi cơ sở ít nhất 3". The what-if page and the report's what-if appendix both say it.
    /// </summary>
    public string EachUnitAtLeast(long minimum) => T($", mỗi cơ sở ít nhất {Format.Number(minimum)}", $", each unit at least {Format.Number(minimum)}");

    public string GroupName(UnitGroup group) => group switch
    {
        UnitGroup.Communes => T($"Thực hiện dân chủ ở {Communes}", $"Democracy in {CommunesEn}"),
        UnitGroup.AgenciesAndPublicServices => T("Thực hiện dân chủ trong cơ quan hành chính nhà nước, đơn vị sự nghiệp công lập",
            "Democracy in state agencies and public service units"),
        UnitGroup.Enterprises => T("Thực hiện dân chủ ở cơ sở tại nơi làm việc (doanh nghiệp)", "Democracy at the workplace (enterprises)"),
        UnitGroup.ArmedForces => T("Thực hiện dân chủ trong lực lượng vũ trang", "Democracy in the armed forces"),
        _ => T("Thực hiện dân chủ ở thôn, tổ dân phố", "Democracy in villages and residential groups"),
    };

    /// <summary>What the children of an area are called: "huyện, thị xã, thành phố" below a province before 1/7/2025.</summary>
    public string ChildLevelName(AreaLevel childLevel) => childLevel switch
    {
        AreaLevel.District => T("huyện, thị xã, thành phố", "districts, towns and cities"),
        AreaLevel.Commune => T(Communes, CommunesEn),
        _ => T("tỉnh, thành phố", "provinces"),
    };

    /// <summary>
    /// The row of an area's units in none of its child areas (<see cref="ComplianceRow.OwnUnits"/>): "Cơ quan, đơn vị trực
    /// thuộc huyện Nghi Xuân", "Units directly under Nghi Xuân district".
    /// </summary>
    public string OwnUnitsName(string areaName) =>
        T($"Cơ quan, đơn vị trực thuộc {InText(areaName)}", $"Units directly under {EnglishPlace(areaName)}");

    /// <summary>A row of a per-area table: the child area's name, or the words for the area's own units.</summary>
    public string RowName(ComplianceRow row) => row.OwnUnits ? OwnUnitsName(row.AreaName) : row.AreaName;

    /// <summary>
    /// A bar of a per-area chart, whose title names the area: the own units' bar is "Đơn vị trực thuộc", as short as a
    /// commune's name, since the longest label takes its width from the bars (on a phone "Cơ quan, đơn vị trực thuộc
    /// huyện Nghi Xuân" left them almost none).
    /// </summary>
    public string ChartName(ComplianceRow row) => row.OwnUnits ? T("Đơn vị trực thuộc", "Directly under") : row.AreaName;

    /// <summary>A place in running text in the reader's language: "xã Hồng Châu", "Hồng Châu commune".</summary>
    public string Place(string areaName) => T(InText(areaName), EnglishPlace(areaName));

    /// <summary>
    /// The areas a trend point sums beside or instead of the trend's own: "(xã Hồng Châu, xã Thịnh Lạc)"; empty when the
    /// point is the area's own figures alone.
    /// </summary>
    public string MeasuredOver(Trend trend, TrendPoint point) =>
        point.MeasuredOver.Count > 1 || point.MeasuredOver[0] != trend.Area ? $" ({string.Join(", ", point.MeasuredOverNames.Select(Place))})" : "";

    /// <summary>
    /// Why a trend's earlier points sum other areas: "Số liệu các kỳ trước khi sáp nhập gồm cả các địa bàn nay thuộc xã
    /// Hồng Châu: xã Thịnh Lạc (sáp nhập từ ngày 01/07/2020)."; null when no point does.
    /// </summary>
    public string? MergersNote(Trend trend)
    {
        if (trend.Predecessors.Count == 0)
            return null;
        var merged = string.Join(", ", trend.Predecessors.Select(p => T($"{InText(p.Name)} (sáp nhập từ ngày {Format.Date(p.MergedOn)})",
            $"{EnglishPlace(p.Name)} (merged on {Format.Date(p.MergedOn)})")));
        return T($"Số liệu các kỳ trước khi sáp nhập gồm cả các địa bàn nay thuộc {InText(trend.AreaName)}: {merged}.",
            $"Before the mergers the figures include the areas now part of {EnglishPlace(trend.AreaName)}: {merged}.");
    }

    /// <summary>The run a sign-off made the period's result, as the report and the workbook say it after who signed.</summary>
    public string SignedRun(long runId) =>
        T($"; kết quả của lần đánh giá số {runId} là kết quả chính thức của kỳ", $"; the results of evaluation run {runId} are the period's signed result");

    public string Status(AreaStatus status) => status switch
    {
        AreaStatus.Met => T("Đạt", "Met"),
        AreaStatus.Short => T("Chưa đạt", "Short"),
        AreaStatus.Incomplete => T("Chưa đủ số liệu", "Incomplete"),
        AreaStatus.NotJudged => T("Không đánh giá ở cấp này", "Not judged at this level"),
        _ => T("Không áp dụng", "Not applicable"),
    };

    /// <summary>
    /// The status of a per-area table's row: an area's, its verdict (<see cref="Status(AreaStatus)"/>); the units attached
    /// directly to the area (<see cref="ComplianceRow.OwnUnits"/>), which no run judges as a whole, said as what they are:
    /// for a target that judges each unit, how many of them fall short (each a finding of its own), for one measured over
    /// areas (or a year restating a half-year target) not judged at this level.
    /// </summary>
    public string RowStatus(ComplianceRow row) => !row.OwnUnits ? Status(row.Status)
        : !row.JudgesUnits || row.Restated ? Status(AreaStatus.NotJudged)
        : row.ShortUnits == 0 ? T("Không có đơn vị chưa đạt", "No unit short")
        : T($"{Format.Number(row.ShortUnits)} đơn vị chưa đạt", $"{Format.Number(row.ShortUnits)} unit{(row.ShortUnits == 1 ? "" : "s")} short");

    /// <summary>A what-if's standing: an area status's words, or "not evaluated" for a subject the stored evaluation did not judge.</summary>
    public string Standing(Standing standing) =>
        standing == Domain.Standing.NotEvaluated ? T("Chưa đánh giá", "Not evaluated") : Status(Standings.StatusOf(standing));

    public string State(FindingState state) => Language == ReportLanguage.En ? state.ToString() : FindingExplanation.StateVi(state);

    /// <summary>A finding's state, a unit that closed said as such (<see cref="FindingExplanation.State(FindingView, bool)"/>).</summary>
    public string State(FindingView finding) => FindingExplanation.State(finding, Language == ReportLanguage.Vi);

    public string Severity(Severity severity) => Language == ReportLanguage.En ? severity.ToString().ToLowerInvariant() : FindingExplanation.SeverityVi(severity);

    public string Trigger(RunTrigger trigger) => trigger switch
    {
        RunTrigger.Manual => T("chạy thủ công", "manual"),
        RunTrigger.Schedule => T("theo lịch", "scheduled"),
        RunTrigger.Import => T("sau khi nhập số liệu", "after an import"),
        RunTrigger.Demo => T("dữ liệu mẫu", "demo"),
        _ => T("đo hiệu năng", "benchmark"),
    };

    public string RunStatus(RunStatus status) => status switch
    {
        Domain.RunStatus.Completed => T("Hoàn thành", "Completed"),
        Domain.RunStatus.Running => T("Đang chạy", "Running"),
        _ => T("Lỗi", "Failed"),
    };

    public string TargetText(Target? target, string code, string? fallbackVi = null) =>
        target is null ? fallbackVi ?? code : Language == ReportLanguage.En ? target.TextEn ?? target.TextVi : target.TextVi;

    public string TargetText(ComplianceRow row) => Language == ReportLanguage.En ? row.TextEn ?? row.TextVi : row.TextVi;

    /// <summary>
    /// The short name prose and screens call a target by, carried by its target set ("Chỉ tiêu 6b: thỏa ước lao động
    /// tập thể ở doanh nghiệp ngoài nhà nước"); the target's text when the set gives none. Codes stay in appendix
    /// tables, machine outputs and the API.
    /// </summary>
    public string TargetName(ComplianceRow row) => TargetNames.Of(row.NameVi, row.TextVi, row.NameEn, row.TextEn, Language == ReportLanguage.En);

    /// <summary>
    /// The short name as a sentence carries it: "Chỉ tiêu 1 (xây dựng quy chế dân chủ)" for "Chỉ tiêu 1: xây dựng quy
    /// chế dân chủ"; in lower case inside a sentence ("chỉ tiêu 1 (…)", "tỷ lệ hòa giải thành").
    /// </summary>
    public string TargetPhrase(ComplianceRow row, bool inSentence = false) => Phrase(TargetName(row), inSentence);

    /// <summary>
    /// A stored or proposed target as a sentence carries it (see the other overload): its short name, else its text, else
    /// <paramref name="fallbackVi"/> or the code when nothing is stored.
    /// </summary>
    public string TargetPhrase(Target? target, string code, bool inSentence = false, string? fallbackVi = null) =>
        target is null && fallbackVi is null && code != ReportingTarget.Code
            ? code // a code as it is written: never "nQ02-6b" in a sentence
            : Phrase(TargetName(target, code, fallbackVi), inSentence);

    /// <summary>A target's name (<see cref="TargetNames"/>) as a sentence carries it (see <see cref="TargetPhrase(ComplianceRow, bool)"/>).</summary>
    public string Phrase(string name, bool inSentence)
    {
        var colon = name.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0)
            name = $"{name[..colon]} ({name[(colon + 2)..]})";
        return inSentence && Language == ReportLanguage.Vi && name.Length > 0 ? char.ToLowerInvariant(name[0]) + name[1..] : name;
    }

    /// <summary>
    /// What a what-if says of a target the proposal adds, on the page and in the report's appendix: "Chỉ tiêu thêm mới:
    /// chỉ tiêu 8 (hòa giải ở cơ sở). 12 kết quả được đánh giá theo chỉ tiêu này (không tính là thay đổi)."
    /// </summary>
    public string TargetAdded(WhatIfResult whatIf, WhatIfTargetMove added)
    {
        var target = TargetPhrase(whatIf.Settings.GetValueOrDefault(added.Target), added.Target, inSentence: true);
        return T($"Chỉ tiêu thêm mới: {target}. {Format.Number(added.Subjects)} kết quả được đánh giá theo chỉ tiêu này (không tính là thay đổi).",
            $"Target added: {target}. {Count(added.Subjects, "result", "results")} now judged by it (not counted as changes).");
    }

    /// <summary>What a what-if says of a target the proposal drops (see <see cref="TargetAdded"/>).</summary>
    public string TargetDropped(WhatIfResult whatIf, WhatIfTargetMove dropped)
    {
        var target = TargetPhrase(whatIf.Settings.GetValueOrDefault(dropped.Target), dropped.Target, inSentence: true);
        return T($"Chỉ tiêu bị bỏ: {target}. {Format.Number(dropped.Subjects)} kết quả không còn được đánh giá (chỉ những kết quả chưa đạt được tính là thay đổi).",
            $"Target dropped: {target}. {Count(dropped.Subjects, "result", "results")} no longer judged (only those falling short count as changes).");
    }

    /// <summary>The short name of a stored target, or <paramref name="fallbackVi"/> (else the code) when none is stored.</summary>
    public string TargetName(Target? target, string code, string? fallbackVi = null) => TargetNames.Of(target, code, Language == ReportLanguage.En, fallbackVi);

    /// <summary>
    /// What the share of a target counts, for stating a ratio as the ratio ("1.233/1.374 đơn thư"): units when the
    /// share is one of units, else the thing its denominator counts.
    /// </summary>
    public string CountedNoun(ComplianceRow row)
    {
        if (row.CountedIndicator is null || (row.Numerator == row.MetUnits && row.Denominator == row.PopulationUnits))
            return T("cơ sở", "units");
        return row.CountedIndicator switch
        {
            "COMPLAINTS_RECEIVED" => T("đơn thư", "complaints"),
            "MEDIATION_CASES" => T("vụ việc", "cases"),
            "PEOPLE_TO_INFORM" => T("người", "people"),
            _ => "",
        };
    }

    /// <summary>A target's share stated as the ratio: "tỷ lệ 90,0% (1.233/1.374 đơn thư)".</summary>
    public string Ratio(ComplianceRow row) => row.Denominator > 0
        ? T("tỷ lệ ", "") + Format.Ratio(row.Numerator, row.Denominator, CountedNoun(row), row.Threshold)
        : T("chưa tính được tỷ lệ", "no share measured");

    /// <summary>
    /// An area's name as running text writes it, the administrative word in lower case: "tỉnh Hà Tĩnh", "huyện Kỳ
    /// Anh", "ủy ban nhân dân xã Kỳ Tân" (a name that starts a sentence takes its capital back there).
    /// </summary>
    public static string InText(string name)
    {
        if (name.StartsWith("UBND ", StringComparison.Ordinal))
            name = "Ủy ban nhân dân " + name[5..];
        foreach (var prefix in AdministrativeWords)
        {
            if (name.StartsWith(prefix + " ", StringComparison.Ordinal))
            {
                name = prefix.ToLowerInvariant() + name[prefix.Length..];
                break;
            }
        }

        foreach (var word in AdministrativeWords)
            name = name.Replace("nhân dân " + word + " ", "nhân dân " + word.ToLowerInvariant() + " ", StringComparison.Ordinal);
        return name;
    }

    /// <summary>
    /// An area's name in English prose: the place, then its level, as English writes Vietnamese places: "Tỉnh Hà Tĩnh" →
    /// "Hà Tĩnh province", "Huyện Nghi Xuân" → "Nghi Xuân district", "Thị xã Hồng Lĩnh" → "Hồng Lĩnh town".
    /// </summary>
    public static string EnglishPlace(string name)
    {
        foreach (var (prefix, level) in EnglishLevels)
        {
            if (name.StartsWith(prefix + " ", StringComparison.Ordinal))
                return $"{name[(prefix.Length + 1)..]} {level}";
        }

        return name;
    }

    private static readonly (string Prefix, string Level)[] EnglishLevels =
    [
        ("Tỉnh", "province"), ("Thành phố", "city"), ("Huyện", "district"), ("Thị xã", "town"), ("Quận", "urban district"),
        ("Xã", "commune"), ("Phường", "ward"), ("Thị trấn", "township"),
    ];

    /// <summary>The first letter in upper case: a name that opens a sentence.</summary>
    public static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static readonly string[] AdministrativeWords =
        ["Ủy ban nhân dân", "Tỉnh", "Thành phố", "Huyện", "Thị xã", "Quận", "Xã", "Phường", "Thị trấn"];

    /// <summary>The threshold the row was judged by; where its set changed since and the run recorded none, said so rather than today's.</summary>
    public string Threshold(ComplianceRow row) =>
        row.ThresholdRecorded ? Format.Threshold(row.Operator, row.ThresholdMillionths) : T("không rõ (bộ chỉ tiêu đã thay đổi)", "unknown (the set changed since)");

    /// <summary>What a finding measured, as a committee reads it: a share, a count, yes/no, or "not reported".</summary>
    public string Measured(FindingView f, Target? target)
    {
        if (f.TargetCode == ReportingTarget.Code)
        {
            // REPORTED's value is the number of indicators its evidence lists as missing; a row without a value is read from its evidence.
            var missing = f.Measurement.Value is { } count ? (int)count
                : JsonNode.Parse(f.Evidence) is JsonObject e && e["missing"] is JsonArray m ? m.Count : 0;
            return T($"thiếu {Format.Number(missing)} chỉ tiêu", $"{Format.Number(missing)} indicator(s) missing");
        }

        if (ShareOf(f) is { } share)
            return Format.Percent(share.Numerator, share.Denominator, f.Measurement.Threshold);
        if (f.SubjectType == SubjectType.Area || f.Measurement.Value is not { } value)
            return T("chưa báo cáo", "not reported");
        return IsYesNo(target) && f.Measurement.Minimum is null ? YesNo(value == 1) : Format.Number(value);
    }

    /// <summary>
    /// The share a finding measured, where what it measured is a share (an area's figure, a unit's ratio of counts): what
    /// <see cref="Measured"/> writes beside its threshold, and the XLSX stores as the exact fraction. Null for a yes/no, a
    /// count, a finding of what was not reported, and REPORTED.
    /// </summary>
    public static (long Numerator, long Denominator)? ShareOf(FindingView f) =>
        f.TargetCode != ReportingTarget.Code && (f.SubjectType == SubjectType.Area || f.Measurement.Value is null) && f.Measurement.Denominator is > 0 and var denominator
            ? (f.Measurement.Numerator ?? 0, denominator)
            : null;

    /// <summary>What the target required of the subject.</summary>
    public string Required(FindingView f, Target? target)
    {
        if (f.TargetCode == ReportingTarget.Code)
            return T("báo cáo đủ chỉ tiêu", "every indicator reported");
        if (f.SubjectType == SubjectType.Unit && f.Measurement.Minimum is { } minimum)
            return $"≥ {Format.Number(minimum)}";
        if (f.SubjectType == SubjectType.Unit && f.Measurement.Minimum is null && f.Measurement.Denominator is not > 1 && IsYesNo(target))
            return YesNo(true);
        return Format.Threshold(f.Measurement.Operator, f.Measurement.ThresholdMillionths);
    }

    public string YesNo(bool value) => value ? T("Có", "Yes") : T("Không", "No");

    private static bool IsYesNo(Target? target) =>
        target is not null && IndicatorCatalogue.Find(target.Indicators.Split(',')[0]) is { ValueType: IndicatorValueType.Boolean };

    /// <summary>"Hà Tĩnh" for "Tỉnh Hà Tĩnh": the place name a letterhead dates the report from.</summary>
    public static string PlaceName(string areaName)
    {
        foreach (var (prefix, _) in EnglishLevels)
        {
            if (areaName.StartsWith(prefix + " ", StringComparison.Ordinal))
                return areaName[(prefix.Length + 1)..];
        }

        return areaName;
    }
}
