using QcdcCompliance.Evaluation;
using QcdcCompliance.Findings;
using QcdcCompliance.Host.Dashboard.Pages;
using QcdcCompliance.Reports;

namespace QcdcCompliance.Host.Dashboard;

/// <summary>
/// The dashboard's pages: each handler checks the principal's area, reads its figures through the engine's queries
/// and hands them to a Razor component rendered on the server. Filters are query parameters, so every view is a URL.
/// </summary>
public static class DashboardPages
{
    private const int PageSize = 50;

    public static async Task<IResult> Overview(HttpContext http, string? period, string? area, OverviewQueries overviews, Submissions.CompletenessQueries completeness,
        IDbContextFactory<QcdcDbContext> contexts, TimeProvider clock, Decisions.SignOffService signOffs, CancellationToken ct)
    {
        var view = DashboardView.For(http);
        if (await DashboardScope.ForAsync(http, contexts, ct) is not { } scope)
            return Forbidden(view);
        if (scope.Resolve(area) is not { } chosen)
            return UnknownArea(view, area);

        var periods = await overviews.PeriodsAsync(scope.Province(DisplayFormat.LocalDay(clock.GetUtcNow())).Id, ct);
        if (periods.Count == 0)
            return Message(view, view.T("Chưa có số liệu", "No figures yet"), view.T("Chưa có lần đánh giá nào hoàn thành.", "No evaluation has completed yet."), 200);
        var code = period ?? (periods.Where(p => p.Type == PeriodType.HalfYear).MaxBy(p => p.End) ?? periods[0]).Code;
        if (scope.Resolve(area, code) is null)
            return UnknownArea(view, area);

        try
        {
            var overview = await overviews.ForAreaAsync(code, chosen.Code, ct);
            var children = overview.Children.GroupBy(c => (c.AreaCode, c.AreaName))
                .Select(g => new ChildSummary(g.Key.AreaCode, g.Key.AreaName,
                    g.Count(c => c.Status == AreaStatus.Short && c.TargetCode != ReportingTarget.Code),
                    g.Count(c => c.Status is not (AreaStatus.NotApplicable or AreaStatus.NotJudged) && c.TargetCode != ReportingTarget.Code),
                    g.FirstOrDefault(c => c.TargetCode == ReportingTarget.Code)?.ShortUnits))
                .OrderBy(c => c.Code, StringComparer.Ordinal)
                .ToList();
            var canGoUp = overview.Ancestors.Any(a => scope.Sees(a.Id));
            var openable = overview.Ancestors.Where(a => scope.Sees(a.Id)).Select(a => a.Id).ToHashSet();
            var changes = await AreaChangesAsync(contexts, scope, overview.Area, ct);
            if (overview.Ended is { } ended)
            {
                // No units, no figures, nothing to sign off: the page says why and what the area became.
                // Linked where the principal may open them for this period (judged on its last day, as every period's page is).
                openable.UnionWith(ended.Successors.Concat(ended.FormerAreasNow).Where(a => scope.SeesOn(a.Id, overview.Period.End)).Select(a => a.Id));
                return Page<OverviewPage>(view, new OverviewModel(overview, periods, [], canGoUp) { OpenableAncestors = openable, Changes = changes });
            }

            var signedOff = await signOffs.InForceAsync(overview.Period.Code, overview.Area.Code, ct);
            // A period reopened and not signed off again says so (who signed it, who reopened it and why), not that it never was.
            var reopened = signedOff is null ? await signOffs.ReopenedAsync(overview.Period.Code, overview.Area.Code, ct) : null;
            var canSign = Security.QcdcClaims.RoleOf(http.User) == Role.Committee;
            return Page<OverviewPage>(view, new OverviewModel(overview, periods, children, canGoUp, signedOff, canSign)
            {
                Reopened = reopened,
                // Asked only of who could sign: it reads the province's rows as a run would.
                OutOfDate = signedOff is null && canSign ? await signOffs.OutOfDateAsync(overview.Period.Code, overview.Area.Code, ct) : null,
                Completeness = await completeness.ForAreaAsync(overview.Period.Code, chosen.Code, ct),
                OpenableAncestors = openable,
                Changes = changes,
            });
        }
        catch (EvaluationRequestException e)
        {
            return NotEvaluated(view, e);
        }
    }

