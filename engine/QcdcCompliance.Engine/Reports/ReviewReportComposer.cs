using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Findings;

namespace QcdcCompliance.Reports;

/// <summary>Settings of the review report (section <c>Reports</c>).</summary>
public sealed class ReviewReportOptions
{
    /// <summary>Flagged units listed in the DOCX and HTML appendix; the XLSX always lists every one.</summary>
    public int MaxUnitsListed { get; set; } = 500;

    /// <summary>How each committee issues its reports, per area code (<c>Reports:Committees:HT</c>); an area not listed takes the defaults.</summary>
    public Dictionary<string, CommitteeStyle> Committees { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public CommitteeStyle StyleOf(string areaCode) => Committees.GetValueOrDefault(areaCode) ?? new CommitteeStyle();
}

/// <summary>The two formats a committee issues a report in.</summary>
public enum LetterheadFormat
{
    /// <summary>Decree 30/2020/NĐ-CP: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: …/BC-BCĐ".</summary>
    State,

    /// <summary>The Party's format (Hướng dẫn 36-HD/VPTW), for a committee of a Party committee: "ĐẢNG CỘNG SẢN VIỆT NAM", "Số …-BC/BCĐ".</summary>
    Party,
}

/// <summary>How one committee heads, numbers and sends its reports (section <c>Reports:Committees:{area}</c>).</summary>
public sealed class CommitteeStyle
{
    public LetterheadFormat Format { get; set; } = LetterheadFormat.State;

    /// <summary>The body above the committee, as the letterhead writes it (default: "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", or "TỈNH ỦY HÀ TĨNH" in the Party format).</summary>
    public string? ParentBody { get; set; }

    /// <summary>The committee's name as the letterhead writes it, one line per entry.</summary>
    public List<string> IssuingBody { get; set; } = [];

    /// <summary>The bodies the committee reports to, for "Nơi nhận" (default: the committee above, the standing committees of the same level, the members).</summary>
    public List<string> Recipients { get; set; } = [];

    /// <summary>Who signs: "TRƯỞNG BAN" by default.</summary>
    public string? Signer { get; set; }
}

/// <summary>
/// Writes a review report in the structure of a sơ kết (first half) / tổng kết (year) report of a steering committee:
/// leadership and direction, the committee's own work (to be written), dissemination, results by kind of unit against
/// each target with the comparison with the same period of the previous year and with the previous period, "Dân vận
/// khéo" models, citizen reception, complaints and mediation, the committee's assessment and lessons (to be written),
/// tasks for the next period, and the appendix tables per target and area. Prose names periods, targets and areas in
/// words; codes appear only in the appendix tables. Every figure comes from <see cref="ReviewReportData"/>.
/// </summary>
public sealed class ReviewReportComposer(ReviewReportData data, ReportLanguage language, ReviewReportOptions? options = null)
{
    private readonly ReportWording _w = ReportWording.For(language, data.Overview.Period);
    private readonly List<Block> _blocks = [];
    private readonly ReviewReportOptions _options = options ?? new ReviewReportOptions();
    private int _charts;

    private DisplayFormat F => _w.Format;
    private AreaOverview O => data.Overview;
    /// <summary>The area's name as the report's language writes it (English: "Hà Tĩnh province").</summary>
    private string AreaName => language == ReportLanguage.En ? ReportWording.EnglishPlace(O.Area.Name) : O.Area.Name;

    /// <summary>The area as running text names it: "tỉnh Hà Tĩnh".</summary>
    private string Area => ReportWording.InText(AreaName);

    private string Period => _w.PeriodName(O.Period);

    public static ReportDocument Compose(ReviewReportData data, ReportLanguage language, ReviewReportOptions? options = null) =>
        new ReviewReportComposer(data, language, options).Compose();

    public static string TitleOf(Period period, ReportWording w) => period.Type == PeriodType.Year
        ? w.T($"Tổng kết thực hiện quy chế dân chủ ở cơ sở {w.PeriodName(period)}, phương hướng, nhiệm vụ {w.NextPeriodName(period)}",
            $"Review of grassroots democracy in {w.PeriodName(period)} and tasks for {w.NextPeriodName(period)}")
        : w.T($"Sơ kết thực hiện quy chế dân chủ ở cơ sở {w.PeriodName(period)}, phương hướng, nhiệm vụ {w.NextPeriodName(period)}",
            $"Review of grassroots democracy in {w.PeriodName(period)} and tasks for {w.NextPeriodName(period)}");

    private string T(string vi, string en) => _w.T(vi, en);

    /// <summary>A time in a Vietnamese sentence: "22:37 ngày 04/12/2026" (Viet Nam time).</summary>
    private string TimeInText(DateTime utc) => F.Time(utc).Replace(" ", " ngày ", StringComparison.Ordinal);

    public ReportDocument Compose()
    {
        var title = TitleOf(O.Period, _w);
        var style = _options.StyleOf(O.Area.Code);
        Letterhead(style);
        _blocks.Add(new HeadingBlock(0, T("BÁO CÁO", "REPORT")));
        _blocks.Add(ParagraphBlock.Of(title, ParagraphKind.Centered));
        Source();

        _blocks.Add(new HeadingBlock(1, T($"I. KẾT QUẢ THỰC HIỆN {Period.ToUpperInvariant()}", $"I. RESULTS IN {Period.ToUpperInvariant()}")));
        Leadership();
        _blocks.Add(new HeadingBlock(2, T("2. Hoạt động của Ban Chỉ đạo", "2. The committee's work")));
        Placeholder(T("Ban Chỉ đạo ghi: các cuộc họp, văn bản ban hành, việc phân công thành viên; kiểm tra, giám sát của Ban Chỉ đạo trong kỳ.",
            "The committee writes: its meetings, the documents it issued, the tasks of its members; its inspections and supervision in the period."));
        Dissemination();
        ResultsByKind();
        Models();
        ReceptionComplaintsMediation();
        Shortfalls();

        _blocks.Add(new HeadingBlock(1, T("II. ĐÁNH GIÁ CHUNG", "II. ASSESSMENT")));
        Assessment();

        _blocks.Add(new HeadingBlock(1, T($"III. PHƯƠNG HƯỚNG, NHIỆM VỤ {_w.NextPeriodName(O.Period).ToUpperInvariant()}",
            $"III. TASKS FOR {_w.NextPeriodName(O.Period).ToUpperInvariant()}")));
        Tasks();

        _blocks.Add(new HeadingBlock(1, T("IV. KIẾN NGHỊ, ĐỀ XUẤT", "IV. RECOMMENDATIONS")));
        Placeholder(T("Ban Chỉ đạo ghi các kiến nghị, đề xuất với cấp trên (nếu có).", "The committee writes its recommendations to the level above, if any."));
        var recipients = style.Recipients.Count > 0
            ? style.Recipients
            : [T("Ban Chỉ đạo thực hiện quy chế dân chủ ở cơ sở cấp trên", "the steering committee above"),
               T($"Thường trực cấp ủy, Ủy ban nhân dân {Area}", $"the standing committees of {AreaName}"),
               T("Các thành viên Ban Chỉ đạo", "the members of the committee")];
        _blocks.Add(new SignatureBlock(
            [T("Nơi nhận:", "To:"), .. recipients.Select(r => "- " + r.TrimEnd(';', '.') + ";"), T("- Lưu: VT.", "- file.")],
            [T("T/M BAN CHỈ ĐẠO", "FOR THE STEERING COMMITTEE"), style.Signer ?? T("TRƯỞNG BAN", "CHAIR"), T("(Ký, ghi rõ họ tên)", "(signature and full name)")]));

        Appendix();
        return new ReportDocument(language, title, _blocks);
    }

    /// <summary>About the capitals that fit on one line of the letterhead's left column (13 pt, 7.6 cm).</summary>
    private const int ParentLineLength = 28;

    private void Letterhead(CommitteeStyle style)
    {
        var party = style.Format == LetterheadFormat.Party;
        var parent = style.ParentBody ?? (party ? PartyCommitteeOf(AreaName) : T($"ỦY BAN NHÂN DÂN {AreaName.ToUpperInvariant()}", $"PEOPLE'S COMMITTEE OF {AreaName.ToUpperInvariant()}"));
        IReadOnlyList<string> issuer = style.IssuingBody.Count > 0
            ? style.IssuingBody
            : [T("BAN CHỈ ĐẠO THỰC HIỆN", "STEERING COMMITTEE FOR"), T("QUY CHẾ DÂN CHỦ Ở CƠ SỞ", "GRASSROOTS DEMOCRACY")];
        var place = ReportWording.PlaceName(O.Area.Name);
        // A name too long for the letterhead's column breaks after "ỦY BAN NHÂN DÂN", not inside the area's name.
        IReadOnlyList<string> parentLines = style.ParentBody is null && !party && parent.Length > ParentLineLength
            ? [T("ỦY BAN NHÂN DÂN", "PEOPLE'S COMMITTEE"), T(AreaName.ToUpperInvariant(), $"OF {AreaName.ToUpperInvariant()}")]
            : [parent];
        _blocks.Add(new LetterheadBlock(
            parentLines,
            issuer,
            party ? T("Số ……-BC/BCĐ", "No. ……-BC/BCĐ") : T("Số: ……/BC-BCĐ", "No. ……/BC-BCĐ"),
            party
                ? [T("ĐẢNG CỘNG SẢN VIỆT NAM", "COMMUNIST PARTY OF VIET NAM")]
                : [T("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"), T("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness")],
            // The office dates and numbers the report when it is signed.
            T($"{place}, ngày …… tháng …… năm ……", $"{place}, …… / …… / 20……"),
            party));
    }

