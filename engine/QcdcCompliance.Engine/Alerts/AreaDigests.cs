using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Reports;

namespace QcdcCompliance.Alerts;

/// <summary>
/// The e-mail to an area's committee after a run: what changed in its subtree (New and Resolved), the counts per
/// target, the units with the most open findings first, and a link to the dashboard. Nothing when only Persisting
/// findings remain, unless their unit moved: a shortfall that entered the subtree with its unit is news to the committee
/// (it was told to the one the unit left), and so is one that left it. An address that serves several areas gets one
/// message with a section per area, its totals counting each finding once (a district's findings are in its province's
/// section too). A finding that resolved because its unit closed (it left the population) is listed as such, not as put
/// right; so is one that resolved because its target no longer applies to the period (no longer judged), and one whose
/// unit left the target's population (moved away, changed kind: "không còn thuộc diện đánh giá"). One that
/// reopens once its target judges the subject again (the set restored) is not a new shortfall: counted apart, "chưa đạt
/// trở lại sau khi chỉ tiêu được áp dụng lại".
/// </summary>
public static class AreaDigests
{
    /// <param name="open">Every finding of the scope open after the run (its New ones included).</param>
    /// <param name="completeness">The reporting of each committee area in the period (<see cref="DigestCompleteness"/>).</param>
    /// <param name="unjudged">The resolved findings whose target the run no longer evaluates for their subject: they were not put right.</param>
    /// <param name="restored">
    /// The New findings that reopen one resolved as no longer judged (<see cref="UnjudgedSubjects.ReopenedAsync"/>): they
    /// fell short before their target stopped judging them, so they are not new.
    /// </param>
    public static IEnumerable<ComposedMessage> Compose(RecordedRun run, IReadOnlyList<AlertFinding> open, RunPlaces places,
        IReadOnlyDictionary<string, string> targetTexts, AlertOptions options, IReadOnlyDictionary<int, DigestCompleteness> completeness,
        IReadOnlySet<FindingKey>? unjudged = null, IReadOnlySet<FindingKey>? restored = null)
    {
        var committees = Committees(places.Tree, options).ToDictionary(a => a.Id);
        if (committees.Count == 0)
            return [];

        var sections = new Dictionary<int, Section>();
        void Place(AlertFinding f, Action<Section> add)
        {
            foreach (var area in places.PathOf(f.SubjectType, f.SubjectId))
            {
                if (committees.ContainsKey(area.Id))
                    add(sections.TryGetValue(area.Id, out var s) ? s : sections[area.Id] = new Section(committees[area.Id]));
            }
        }

        foreach (var draft in run.New)
        {
            var f = AlertFinding.From(draft);
            if (restored?.Contains(draft.Key) == true)
                Place(f, s => s.Restored.Add(f));
            else
                Place(f, s => s.New.Add(f));
        }

        // An area whose figures now confirm a shortfall it could not be judged on before ("chưa đủ số liệu"): it fell
        // short in this run, counted and listed with the new ones, told with what it was before (StandingBefore).
        foreach (var draft in run.Open)
        {
            if (StandingBefore(run, draft.Key, draft.Measurement.Outcome) is not null)
            {
                var f = AlertFinding.From(draft);
                Place(f, s => s.New.Add(f));
            }
        }

        foreach (var row in run.Resolved)
        {
            // The figures of the shortfall closed ("lần trước") are the row it supersedes; the resolving row holds this run's.
            var f = AlertFinding.From(run.ResolvedFrom.GetValueOrDefault(new FindingKey(row.TargetCode, row.SubjectType, row.SubjectId), row),
                places.NameOf(row.SubjectType, row.SubjectId, row.SubjectCode));
            // Told as its finding's resolution reads (FindingResolutions, the one rule): closed, no longer judged, left the population, put right.
            var closedOn = places.ClosedOn(row.SubjectType, row.SubjectId);
            var because = FindingResolutions.Because(row.Measurement.Outcome, row.Evidence);
            switch (FindingResolutions.Of(row.State, row.SubjectType, row.Measurement.Outcome, because, closedOn,
                        unjudged?.Contains(new FindingKey(row.TargetCode, row.SubjectType, row.SubjectId)) == true))
            {
                case FindingResolution.UnitClosed:
                    Place(f, s => s.Closed.Add((f, closedOn!.Value)));
                    break;
                case FindingResolution.NoLongerEvaluated:
                    Place(f, s => s.Unjudged.Add(f));
                    break;
                case FindingResolution.LeftPopulation:
                    Place(f, s => s.Left.Add((f, because)));
                    break;
                default:
                    Place(f, s => s.Resolved.Add(f));
                    break;
            }
        }

        foreach (var f in open)
            Place(f, s => s.Open.Add(f));
        PlaceMoved(run, open, places, committees, sections);

        var byRecipient = sections.Values
            .Where(s => s.New.Count > 0 || s.Restored.Count > 0 || s.Resolved.Count > 0 || s.Closed.Count > 0 || s.Unjudged.Count > 0 || s.Left.Count > 0 || s.Moved.Count > 0)
            .SelectMany(s => options.CommitteeOf(s.Area.Code).Select(address => (Address: address, Section: s)))
            .GroupBy(x => OutboxKeys.Normalise(x.Address))
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        return byRecipient.Select(g => Digest(run, g.First().Address, [.. g.Select(x => x.Section).OrderBy(s => s.Area.Level).ThenBy(s => s.Area.Code, StringComparer.Ordinal)],
            g.Key, targetTexts, options, completeness)).ToList();
    }

