using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Findings;

namespace QcdcCompliance.Reports;

/// <summary>Settings of the review report (section <c>Reports</c>).</summary>
public sealed class ReviewReportOptions
{
    /// <summary>Flagged units listed in the DOCX and HTML appendix; the XLSX always lists every one.</summary>
    public int MaxUnitsListed { get; set; } = 500;
}

/// <summary>
/// Writes a review report in the structure of a sơ kết / tổng kết report of a steering committee: leadership and
/// direction, dissemination, results by kind of unit against each target, "Dân vận khéo" models, citizen reception,
/// complaints and mediation, the committee's assessment (to be written), tasks for the next period, and the appendix
/// tables per target and area. Every figure comes from <see cref="ReviewReportData"/>.
/// </summary>
public sealed class ReviewReportComposer(ReviewReportData data, ReportLanguage language, ReviewReportOptions? options = null)
{
    private readonly ReportWording _w = ReportWording.For(language);
    private readonly List<Block> _blocks = [];
    private readonly ReviewReportOptions _options = options ?? new ReviewReportOptions();
    private int _charts;

    private DisplayFormat F => _w.Format;
    private AreaOverview O => data.Overview;
    private string AreaName => O.Area.Name;

    public static ReportDocument Compose(ReviewReportData data, ReportLanguage language, ReviewReportOptions? options = null) =>
        new ReviewReportComposer(data, language, options).Compose();

    public static string TitleOf(Period period, ReportWording w) => period.Type == PeriodType.Year
        ? w.T($"Tổng kết thực hiện quy chế dân chủ ở cơ sở {w.PeriodName(period)} và phương hướng, nhiệm vụ {w.NextPeriodName(period)}",
            $"Review of grassroots democracy in {w.PeriodName(period)} and tasks for {w.NextPeriodName(period)}")
        : w.T($"Sơ kết thực hiện quy chế dân chủ ở cơ sở {w.PeriodName(period)} và phương hướng, nhiệm vụ {w.NextPeriodName(period)}",
            $"Review of grassroots democracy in {w.PeriodName(period)} and tasks for {w.NextPeriodName(period)}");

    private string T(string vi, string en) => _w.T(vi, en);

    public ReportDocument Compose()
    {
        var title = TitleOf(O.Period, _w);
        Letterhead();
        _blocks.Add(new HeadingBlock(0, T("BÁO CÁO", "REPORT")));
        _blocks.Add(ParagraphBlock.Of(title, ParagraphKind.Centered));
        Source();

        _blocks.Add(new HeadingBlock(1, T($"I. KẾT QUẢ THỰC HIỆN {_w.PeriodName(O.Period).ToUpperInvariant()}", $"I. RESULTS IN {_w.PeriodName(O.Period).ToUpperInvariant()}")));
        Leadership();
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
        _blocks.Add(new SignatureBlock(
            [T("Nơi nhận:", "To:"), T("- Ban Chỉ đạo cấp trên;", "- the steering committee above;"), T("- Các thành viên Ban Chỉ đạo;", "- the members of the committee;"), T("- Lưu: VT.", "- file.")],
            [T("TM. BAN CHỈ ĐẠO", "FOR THE STEERING COMMITTEE"), T("TRƯỞNG BAN", "CHAIR"), T("(Ký, ghi rõ họ tên)", "(signature and full name)")]));

        Appendix();
        return new ReportDocument(language, title, _blocks);
    }

    private void Letterhead()
    {
        var day = DisplayFormat.LocalDay(new DateTimeOffset(data.GeneratedAtUtc, TimeSpan.Zero));
        _blocks.Add(new LetterheadBlock(
            [T("BAN CHỈ ĐẠO THỰC HIỆN", "STEERING COMMITTEE FOR"), T("QUY CHẾ DÂN CHỦ Ở CƠ SỞ", "GRASSROOTS DEMOCRACY"), AreaName.ToUpperInvariant()],
            T("Số: ……/BC-BCĐ", "No. ……/BC-BCĐ"),
            [T("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"), T("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness")],
            T($"{ReportWording.PlaceName(AreaName)}, ngày {day.Day:00} tháng {day.Month:00} năm {day.Year}",
                $"{ReportWording.PlaceName(AreaName)}, {F.Date(day)}")));
    }