    /// <summary>The Party committee of an area, as a Party letterhead writes it: "TỈNH ỦY HÀ TĨNH", "HUYỆN ỦY KỲ ANH".</summary>
    private static string PartyCommitteeOf(string areaName)
    {
        foreach (var (prefix, committee) in new[] { ("Tỉnh ", "TỈNH ỦY "), ("Thành phố ", "THÀNH ỦY "), ("Huyện ", "HUYỆN ỦY "), ("Thị xã ", "THỊ ỦY "), ("Quận ", "QUẬN ỦY ") })
        {
            if (areaName.StartsWith(prefix, StringComparison.Ordinal))
                return committee + areaName[prefix.Length..].ToUpperInvariant();
        }

        return "ĐẢNG ỦY " + areaName.ToUpperInvariant();
    }

    private void Source()
    {
        var run = O.LatestRun;
        var from = run is null
            ? T("chưa có lần đánh giá nào hoàn thành", "no completed evaluation")
            : T($"lần đánh giá số {run.Id}, hoàn thành lúc {TimeInText(run.FinishedAt ?? run.StartedAt)}", $"evaluation run {run.Id}, completed at {F.Time(run.FinishedAt ?? run.StartedAt)}");
        _blocks.Add(ParagraphBlock.Of(T(
            $"Số liệu {Period} (từ ngày {F.Date(O.Period.Start)} đến ngày {F.Date(O.Period.End)}) của {F.Number(data.ActiveUnits)} cơ sở thuộc {Area}, tổng hợp từ {from}; báo cáo lập lúc {TimeInText(data.GeneratedAtUtc)} (giờ Việt Nam). Tỷ lệ làm tròn đến một chữ số thập phân; tỷ lệ chưa đủ 100% không ghi thành 100%, tỷ lệ chưa đạt ngưỡng không ghi thành ngưỡng (69,997% so với ≥ 70% ghi 69,9%).",
            $"Figures of {Period} ({F.Date(O.Period.Start)} – {F.Date(O.Period.End)}) for the {F.Number(data.ActiveUnits)} units of {AreaName}, from {from}; report generated at {F.Time(data.GeneratedAtUtc)} (Viet Nam time). Shares are rounded to one decimal; a share short of 100% never reads as 100%, nor one short of its threshold as the threshold (69.997% against ≥ 70% reads 69.9%)."),
            ParagraphKind.Note));
        if (data.CarriedUnits > 0)
        {
            // A year's count is the sum of its halves: what a unit closed since reported for the first half stays in it.
            _blocks.Add(ParagraphBlock.Of(T(
                $"Số liệu cộng dồn của năm gồm cả số liệu 6 tháng đầu năm của {F.Number(data.CarriedUnits)} cơ sở ngừng hoạt động trong năm, tính vào địa bàn nơi cơ sở trực thuộc hoặc địa bàn kế thừa; các cơ sở này không tính vào số cơ sở và không được đánh giá riêng cho năm.",
                $"The year's summed figures include the first-half figures of {F.Number(data.CarriedUnits)} units that ceased operating during the year, in the area they belonged to or the area that succeeded it; these units are not counted among the units nor judged for the year."),
                ParagraphKind.Note));
        }

        if (data.ValuesChangedSinceRun)
        {
            _blocks.Add(ParagraphBlock.Of(T(
                "Lưu ý: số liệu đã được nhập thêm hoặc sửa sau lần đánh giá trên; số liệu theo loại hình cơ sở tính theo số liệu hiện tại. Cần chạy lại đánh giá trước khi ban hành báo cáo.",
                "Note: values were imported or changed after that evaluation; the figures by kind of unit use the current values. Evaluate again before issuing this report."),
                ParagraphKind.Note));
        }

        var changed = O.Targets.Select(t => t.Current).Concat(O.Children).Concat(O.OwnUnits).Where(r => r.SettingChangedSince).Select(r => r.TargetCode)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (changed.Count > 0)
        {
            // The sets by name, and of their targets those whose threshold the run judged by is not the one now stored: a set
            // is stored whole, so the run's findings are what tells a target changed from one imported again unchanged.
            var sets = changed.Select(code => data.Setting(code)?.Resolution?.NameInText).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            var moved = changed.Select(code => O.Targets.Select(t => t.Current).FirstOrDefault(r => r.TargetCode == code && r.ThresholdRecorded) is { } row
                                               && data.Setting(code) is { } now && now.Threshold != row.Threshold
                    ? $"{_w.TargetPhrase(row, inSentence: true)} {T("từ", "from")} {_w.Threshold(row)} {T("thành", "to")} {F.Threshold(now.Threshold.Operator, now.Threshold.Millionths)}"
                    : null)
                .OfType<string>().ToList();
            var named = sets.Count > 0 ? string.Join("; ", sets) : null;
            var what = moved.Count > 0
                ? T($", đổi yêu cầu của {string.Join("; ", moved)}", $", changing the threshold of {string.Join("; ", moved)}")
                : "";
            _blocks.Add(ParagraphBlock.Of(T(
                $"Lưu ý: bộ chỉ tiêu{(named is null ? "" : " theo " + named)} đã được nhập lại sau lần đánh giá trên{what}. Kết quả và ngưỡng ghi trong báo cáo là của lần đánh giá đó (ngưỡng ghi trong các phát hiện của nó); tên và nội dung chỉ tiêu ghi theo bộ hiện hành, vì nội dung cũ không được lưu. Cần chạy lại đánh giá để áp dụng bộ chỉ tiêu hiện hành.",
                $"Note: the target set{(named is null ? "" : " of " + named)} was imported again after that evaluation{what}. The results and thresholds in this report are that evaluation's (the thresholds its findings recorded); the targets' names and texts are the current set's, as the replaced texts are not kept. Evaluate again to apply the current set."),
                ParagraphKind.Note));
        }

        SignOff();
    }

    /// <summary>"Đã ký duyệt" with the date (Viet Nam time), and the reason when it was signed off with units still incomplete.</summary>
    private void SignOff()
    {
        if (data.SignedOff is not { } s)
        {
            _blocks.Add(ParagraphBlock.Of(data.Reopened is { } r ? Reopened(r)
                    : T($"Số liệu {Period} của {Area} chưa được Ban Chỉ đạo ký duyệt.", $"The figures of {Period} for {AreaName} are not signed off yet."),
                ParagraphKind.Note));
            return;
        }

        var day = F.Date(DateOnly.FromDateTime(DisplayFormat.Local(s.At)));
        var run = s.RunId is { } id ? _w.SignedRun(id) : "";
        var why = s.Reason is null ? ""
            : s.IncompleteUnits > 0
                ? T($" Ký duyệt khi còn {F.Number(s.IncompleteUnits)} cơ sở chưa báo cáo đủ số liệu; lý do: {s.Reason.TrimEnd('.')}.",
                    $" Signed off with {_w.Count(s.IncompleteUnits, "unit", "units")} not reported in full; reason: {s.Reason.TrimEnd('.')}.")
                : T($" Ghi chú: {s.Reason.TrimEnd('.')}.", $" Note: {s.Reason.TrimEnd('.')}.");
        _blocks.Add(new ParagraphBlock([
            new TextRun(T($"Đã ký duyệt ngày {day}", $"Signed off on {day}"), Bold: true),
            new TextRun(T($" lúc {Clock(s.At)} (giờ Việt Nam), bởi {CommitteeAct.NameOf(s.By)}{run}.{why}",
                $" at {Clock(s.At)} (Viet Nam time), by {CommitteeAct.NameOf(s.By)}{run}.{why}")),
        ]));
    }

    /// <summary>
    /// A period reopened and not signed off again: who signed it off and when, who reopened it, when and why; a report
    /// issued after it is signed again reads apart from one of a period never signed.
    /// </summary>
    private string Reopened(ReopenedSignOff r)
    {
        string When(SignOffView act) => F.Date(DateOnly.FromDateTime(DisplayFormat.Local(act.At))) + " " + Clock(act.At);
        var signed = r.SignedOff is { } s
            ? T($" đã được Ban Chỉ đạo ký duyệt lúc {When(s)} bởi {CommitteeAct.NameOf(s.By)},", $" were signed off at {When(s)} by {CommitteeAct.NameOf(s.By)},")
            : "";
        var why = r.Reopening.Reason?.TrimEnd('.') ?? "";
        return T($"Số liệu {Period} của {Area}{signed} được mở lại lúc {When(r.Reopening)} (giờ Việt Nam) bởi {CommitteeAct.NameOf(r.Reopening.By)} (lý do: {why}) và chưa được ký duyệt lại.",
            $"The figures of {Period} for {AreaName}{signed} reopened at {When(r.Reopening)} (Viet Nam time) by {CommitteeAct.NameOf(r.Reopening.By)} (reason: {why}), and are not signed off again.");
    }