    /// <summary>
    /// Each open unit finding the previous run placed elsewhere (<see cref="RecordedRun.PathBefore"/>): to the committees
    /// of the areas its unit entered, "chuyển đến từ" the highest area it left (the one beside theirs); to those of the
    /// areas it left, "chuyển đi" the highest it entered. A committee above both (the province) sees no change.
    /// </summary>
    private static void PlaceMoved(RecordedRun run, IReadOnlyList<AlertFinding> open, RunPlaces places, Dictionary<int, Area> committees,
        Dictionary<int, Section> sections)
    {
        if (run.PathBefore.Count == 0)
            return;
        foreach (var f in open)
        {
            if (f.SubjectType != SubjectType.Unit || !run.PathBefore.TryGetValue(new FindingKey(f.TargetCode, f.SubjectType, f.SubjectId), out var codes))
                continue;
            var before = codes.Select(places.Tree.Find).OfType<Area>().ToList();
            var now = places.PathOf(f.SubjectType, f.SubjectId);
            if (before.Count == 0 || now.Count == 0)
                continue;
            var left = before.Where(a => !now.Any(n => n.Id == a.Id)).ToList();
            var entered = now.Where(a => !before.Any(b => b.Id == a.Id)).ToList();
            var (from, to) = (left.Count > 0 ? left[^1] : before[0], entered.Count > 0 ? entered[^1] : now[0]);
            foreach (var area in entered.Where(a => committees.ContainsKey(a.Id)))
                SectionOf(sections, committees[area.Id]).Moved.Add((f, $"chuyển đến từ {from.Name}", true));
            foreach (var area in left.Where(a => committees.ContainsKey(a.Id)))
                SectionOf(sections, committees[area.Id]).Moved.Add((f, $"chuyển đi {to.Name}", false));
        }
    }

    private static Section SectionOf(Dictionary<int, Section> sections, Area area) =>
        sections.TryGetValue(area.Id, out var s) ? s : sections[area.Id] = new Section(area);

    /// <summary>
    /// The one rule for an area finding's change of standing between runs, as the digest tells it ("lần trước: …"): a
    /// resolved one is told by the row it supersedes (<see cref="ResolvedAreaLine"/>: "nay đã đạt (lần trước: chưa đủ
    /// số liệu …)"); an open one whose outcome this run changed from Incomplete to Short (<see cref="RecordedRun.OutcomeBefore"/>)
    /// fell short now, and is told with what it was before; null for every other (it did not change its standing, or it
    /// is no news to a committee). A run that changes nothing has no outcome before, so it is told once.
    /// </summary>
    public static FindingOutcome? StandingBefore(RecordedRun run, FindingKey key, FindingOutcome now) =>
        key.SubjectType == SubjectType.Area && now == FindingOutcome.Short
            && run.OutcomeBefore.TryGetValue(key, out var before) && before == FindingOutcome.Incomplete
            ? before
            : null;

    private static FindingKey Key(AlertFinding f) => new(f.TargetCode, f.SubjectType, f.SubjectId);

    private static bool WasIncomplete(RecordedRun run, AlertFinding f) => StandingBefore(run, Key(f), f.Measurement.Outcome) is not null;