    /// <summary>Every change of the area, oldest first, as the principal may read it (areas outside it written "…").</summary>
    private static async Task<IReadOnlyList<AreaAudit>> AreaChangesAsync(IDbContextFactory<QcdcDbContext> contexts, DashboardScope scope, Area area, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await db.AreaAudits.AsNoTracking().Where(a => a.AreaId == area.Id).OrderBy(a => a.Id).ToListAsync(ct))
            .Select(a => AreaAuditTrail.ShownTo(a, scope.Tree, scope.Sees)).ToList();
    }

    public static async Task<IResult> Target(HttpContext http, string code, string? period, string? area, string? after, OverviewQueries overviews,
        FindingQueries findings, IDbContextFactory<QcdcDbContext> contexts, TimeProvider clock, Decisions.TrendQueries trends, CancellationToken ct)
    {
        var view = DashboardView.For(http);
        if (await DashboardScope.ForAsync(http, contexts, ct) is not { } scope)
            return Forbidden(view);
        if (scope.Resolve(area) is not { } chosen)
            return UnknownArea(view, area);
        try
        {
            if (period is null)
            {
                var periods = await overviews.PeriodsAsync(scope.Province(DisplayFormat.LocalDay(clock.GetUtcNow())).Id, ct);
                period = periods.Where(p => p.Type == PeriodType.HalfYear).MaxBy(p => p.End)?.Code ?? periods.FirstOrDefault()?.Code
                         ?? throw new EvaluationRequestException("no evaluation has completed yet");
            }

            if (scope.Resolve(area, period) is null)
                return UnknownArea(view, area);

            var overview = await overviews.ForAreaAsync(period, chosen.Code, ct);
            if (overview.Ended is { } ended)
                return Page<MessagePage>(view, new MessageModel(view.T("Địa bàn đã kết thúc hoạt động", "Area abolished"), view.W.AreaEndedInFull(ended, overview.Period),
                    view.Href("/", ("period", overview.Period.Code), ("area", chosen.Code)), view.T("Về trang tổng quan của địa bàn", "Back to the area's overview")));
            var standing = overview.Targets.FirstOrDefault(t => string.Equals(t.Current.TargetCode, code, StringComparison.OrdinalIgnoreCase));
            if (standing is null)
                return Message(view, view.T("Không tìm thấy", "Not found"), view.T($"Chỉ tiêu {code} không được đánh giá trong {view.PeriodInSentence(period)}.", $"Target {code} is not evaluated in {view.PeriodInSentence(period)}."), 404);

            var targetCode = standing.Current.TargetCode;
            // The child areas, then the units attached directly to the area: the rows add up to the figures above them.
            var children = overview.PartsOf(targetCode).ToList();
            var w = view.W;
            var spec = new ChartSpec(
                view.T($"{w.TargetPhrase(standing.Current)}: tỷ lệ đạt theo địa bàn, {w.PeriodName(overview.Period)} (yêu cầu {w.Threshold(standing.Current)})",
                    $"{w.TargetPhrase(standing.Current)}: share met per area, {w.PeriodName(overview.Period)} (target {w.Threshold(standing.Current)})"),
                view.T("Tỷ lệ đạt (%)", "Share met (%)"),
                children.Where(c => c.Denominator > 0)
                    .Select(c => new ChartBar(w.ChartName(c), (double)(TargetStanding.PercentOf(c) ?? 0), c.Status, view.F.Percent(c.Numerator, c.Denominator, c.Threshold))).ToList(),
                standing.Current.ThresholdRecorded ? (double)(standing.Current.ThresholdMillionths * 100m / Threshold.One) : null, w.Threshold(standing.Current));
            var chart = children.Any(c => c.Denominator > 0) ? ChartHtml(spec) : null;

            await using var db = await contexts.CreateDbContextAsync(ct);
            var filter = new FindingFilter(overview.Period.Code) { Target = targetCode, Area = chosen.Code };
            var query = (await findings.CurrentAsync(db, filter, ct)).Where(f => f.SubjectType == SubjectType.Unit && f.State != FindingState.Resolved);
            var total = await query.CountAsync(ct);
            if (!string.IsNullOrEmpty(after))
                query = query.Where(f => string.Compare(f.SubjectCode, after) > 0);
            var rows = await query.Take(PageSize + 1).ToListAsync(ct);
            var next = rows.Count > PageSize ? rows[PageSize - 1].SubjectCode : null;
            var views = await FindingQueries.ViewsAsync(db, rows.Take(PageSize).ToList(), ct);
            var setting = (await TargetSettings.InForceAsync(db, overview.Period, ct)).GetValueOrDefault(standing.Current.TargetCode);
            var sets = await StoredSetVersions.LoadAsync(db, ct);
            var text = w.TargetText(standing.Current);
            // Every finding of the page, a unit's or an area's, in the words explain gives it: the target and its set named
            // by the sets stored today (without them an area's evidence named the target by its code, "nQ02-6b").
            string Explain(FindingView f) =>
                FindingExplanation.Render(f, text, view.Language == ReportLanguage.Vi, FindingExplanation.ListedOnPages, setting?.Resolution?.Title, sets);
            var units = views.Select(f => new ShortUnit(f, w.Measured(f, setting), w.Required(f, setting), Explain(f))).ToList();

            var areaRows = await (await findings.CurrentAsync(db, filter, ct)).Where(f => f.SubjectType == SubjectType.Area && f.State != FindingState.Resolved).ToListAsync(ct);
            var areaFindings = await FindingQueries.ViewsAsync(db, areaRows, ct);
            // As the area stood at the period's end: a commune that absorbed another later is shown alone, as the page's figures are.
            var trend = await trends.ForAsync(chosen.Code, targetCode, ct, asOf: overview.Period.End);
            return Page<TargetPage>(view, new TargetModel(overview, standing, children, chart, units, total, after, next, areaFindings)
            {
                Trend = trend,
                TrendChartSvg = TrendSection.Chart(view, trend, standing.Current),
                AreaEvidence = areaFindings.ToDictionary(f => f.Id, Explain),
                OpenableAncestors = overview.Ancestors.Where(a => scope.Sees(a.Id)).Select(a => a.Id).ToHashSet(),
            });
        }
        catch (EvaluationRequestException e)
        {
            return NotEvaluated(view, e);
        }
    }

    public static async Task<IResult> Unit(HttpContext http, string code, FindingQueries findings, IDbContextFactory<QcdcDbContext> contexts,
        PeriodCalendar calendar, TimeProvider clock, CancellationToken ct)
    {
        var view = DashboardView.For(http);
        if (await DashboardScope.ForAsync(http, contexts, ct) is not { } scope)
            return Forbidden(view);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var upper = code.Trim().ToUpperInvariant();
        var unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Code == upper, ct);
        // A unit moved away is still its old area's to read, for the periods it sat there (as the API).
        var moves = await UnitHistoryRows.FromAsync(db, DateOnly.MinValue, ct);
        if (unit is null || !(scope.Sees(unit.AreaId) || moves.Of(unit.Id).Any(v => scope.SeesOn(v.AreaId, v.Until))))
            return Message(view, view.T("Không tìm thấy", "Not found"), view.T($"Không có cơ sở {code} trong địa bàn của bạn.", $"There is no unit {code} in your area."), 404);

        var periods = await db.Periods.AsNoTracking().ToDictionaryAsync(p => p.Id, ct);
        // As the API: a value is the principal's to see when the unit sat in its area on the last day of the value's period.
        var values = (await db.DataValues.AsNoTracking().OfUnit(unit.Id, periods.Keys).ToListAsync(ct))
            .Where(v => scope.SeesOn(moves.AreaOn(unit.Id, unit.AreaId, periods[v.PeriodId].End), periods[v.PeriodId].End))
            .Select(v =>
            {
                var p = periods[v.PeriodId];
                return new { p.Code, p.Start, p.Type, v.IndicatorId, v.Value };
            }).ToList();
        // Within a year: the first half, the second half, then the year.
        var periodCodes = values.Select(v => (v.Code, v.Start, v.Type)).Distinct()
            .OrderBy(p => p.Start.Year).ThenBy(p => p.Type == PeriodType.Year ? 1 : 0).ThenBy(p => p.Start).Select(p => p.Code).ToList();
        // The half-year running today is a column too, named as running, when the unit is in it and in the principal's
        // area at its end (as every value is judged): what has come in so far, or that nothing has yet.
        var running = calendar.RunningHalfYear(DisplayFormat.LocalDay(clock.GetUtcNow()));
        var inRunning = unit.ActiveAt(running) && scope.SeesOn(moves.AreaOn(unit.Id, unit.AreaId, running.End), running.End);
        var columns = inRunning && !periodCodes.Contains(running.Code)
            ? DashboardView.InPeriodOrder(periodCodes.Append(running.Code), p => p).ToList()
            : periodCodes;
        var lines = IndicatorCatalogue.All
            .Where(i => i.Population.Includes(unit.Kind, unit.HasTradeUnion) || values.Any(v => v.IndicatorId == i.Id))
            .Select(i => new ValueLine(i, columns.Select(p => values.FirstOrDefault(v => v.Code == p && v.IndicatorId == i.Id)?.Value).ToList()))
            .ToList();

        var evaluated = await (from s in db.ScopeStates.AsNoTracking()
                               join p in db.Periods.AsNoTracking() on s.PeriodId equals p.Id
                               select new { p.Code, p.Start, p.End, p.Type }).Distinct().ToListAsync(ct);
        var settings = await TargetSettings.InForceAsync(db, null, ct);
        var sets = await StoredSetVersions.LoadAsync(db, ct);
        var found = new List<UnitFindingLine>();
        foreach (var p in evaluated.Where(p => scope.SeesOn(moves.AreaOn(unit.Id, unit.AreaId, p.End), p.End)).OrderByDescending(p => p.Start).ThenBy(p => p.Type == PeriodType.Year ? 0 : 1))
        {
            // Its history: a finding resolved stays listed after later runs of the period, as long as it does not come back.
            foreach (var f in await findings.ListAsync(new FindingFilter(p.Code) { Unit = unit.Code, KeepResolved = true }, ct))
            {
                // The setting the finding was judged by (its set, its period), as explain and the API word it; today's only for
                // a finding whose copy of the set is gone (whose texts the explanation then leaves out).
                var setting = sets.JudgedBy(f) ?? settings.GetValueOrDefault(f.TargetCode);
                var text = view.W.TargetText(setting, f.TargetCode, view.T("Báo cáo đầy đủ các chỉ tiêu", "Every indicator reported"));
                found.Add(new UnitFindingLine(f, view.W.Measured(f, setting), view.W.Required(f, setting), text,
                    FindingExplanation.Render(f, text, view.Language == ReportLanguage.Vi, setTitle: setting?.Resolution?.Title, sets: sets))
                {
                    TargetName = view.W.TargetName(setting, f.TargetCode),
                });
            }
        }

        // Where the unit sat in the latest period it has values or findings for (a unit moved by a merger sat elsewhere
        // then), linked with that period; today's place only when it has none, and only areas the principal may open. A
        // unit that closed sat, last, where it was on its closing day: a later day follows its area's merger to a successor
        // it never sat in (a unit closed on 30/06 in a commune merged on 1/7).
        var today = DisplayFormat.LocalDay(clock.GetUtcNow());
        var byCode = periods.Values.ToDictionary(p => p.Code);
        var latest = periodCodes.Concat(found.Select(f => f.Finding.Period)).Distinct().Select(c => byCode.GetValueOrDefault(c)).OfType<Period>()
            .OrderByDescending(p => p.End).ThenBy(p => p.Type == PeriodType.Year ? 1 : 0).FirstOrDefault();
        var day = latest?.End ?? today;
        if (unit.ActiveTo is { } closedOn && closedOn < day)
            day = closedOn;
        var sat = moves.AreaOn(unit.Id, unit.AreaId, day);
        var path = scope.Tree.PathOn(sat, day);
        if (path.Count == 0)
            path = [scope.Tree[sat]];
        var active = latest is not null || Dates.Contains(unit.ActiveFrom, unit.ActiveTo, today);
        // A link opens the overview of that area for the period: only where the principal may read it then (as the overview judges it).
        var openable = path.Where(a => scope.Sees(a.Id) && (a.Id == scope.Root.Id || scope.SeesOn(a.Id, day))).Select(a => a.Id).ToHashSet();
        return Page<UnitPage>(view, new UnitModel(unit, path.Reverse().ToList(), columns, lines, found, today)
        {
            Running = inRunning ? running.Code : null,
            PathPeriod = latest?.Code,
            Openable = active ? openable : new HashSet<int>(),
            Versions = moves.Of(unit.Id).Count == 0 ? [] : moves.SpansOf(unit)
                .Select(v => new UnitPlace(v, scope.Tree.PathOn(v.AreaId, v.Until ?? today) is { Count: > 0 } p ? p : [scope.Tree[v.AreaId]])).ToList(),
            Changes = await db.UnitAudits.AsNoTracking().Where(a => a.UnitId == unit.Id).OrderBy(a => a.Id).ToListAsync(ct),
        });
    }

    public static async Task<IResult> Runs(HttpContext http, string? period, string? before, IDbContextFactory<QcdcDbContext> contexts, TimeProvider clock, CancellationToken ct)
    {
        var view = DashboardView.For(http);
        // before binds in the handler, as a run's id does: /runs?before=abc is then a page saying what a run number is, not a bare 400.
        long? beforeId = null;
        if (!string.IsNullOrEmpty(before))
        {
            if (!RunNumber(before, out var parsed))
                return NotARunNumber(view, before, "/runs?before=12");
            beforeId = parsed;
        }

        if (await DashboardScope.ForAsync(http, contexts, ct) is not { } scope)
            return Forbidden(view);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var province = scope.Province(DisplayFormat.LocalDay(clock.GetUtcNow()));
        var query = from r in db.EvaluationRuns.AsNoTracking()
                    join p in db.Periods.AsNoTracking() on r.PeriodId equals p.Id
                    where r.ScopeAreaId == province.Id
                    select new { Run = r, p.Code };
        if (!string.IsNullOrWhiteSpace(period))
        {
            var wanted = period.Trim().ToUpperInvariant();
            query = query.Where(x => x.Code == wanted);
        }

        if (beforeId is { } id)
            query = query.Where(x => x.Run.Id < id);
        var rows = await query.OrderByDescending(x => x.Run.Id).Take(PageSize + 1).ToListAsync(ct);
        var lines = rows.Take(PageSize).Select(x => new RunLine(x.Run, x.Code, province.Name)).ToList();
        return Page<RunsPage>(view, new RunsModel(lines, period, rows.Count > PageSize ? lines[^1].Run.Id : null, scope.Sees(province.Id)));
    }

    public static async Task<IResult> Run(HttpContext http, string id, IDbContextFactory<QcdcDbContext> contexts, TimeProvider clock, CancellationToken ct)
    {
        var view = DashboardView.For(http);
        if (!RunNumber(id, out var runId))
            return NotARunNumber(view, id, "/runs/12");
        return await RunAsync(http, view, runId, contexts, clock, ct);
    }

    private static bool RunNumber(string text, out long id) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out id);

    /// <summary>A run number that is none (<c>/runs/abc</c>, <c>/runs?before=abc</c>): a worded 400 that says what one is, with the list of runs to pick from.</summary>
    private static RazorComponentResult NotARunNumber(DashboardView view, string text, string example) =>
        Message(view, view.T("Yêu cầu không hợp lệ", "Bad request"), view.T(
                $"Số lần đánh giá phải là một số nguyên dương (ví dụ {example}); '{text}' không phải là số. Chọn lần đánh giá trong danh sách các lần đánh giá.",
                $"A run number is a positive whole number ({example}, say); '{text}' is not one. Pick the run from the list of runs."),
            400, view.Href("/runs"), view.T("Danh sách các lần đánh giá", "The list of runs"));

    private static async Task<IResult> RunAsync(HttpContext http, DashboardView view, long id, IDbContextFactory<QcdcDbContext> contexts, TimeProvider clock, CancellationToken ct)
    {
        if (await DashboardScope.ForAsync(http, contexts, ct) is not { } scope)
            return Forbidden(view);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = await db.EvaluationRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        var province = scope.Province(DisplayFormat.LocalDay(clock.GetUtcNow()));
        if (run is null || (run.ScopeAreaId != province.Id && !scope.Sees(run.ScopeAreaId)))
            return Message(view, view.T("Không tìm thấy", "Not found"), view.T($"Không có lần đánh giá #{id} trong phạm vi của bạn.", $"There is no run #{id} in your scope."), 404);
        var period = await db.Periods.AsNoTracking().SingleAsync(p => p.Id == run.PeriodId, ct);
        var wholeScope = scope.Sees(run.ScopeAreaId);

        // What this run recorded inside the principal's area, as GET /api/runs/{id} counts it: an area's finding on its
        // area, a unit's where the unit sat on the period's last day (a unit moved since counts where its run judged it).
        // A resolved finding of a unit that closed is counted apart: it left the population, it was not put right.
        var mine = await scope.FindingsOfRunAsync(db, run, period.End, ct);
        var closed = ClosedUnits.ClosedBefore(db, period.End);
        var recorded = await mine
            .GroupBy(f => new { f.TargetCode, f.State, UnitClosed = f.State == FindingState.Resolved && f.SubjectType == SubjectType.Unit && closed.Contains(f.SubjectId) })
            .Select(g => new { g.Key.TargetCode, g.Key.State, g.Key.UnitClosed, Count = g.Count() })
            .ToListAsync(ct);
        // So is one whose target no longer judges its subject, or whose unit left the target's population: each read by
        // the one rule of a resolution (FindingResolutions), as the finding's own page reads it.
        var resolvedRows = await mine.Where(f => f.State == FindingState.Resolved && !(f.SubjectType == SubjectType.Unit && closed.Contains(f.SubjectId)))
            .WithoutEvidence().ToListAsync(ct);
        var why = await ResolutionsAsync(resolvedRows);
        var closedCount = wholeScope
            ? await db.Findings.AsNoTracking().CountAsync(f => f.RunId == id && f.State == FindingState.Resolved && f.SubjectType == SubjectType.Unit && closed.Contains(f.SubjectId), ct)
            : 0;
        // The whole run's, for its counts: a unit that moved out of the province is not in the principal's area, and was not put right either.
        var wholeRun = wholeScope
            ? await ResolutionsAsync(await db.Findings.AsNoTracking().Where(f => f.RunId == id && f.State == FindingState.Resolved
                    && !(f.SubjectType == SubjectType.Unit && closed.Contains(f.SubjectId)))
                .WithoutEvidence().ToListAsync(ct))
            : [];
        var next = await db.EvaluationRuns.AsNoTracking().Where(r => r.PreviousRunId == id).Select(r => (long?)r.Id).FirstOrDefaultAsync(ct);
        var line = new RunLine(run, period.Code, scope.Tree.Find(run.ScopeAreaId)?.Name ?? "");
        var settings = await TargetSettings.InForceAsync(db, period, ct);
        return Page<RunPage>(view, new RunModel(line, period, wholeScope,
            recorded.SelectMany(r => Split(r.TargetCode, r.State, r.UnitClosed, r.Count))
                .OrderBy(r => r.TargetCode, StringComparer.Ordinal).ThenBy(r => r.State).ThenBy(r => r.Resolution)
                .Select(r => (r.TargetCode, view.W.TargetName(settings.GetValueOrDefault(r.TargetCode), r.TargetCode), r.State, r.Resolution, r.Count)).ToList(),
            run.PreviousRunId, next)
        {
            ClosedCount = closedCount, UnjudgedCount = wholeRun.Values.Count(r => r == FindingResolution.NoLongerEvaluated),
            LeftCount = wholeRun.Values.Count(r => r == FindingResolution.LeftPopulation),
        });

        // Why each resolved row (none of a unit that closed) resolved: its outcome, and whether its target still judges it.
        async Task<Dictionary<long, FindingResolution>> ResolutionsAsync(List<Finding> rows)
        {
            var unjudged = await UnjudgedSubjects.AmongAsync(db, rows, ct);
            return rows.ToDictionary(f => f.Id, f => FindingResolutions.Of(f.State, f.SubjectType, f.Measurement.Outcome,
                FindingResolutions.Because(f.Measurement.Outcome, f.Evidence), null, unjudged.Contains(f.Id))!.Value);
        }

        // A group of the run's rows by why they resolved: those of units that closed, then the others by the rule.
        IEnumerable<(string TargetCode, FindingState State, FindingResolution? Resolution, int Count)> Split(string target, FindingState state, bool unitClosed, int count)
        {
            if (state != FindingState.Resolved)
            {
                yield return (target, state, null, count);
                yield break;
            }

            if (unitClosed)
            {
                yield return (target, state, FindingResolution.UnitClosed, count);
                yield break;
            }

            foreach (var group in resolvedRows.Where(f => f.TargetCode == target).GroupBy(f => why[f.Id]))
                yield return (target, state, group.Key, group.Count());
        }
    }

    public static async Task<IResult> Report(HttpContext http, string? period, string? area, string? format, ReviewReports reports,
        IDbContextFactory<QcdcDbContext> contexts, CancellationToken ct)
    {
        var view = DashboardView.For(http);
        if (await DashboardScope.ForAsync(http, contexts, ct) is not { } scope)
            return Forbidden(view);
        if (scope.Resolve(area, period) is not { } chosen)
            return UnknownArea(view, area);
        if (string.IsNullOrWhiteSpace(period) || !ReviewReports.TryParseFormat(format ?? "docx", out var kind))
            return Message(view, view.T("Yêu cầu không hợp lệ", "Bad request"), view.T("Cần kỳ báo cáo và định dạng docx, xlsx hoặc html.", "A period and a format (docx, xlsx or html) are needed."), 400);
        try
        {
            var file = await reports.WriteAsync(period, chosen.Code, kind, view.Language, ct);
            return kind == ReportFormat.Html
                ? TypedResults.Content(System.Text.Encoding.UTF8.GetString(file.Content), "text/html; charset=utf-8")
                : TypedResults.File(file.Content, file.ContentType, file.FileName);
        }
        catch (EvaluationRequestException e)
        {
            return NotEvaluated(view, e);
        }
    }

    /// <summary>The width a chart is drawn at for a phone: its 12 px text stays 12 px on a 390 px screen.</summary>
    public const int NarrowChartWidth = 340;

    /// <summary>A chart drawn for a wide screen and again for a phone (390 px): the page shows the one that fits, its text never below 12 px.</summary>
    public static string ChartHtml(ChartSpec spec) =>
        $"<div class=\"chart-wide\">{ChartRenderer.Svg(spec)}</div><div class=\"chart-narrow\">{ChartRenderer.Svg(spec, NarrowChartWidth)}</div>";

    /// <summary>A path no page answers, for a signed-in reader: a Vietnamese page that says so.</summary>
    public static IResult NotFound(HttpContext http)
    {
        var view = DashboardView.For(http);
        return Message(view, view.T("Không tìm thấy trang", "Page not found"),
            view.T($"Không có trang {http.Request.Path} trên hệ thống. Hãy kiểm tra lại đường dẫn.", $"There is no page {http.Request.Path}. Check the address."), 404);
    }

    /// <summary>A period or area the engine refuses, said in the page's language; a report refused for the second half names the year report.</summary>
    private static RazorComponentResult NotEvaluated(DashboardView view, EvaluationRequestException e)
    {
        if (e is ReportPeriodRefused refused)
            return Message(view, view.T("Không lập báo cáo cho kỳ này", "No report for this period"), view.T(refused.MessageVi, refused.MessageEn), 400);
        return Message(view, view.T("Không tìm thấy", "Not found"),
            view.T("Kỳ báo cáo này chưa được đánh giá, hoặc mã kỳ không đúng (ví dụ: 2020S1 là 6 tháng đầu năm 2020, 2020 là cả năm 2020).", e.Message), 404);
    }

    internal static RazorComponentResult Page<TPage>(DashboardView view, object model, int status = 200)
        where TPage : Microsoft.AspNetCore.Components.IComponent =>
        new RazorComponentResult<TPage>(new Dictionary<string, object?> { ["View"] = view, ["Model"] = model }) { StatusCode = status };

    internal static RazorComponentResult Message(DashboardView view, string title, string message, int status, string? linkHref = null, string? linkText = null) =>
        Page<MessagePage>(view, new MessageModel(title, message, linkHref, linkText), status);

    /// <summary>An area that does not exist and one outside the principal's get the same answer, naming it as it was typed.</summary>
    private static RazorComponentResult UnknownArea(DashboardView view, string? area) =>
        Message(view, view.T("Không tìm thấy", "Not found"),
            view.T($"Không có địa bàn {area} trong phạm vi của bạn.", $"There is no area {area} in your area."), 404);

    private static RazorComponentResult Forbidden(DashboardView view) =>
        Message(view, view.T("Không có quyền", "Forbidden"), view.T("Địa bàn này nằm ngoài phạm vi của tài khoản đăng nhập.", "This area is outside the area you are signed in for."), 403);
}