    /// <summary>The time of day of an instant in Viet Nam ("09:06"); the day is said beside it.</summary>
    private static string Clock(DateTime utc) => DisplayFormat.Local(utc).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    private void Leadership()
    {
        _blocks.Add(new HeadingBlock(2, T("1. Công tác lãnh đạo, chỉ đạo", "1. Leadership and direction")));
        // The resolutions that direct the work; the committee's own KPIs and the reporting duty are not directives.
        var directives = data.Resolutions
            .Where(r => !r.Code.StartsWith("KPI", StringComparison.OrdinalIgnoreCase)
                        && data.TargetSettings.Any(t => t.ResolutionId == r.Id && t.Code != ReportingTarget.Code))
            .ToList();
        if (directives.Count > 0)
        {
            _blocks.Add(ParagraphBlock.Of(T(
                $"Thực hiện {string.Join("; ", directives.Select(r => TitleInText(r.Title)))}, cấp ủy, chính quyền, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội trên địa bàn {Area} đã quan tâm lãnh đạo, chỉ đạo việc xây dựng và thực hiện quy chế dân chủ ở cơ sở.",
                $"Under {string.Join("; ", directives.Select(r => $"{EnglishName(r)} ({r.Issuer}, {F.Date(r.IssuedOn)})"))}, the party committees, authorities, the Fatherland Front and the mass organisations of {AreaName} directed the implementation of grassroots democracy.")));
        }

        var counts = data.UnitsByKind.Select(k => _w.UnitsOfKind(k.Count, k.Kind));
        var children = O.Children.Select(c => c.AreaId).Distinct().Count();
        var childLevel = O.Children.FirstOrDefault()?.AreaLevel;
        var where = childLevel is { } level ? T($" thuộc {F.Number(children)} {_w.ChildLevelName(level)}", $" in {F.Number(children)} {_w.ChildLevelName(level)}") : "";
        _blocks.Add(ParagraphBlock.Of(T(
            $"Ban Chỉ đạo theo dõi {F.Number(O.Targets.Count)} chỉ tiêu đối với {F.Number(data.ActiveUnits)} cơ sở{where} ({string.Join(", ", counts)}). {ReportWording.Capitalised(TargetCount())}",
            $"The committee follows {_w.Count(O.Targets.Count, "target", "targets")} over {_w.Count(data.ActiveUnits, "unit", "units")}{where} ({string.Join(", ", counts)}). {ReportWording.Capitalised(TargetCount())}")));
        Placeholder(T("Ban Chỉ đạo bổ sung: các văn bản lãnh đạo, chỉ đạo đã ban hành trong kỳ; việc kiện toàn Ban Chỉ đạo các cấp; công tác kiểm tra, giám sát.",
            "The committee adds: the directives issued in the period; changes to the committees; inspections and supervision."));
    }

    /// <summary>
    /// A set as English prose names it: the document's number where its title writes one ("02-NQ/TU"), else its title as
    /// the Vietnamese names it; never the code an import gave a set that has no number ("QB-KH").
    /// </summary>
    private static string EnglishName(Resolution r) => r.Title.Contains(r.Number, StringComparison.Ordinal) ? r.Number : TitleInText(r.Title);

    /// <summary>Every target shown, counted: "hết kỳ, toàn tỉnh Hà Tĩnh đạt 4/6 chỉ tiêu; 2 chỉ tiêu chưa đạt."</summary>
    private string TargetCount()
    {
        var met = O.Targets.Count(t => t.Current.Status == AreaStatus.Met);
        var shortOf = O.Targets.Count(t => t.Current.Status == AreaStatus.Short);
        // Targets not judged at the area's level (a commune's share of NQ02-6b): counted apart, never among those short.
        var notHere = O.Targets.Count(t => t.Current.Status == AreaStatus.NotJudged);
        var other = O.Targets.Count - met - shortOf - notHere;
        return T($"hết {Period}, toàn {Area} đạt {F.Number(met)}/{F.Number(O.Targets.Count)} chỉ tiêu, {F.Number(shortOf)} chỉ tiêu chưa đạt"
                 + (other > 0 ? $", {F.Number(other)} chỉ tiêu chưa đủ số liệu hoặc không áp dụng để đánh giá" : "")
                 + (notHere > 0 ? $", {F.Number(notHere)} chỉ tiêu không đánh giá ở cấp này." : "."),
            $"at the end of {Period}, {AreaName} meets {F.Number(met)} of {_w.Count(O.Targets.Count, "target", "targets")} and falls short of {F.Number(shortOf)}"
            + (other > 0 ? $"; {F.Number(other)} {(other == 1 ? "could not be judged or does not apply" : "could not be judged or do not apply")}" : "")
            + (notHere > 0 ? $"; {F.Number(notHere)} {(notHere == 1 ? "is" : "are")} not judged at this level." : "."));
    }

    /// <summary>A resolution's title inside a sentence: without the remark in brackets a set may add to it.</summary>
    /// <summary>
    /// A set's title as the document it names, in a sentence: without a closing remark in brackets, and without what
    /// follows a colon (the set's own label: "…số 10/2022/QH15 và các văn bản hướng dẫn: những yêu cầu tối thiểu").
    /// </summary>
    private static string TitleInText(string title)
    {
        var bracket = title.IndexOf(" (", StringComparison.Ordinal);
        if (bracket > 0 && title.EndsWith(')'))
            title = title[..bracket];
        var colon = title.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 ? title[..colon] : title;
    }

    private void Dissemination()
    {
        _blocks.Add(new HeadingBlock(2, T("3. Công tác tuyên truyền, quán triệt", "3. Dissemination")));
        var t = data.Totals;
        if (t.ReportingUnits("PROPAGANDA_SESSIONS") > 0)
        {
            _blocks.Add(ParagraphBlock.Of(T(
                $"Các cấp, các ngành, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội đã tổ chức tuyên truyền được {F.Number(t.Sum("PROPAGANDA_SESSIONS"))} cuộc với {F.Number(t.Sum("PROPAGANDA_ATTENDEES"))} lượt người tham dự.",
                $"Propaganda: {F.Number(t.Sum("PROPAGANDA_SESSIONS"))} sessions with {F.Number(t.Sum("PROPAGANDA_ATTENDEES"))} attendances.")));
        }

        if (Tagged(Informed) is { } informed && informed.Current.Denominator > 0)
        {
            var c = informed.Current;
            _blocks.Add(ParagraphBlock.Of(T(
                $"Có {F.Number(c.Numerator)} trên tổng số {F.Number(c.Denominator)} cán bộ, đảng viên, công chức, viên chức, người lao động được quán triệt nội dung các văn bản về thực hiện quy chế dân chủ ở cơ sở, đạt tỷ lệ {F.Percent(c.Numerator, c.Denominator, c.Threshold)} (yêu cầu {_w.Threshold(c)}: {_w.Status(c.Status).ToLowerInvariant()}); {F.Number(c.MetUnits)}/{F.Number(c.PopulationUnits)} cơ sở quán triệt cho toàn bộ cán bộ, người lao động.",
                $"{F.Number(c.Numerator)} of {F.Number(c.Denominator)} cadres, party members, civil servants and workers were informed of the guidance, {F.Percent(c.Numerator, c.Denominator, c.Threshold)} (target {_w.Threshold(c)}: {_w.Status(c.Status).ToLowerInvariant()}); {F.Number(c.MetUnits)} of {F.Number(c.PopulationUnits)} units informed all their people.")));
        }

        Placeholder(T("Ban Chỉ đạo bổ sung các hình thức tuyên truyền đã thực hiện.", "The committee adds the forms of dissemination used."));
    }

    private void ResultsByKind()
    {
        _blocks.Add(new HeadingBlock(2, T("4. Kết quả thực hiện các chỉ tiêu theo loại hình cơ sở", "4. Results by kind of unit against each target")));
        var measured = O.Targets.Where(t => t.Current.Denominator > 0).ToList();
        if (measured.Count > 0)
        {
            Chart("targets", T($"Tỷ lệ đạt các chỉ tiêu, {Area}, {Period}", $"Share met per target, {AreaName}, {Period}"),
                measured.Select(t => new ChartBar(ChartLabel(t.Current), (double)(t.Percent ?? 0), t.Current.Status, F.Percent(t.Current.Numerator, t.Current.Denominator, t.Current.Threshold),
                    t.Current.ThresholdRecorded ? (double)(t.Current.ThresholdMillionths * 100m / Threshold.One) : null)).ToList(),
                null, null);
        }

        Comparison();

        var number = 0;
        foreach (var group in data.Groups)
        {
            number++;
            _blocks.Add(new HeadingBlock(3, $"4.{number}. {_w.GroupName(group.Group)}"));
            var units = group.Units.Where(kv => kv.Value > 0).Select(kv => _w.UnitsOfKind(kv.Value, kv.Key)).ToList();
            _blocks.Add(ParagraphBlock.Of(units.Count > 0
                ? T($"Toàn {Area} có {string.Join(", ", units)} thuộc diện báo cáo trong kỳ.", $"{AreaName} has {string.Join(", ", units)} reporting in the period.")
                : T("Không có cơ sở thuộc loại hình này trong kỳ.", "No unit of this kind in the period.")));
            if (units.Count > 0 && !group.Targets.Any(t => t.Kinds.Any(k => k.Population > 0)))
            {
                // Said, not left as an empty section: the units report figures (appendix 2), but no target followed judges them in this period.
                _blocks.Add(ParagraphBlock.Of(T($"Trong {Period}, không có chỉ tiêu nào đang theo dõi áp dụng cho loại hình cơ sở này; số liệu báo cáo được tổng hợp tại Phụ lục 2.",
                    $"No target followed applies to these units in {Period}; their figures are summed in Appendix 2.")));
            }

            foreach (var target in group.Targets)
            {
                var c = target.Target.Current;
                var kinds = target.Kinds.Where(k => k.Population > 0).ToList();
                if (kinds.Count == 0)
                    continue;
                var noun = _w.CountedNoun(c);
                var parts = kinds.Select(k => c.JudgesUnits
                    ? T($"{F.Number(k.Met)}/{F.Number(k.Population)} {_w.KindName(k.Kind)} đạt", $"{F.Number(k.Met)} of {_w.UnitsOfKind(k.Population, k.Kind)} met")
                      + (k.Denominator == 0 || (k.Numerator == k.Met && k.Denominator == k.Population) ? "" : T($", tỷ lệ {F.Ratio(k.Numerator, k.Denominator, noun, c.Threshold)}", $", {F.Ratio(k.Numerator, k.Denominator, noun, c.Threshold)}"))
                    : T($"{_w.KindName(k.Kind)}: tỷ lệ {F.Ratio(k.Numerator, k.Denominator, noun, c.Threshold)}", $"{_w.KindName(k.Kind)}: {F.Ratio(k.Numerator, k.Denominator, noun, c.Threshold)}"));
                _blocks.Add(new ParagraphBlock([
                    new TextRun($"{_w.TargetPhrase(c)}: ", Bold: true),
                    new TextRun(T($"{string.Join("; ", parts)}", $"{string.Join("; ", parts)}")),
                    new TextRun(kinds.Sum(k => k.Missing) is > 0 and var missing
                        ? T($"; {F.Number(missing)} cơ sở chưa báo cáo.", $"; {_w.Count(missing, "unit", "units")} did not report.")
                        : "."),
                ], ParagraphKind.Bullet));
            }

            if (group.Targets.Count > 0)
                KindTable(group);
            if (group.Group == UnitGroup.Communes)
                CommuneFigures();
        }
    }