    /// <summary>Whether the run changed an area's standing so that a committee has news (<see cref="StandingBefore"/>).</summary>
    public static bool AnyStandingChanged(RecordedRun run) =>
        run.OutcomeBefore.Count > 0 && run.Open.Any(d => StandingBefore(run, d.Key, d.Measurement.Outcome) is not null);

    /// <summary>The areas of the tree a committee is configured for, with at least one address: the only ones a digest can go to.</summary>
    public static IEnumerable<Area> Committees(AreaTree tree, AlertOptions options) =>
        options.Committees.Keys.Select(tree.Find).OfType<Area>().Where(a => options.CommitteeOf(a.Code).Count > 0);

    private static ComposedMessage Digest(RecordedRun run, string address, IReadOnlyList<Section> sections, string key, IReadOnlyDictionary<string, string> targetTexts,
        AlertOptions options, IReadOnlyDictionary<int, DigestCompleteness> completeness)
    {
        var period = Vietnamese.Period(run.Period);
        // Each finding once: the sections of a province and a district inside it both hold the district's.
        static int Distinct(IEnumerable<AlertFinding> findings) => findings.Select(f => (f.TargetCode, f.SubjectType, f.SubjectId)).Distinct().Count();
        var (fresh, resolved, open) = (Distinct(sections.SelectMany(s => s.New)), Distinct(sections.SelectMany(s => s.Resolved)), Distinct(sections.SelectMany(s => s.Open)));
        var closed = Distinct(sections.SelectMany(s => s.Closed.Select(c => c.Finding)));
        var unjudged = Distinct(sections.SelectMany(s => s.Unjudged));
        var left = Distinct(sections.SelectMany(s => s.Left.Select(l => l.Finding)));
        var restored = Distinct(sections.SelectMany(s => s.Restored));
        var confirmed = Distinct(sections.SelectMany(s => s.New).Where(f => WasIncomplete(run, f)));
        var (movedIn, movedOut) = (Distinct(sections.SelectMany(s => s.Moved.Where(m => m.In).Select(m => m.Finding))),
            Distinct(sections.SelectMany(s => s.Moved.Where(m => !m.In).Select(m => m.Finding))));
        var subject = $"[QCDC] {char.ToUpperInvariant(period[0])}{period[1..]} – {string.Join(", ", sections.Select(s => s.Area.Name))}: "
            + $"{Vietnamese.Number(fresh)} trường hợp chưa đạt mới, {Vietnamese.Number(resolved)} đã khắc phục"
            + (restored > 0 ? $", {Vietnamese.Number(restored)} {RestoredWords}" : "")
            + (closed > 0 ? $", {Vietnamese.Number(closed)} của đơn vị ngừng hoạt động" : "")
            + (unjudged > 0 ? $", {Vietnamese.Number(unjudged)} không còn được đánh giá" : "")
            + (left > 0 ? $", {Vietnamese.Number(left)} {LeftWords}" : "")
            + (movedIn > 0 ? $", {Vietnamese.Number(movedIn)} chuyển đến" : "")
            + (movedOut > 0 ? $", {Vietnamese.Number(movedOut)} chuyển đi" : "");
        var body = new MailBody()
            .Heading($"Tổng hợp kết quả đánh giá {period}")
            .Paragraph($"Kính gửi: Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở {string.Join(", ", sections.Select(s => ReportWording.InText(s.Area.Name)))}.")
            // The recipient's own areas, not the run's scope: a district committee reads about its district.
            .Paragraph($"Kết quả đánh giá thực hiện Quy chế dân chủ ở cơ sở {period} trên địa bàn {string.Join(", ", sections.Select(s => ReportWording.InText(s.Area.Name)))}, hoàn thành lúc "
                + $"{Vietnamese.Time(run.Run.FinishedAt ?? run.Run.StartedAt)} (giờ Việt Nam), như sau:");
        foreach (var section in sections)
            Write(body, run, section, targetTexts, options, completeness.GetValueOrDefault(section.Area.Id));
        var fixBy = options.FixBy(run.Period, Vietnamese.LocalDate(run.Run.StartedAt));
        body.Paragraph($"Đề nghị Ban Chỉ đạo chỉ đạo các đơn vị, địa bàn chưa đạt nêu trên khắc phục và cập nhật số liệu trước ngày {Vietnamese.Date(fixBy)}; "
                + "theo dõi kết quả khắc phục trên trang tổng hợp và đôn đốc các đơn vị chậm khắc phục.")
            .Signed(options);
        body.Footer("Thư tổng hợp được gửi tự động từ hệ thống theo dõi thực hiện Quy chế dân chủ ở cơ sở đến địa chỉ của Ban Chỉ đạo đã đăng ký nhận. "
            + "Xin không trả lời thư này.",
            $"This is an automated digest from QcdcCompliance, which tracks the grassroots-democracy (QCDC) targets: evaluation run #{run.Run.Id} "
            + $"of {run.Scope.Code} for {ReportWording.English.PeriodName(run.Period)} ({run.Period.Code}), covering {string.Join(", ", sections.Select(s => s.Area.Code))} and the areas below. "
            + $"New: {fresh}{(confirmed > 0 ? $" (of which short now, incomplete before: {confirmed})" : "")}, resolved: {resolved}, {(restored > 0 ? $"short again now that their target applies again (not new): {restored}, " : "")}"
            + $"{(closed > 0 ? $"left with their closed units: {closed}, " : "")}"
            + $"{(unjudged > 0 ? $"no longer judged (the target no longer applies to this period): {unjudged}, " : "")}"
            + $"{(left > 0 ? $"left their target's population (moved away, changed kind; not put right): {left}, " : "")}"
            + $"{(movedIn > 0 ? $"moved in with their units: {movedIn}, " : "")}{(movedOut > 0 ? $"moved out with their units: {movedOut}, " : "")}open: {open}. "
            + "You receive it as a committee address in the Alerts:Committees setting. Please do not reply.");
        return new ComposedMessage(OutboxKeys.ForRun(run.Run.Id, MessageKind.AreaDigest, key), MessageKind.AreaDigest, address, subject, body, run.Run.Id);
    }