    private void Source()
    {
        var run = O.LatestRun;
        var from = run is null
            ? T("chưa có lần đánh giá nào hoàn thành", "no completed evaluation")
            : T($"lần đánh giá #{run.Id} lúc {F.Time(run.FinishedAt ?? run.StartedAt)} (bộ quy tắc {run.RuleSetVersion[..Math.Min(12, run.RuleSetVersion.Length)]})",
                $"evaluation run #{run.Id} at {F.Time(run.FinishedAt ?? run.StartedAt)} (rule set {run.RuleSetVersion[..Math.Min(12, run.RuleSetVersion.Length)]})");
        _blocks.Add(ParagraphBlock.Of(T(
            $"Số liệu kỳ {O.Period.Code} ({F.Date(O.Period.Start)} – {F.Date(O.Period.End)}) của {F.Number(data.ActiveUnits)} cơ sở thuộc {AreaName}, tổng hợp từ {from}; báo cáo lập lúc {F.Time(data.GeneratedAtUtc)} (giờ Việt Nam).",
            $"Figures of period {O.Period.Code} ({F.Date(O.Period.Start)} – {F.Date(O.Period.End)}) for the {F.Number(data.ActiveUnits)} units of {AreaName}, from {from}; report generated at {F.Time(data.GeneratedAtUtc)} (Viet Nam time)."),
            ParagraphKind.Note));
        if (data.ValuesChangedSinceRun)
        {
            _blocks.Add(ParagraphBlock.Of(T(
                "Lưu ý: số liệu đã được nhập thêm hoặc sửa sau lần đánh giá trên; số liệu theo loại hình cơ sở tính theo số liệu hiện tại. Cần chạy lại đánh giá trước khi ban hành báo cáo.",
                "Note: values were imported or changed after that evaluation; the figures by kind of unit use the current values. Evaluate again before issuing this report."),
                ParagraphKind.Note));
        }
    }

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
                $"Thực hiện {string.Join("; ", directives.Select(r => r.Title))}, cấp ủy, chính quyền, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội trên địa bàn {AreaName} đã quan tâm lãnh đạo, chỉ đạo việc xây dựng và thực hiện quy chế dân chủ ở cơ sở.",
                $"Under {string.Join("; ", directives.Select(r => $"{r.Code} ({r.Issuer}, {F.Date(r.IssuedOn)})"))}, the party committees, authorities, the Fatherland Front and the mass organisations of {AreaName} directed the implementation of grassroots democracy.")));
        }

        var counts = data.Groups.SelectMany(g => g.Units).Where(kv => kv.Value > 0)
            .Select(kv => $"{F.Number(kv.Value)} {_w.KindName(kv.Key)}");
        var children = O.Children.Select(c => c.AreaId).Distinct().Count();
        var childLevel = O.Children.FirstOrDefault()?.AreaLevel;
        var targets = O.Targets.Where(t => t.Current.TargetCode != ReportingTarget.Code).ToList();
        var met = targets.Where(t => t.Current.Status == AreaStatus.Met).ToList();
        var where = childLevel is { } level ? T($" thuộc {F.Number(children)} {_w.ChildLevelName(level)}", $" in {F.Number(children)} {_w.ChildLevelName(level)}") : "";
        _blocks.Add(ParagraphBlock.Of(T(
            $"Ban Chỉ đạo theo dõi {F.Number(targets.Count)} chỉ tiêu đối với {F.Number(data.ActiveUnits)} cơ sở{where} ({string.Join(", ", counts)}). Đến hết kỳ, {AreaName} đạt {F.Number(met.Count)}/{F.Number(targets.Count)} chỉ tiêu.",
            $"The committee follows {F.Number(targets.Count)} targets over {F.Number(data.ActiveUnits)} units{where} ({string.Join(", ", counts)}). At the end of the period {AreaName} meets {F.Number(met.Count)} of {F.Number(targets.Count)} targets.")));
        Placeholder(T("Ban Chỉ đạo bổ sung: các văn bản lãnh đạo, chỉ đạo đã ban hành trong kỳ; việc kiện toàn Ban Chỉ đạo các cấp; công tác kiểm tra, giám sát.",
            "The committee adds: the directives issued in the period; changes to the committees; inspections and supervision."));
    }

    private void Dissemination()
    {
        _blocks.Add(new HeadingBlock(2, T("2. Công tác tuyên truyền, quán triệt", "2. Dissemination")));
        var t = data.Totals;
        if (t.ReportingUnits("PROPAGANDA_SESSIONS") > 0)
        {
            _blocks.Add(ParagraphBlock.Of(T(
                $"Các cấp, các ngành, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội đã tổ chức tuyên truyền được {F.Number(t.Sum("PROPAGANDA_SESSIONS"))} cuộc với {F.Number(t.Sum("PROPAGANDA_ATTENDEES"))} lượt người tham dự.",
                $"Propaganda: {F.Number(t.Sum("PROPAGANDA_SESSIONS"))} sessions with {F.Number(t.Sum("PROPAGANDA_ATTENDEES"))} attendances.")));
        }

        if (Standing("NQ02-3") is { } informed && informed.Current.Denominator > 0)
        {
            var c = informed.Current;
            _blocks.Add(ParagraphBlock.Of(T(
                $"Có {F.Number(c.Numerator)} trên tổng số {F.Number(c.Denominator)} cán bộ, đảng viên, công chức, viên chức, người lao động được quán triệt nội dung các văn bản về thực hiện quy chế dân chủ ở cơ sở, đạt {F.Percent(c.Numerator, c.Denominator)} (chỉ tiêu {_w.Threshold(c)}: {_w.Status(c.Status).ToLowerInvariant()}); {F.Number(c.MetUnits)}/{F.Number(c.PopulationUnits)} cơ sở quán triệt cho toàn bộ cán bộ, người lao động.",
                $"{F.Number(c.Numerator)} of {F.Number(c.Denominator)} cadres, party members, civil servants and workers were informed of the guidance, {F.Percent(c.Numerator, c.Denominator)} (target {_w.Threshold(c)}: {_w.Status(c.Status).ToLowerInvariant()}); {F.Number(c.MetUnits)} of {F.Number(c.PopulationUnits)} units informed all their people.")));
        }

        Placeholder(T("Ban Chỉ đạo bổ sung các hình thức tuyên truyền đã thực hiện.", "The committee adds the forms of dissemination used."));
    }

    private void ResultsByKind()
    {
        _blocks.Add(new HeadingBlock(2, T("3. Kết quả thực hiện các chỉ tiêu theo loại hình cơ sở", "3. Results by kind of unit against each target")));
        var measured = O.Targets.Where(t => t.Current.Denominator > 0).ToList();
        if (measured.Count > 0)
        {
            Chart("targets", T($"Tỷ lệ đạt các chỉ tiêu, {AreaName}, kỳ {O.Period.Code}", $"Share met per target, {AreaName}, {O.Period.Code}"),
                measured.Select(t => new ChartBar(t.Current.TargetCode, (double)(t.Percent ?? 0), t.Current.Status, F.Percent(t.Current.Numerator, t.Current.Denominator))).ToList(),
                null, null);
        }

        var number = 0;
        foreach (var group in data.Groups)
        {
            number++;
            _blocks.Add(new HeadingBlock(3, $"3.{number}. {_w.GroupName(group.Group)}"));
            var units = group.Units.Where(kv => kv.Value > 0).Select(kv => $"{F.Number(kv.Value)} {_w.KindName(kv.Key)}").ToList();
            _blocks.Add(ParagraphBlock.Of(units.Count > 0
                ? T($"Toàn {AreaName} có {string.Join(", ", units)} thuộc diện báo cáo trong kỳ.", $"{AreaName} has {string.Join(", ", units)} reporting in the period.")
                : T("Không có cơ sở thuộc loại hình này trong kỳ.", "No unit of this kind in the period.")));
            foreach (var target in group.Targets)
            {
                var c = target.Target.Current;
                var kinds = target.Kinds.Where(k => k.Population > 0).ToList();
                if (kinds.Count == 0)
                    continue;
                var parts = kinds.Select(k => T(
                    $"{F.Number(k.Met)}/{F.Number(k.Population)} {_w.KindName(k.Kind)} đạt ({F.Percent(k.Numerator, k.Denominator)})",
                    $"{F.Number(k.Met)} of {F.Number(k.Population)} {_w.KindName(k.Kind)} met ({F.Percent(k.Numerator, k.Denominator)})"));
                _blocks.Add(new ParagraphBlock([
                    new TextRun($"{c.TargetCode}: ", Bold: true),
                    new TextRun(_w.TargetText(c) + ". "),
                    new TextRun(T($"Kết quả: {string.Join("; ", parts)}", $"Result: {string.Join("; ", parts)}")),
                    new TextRun(kinds.Sum(k => k.Missing) is > 0 and var missing
                        ? T($"; {F.Number(missing)} cơ sở chưa báo cáo.", $"; {F.Number(missing)} unit(s) did not report.")
                        : "."),
                ], ParagraphKind.Bullet));
            }

            if (group.Targets.Count > 0)
                KindTable(group);
            if (group.Group == UnitGroup.Communes)
                CommuneFigures();
        }
    }

    private void KindTable(GroupResult group)
    {
        var rows = new List<ReportRow>();
        foreach (var target in group.Targets)
        {
            foreach (var k in target.Kinds.Where(k => k.Population > 0))
            {
                rows.Add(new ReportRow([
                    target.Target.Current.TargetCode, _w.KindName(k.Kind), F.Number(k.Population), F.Number(k.Met), F.Number(k.Short), F.Number(k.Missing),
                    F.Percent(k.Numerator, k.Denominator), _w.Threshold(target.Target.Current),
                ]));
            }
        }

        _blocks.Add(new TableBlock($"kinds:{group.Group}", T($"Kết quả theo loại hình: {_w.GroupName(group.Group).ToLowerInvariant()}", $"Results by kind: {_w.GroupName(group.Group).ToLowerInvariant()}"),
        [
            new(T("Chỉ tiêu", "Target"), Weight: 2), new(T("Loại hình", "Kind"), Weight: 3), new(T("Thuộc diện", "Units"), Align.Right), new(T("Đạt", "Met"), Align.Right),
            new(T("Chưa đạt", "Short"), Align.Right), new(T("Chưa báo cáo", "Not reported"), Align.Right), new(T("Tỷ lệ", "Share"), Align.Right),
            new(T("Yêu cầu", "Target"), Align.Right),
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
                $"Commune leaders held {F.Number(t.Sum("DIALOGUE_CONFERENCES"))} dialogue conferences with the people."));
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
        _blocks.Add(new HeadingBlock(2, T("4. Phong trào thi đua \"Dân vận khéo\"", "4. The \"Dân vận khéo\" (skilful mass mobilisation) movement")));
        var t = data.Totals;
        _blocks.Add(ParagraphBlock.Of(t.ReportingUnits("MODELS_REGISTERED") > 0
            ? T($"Toàn {AreaName} có {F.Number(t.Sum("MODELS_REGISTERED"))} mô hình \"Dân vận khéo\" đăng ký ở các lĩnh vực đời sống xã hội; {F.Number(t.Sum("MODELS_RECOGNISED"))} mô hình được công nhận, trong đó có {F.Number(t.Sum("MODELS_EXEMPLARY"))} mô hình điển hình, tiêu biểu.",
                $"{AreaName} registered {F.Number(t.Sum("MODELS_REGISTERED"))} \"Dân vận khéo\" models; {F.Number(t.Sum("MODELS_RECOGNISED"))} were recognised, {F.Number(t.Sum("MODELS_EXEMPLARY"))} of them exemplary.")
            : T("Chưa có số liệu về mô hình \"Dân vận khéo\" trong kỳ.", "No figures on \"Dân vận khéo\" models in the period.")));
        Placeholder(T("Ban Chỉ đạo nêu các mô hình điển hình, tiêu biểu.", "The committee names the exemplary models."));
    }

    private void ReceptionComplaintsMediation()
    {
        _blocks.Add(new HeadingBlock(2, T("5. Công tác tiếp công dân, giải quyết khiếu nại, tố cáo và hòa giải ở cơ sở", "5. Citizen reception, complaints and mediation")));
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
                $"Tiếp nhận {F.Number(received)} đơn thư khiếu nại, tố cáo, đã giải quyết {F.Number(resolved)} đơn, đạt {F.Percent(resolved, received)}{KpiClause("KPI-COMPLAINTS")}.",
                $"{F.Number(received)} complaints and denunciations received, {F.Number(resolved)} resolved, {F.Percent(resolved, received)}{KpiClause("KPI-COMPLAINTS")}.")));
        }

        if (t.ReportingUnits("MEDIATION_TEAMS") > 0)
        {
            var (cases, settled) = (t.Sum("MEDIATION_CASES"), t.Sum("MEDIATION_SUCCESSES"));
            _blocks.Add(ParagraphBlock.Of(T(
                $"Công tác hòa giải ở cơ sở được quan tâm, toàn {AreaName} có {F.Number(t.Sum("MEDIATION_TEAMS"))} tổ hòa giải với {F.Number(t.Sum("MEDIATORS"))} thành viên. Trong kỳ tiếp nhận {F.Number(cases)} vụ việc, đã hòa giải thành {F.Number(settled)} vụ, đạt {F.Percent(settled, cases, 0)}{KpiClause("KPI-MEDIATION")}.",
                $"{AreaName} has {F.Number(t.Sum("MEDIATION_TEAMS"))} mediation teams with {F.Number(t.Sum("MEDIATORS"))} members. {F.Number(cases)} cases were received in the period and {F.Number(settled)} settled, {F.Percent(settled, cases, 0)}{KpiClause("KPI-MEDIATION")}.")));
        }

        foreach (var code in new[] { "KPI-COMPLAINTS", "KPI-MEDIATION" })
        {
            if (Standing(code) is { Current.Status: AreaStatus.Short or AreaStatus.Met } standing && O.ChildrenOf(code).Any(c => c.Status == AreaStatus.Short))
                ChildChart(standing);
        }
    }

    private string KpiClause(string code) => Standing(code) is { } s
        ? T($" (chỉ tiêu {_w.Threshold(s.Current)}: {_w.Status(s.Current.Status).ToLowerInvariant()})", $" (target {_w.Threshold(s.Current)}: {_w.Status(s.Current.Status).ToLowerInvariant()})")
        : "";

    private void Shortfalls()
    {
        _blocks.Add(new HeadingBlock(2, T("6. Cơ sở, địa bàn chưa đạt chỉ tiêu", "6. Units and areas that fall short")));
        if (O.UnitsNotReported is { } silent)
        {
            _blocks.Add(ParagraphBlock.Of(T(
                $"Có {F.Number(silent)}/{F.Number(O.UnitsExpected ?? 0)} cơ sở chưa báo cáo đầy đủ số liệu kỳ {O.Period.Code} (hạn báo cáo {F.Date(O.Period.Deadline)}); thiếu số liệu được tính là chưa đạt.",
                $"{F.Number(silent)} of {F.Number(O.UnitsExpected ?? 0)} units did not report every figure for {O.Period.Code} (due {F.Date(O.Period.Deadline)}); missing data counts as not met.")));
        }

        var byTarget = data.FlaggedUnits.GroupBy(f => f.Finding.TargetCode).ToDictionary(g => g.Key, g => g.Count());
        foreach (var standing in O.Targets.Where(t => t.Current.Status == AreaStatus.Short))
        {
            var c = standing.Current;
            var shortAreas = O.ChildrenOf(c.TargetCode).Where(r => r.Status == AreaStatus.Short).Select(r => r.AreaName).ToList();
            var units = byTarget.GetValueOrDefault(c.TargetCode);
            _blocks.Add(new ParagraphBlock([
                new TextRun($"{c.TargetCode}: ", Bold: true),
                new TextRun(T(
                    $"đạt {F.Percent(c.Numerator, c.Denominator)} (yêu cầu {_w.Threshold(c)}); {F.Number(c.ShortUnits)} cơ sở chưa đạt" + (shortAreas.Count > 0 ? $"; {F.Number(shortAreas.Count)} địa bàn chưa đạt: {string.Join(", ", shortAreas)}." : "."),
                    $"{F.Percent(c.Numerator, c.Denominator)} (target {_w.Threshold(c)}); {F.Number(c.ShortUnits)} unit(s) short" + (shortAreas.Count > 0 ? $"; {F.Number(shortAreas.Count)} area(s) short: {string.Join(", ", shortAreas)}." : "."))),
                new TextRun(units > 0 ? T($" Danh sách {F.Number(units)} cơ sở tại Phụ lục 3.", $" The {F.Number(units)} unit(s) are listed in Appendix 3.") : ""),
            ], ParagraphKind.Bullet));
            if (shortAreas.Count > 0)
                ChildChart(standing);
        }
    }

    private void Assessment()
    {
        var targets = O.Targets.Where(t => t.Current.TargetCode != ReportingTarget.Code && t.Current.Status != AreaStatus.NotApplicable).ToList();
        var met = targets.Where(t => t.Current.Status == AreaStatus.Met).Select(t => t.Current.TargetCode).ToList();
        var shortOf = targets.Where(t => t.Current.Status == AreaStatus.Short).Select(t => t.Current.TargetCode).ToList();
        var incomplete = targets.Where(t => t.Current.Status == AreaStatus.Incomplete).Select(t => t.Current.TargetCode).ToList();
        _blocks.Add(new HeadingBlock(2, T("1. Ưu điểm", "1. Strengths")));
        if (met.Count > 0)
            _blocks.Add(ParagraphBlock.Of(T($"Các chỉ tiêu đã đạt: {string.Join(", ", met)}.", $"Targets met: {string.Join(", ", met)}.")));
        Placeholder(T("Ban Chỉ đạo đánh giá những kết quả nổi bật, chuyển biến về nhận thức và hành động.", "The committee assesses the main achievements."));
        _blocks.Add(new HeadingBlock(2, T("2. Hạn chế, khuyết điểm", "2. Shortcomings")));
        if (shortOf.Count > 0)
            _blocks.Add(ParagraphBlock.Of(T($"Các chỉ tiêu chưa đạt: {string.Join(", ", shortOf)} (chi tiết tại mục I.6 và Phụ lục).", $"Targets short: {string.Join(", ", shortOf)} (see I.6 and the appendix).")));
        if (incomplete.Count > 0)
            _blocks.Add(ParagraphBlock.Of(T($"Chưa đủ số liệu để đánh giá (còn cơ sở chưa báo cáo): {string.Join(", ", incomplete)}.",
                $"Not enough data to judge (units have not reported): {string.Join(", ", incomplete)}.")));
        Placeholder(T("Ban Chỉ đạo nêu các hạn chế, khuyết điểm.", "The committee states the shortcomings."));
        _blocks.Add(new HeadingBlock(2, T("3. Nguyên nhân", "3. Causes")));
        Placeholder(T("Ban Chỉ đạo phân tích nguyên nhân khách quan, chủ quan của hạn chế.", "The committee analyses the causes."));
    }

    private void Tasks()
    {
        var next = NextDeadline();
        var number = 0;
        foreach (var standing in O.Targets.Where(t => t.Current.Status == AreaStatus.Short && t.Current.TargetCode != ReportingTarget.Code))
        {
            var c = standing.Current;
            var shortAreas = O.ChildrenOf(c.TargetCode).Where(r => r.Status == AreaStatus.Short).Select(r => r.AreaName).ToList();
            var focus = shortAreas.Count > 0 ? T($", tập trung ở {string.Join(", ", shortAreas)}", $", above all in {string.Join(", ", shortAreas)}") : "";
            number++;
            _blocks.Add(ParagraphBlock.Of(T(
                $"{number}. Chỉ đạo {F.Number(c.ShortUnits)} cơ sở chưa đạt chỉ tiêu {c.TargetCode} ({_w.TargetText(c)}) khắc phục{focus}; báo cáo kết quả trước ngày {F.Date(next)}.",
                $"{number}. Have the {F.Number(c.ShortUnits)} unit(s) short of {c.TargetCode} ({_w.TargetText(c)}) put it right{focus}; report by {F.Date(next)}."),
                ParagraphKind.Body));
        }

        if (O.UnitsNotReported is > 0 and var silent)
        {
            number++;
            _blocks.Add(ParagraphBlock.Of(T(
                $"{number}. Đôn đốc {F.Number(silent)} cơ sở chưa báo cáo đầy đủ số liệu kỳ {O.Period.Code} hoàn thành việc báo cáo; báo cáo kỳ tới đúng hạn {F.Date(next)}.",
                $"{number}. Have the {F.Number(silent)} unit(s) that did not report for {O.Period.Code} complete their figures; report the next period by {F.Date(next)}.")));
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
            var rows = O.ChildrenOf(c.TargetCode).Select(r => AppendixRow(r, r.AreaName, total: false)).ToList();
            rows.Add(AppendixRow(c, T($"Toàn {AreaName}", $"All of {AreaName}"), total: true));
            _blocks.Add(new TableBlock($"appendix:{c.TargetCode}", $"{T("Phụ lục", "Appendix")} 1.{++index}. {c.TargetCode}: {_w.TargetText(c)}",
            [
                new(T("Địa bàn", "Area"), Weight: 6), new(T("Thuộc diện", "Units"), Align.Right, 3), new(T("Đạt", "Met"), Align.Right, 3),
                new(T("Chưa báo cáo", "Not reported"), Align.Right, 3), new(T("Giá trị", "Value"), Align.Right, 4), new(T("Mẫu số", "Denominator"), Align.Right, 4),
                new(T("Chỉ tiêu", "Target"), Align.Right, 4), new(T("Tỷ lệ", "Share"), Align.Right, 4), new(T("Đánh giá", "Status"), Align.Center, 4),
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

        _blocks.Add(new TableBlock("flagged", T($"Cơ sở chưa đạt chỉ tiêu kỳ {O.Period.Code}", $"Units short in {O.Period.Code}"),
        [
            new(T("Chỉ tiêu", "Target"), Weight: 3), new(T("Mã cơ sở", "Code"), Weight: 4), new(T("Tên cơ sở", "Name"), Weight: 5), new(T("Địa bàn", "Area"), Weight: 5),
            new(T("Kết quả", "Measured"), Align.Right, 3), new(T("Yêu cầu", "Required"), Align.Right, 3), new(T("Tình trạng", "State"), Weight: 3),
        ], listed.Select(u => new ReportRow([
            u.Finding.TargetCode, u.Finding.SubjectCode, u.Finding.SubjectName, u.AreaPath,
            _w.Measured(u.Finding, data.Setting(u.Finding.TargetCode)), _w.Required(u.Finding, data.Setting(u.Finding.TargetCode)), _w.State(u.Finding.State),
        ])).ToList()));
    }

    private ReportRow AppendixRow(ComplianceRow r, string name, bool total) => new([
        name, F.Number(r.PopulationUnits), F.Number(r.MetUnits), F.Number(r.MissingUnits), F.Number(r.Numerator), F.Number(r.Denominator),
        _w.Threshold(r), F.Percent(r.Numerator, r.Denominator), _w.Status(r.Status),
    ], total);

    private void FiguresTable(string id, string caption, IReadOnlyList<(string Indicator, string Header)> columns, (string Numerator, string Denominator)? rate = null)
    {
        var header = new List<TableColumn> { new(T("Địa bàn", "Area"), Weight: 3) };
        header.AddRange(columns.Select(c => new TableColumn(c.Header, Align.Right)));
        if (rate is not null)
            header.Add(new TableColumn(T("Tỷ lệ", "Rate"), Align.Right));
        var rows = data.ChildFigures.Select(f => Row(f, f.AreaName, false)).ToList();
        rows.Add(Row(data.Totals, T($"Toàn {AreaName}", $"All of {AreaName}"), true));
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
        var children = O.ChildrenOf(c.TargetCode).Where(r => r.Denominator > 0).ToList();
        if (children.Count == 0)
            return;
        Chart($"areas:{c.TargetCode}", T($"{c.TargetCode}: tỷ lệ đạt theo địa bàn, kỳ {O.Period.Code} (yêu cầu {_w.Threshold(c)})", $"{c.TargetCode}: share met per area, {O.Period.Code} (target {_w.Threshold(c)})"),
            children.Select(r => new ChartBar(r.AreaName, (double)(TargetStanding.PercentOf(r) ?? 0), r.Status, F.Percent(r.Numerator, r.Denominator))).ToList(),
            (double)(c.ThresholdMillionths * 100m / Threshold.One), null);
    }

    private void Chart(string id, string title, IReadOnlyList<ChartBar> bars, double? threshold, string? thresholdText)
    {
        _charts++;
        var spec = new ChartSpec(title, T("Tỷ lệ đạt (%)", "Share met (%)"), bars, threshold, thresholdText);
        _blocks.Add(new ChartBlock(id, $"{T("Biểu đồ", "Chart")} {_charts}. {title}", spec));
    }

    private void Placeholder(string text) => _blocks.Add(ParagraphBlock.Of($"[{text}]", ParagraphKind.Placeholder));

    private TargetStanding? Standing(string code) => O.Targets.FirstOrDefault(t => t.Current.TargetCode == code);
}