    /// <summary>A bar's label: the name's head ("Chỉ tiêu 6b") where the name has one, else the name.</summary>
    private string ChartLabel(ComplianceRow row) => ShortLabel(_w.TargetName(row));

    /// <summary>A target's name up to its colon ("Chỉ tiêu 1" of "Chỉ tiêu 1: xây dựng quy chế dân chủ"): the label of a chart bar or a table cell.</summary>
    private static string ShortLabel(string name)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? name[..colon] : name;
    }

    /// <summary>
    /// Every target against the same period of the previous year and the previous period (for a year, one and the
    /// same): what a committee compares. A period without figures reads "–".
    /// </summary>
    private void Comparison()
    {
        var p = O.Period;
        var lastYear = data.SamePeriodLastYear ?? PeriodOf(p.Type == PeriodType.Year ? p.PreviousCode() : $"{p.Year - 1}{p.Code[4..]}");
        var previous = O.PreviousPeriod ?? PeriodOf(p.PreviousCode());
        var both = previous.Code != lastYear.Code;
        var columns = new List<TableColumn>
        {
            new(T("Chỉ tiêu", "Target"), Weight: 6), new(T("Yêu cầu", "Required"), Align.Right, 3), new(ReportWording.Capitalised(Period), Align.Right, 3),
            new(ReportWording.Capitalised(_w.PeriodName(lastYear)) + T(" (cùng kỳ)", " (same period)"), Align.Right, 3),
            new(T("Tăng, giảm (điểm %)", "Change (points)"), Align.Right, 2),
        };
        if (both)
        {
            columns.Add(new TableColumn(ReportWording.Capitalised(_w.PeriodName(previous)) + T(" (kỳ trước)", " (previous period)"), Align.Right, 3));
            columns.Add(new TableColumn(T("Tăng, giảm (điểm %)", "Change (points)"), Align.Right, 2));
        }

        var rows = new List<ReportRow>();
        foreach (var standing in O.Targets)
        {
            var c = standing.Current;
            var cells = new List<string> { _w.TargetName(c), _w.Threshold(c), Share(c) };
            AddChange(cells, Then(c.TargetCode, lastYear.Code, data.LastYear.FirstOrDefault(r => r.TargetCode == c.TargetCode)));
            if (both)
                AddChange(cells, Then(c.TargetCode, previous.Code, standing.Previous));
            rows.Add(new ReportRow(cells));

            void AddChange(List<string> into, (long Numerator, long Denominator)? then)
            {
                into.Add(then is { Denominator: > 0 } t ? F.Percent(t.Numerator, t.Denominator) : "–");
                into.Add(then is { Denominator: > 0 } d && c.Denominator > 0 ? F.Change(Shares.ChangeInPoints(c.Numerator, c.Denominator, d.Numerator, d.Denominator)) : "–");
            }
        }

        var caption = both
            ? T($"So sánh với cùng kỳ năm trước ({_w.PeriodName(lastYear)}) và với kỳ trước ({_w.PeriodName(previous)})",
                $"Against the same period last year ({_w.PeriodName(lastYear)}) and the previous period ({_w.PeriodName(previous)})")
            : T($"So sánh với năm trước ({_w.PeriodName(lastYear)})", $"Against the previous year ({_w.PeriodName(lastYear)})");
        var missing = new[] { data.SamePeriodLastYear is null ? lastYear : null, both && O.PreviousPeriod is null ? previous : null }.OfType<Period>().ToList();
        _blocks.Add(new TableBlock("comparison", caption, columns, rows));
        if (missing.Count > 0)
        {
            _blocks.Add(ParagraphBlock.Of(T($"Chưa có số liệu đã đánh giá của {string.Join(", ", missing.Select(_w.PeriodName))}.",
                $"No evaluated figures for {string.Join(", ", missing.Select(_w.PeriodName))}."), ParagraphKind.Note));
        }

        MergersNote([lastYear.Code, previous.Code]);
    }

    /// <summary>
    /// A target's figures in an earlier period as its trend gives them: the area's own, or, before an area was merged into
    /// it, the sum of both (like with like); the area's stored row where the trend has no such period.
    /// </summary>
    private (long Numerator, long Denominator)? Then(string targetCode, string periodCode, ComplianceRow? row) =>
        data.Trends.FirstOrDefault(t => t.Target == targetCode)?.Points.FirstOrDefault(p => p.Period == periodCode) is { } point
            ? (point.Numerator, point.Denominator)
            : row is null ? null : (row.Numerator, row.Denominator);

    /// <summary>Says beside a table which areas merged into this one its earlier figures include, when a period it shows sums them.</summary>
    private void MergersNote(IReadOnlyCollection<string> periods)
    {
        var trend = data.Trends.FirstOrDefault(t => t.Points.Any(p => periods.Contains(p.Period) && _w.MeasuredOver(t, p).Length > 0));
        if (trend is not null && _w.MergersNote(trend) is { } note)
            _blocks.Add(ParagraphBlock.Of(note, ParagraphKind.Note));
    }

    private static Period PeriodOf(string code)
    {
        PeriodCode.TryParseStored(code, out var parsed);
        return new Period { Code = code, Type = parsed.Type, Year = parsed.Year, Number = parsed.Number };
    }

    private string Share(ComplianceRow row) => row.Denominator > 0 ? F.Percent(row.Numerator, row.Denominator, row.Threshold) : "–";

    private void KindTable(GroupResult group)
    {
        var rows = new List<ReportRow>();
        foreach (var target in group.Targets)
        {
            var c = target.Target.Current;
            foreach (var k in target.Kinds.Where(k => k.Population > 0))
            {
                rows.Add(new ReportRow([
                    ChartLabel(c), _w.KindName(k.Kind), F.Number(k.Population),
                    c.JudgesUnits ? F.Number(k.Met) : "–", c.JudgesUnits ? F.Number(k.Short) : "–", F.Number(k.Missing),
                    F.Percent(k.Numerator, k.Denominator, c.Threshold), _w.Threshold(c),
                ]));
            }
        }

        _blocks.Add(new TableBlock($"kinds:{group.Group}", T($"Kết quả theo loại hình: {_w.GroupName(group.Group).ToLowerInvariant()}", $"Results by kind: {_w.GroupName(group.Group).ToLowerInvariant()}"),
        [
            new(T("Chỉ tiêu", "Target"), Weight: 3), new(T("Loại hình", "Kind"), Weight: 3), new(T("Thuộc diện", "Units"), Align.Right), new(T("Đạt", "Met"), Align.Right),
            new(T("Chưa đạt", "Short"), Align.Right), new(T("Chưa báo cáo", "Not reported"), Align.Right), new(T("Tỷ lệ", "Share"), Align.Right),
            new(T("Yêu cầu", "Required"), Align.Right),
        ], rows));
    }
    private void CommuneFigures()
    {
        var t = data.Totals;
        var parts = new List<string>();
        if (t.ReportingUnits("INSPECTION_SUPERVISIONS") > 0 || t.ReportingUnits("INVESTMENT_SUPERVISIONS") > 0)
        {
            parts.Add(T($"Vai trò của Ban Thanh tra nhân dân, Ban Giám sát đầu tư của cộng đồng được phát huy: Ban Thanh tra nhân dân giám sát {F.Number(t.Sum("INSPECTION_SUPERVISIONS"))} cuộc, Ban Giám sát đầu tư của cộng đồng giám sát {F.Number(t.Sum("INVESTMENT_SUPERVISIONS"))} cuộc.",
                $"People's Inspection Boards carried out {F.Number(t.Sum("INSPECTION_SUPERVISIONS"))} supervisions and community investment supervision boards {F.Number(t.Sum("INVESTMENT_SUPERVISIONS"))}."));
        }

        if (t.ReportingUnits("DIALOGUE_CONFERENCES") > 0)
        {
            parts.Add(T($"Người đứng đầu cấp ủy, chính quyền cấp xã tổ chức {F.Number(t.Sum("DIALOGUE_CONFERENCES"))} hội nghị đối thoại với Nhân dân.",
                $"Commune leaders held {_w.Count(t.Sum("DIALOGUE_CONFERENCES"), "dialogue conference", "dialogue conferences")} with the people."));
        }

        if (t.ReportingUnits("NEW_RURAL_STANDARD") > 0)
        {
            parts.Add(T($"Có {F.Number(t.Sum("NEW_RURAL_STANDARD"))}/{F.Number(t.ReportingUnits("NEW_RURAL_STANDARD"))} xã đạt chuẩn nông thôn mới.",
                $"{F.Number(t.Sum("NEW_RURAL_STANDARD"))} of {F.Number(t.ReportingUnits("NEW_RURAL_STANDARD"))} communes meet the new-rural standard."));
        }

        if (parts.Count > 0)
            _blocks.Add(ParagraphBlock.Of(string.Join(" ", parts)));
    }