    private static void Write(MailBody body, RecordedRun run, Section s, IReadOnlyDictionary<string, string> targetTexts, AlertOptions options,
        DigestCompleteness? reporting)
    {
        body.Heading($"{s.Area.Name} và các địa bàn trực thuộc")
            .Bullets([
                $"{Vietnamese.Number(s.New.Count)} trường hợp chưa đạt mới phát hiện"
                    + (s.New.Count(f => WasIncomplete(run, f)) is > 0 and var confirmed ? $" (trong đó {Vietnamese.Number(confirmed)} trường hợp lần trước {FindingText.Standing(FindingOutcome.Incomplete)})" : ""),
                .. s.Restored.Count > 0
                    ? [$"{Vietnamese.Number(s.Restored.Count)} trường hợp {RestoredWords} (đã chưa đạt trước khi chỉ tiêu không còn được đánh giá; không phải chưa đạt mới)"]
                    : Array.Empty<string>(),
                $"{Vietnamese.Number(s.Resolved.Count)} trường hợp đã khắc phục",
                .. s.Closed.Count > 0 ? [$"{Vietnamese.Number(s.Closed.Count)} trường hợp không còn theo dõi do đơn vị ngừng hoạt động"] : Array.Empty<string>(),
                .. s.Unjudged.Count > 0
                    ? [$"{Vietnamese.Number(s.Unjudged.Count)} trường hợp không còn được đánh giá (chỉ tiêu không còn áp dụng cho kỳ này)"]
                    : Array.Empty<string>(),
                .. s.Left.Count > 0
                    ? [$"{Vietnamese.Number(s.Left.Count)} trường hợp {LeftWords} (đơn vị chuyển đi, đổi loại hình…; không phải đã khắc phục)"]
                    : Array.Empty<string>(),
                .. s.Moved.Any(m => m.In) ? [$"{Vietnamese.Number(s.Moved.Count(m => m.In))} trường hợp chưa đạt chuyển đến địa bàn cùng đơn vị"] : Array.Empty<string>(),
                .. s.Moved.Any(m => !m.In) ? [$"{Vietnamese.Number(s.Moved.Count(m => !m.In))} trường hợp chưa đạt chuyển khỏi địa bàn cùng đơn vị"] : Array.Empty<string>(),
                $"{Vietnamese.Number(s.Open.Count)} trường hợp chưa khắc phục (kể cả trường hợp mới)",
            ]);
        if (reporting is not null)
            body.Paragraph(reporting.Sentence());

        var targets = s.New.Select(f => f.TargetCode).Concat(s.Resolved.Select(f => f.TargetCode)).Concat(s.Open.Select(f => f.TargetCode))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        // The column of those back with their target only where there are some: every other digest reads as before.
        var withRestored = s.Restored.Count > 0;
        body.Paragraph("Theo chỉ tiêu:")
            .Table(["Chỉ tiêu", "Mới", .. withRestored ? ["Chưa đạt trở lại"] : Array.Empty<string>(), "Đã khắc phục", "Chưa khắc phục"], targets.Select(t => (IReadOnlyList<string>)
            [
                FindingText.Target(t, targetTexts), Vietnamese.Number(s.New.Count(f => f.TargetCode == t)),
                .. withRestored ? [Vietnamese.Number(s.Restored.Count(f => f.TargetCode == t))] : Array.Empty<string>(),
                Vietnamese.Number(s.Resolved.Count(f => f.TargetCode == t)), Vietnamese.Number(s.Open.Count(f => f.TargetCode == t)),
            ]));

        var areasNew = s.New.Where(f => f.SubjectType == SubjectType.Area).ToList();
        if (areasNew.Count > 0)
            body.Paragraph("Địa bàn chưa đạt chỉ tiêu (mới):").Bullets(areasNew.Select(f => AreaLine(f, targetTexts)
                + (StandingBefore(run, Key(f), f.Measurement.Outcome) is { } before ? $" ({Before(FindingText.Standing(before))})" : "")));
        var areasRestored = s.Restored.Where(f => f.SubjectType == SubjectType.Area).ToList();
        if (areasRestored.Count > 0)
            body.Paragraph($"Địa bàn {RestoredWords}:").Bullets(areasRestored.Select(f => AreaLine(f, targetTexts)));
        var warnings = s.Open.Where(f => f.SubjectType == SubjectType.Area)
            .Select(f => (Finding: f, Words: f.Words("earlyWarning")))
            .Where(w => w.Words is not null).ToList();
        if (warnings.Count > 0)
            body.Paragraph("Cảnh báo sớm (trước hạn báo cáo):").Bullets(warnings.Select(w => $"{w.Finding.SubjectName} — {FindingText.Short(w.Finding.TargetCode, targetTexts)}: {w.Words}"));
        var areasResolved = s.Resolved.Where(f => f.SubjectType == SubjectType.Area).ToList();
        if (areasResolved.Count > 0)
            body.Paragraph("Địa bàn đã đạt lại chỉ tiêu (đã khắc phục):").Bullets(areasResolved.Select(f => ResolvedAreaLine(f, targetTexts)));

        var newKeys = s.New.Select(f => (f.TargetCode, f.SubjectType, f.SubjectId)).ToHashSet();
        var worst = s.Open.Where(f => f.SubjectType == SubjectType.Unit)
            .GroupBy(f => (f.SubjectCode, f.SubjectName))
            .Select(g => (Unit: g.Key, Open: g.Count(), New: g.Count(f => newKeys.Contains((f.TargetCode, f.SubjectType, f.SubjectId))),
                Targets: string.Join("; ", g.Select(f => FindingText.Short(f.TargetCode, targetTexts) + (newKeys.Contains((f.TargetCode, f.SubjectType, f.SubjectId)) ? "*" : "")))))
            .OrderByDescending(u => u.Open).ThenByDescending(u => u.New).ThenBy(u => u.Unit.SubjectCode, StringComparer.Ordinal)
            .ToList();
        if (worst.Count > 0)
        {
            body.Paragraph("Đơn vị có nhiều chỉ tiêu chưa khắc phục nhất (* = mới phát hiện):")
                .Table(["Đơn vị", "Chưa khắc phục", "Mới", "Chỉ tiêu", "Mã đơn vị"], worst.Take(options.DigestUnits).Select(u => (IReadOnlyList<string>)
                [
                    u.Unit.SubjectName, Vietnamese.Number(u.Open), Vietnamese.Number(u.New), u.Targets, u.Unit.SubjectCode,
                ]));
            if (worst.Count > options.DigestUnits)
                body.Paragraph($"… và {Vietnamese.Number(worst.Count - options.DigestUnits)} đơn vị khác: xem trên trang tổng hợp.");
        }

        var resolvedUnits = s.Resolved.Where(f => f.SubjectType == SubjectType.Unit)
            .GroupBy(f => (f.SubjectCode, f.SubjectName))
            .OrderBy(g => g.Key.SubjectCode, StringComparer.Ordinal)
            .ToList();
        if (resolvedUnits.Count > 0)
        {
            body.Paragraph("Đơn vị đã khắc phục:")
                .Table(["Đơn vị", "Chỉ tiêu đã đạt", "Mã đơn vị"], resolvedUnits.Take(options.DigestUnits).Select(g => (IReadOnlyList<string>)
                    [g.Key.SubjectName, string.Join("; ", g.Select(f => FindingText.Short(f.TargetCode, targetTexts))), g.Key.SubjectCode]));
            if (resolvedUnits.Count > options.DigestUnits)
                body.Paragraph($"… và {Vietnamese.Number(resolvedUnits.Count - options.DigestUnits)} đơn vị khác: xem trên trang tổng hợp.");
        }

        // A unit that closed left the population: what it fell short of is no longer followed, it was not put right.
        var closedUnits = s.Closed.GroupBy(c => (c.Finding.SubjectCode, c.Finding.SubjectName, c.On)).OrderBy(g => g.Key.SubjectCode, StringComparer.Ordinal).ToList();
        if (closedUnits.Count > 0)
        {
            body.Paragraph("Đơn vị ngừng hoạt động (không còn tính trong kỳ đánh giá, chỉ tiêu chưa đạt trước đây không còn theo dõi):")
                .Table(["Đơn vị", "Hoạt động đến ngày", "Chỉ tiêu chưa đạt trước đây", "Mã đơn vị"], closedUnits.Take(options.DigestUnits).Select(g => (IReadOnlyList<string>)
                    [g.Key.SubjectName, Vietnamese.Date(g.Key.On), string.Join("; ", g.Select(c => FindingText.Short(c.Finding.TargetCode, targetTexts))), g.Key.SubjectCode]));
            if (closedUnits.Count > options.DigestUnits)
                body.Paragraph($"… và {Vietnamese.Number(closedUnits.Count - options.DigestUnits)} đơn vị khác: xem trên trang tổng hợp.");
        }

        // The units whose shortfalls are back with their target: they fell short before it stopped judging them, not news.
        var restoredUnits = s.Restored.Where(f => f.SubjectType == SubjectType.Unit).GroupBy(f => (f.SubjectCode, f.SubjectName))
            .OrderBy(g => g.Key.SubjectCode, StringComparer.Ordinal).ToList();
        if (restoredUnits.Count > 0)
        {
            body.Paragraph($"Đơn vị {RestoredWords}:")
                .Table(["Đơn vị", "Chỉ tiêu chưa đạt trở lại", "Mã đơn vị"], restoredUnits.Take(options.DigestUnits).Select(g => (IReadOnlyList<string>)
                    [g.Key.SubjectName, string.Join("; ", g.Select(f => FindingText.Short(f.TargetCode, targetTexts))), g.Key.SubjectCode]));
            if (restoredUnits.Count > options.DigestUnits)
                body.Paragraph($"… và {Vietnamese.Number(restoredUnits.Count - options.DigestUnits)} đơn vị khác: xem trên trang tổng hợp.");
        }

        // A target no longer applied to the period (its set re-dated or re-scoped, or the target dropped): nothing was put right.
        var unjudgedTargets = s.Unjudged.GroupBy(f => f.TargetCode).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (unjudgedTargets.Count > 0)
        {
            body.Paragraph("Chỉ tiêu không còn áp dụng cho kỳ này (các trường hợp chưa đạt trước đây không còn được đánh giá, không phải đã khắc phục):")
                .Bullets(unjudgedTargets.Select(g => $"{FindingText.Target(g.Key, targetTexts)}: {Vietnamese.Number(g.Count())} trường hợp"));
        }

        // A unit that left a target's population (moved out, changed kind, lost its union): not measured, nothing put right.
        var leftUnits = s.Left.GroupBy(l => (l.Finding.SubjectCode, l.Finding.SubjectName, l.Because)).OrderBy(g => g.Key.SubjectCode, StringComparer.Ordinal).ToList();
        if (leftUnits.Count > 0)
        {
            body.Paragraph($"Đơn vị {LeftWords} của chỉ tiêu (không được đo ở lần đánh giá này, không phải đã khắc phục):")
                .Table(["Đơn vị", "Lý do", "Chỉ tiêu chưa đạt trước đây", "Mã đơn vị"], leftUnits.Take(options.DigestUnits).Select(g => (IReadOnlyList<string>)
                [
                    g.Key.SubjectName, g.Key.Because is { } why ? FindingExplanation.LeftBecause(why, true) : "–",
                    string.Join("; ", g.Select(l => FindingText.Short(l.Finding.TargetCode, targetTexts))), g.Key.SubjectCode,
                ]));
            if (leftUnits.Count > options.DigestUnits)
                body.Paragraph($"… và {Vietnamese.Number(leftUnits.Count - options.DigestUnits)} đơn vị khác: xem trên trang tổng hợp.");
        }

        // A unit that moved brought its open shortfalls in, or took them away: still open, now another committee's to follow.
        var movedUnits = s.Moved.GroupBy(m => (m.Finding.SubjectCode, m.Finding.SubjectName, m.Where, m.In))
            .OrderByDescending(g => g.Key.In).ThenBy(g => g.Key.SubjectCode, StringComparer.Ordinal).ToList();
        if (movedUnits.Count > 0)
        {
            body.Paragraph("Đơn vị chuyển địa bàn (chỉ tiêu chưa đạt, chưa khắc phục, chuyển theo đơn vị):")
                .Table(["Đơn vị", "Chuyển địa bàn", "Chỉ tiêu chưa đạt", "Mã đơn vị"], movedUnits.Take(options.DigestUnits).Select(g => (IReadOnlyList<string>)
                    [g.Key.SubjectName, g.Key.Where, string.Join("; ", g.Select(m => FindingText.Short(m.Finding.TargetCode, targetTexts))), g.Key.SubjectCode]));
            if (movedUnits.Count > options.DigestUnits)
                body.Paragraph($"… và {Vietnamese.Number(movedUnits.Count - options.DigestUnits)} đơn vị khác: xem trên trang tổng hợp.");
        }

        body.Link("Xem trên trang tổng hợp", options.DashboardUrl.Replace("{period}", run.Period.Code, StringComparison.Ordinal)
            .Replace("{area}", Uri.EscapeDataString(s.Area.Code), StringComparison.Ordinal));
    }