    private void Models()
    {
        _blocks.Add(new HeadingBlock(2, T("5. Phong trào thi đua \"Dân vận khéo\"", "5. The \"Dân vận khéo\" (skilful mass mobilisation) movement")));
        var t = data.Totals;
        _blocks.Add(ParagraphBlock.Of(t.ReportingUnits("MODELS_REGISTERED") > 0
            ? T($"Toàn {Area} có {F.Number(t.Sum("MODELS_REGISTERED"))} mô hình \"Dân vận khéo\" đăng ký ở các lĩnh vực đời sống xã hội; {F.Number(t.Sum("MODELS_RECOGNISED"))} mô hình được công nhận, trong đó có {F.Number(t.Sum("MODELS_EXEMPLARY"))} mô hình điển hình, tiêu biểu.",
                $"{AreaName} registered {F.Number(t.Sum("MODELS_REGISTERED"))} \"Dân vận khéo\" models; {F.Number(t.Sum("MODELS_RECOGNISED"))} were recognised, {F.Number(t.Sum("MODELS_EXEMPLARY"))} of them exemplary.")
            : T("Chưa có số liệu về mô hình \"Dân vận khéo\" trong kỳ.", "No figures on \"Dân vận khéo\" models in the period.")));
        Placeholder(T("Ban Chỉ đạo nêu các mô hình điển hình, tiêu biểu.", "The committee names the exemplary models."));
    }

    private void ReceptionComplaintsMediation()
    {
        _blocks.Add(new HeadingBlock(2, T("6. Công tác tiếp công dân, giải quyết khiếu nại, tố cáo và hòa giải ở cơ sở", "6. Citizen reception, complaints and mediation")));
        var t = data.Totals;
        var communes = t.ReportingUnits("CITIZEN_RECEPTION_DAYS");
        if (communes > 0)
        {
            var average = F.Decimal(Math.Round(t.Sum("CITIZEN_RECEPTION_DAYS") / (decimal)communes, 1, MidpointRounding.AwayFromZero), 1);
            _blocks.Add(ParagraphBlock.Of(T(
                $"Người đứng đầu cấp ủy cấp xã tiếp công dân {F.Number(t.Sum("CITIZEN_RECEPTION_DAYS"))} ngày, bình quân {average} ngày/xã.",
                $"Commune party heads received citizens on {F.Number(t.Sum("CITIZEN_RECEPTION_DAYS"))} days, {average} days per commune on average.")));
        }

        if (t.ReportingUnits("COMPLAINTS_RECEIVED") > 0)
        {
            var (received, resolved) = (t.Sum("COMPLAINTS_RECEIVED"), t.Sum("COMPLAINTS_RESOLVED"));
            _blocks.Add(ParagraphBlock.Of(T(
                $"Tiếp nhận {F.Number(received)} đơn thư khiếu nại, tố cáo, đã giải quyết {F.Number(resolved)} đơn, đạt tỷ lệ {F.Ratio(resolved, received, "đơn thư", KpiThreshold(Complaints))}{KpiClause(Complaints)}.",
                $"{F.Number(received)} complaints and denunciations received, {F.Number(resolved)} resolved, {F.Ratio(resolved, received, "complaints", KpiThreshold(Complaints))}{KpiClause(Complaints)}.")));
        }

        // The teams and the cases are separate figures: a province whose units report the cases (what the mediation rate
        // reads) but not the teams still has its cases, settled and rate restated here, under the heading that names them.
        var (teams, cases) = (t.ReportingUnits("MEDIATION_TEAMS") > 0, t.ReportingUnits("MEDIATION_CASES") > 0);
        var mediation = new List<string>();
        if (teams)
        {
            mediation.Add(T(
                $"Công tác hòa giải ở cơ sở được quan tâm, toàn {Area} có {F.Number(t.Sum("MEDIATION_TEAMS"))} tổ hòa giải với {F.Number(t.Sum("MEDIATORS"))} thành viên.",
                $"{AreaName} has {F.Number(t.Sum("MEDIATION_TEAMS"))} mediation teams with {F.Number(t.Sum("MEDIATORS"))} members."));
        }

        if (cases)
        {
            var (received, settled) = (t.Sum("MEDIATION_CASES"), t.Sum("MEDIATION_SUCCESSES"));
            mediation.Add(T(
                $"{(teams ? "Trong kỳ" : "Về hòa giải ở cơ sở, trong kỳ")} tiếp nhận {F.Number(received)} vụ việc, đã hòa giải thành {F.Number(settled)} vụ, đạt tỷ lệ {F.Ratio(settled, received, "vụ việc", KpiThreshold(Mediation))}{KpiClause(Mediation)}.",
                $"{(teams ? "" : "Grassroots mediation: ")}{F.Number(received)} cases were received in the period and {F.Number(settled)} settled, {F.Ratio(settled, received, "cases", KpiThreshold(Mediation))}{KpiClause(Mediation)}."));
        }

        if (mediation.Count > 0)
            _blocks.Add(ParagraphBlock.Of(string.Join(" ", mediation)));

        foreach (var tag in new[] { Complaints, Mediation })
        {
            if (Tagged(tag) is { Current.Status: AreaStatus.Short or AreaStatus.Met } standing && O.PartsOf(standing.Current.TargetCode).Any(c => c.Status == AreaStatus.Short))
                ChildChart(standing);
        }
    }

    /// <summary>The threshold the KPI clause states beside a summed ratio: the figure is kept on its side of it.</summary>
    private Threshold? KpiThreshold(string tag) => Tagged(tag)?.Current.Threshold;

    private string KpiClause(string tag) => Tagged(tag) is { } s
        ? T($" (yêu cầu {_w.Threshold(s.Current)}: {_w.Status(s.Current.Status).ToLowerInvariant()})", $" (target {_w.Threshold(s.Current)}: {_w.Status(s.Current.Status).ToLowerInvariant()})")
        : "";

    private void Shortfalls()
    {
        _blocks.Add(new HeadingBlock(2, T("7. Cơ sở, địa bàn chưa đạt chỉ tiêu", "7. Units and areas that fall short")));
        if (O.UnitsNotReported is { } silent)
        {
            _blocks.Add(ParagraphBlock.Of(T(
                $"Có {F.Number(silent)}/{F.Number(O.UnitsExpected ?? 0)} cơ sở chưa báo cáo đầy đủ số liệu {Period} (hạn báo cáo ngày {F.Date(O.Period.Deadline)}); thiếu số liệu được tính là chưa đạt.",
                $"{F.Number(silent)} of {F.Number(O.UnitsExpected ?? 0)} units did not report every figure for {Period} (due {F.Date(O.Period.Deadline)}); missing data counts as not met.")));
        }

        if (data.Completeness is { Totals.Expected: > 0 } completeness)
        {
            var t = completeness.Totals;
            _blocks.Add(ParagraphBlock.Of(T(
                $"Tỷ lệ báo cáo: {F.Number(t.Complete)}/{F.Number(t.Expected)} cơ sở đã báo cáo đủ số liệu ({F.Percent(t.Complete, t.Expected)}), trong đó {F.Number(t.OnTime)} đúng hạn, {F.Number(t.Late)} muộn; {F.Number(t.Partial)} cơ sở báo cáo còn thiếu, {F.Number(t.Missing)} cơ sở chưa báo cáo (chi tiết theo địa bàn tại Phụ lục 4).",
                $"Reporting rate: {F.Number(t.Complete)} of {F.Number(t.Expected)} units reported in full ({F.Percent(t.Complete, t.Expected)}), {F.Number(t.OnTime)} on time and {F.Number(t.Late)} late; {F.Number(t.Partial)} reported in part, {F.Number(t.Missing)} not at all (per area in Appendix 4).")));
        }

        var byTarget = data.FlaggedUnits.GroupBy(f => f.Finding.TargetCode).ToDictionary(g => g.Key, g => g.Count());
        foreach (var standing in WithShortfalls())
        {
            var c = standing.Current;
            var shortAreas = ShortAreas(c);
            var units = byTarget.GetValueOrDefault(c.TargetCode);
            // The area's own standing is said where it is not "short": the target is named for what falls short under it.
            var standingNote = c.Status == AreaStatus.Short ? "" : $": {_w.Status(c.Status).ToLowerInvariant()}";
            var unitsShort = c.JudgesUnits ? T($"; {F.Number(ReportedShort(c))} cơ sở chưa đạt", $"; {_w.Count(ReportedShort(c), "unit", "units")} short") : "";
            var notReported = c.JudgesUnits && c.MissingUnits > 0 ? T($", {F.Number(c.MissingUnits)} cơ sở chưa báo cáo", $", {_w.Count(c.MissingUnits, "unit", "units")} not reported") : "";
            _blocks.Add(new ParagraphBlock([
                new TextRun($"{_w.TargetPhrase(c)}: ", Bold: true),
                new TextRun(T(
                    $"{_w.Ratio(c)} (yêu cầu {_w.Threshold(c)}{standingNote}){unitsShort}{notReported}" + (shortAreas.Count > 0 ? $"; {F.Number(shortAreas.Count)} địa bàn chưa đạt: {string.Join(", ", shortAreas)}." : "."),
                    $"{_w.Ratio(c)} (target {_w.Threshold(c)}{standingNote}){unitsShort}{notReported}" + (shortAreas.Count > 0 ? $"; {_w.Count(shortAreas.Count, "area", "areas")} short: {string.Join(", ", shortAreas)}." : "."))),
                new TextRun(GapSentence(c)),
                new TextRun(units > 0 ? T($" Danh sách {F.Number(units)} cơ sở tại Phụ lục 3.", units == 1 ? " The unit is listed in Appendix 3." : $" The {F.Number(units)} units are listed in Appendix 3.") : ""),
            ], ParagraphKind.Bullet));
            if (shortAreas.Count > 0 && c.Status == AreaStatus.Short)
                ChildChart(standing);
        }
    }

    /// <summary>
    /// The targets I.7 and III name: short in the area, or with units or child areas short under it (a target not yet
    /// judged in the province for want of reports, or met in the province, can fall short in its districts). The counts
    /// are the appendix's (appendix 1's rows of the area and its child areas).
    /// </summary>
    private IEnumerable<TargetStanding> WithShortfalls() => O.Targets.Where(t => t.Current.TargetCode != ReportingTarget.Code
        && (t.Current.Status == AreaStatus.Short || (t.Current.JudgesUnits && ReportedShort(t.Current) > 0) || ShortAreas(t.Current).Count > 0));

    /// <summary>The units that reported and fall short: appendix 1's "Thuộc diện" less "Đạt" less "Chưa báo cáo" (those not reported are counted apart).</summary>
    private static int ReportedShort(ComplianceRow c) => c.PopulationUnits - c.MetUnits - c.MissingUnits;

    /// <summary>How far the area is from the target ("cần thêm 1 doanh nghiệp ký thỏa ước…"), from its finding's evidence; empty when there is no gap.</summary>
    private string GapSentence(ComplianceRow c) =>
        data.AreaFinding(c.TargetCode) is { } f && FindingExplanation.GapWords(f, language == ReportLanguage.Vi) is { } words
            ? T($" Để đạt chỉ tiêu: {words}.", $" To meet the target: {words}.")
            : "";

    private List<string> ShortAreas(ComplianceRow c) =>
        O.ChildrenOf(c.TargetCode).Where(r => r.Status == AreaStatus.Short).Select(r => language == ReportLanguage.En ? ReportWording.EnglishPlace(r.AreaName) : ReportWording.InText(r.AreaName)).ToList();

    private void Assessment()
    {
        var met = O.Targets.Where(t => t.Current.Status == AreaStatus.Met).Select(t => _w.TargetName(t.Current)).ToList();
        var shortOf = O.Targets.Where(t => t.Current.Status == AreaStatus.Short).Select(t => _w.TargetName(t.Current)).ToList();
        var incomplete = O.Targets.Where(t => t.Current.Status == AreaStatus.Incomplete).Select(t => _w.TargetName(t.Current)).ToList();
        _blocks.Add(new HeadingBlock(2, T("1. Ưu điểm", "1. Strengths")));
        if (met.Count > 0)
            _blocks.Add(ParagraphBlock.Of(T($"Các chỉ tiêu đã đạt: {string.Join("; ", met)}.", $"Targets met: {string.Join("; ", met)}.")));
        Placeholder(T("Ban Chỉ đạo đánh giá những kết quả nổi bật, chuyển biến về nhận thức và hành động.", "The committee assesses the main achievements."));
        _blocks.Add(new HeadingBlock(2, T("2. Hạn chế, khuyết điểm", "2. Shortcomings")));
        if (shortOf.Count > 0)
            _blocks.Add(ParagraphBlock.Of(T($"Các chỉ tiêu chưa đạt: {string.Join("; ", shortOf)} (chi tiết tại mục I.7 và Phụ lục).", $"Targets short: {string.Join("; ", shortOf)} (see I.7 and the appendix).")));
        if (incomplete.Count > 0)
            _blocks.Add(ParagraphBlock.Of(T($"Chưa đủ số liệu để đánh giá (còn cơ sở chưa báo cáo): {string.Join("; ", incomplete)}.",
                $"Not enough data to judge (units have not reported): {string.Join("; ", incomplete)}.")));
        Placeholder(T("Ban Chỉ đạo nêu các hạn chế, khuyết điểm.", "The committee states the shortcomings."));
        _blocks.Add(new HeadingBlock(2, T("3. Nguyên nhân", "3. Causes")));
        Placeholder(T("Ban Chỉ đạo phân tích nguyên nhân khách quan, chủ quan của hạn chế.", "The committee analyses the causes."));
        _blocks.Add(new HeadingBlock(2, T("4. Bài học kinh nghiệm", "4. Lessons learnt")));
        Placeholder(T("Ban Chỉ đạo rút ra các bài học kinh nghiệm trong lãnh đạo, chỉ đạo thực hiện quy chế dân chủ ở cơ sở.", "The committee draws its lessons."));
    }

    private void Tasks()
    {
        var next = NextDeadline();
        var number = 0;
        foreach (var standing in WithShortfalls())
        {
            var c = standing.Current;
            var shortAreas = ShortAreas(c);
            var focus = shortAreas.Count > 0 ? T($", tập trung ở {string.Join(", ", shortAreas)}", $", above all in {string.Join(", ", shortAreas)}") : "";
            number++;
            _blocks.Add(ParagraphBlock.Of(c.JudgesUnits && ReportedShort(c) > 0
                ? T($"{number}. Chỉ đạo {F.Number(ReportedShort(c))} cơ sở chưa đạt {_w.TargetPhrase(c, inSentence: true)} khắc phục{focus}; báo cáo kết quả trước ngày {F.Date(next)}.",
                    $"{number}. Have the {_w.Count(ReportedShort(c), "unit", "units")} short of {_w.TargetName(c)} put it right{focus}; report by {F.Date(next)}.")
                : T($"{number}. Chỉ đạo nâng {_w.TargetPhrase(c, inSentence: true)} đạt yêu cầu {_w.Threshold(c)}{focus}; báo cáo kết quả trước ngày {F.Date(next)}.",
                    $"{number}. Raise {_w.TargetName(c)} to {_w.Threshold(c)}{focus}; report by {F.Date(next)}.")));
        }

        if (O.UnitsNotReported is > 0 and var silent)
        {
            number++;
            _blocks.Add(ParagraphBlock.Of(T(
                $"{number}. Đôn đốc {F.Number(silent)} cơ sở chưa báo cáo đầy đủ số liệu {Period} hoàn thành việc báo cáo; báo cáo {_w.NextPeriodName(O.Period)} đúng hạn ({F.Date(next)}).",
                $"{number}. Have the {_w.Count(silent, "unit", "units")} that did not report for {Period} complete their figures; report {_w.NextPeriodName(O.Period)} by {F.Date(next)}.")));
        }

        foreach (var (vi, en) in new[]
                 {
                     ("Tiếp tục quán triệt, tuyên truyền sâu rộng các văn bản về thực hiện dân chủ ở cơ sở; thực hiện thực chất, tránh hình thức.",
                         "Keep disseminating the texts on grassroots democracy; implement them in substance, not in form."),
                     ("Tăng cường đối thoại, tiếp công dân; giải quyết dứt điểm đơn thư khiếu nại, tố cáo ngay từ cơ sở, không để khiếu kiện đông người, vượt cấp.",
                         "Hold more dialogues and citizen receptions; resolve complaints at the grassroots."),
                     ("Kiện toàn Ban Chỉ đạo các cấp; tăng cường kiểm tra, giám sát việc thực hiện quy chế dân chủ ở cơ sở.",
                         "Complete the steering committees at every level; inspect and supervise the implementation."),
                 })
        {
            number++;
            _blocks.Add(ParagraphBlock.Of(T($"{number}. {vi}", $"{number}. {en}")));
        }

        Placeholder(T("Ban Chỉ đạo bổ sung các nhiệm vụ trọng tâm khác.", "The committee adds its other priorities."));
    }