    private static string AreaLine(AlertFinding f, IReadOnlyDictionary<string, string> targetTexts) =>
        $"{f.SubjectName} — {FindingText.Target(f.TargetCode, targetTexts)}: {FindingText.Measured(f)}; yêu cầu {FindingText.Required(f)}";

    /// <summary>A resolved finding is told by the row it supersedes: its figures are the shortfall closed, shown as the earlier measure.</summary>
    private static string ResolvedAreaLine(AlertFinding f, IReadOnlyDictionary<string, string> targetTexts) =>
        $"{f.SubjectName} — {FindingText.Target(f.TargetCode, targetTexts)}: nay đã đạt ({Before(FindingText.Measured(f))})";

    /// <summary>What an area was before its standing changed (<see cref="StandingBefore"/>), in the words of both lines.</summary>
    private static string Before(string measured) => $"lần trước: {measured}";


    /// <summary>What a finding whose unit left its target's population is, after its count (<see cref="FindingExplanation.LeftPopulationVi"/>).</summary>
    private const string LeftWords = "không còn thuộc diện đánh giá";

    /// <summary>What a finding that reopens once its target judges its subject again is, after its count.</summary>
    private const string RestoredWords = "chưa đạt trở lại sau khi chỉ tiêu được áp dụng lại";

    private sealed class Section(Area area)
    {
        public Area Area { get; } = area;
        public List<AlertFinding> New { get; } = [];

        /// <summary>New findings that reopen one resolved as no longer judged: their target applies again, they are not new.</summary>
        public List<AlertFinding> Restored { get; } = [];
        public List<AlertFinding> Resolved { get; } = [];
        public List<(AlertFinding Finding, DateOnly On)> Closed { get; } = [];

        /// <summary>Resolved findings whose target the run no longer evaluates for the period: no longer judged, not put right.</summary>
        public List<AlertFinding> Unjudged { get; } = [];

        /// <summary>Resolved findings whose unit left the target's population (<see cref="FindingResolution.LeftPopulation"/>), with why when known.</summary>
        public List<(AlertFinding Finding, NotMeasuredBecause? Because)> Left { get; } = [];

        /// <summary>Open findings whose unit moved in (<c>In</c>) or out, with where from or to ("chuyển đến từ Huyện Lộc Hà").</summary>
        public List<(AlertFinding Finding, string Where, bool In)> Moved { get; } = [];
        public List<AlertFinding> Open { get; } = [];
    }
}