    /// <summary>When the next period's reports are due: the deadline the tasks point to.</summary>
    private DateOnly NextDeadline()
    {
        var p = O.Period;
        var gap = p.Deadline.DayNumber - p.End.DayNumber;
        var nextEnd = p.Type switch
        {
            PeriodType.Year => p.End.AddYears(1),
            PeriodType.HalfYear => p.End.AddDays(1).AddMonths(6).AddDays(-1),
            _ => p.End.AddDays(1).AddMonths(3).AddDays(-1),
        };
        return nextEnd.AddDays(gap);
    }
    private void Appendix()
    {
        _blocks.Add(new PageBreakBlock());
        _blocks.Add(new HeadingBlock(1, T("PHỤ LỤC", "APPENDIX")));
        _blocks.Add(new HeadingBlock(2, T("Phụ lục 1. Kết quả thực hiện các chỉ tiêu theo địa bàn", "Appendix 1. Results per target and area")));
        var index = 0;
        foreach (var standing in O.Targets)
        {
            var c = standing.Current;
            var rows = O.PartsOf(c.TargetCode).Select(r => AppendixRow(r, _w.RowName(r), total: false)).ToList();
            rows.Add(AppendixRow(c, T($"Toàn {Area}", $"All of {AreaName}"), total: true));
            _blocks.Add(new TableBlock($"appendix:{c.TargetCode}", $"{T("Phụ lục", "Appendix")} 1.{++index}. {_w.TargetName(c)} ({c.TargetCode}): {_w.TargetText(c)}",
            [
                new(T("Địa bàn", "Area"), Weight: 9), new(T("Thuộc diện", "Units"), Align.Right, 4), new(T("Đạt", "Met"), Align.Right, 4),
                new(T("Chưa báo cáo", "Not reported"), Align.Right, 4), new(T("Giá trị", "Value"), Align.Right, 4), new(T("Mẫu số", "Denominator"), Align.Right, 4),
                new(T("Chỉ tiêu", "Target"), Align.Right, 4), new(T("Tỷ lệ", "Share"), Align.Right, 4), new(T("Đánh giá", "Status"), Align.Center, 6),
            ], rows));
        }

        _blocks.Add(new HeadingBlock(2, T("Phụ lục 2. Số liệu tổng hợp theo địa bàn", "Appendix 2. Summed figures per area")));
        FiguresTable("figures:dissemination", T("Phụ lục 2.1. Tuyên truyền, đối thoại và phong trào \"Dân vận khéo\"", "Appendix 2.1. Dissemination, dialogue and \"Dân vận khéo\""),
        [
            ("PROPAGANDA_SESSIONS", T("Cuộc tuyên truyền", "Sessions")), ("PROPAGANDA_ATTENDEES", T("Lượt người dự", "Attendances")),
            ("DIALOGUE_CONFERENCES", T("Hội nghị đối thoại", "Dialogues")), ("MODELS_REGISTERED", T("Mô hình đăng ký", "Models registered")),
            ("MODELS_RECOGNISED", T("Được công nhận", "Recognised")), ("MODELS_EXEMPLARY", T("Điển hình", "Exemplary")),
        ]);
        FiguresTable("figures:supervision", T("Phụ lục 2.2. Giám sát, tiếp công dân, khiếu nại, tố cáo", "Appendix 2.2. Supervision, citizen reception, complaints"),
        [
            ("INSPECTION_SUPERVISIONS", T("Giám sát của Ban TTND", "Inspection board supervisions")), ("INVESTMENT_SUPERVISIONS", T("Giám sát đầu tư cộng đồng", "Investment supervisions")),
            ("CITIZEN_RECEPTION_DAYS", T("Ngày tiếp dân", "Reception days")), ("COMPLAINTS_RECEIVED", T("Đơn thư tiếp nhận", "Complaints received")),
            ("COMPLAINTS_RESOLVED", T("Đã giải quyết", "Resolved")), ("NEW_RURAL_STANDARD", T("Xã đạt chuẩn NTM", "New-rural communes")),
        ]);
        FiguresTable("figures:mediation", T("Phụ lục 2.3. Hòa giải ở cơ sở", "Appendix 2.3. Mediation"),
        [
            ("MEDIATION_TEAMS", T("Tổ hòa giải", "Teams")), ("MEDIATORS", T("Hòa giải viên", "Mediators")),
            ("MEDIATION_CASES", T("Vụ việc tiếp nhận", "Cases")), ("MEDIATION_SUCCESSES", T("Hòa giải thành", "Settled")),
        ], rate: ("MEDIATION_SUCCESSES", "MEDIATION_CASES"));

        _blocks.Add(new HeadingBlock(2, T("Phụ lục 3. Danh sách cơ sở chưa đạt chỉ tiêu", "Appendix 3. Units that fall short")));
        var listed = data.FlaggedUnits.Take(_options.MaxUnitsListed).ToList();
        if (listed.Count < data.FlaggedUnits.Count)
        {
            _blocks.Add(ParagraphBlock.Of(T(
                $"Liệt kê {F.Number(listed.Count)}/{F.Number(data.FlaggedUnits.Count)} cơ sở đầu tiên; danh sách đầy đủ trong tệp Excel kèm theo.",
                $"The first {F.Number(listed.Count)} of {F.Number(data.FlaggedUnits.Count)} units; the full list is in the accompanying Excel file."), ParagraphKind.Note));
        }

        _blocks.Add(new TableBlock("flagged", T($"Cơ sở chưa đạt chỉ tiêu, {Period}", $"Units short in {Period}"),
        [
            new(T("Chỉ tiêu", "Target"), Weight: 4), new(T("Tên cơ sở", "Name"), Weight: 6), new(T("Mã cơ sở", "Code"), Weight: 4), new(T("Địa bàn", "Area"), Weight: 6),
            new(T("Kết quả", "Measured"), Align.Right, 3), new(T("Yêu cầu", "Required"), Align.Right, 3), new(T("Tình trạng", "State"), Weight: 3),
        ], listed.Select(u => new ReportRow([
            ShortLabel(_w.TargetName(data.Setting(u.Finding.TargetCode), u.Finding.TargetCode)), u.Finding.SubjectName, u.Finding.SubjectCode, u.AreaPath,
            _w.Measured(u.Finding, data.Setting(u.Finding.TargetCode)), _w.Required(u.Finding, data.Setting(u.Finding.TargetCode)), _w.State(u.Finding.State),
        ])).ToList()));

        CompletenessAppendix();
        TrendAppendix();
        WhatIfAppendix();
    }

    /// <summary>Appendix 4: who has reported, per child area and in total (expected, complete, on time, late, partial, missing, rate).</summary>
    private void CompletenessAppendix()
    {
        if (data.Completeness is not { } c)
            return;
        _blocks.Add(new HeadingBlock(2, T("Phụ lục 4. Tình hình báo cáo số liệu theo địa bàn", "Appendix 4. Reporting per area")));
        var rows = c.Children.Select(a => Row(a, a.AreaName, false)).ToList();
        if (c.OwnUnits is { } own)
            rows.Add(Row(own, _w.OwnUnitsName(O.Area.Name), false));
        rows.Add(Row(c.Totals, T($"Toàn {Area}", $"All of {AreaName}"), true));
        _blocks.Add(new TableBlock("completeness", T($"Tình hình báo cáo số liệu {Period} (hạn báo cáo ngày {F.Date(c.Deadline)})", $"Reporting for {Period} (due {F.Date(c.Deadline)})"),
        [
            new(T("Địa bàn", "Area"), Weight: 6), new(T("Phải báo cáo", "Expected"), Align.Right, 3), new(T("Đã báo cáo đủ", "Complete"), Align.Right, 3),
            new(T("Đúng hạn", "On time"), Align.Right, 3), new(T("Muộn", "Late"), Align.Right, 3), new(T("Còn thiếu", "Partial"), Align.Right, 3),
            new(T("Chưa báo cáo", "Missing"), Align.Right, 3), new(T("Tỷ lệ báo cáo", "Reporting rate"), Align.Right, 3),
        ], rows));

        ReportRow Row(Submissions.AreaSubmissions a, string name, bool total) => new([
            name, F.Number(a.Expected), F.Number(a.Complete), F.Number(a.OnTime), F.Number(a.Late), F.Number(a.Partial), F.Number(a.Missing),
            F.Percent(a.Complete, a.Expected),
        ], total);
    }

    /// <summary>The most periods a trend table prints side by side; the workbook holds them all.</summary>
    public const int TrendPeriodsShown = 6;

    /// <summary>Appendix 5: each target's share in every evaluated period of the report's kind since the first (a year report: the years).</summary>
    private void TrendAppendix()
    {
        var periods = data.Trends.SelectMany(t => t.Points).Where(p => p.Type == O.Period.Type && string.CompareOrdinal(p.Period, O.Period.Code) <= 0)
            .Select(p => p.Period).Distinct().Order(StringComparer.Ordinal).ToList();
        if (periods.Count == 0)
            return;
        var shown = periods.TakeLast(TrendPeriodsShown).ToList();
        _blocks.Add(new HeadingBlock(2, T("Phụ lục 5. Diễn biến các chỉ tiêu qua các kỳ", "Appendix 5. The targets over the periods")));
        if (shown.Count < periods.Count)
        {
            _blocks.Add(ParagraphBlock.Of(T($"In {shown.Count} kỳ gần nhất trong {periods.Count} kỳ đã đánh giá; đủ các kỳ trong tệp Excel kèm theo.",
                $"The latest {shown.Count} of {periods.Count} evaluated periods; all of them are in the accompanying Excel file."), ParagraphKind.Note));
        }

        var columns = new List<TableColumn> { new(T("Chỉ tiêu", "Target"), Weight: 6), new(T("Yêu cầu", "Required"), Align.Right, 3) };
        columns.AddRange(shown.Select(p => new TableColumn(ReportWording.Capitalised(_w.PeriodName(PeriodOf(p))), Align.Right, 3)));
        columns.Add(new TableColumn(T("So với kỳ trước (điểm %)", "Against the previous period (points)"), Align.Right, 3));
        columns.Add(new TableColumn(T("So với cùng kỳ (điểm %)", "Against the same period last year (points)"), Align.Right, 3));
        var rows = new List<ReportRow>();
        foreach (var standing in O.Targets)
        {
            var trend = data.Trends.FirstOrDefault(t => t.Target == standing.Current.TargetCode);
            var points = trend?.Points.Where(p => p.Type == O.Period.Type).ToDictionary(p => p.Period) ?? [];
            var now = points.GetValueOrDefault(O.Period.Code);
            var cells = new List<string> { _w.TargetName(standing.Current), _w.Threshold(standing.Current) };
            cells.AddRange(shown.Select(p => points.GetValueOrDefault(p) is { Denominator: > 0 } point ? F.Percent(point.Numerator, point.Denominator, point.Threshold) : "–"));
            cells.Add(now?.ChangeFromPreviousPeriod is { } previous ? F.Change(previous) : "–");
            cells.Add(now?.ChangeFromSamePeriodLastYear is { } lastYear ? F.Change(lastYear) : "–");
            rows.Add(new ReportRow(cells));
        }

        _blocks.Add(new TableBlock("trend", T($"Tỷ lệ đạt của từng chỉ tiêu tại {Area} qua các kỳ", $"Share met of each target in {AreaName} over the periods"), columns, rows));
        MergersNote(shown);
    }

    /// <summary>Appendix 6 (when asked): what the proposed targets would have meant for this period, area by area.</summary>
    private void WhatIfAppendix()
    {
        if (data.WhatIf is not { } w)
            return;
        _blocks.Add(new HeadingBlock(2, T($"Phụ lục 6. Nếu áp dụng bộ chỉ tiêu đề xuất cho {Period}", $"Appendix 6. Had the proposed targets applied to {Period}")));
        // Units, not results: a unit short of two targets is one unit in difficulty; one that did not report for a set over
        // areas only is counted too (the what-if's own count, its areas' "missing"), where the unit rows alone said 0.
        var unitsShort = w.UnitsShortOrNotReported;
        _blocks.Add(ParagraphBlock.Of(T(
            $"Đánh giá thử bộ chỉ tiêu đề xuất theo {w.SetName} ({w.Targets.Count} chỉ tiêu) trên số liệu {Period} đã lưu, bằng đúng các quy tắc đánh giá; không lưu kết quả. "
            + $"{F.Number(w.Changed)} kết quả sẽ thay đổi; cơ sở chưa đạt hoặc chưa báo cáo: hiện nay {F.Number(unitsShort.Now)}, theo đề xuất {F.Number(unitsShort.Proposed)}.",
            $"The proposed target set of {w.SetName} ({w.Set}, {w.Targets.Count} targets) evaluated on the stored figures of {Period} with the same rules; nothing stored. "
            + $"{_w.Count(w.Changed, "standing", "standings")} would change; units short or not reported: {F.Number(unitsShort.Now)} now, {F.Number(unitsShort.Proposed)} proposed.")));
        // The page's words (ReportWording): the target as the note on changed thresholds names it.
        foreach (var a in w.Added)
            _blocks.Add(ParagraphBlock.Of(_w.TargetAdded(w, a)));
        foreach (var d in w.Dropped)
            _blocks.Add(ParagraphBlock.Of(_w.TargetDropped(w, d)));

        if (_w.AsIfInForce(w, Period) is { } asIf)
            _blocks.Add(ParagraphBlock.Of(asIf));
        var shown = O.Children.Select(c => c.AreaCode).Append(O.Area.Code).ToHashSet(StringComparer.Ordinal);
        var index = 0;
        foreach (var code in w.Targets)
        {
            var setting = w.Settings.GetValueOrDefault(code);
            var (now, proposed) = w.Thresholds.GetValueOrDefault(code);
            // A count target's least count per unit, as the what-if page says it beside the threshold: a proposal may change only that.
            var (minimumNow, minimumProposed) = w.Minimums.GetValueOrDefault(code);
            var (added, dropped) = (w.Added.Any(a => a.Target == code), w.Dropped.Any(d => d.Target == code));
            var rows = w.Rows.Where(r => r.Target == code && r.SubjectType == SubjectType.Area && shown.Contains(r.SubjectCode))
                .OrderBy(r => r.SubjectCode == O.Area.Code).ThenBy(r => r.SubjectCode, StringComparer.Ordinal)
                .Select(r => new ReportRow([
                    r.SubjectCode == O.Area.Code ? T($"Toàn {Area}", $"All of {AreaName}") : r.SubjectName,
                    Share(r.NowFigures), added ? T("chưa có chỉ tiêu này", "not in the current set") : _w.Standing(r.Now),
                    Share(r.ProposedFigures), _w.Standing(r.Proposed), r.ProposedGapShown is { } gap ? F.Number(gap) : "–",
                ], r.SubjectCode == O.Area.Code)).ToList();
            // The area's own units, before its total (as appendix 1's tables), so that the rows add up to it.
            if (w.OwnUnits.FirstOrDefault(o => o.Target == code && o.SubjectCode == O.Area.Code) is { } own
                && w.Rows.Any(r => r.Target == code && r.SubjectType == SubjectType.Area && r.SubjectCode == O.Area.Code))
            {
                rows.Insert(rows.Count - 1, new ReportRow([
                    _w.OwnUnitsName(O.Area.Name), Share(own.NowFigures), added ? T("chưa có chỉ tiêu này", "not in the current set") : _w.Standing(own.Now),
                    Share(own.ProposedFigures), _w.Standing(own.Proposed), own.ProposedGapShown is { } g ? F.Number(g) : "–",
                ], false));
            }

            if (rows.Count == 0)
                continue;
            _blocks.Add(new TableBlock($"whatif:{code}",
                $"{T("Phụ lục", "Appendix")} 6.{++index}. {_w.TargetName(setting, code)}: {T("yêu cầu hiện nay", "threshold now")} {(added ? T("chưa có chỉ tiêu này", "not in the current set") : ThresholdText(now) + Least(minimumNow))}; {T("đề xuất", "proposed")} {(dropped ? T("bỏ chỉ tiêu này", "dropped") : ThresholdText(proposed) + Least(minimumProposed))}",
            [
                new(T("Địa bàn", "Area"), Weight: 6), new(T("Tỷ lệ hiện nay", "Share now"), Align.Right, 3), new(T("Đánh giá hiện nay", "Now"), Align.Center, 4),
                new(T("Tỷ lệ theo đề xuất", "Share proposed"), Align.Right, 3), new(T("Đánh giá theo đề xuất", "Proposed"), Align.Center, 4),
                new(T("Cần thêm", "Gap"), Align.Right, 2),
            ], rows));
        }

        string Share(WhatIfFigures? f) => f is { Denominator: > 0 } ? F.Percent(f.Numerator ?? 0, f.Denominator.Value, f.Threshold) : "–";
        string ThresholdText(Threshold? t) => t is { } x ? F.Threshold(x.Operator, x.Millionths) : T("không áp dụng", "not in force");
        string Least(long? minimum) => minimum is { } least ? _w.EachUnitAtLeast(least) : "";
    }

    private ReportRow AppendixRow(ComplianceRow r, string name, bool total) => new([
        name, F.Number(r.PopulationUnits), F.Number(r.MetUnits), F.Number(r.MissingUnits), F.Number(r.Numerator), F.Number(r.Denominator),
        _w.Threshold(r), F.Percent(r.Numerator, r.Denominator, r.Threshold), _w.RowStatus(r),
    ], total);

    private void FiguresTable(string id, string caption, IReadOnlyList<(string Indicator, string Header)> columns, (string Numerator, string Denominator)? rate = null)
    {
        var header = new List<TableColumn> { new(T("Địa bàn", "Area"), Weight: 3) };
        header.AddRange(columns.Select(c => new TableColumn(c.Header, Align.Right)));
        if (rate is not null)
            header.Add(new TableColumn(T("Tỷ lệ", "Rate"), Align.Right));
        var rows = data.ChildFigures.Select(f => Row(f, f.AreaName, false)).ToList();
        if (data.OwnFigures is { } own)
            rows.Add(Row(own, _w.OwnUnitsName(O.Area.Name), false));
        rows.Add(Row(data.Totals, T($"Toàn {Area}", $"All of {AreaName}"), true));
        _blocks.Add(new TableBlock(id, caption, header, rows));

        ReportRow Row(AreaFigures f, string name, bool total)
        {
            var cells = new List<string> { name };
            cells.AddRange(columns.Select(c => f.ReportingUnits(c.Indicator) > 0 ? F.Number(f.Sum(c.Indicator)) : "–"));
            if (rate is { } r)
                cells.Add(F.Percent(f.Sum(r.Numerator), f.Sum(r.Denominator)));
            return new ReportRow(cells, total);
        }
    }

    private void ChildChart(TargetStanding standing)
    {
        var c = standing.Current;
        var children = O.PartsOf(c.TargetCode).Where(r => r.Denominator > 0).ToList();
        if (children.Count == 0)
            return;
        Chart($"areas:{c.TargetCode}", T($"{_w.TargetPhrase(c)}: tỷ lệ đạt theo địa bàn, {Period} (yêu cầu {_w.Threshold(c)})", $"{_w.TargetName(c)}: share met per area, {Period} (target {_w.Threshold(c)})"),
            children.Select(r => new ChartBar(_w.ChartName(r), (double)(TargetStanding.PercentOf(r) ?? 0), r.Status, F.Percent(r.Numerator, r.Denominator, r.Threshold))).ToList(),
            c.ThresholdRecorded ? (double)(c.ThresholdMillionths * 100m / Threshold.One) : null, _w.Threshold(c));
    }

    private void Chart(string id, string title, IReadOnlyList<ChartBar> bars, double? threshold, string? thresholdText)
    {
        _charts++;
        var spec = new ChartSpec(title, T("Tỷ lệ đạt (%)", "Share met (%)"), bars, threshold, thresholdText);
        _blocks.Add(new ChartBlock(id, $"{T("Biểu đồ", "Chart")} {_charts}. {title}", spec));
        // What the colours say, under the first chart (the others use the same).
        if (_charts == 1)
        {
            _blocks.Add(ParagraphBlock.Of(T(
                "Màu của cột: xanh lá – đạt; đỏ – chưa đạt; nâu – chưa đủ số liệu để đánh giá; xám – không áp dụng. Vạch sẫm màu: mức yêu cầu.",
                "Bar colours: green – met; red – short; brown – not enough data to judge; grey – not applicable. The dark mark: the required level."), ParagraphKind.Note));
        }
    }

    private void Placeholder(string text) => _blocks.Add(ParagraphBlock.Of($"[{text}]", ParagraphKind.Placeholder));

    // The narrative speaks of a figure through the target its set tags for it, whatever its code: a province's own set
    // reusing the ratio under its own code, with the tag, is told the same way.
    private const string Informed = "dissemination", Complaints = "complaints", Mediation = "mediation";

    /// <summary>The first target in force that carries this tag (a measured one before one not applicable).</summary>
    private TargetStanding? Tagged(string tag) =>
        O.Targets.Where(t => t.Current.Tags.Contains(tag)).OrderBy(t => t.Current.Status == AreaStatus.NotApplicable).FirstOrDefault();
}
