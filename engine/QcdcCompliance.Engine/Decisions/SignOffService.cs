using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using QcdcCompliance.Alerts;
using QcdcCompliance.Audit;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Decisions;

/// <summary>
/// A sign-off or reopening the committee cannot make as asked (already signed off, not signed off, no evaluation yet, no
/// reason), said in English and in Vietnamese: the API, the command line and the dashboard each say both.
/// </summary>
public sealed class SignOffRefusedException(string message, string messageVi) : Exception(message)
{
    public string MessageVi { get; } = messageVi;

    /// <summary>
    /// The Vietnamese as a sentence, capitalised and ended: the API's <c>messageVi</c>, the command line's first line and
    /// the dashboard's message.
    /// </summary>
    public string SentenceVi => EvaluationRequestException.Sentence(MessageVi);
}

/// <summary>What changed after the latest run of a period read it, so that its figures are out of date and a sign-off is refused (English, Vietnamese).</summary>
public sealed record OutOfDate(string English, string Vietnamese)
{
    // The fingerprint holds the engine's build as well (a new version may judge the same data otherwise): said, since a
    // committee that upgraded and changed nothing would look in vain for what changed.
    public static readonly OutOfDate Inputs = new("the values, units, areas or targets, or the version of qcdc that judges them,",
        "số liệu, đơn vị, địa bàn, chỉ tiêu hoặc phiên bản phần mềm đánh giá");
    public static readonly OutOfDate Targets = new("the targets in force", "chỉ tiêu áp dụng");
    public static readonly OutOfDate Values = new("values of its units", "số liệu của các đơn vị");
}

/// <summary>What a sign-off or reopening recorded, and the areas below (with a committee) whose period is still open.</summary>
public sealed record SignOffOutcome(SignOffView SignOff, IReadOnlyList<string> OpenBelow)
{
    /// <summary>
    /// After a reopening: the sign-off that still locks the area's units' values (an area above it, or the year that reads
    /// a half-year), as "2020S1 of HT", or null when they may be imported again.
    /// </summary>
    public string? StillLockedBy { get; init; }

    /// <summary>
    /// After a reopening, what of the area's units' values may be imported again and what stays locked, and by which
    /// sign-off: the year's locks only the first-half counts it adds to the second half's (<see cref="Indicator.ReadByYearFrom"/>),
    /// not a first half's states and yes/no answers (<see cref="StillLockedVi"/> in Vietnamese).
    /// </summary>
    public string? StillLocked { get; init; }

    /// <summary>The same in Vietnamese: the command line's first line, the API's answer for a Vietnamese reader.</summary>
    public string? StillLockedVi { get; init; }
}

/// <summary>
/// A committee signs off an (area, period): the latest run of its province is the period's signed result, and the
/// values of the area's units for the period are locked (every values import refuses a file that touches them, see
/// <see cref="Import.SignOffLocks"/>), and so are the targets that judge it (a target-set import that would change them
/// is refused, see <see cref="Import.SignedTargets"/>), until it is reopened with a reason. Signing off while units have not reported
/// everything needs a reason. Each sign-off and reopening is a link of the audit chain, appended like a finding action.
/// </summary>
public sealed class SignOffService(IDbContextFactory<QcdcDbContext> contexts, FactLoader loader, TimeProvider clock, ILogger<SignOffService> logger,
    AlertOptions? alerts = null)
{
    public const int ReasonLimit = 2000;

    /// <summary>
    /// How long an act waits for the imports of its period (or of units, areas, targets) in flight before it answers
    /// "try again" (409), nothing recorded: below the 120 s command timeout, whose raw error told a committee nothing it
    /// could act on. On SQLite, for the database's one writer, whoever holds it (it waited on: a sign-off under a held
    /// writer was still waiting after six minutes). Setting <c>SignOffs:WaitSeconds</c>.
    /// </summary>
    public TimeSpan TurnWait { get; init; } = DefaultTurnWait;

    /// <summary>The default of <see cref="TurnWait"/>: 60 s.</summary>
    public static readonly TimeSpan DefaultTurnWait = TimeSpan.FromSeconds(60);

    public Task<SignOffOutcome> SignOffAsync(string periodCode, string areaCode, string? reason, string by, CancellationToken ct = default) =>
        RecordAsync(SignOffKind.SignOff, periodCode, areaCode, reason, by, ct);

    public Task<SignOffOutcome> ReopenAsync(string periodCode, string areaCode, string? reason, string by, CancellationToken ct = default) =>
        RecordAsync(SignOffKind.Reopen, periodCode, areaCode, reason, by, ct);

    /// <summary>The area's period when its latest act is a reopening, with the sign-off it reopened; null when signed off or never signed.</summary>
    public async Task<ReopenedSignOff?> ReopenedAsync(string periodCode, string areaCode, CancellationToken ct = default)
    {
        var acts = (await ListAsync(periodCode, areaCode, ct)).Where(a => a.Area == areaCode).ToList();
        return acts.FirstOrDefault() is { Kind: SignOffKind.Reopen } reopening
            ? new ReopenedSignOff(acts.FirstOrDefault(a => a.Kind == SignOffKind.SignOff && a.Id < reopening.Id), reopening)
            : null;
    }

    /// <summary>The sign-offs and reopenings of a period (or every period) for areas in a subtree, newest first.</summary>
    public async Task<IReadOnlyList<SignOffView>> ListAsync(string? periodCode, string? areaCode, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var tree = await db.LoadAreaTreeAsync(ct);
        var periods = await db.Periods.AsNoTracking().ToDictionaryAsync(p => p.Id, ct);
        var query = db.SignOffs.AsNoTracking();
        if (periodCode is not null)
        {
            var period = await PeriodAsync(db, periodCode, ct);
            query = query.Where(s => s.PeriodId == period.Id);
        }

        var rows = await query.OrderByDescending(s => s.Id).ToListAsync(ct);
        if (areaCode is not null)
        {
            var area = tree.Find(areaCode.Trim()) ?? throw new UnknownAreaException(areaCode);
            rows = rows.Where(s => s.AreaId == area.Id || tree.PathOn(s.AreaId, periods[s.PeriodId].End).Any(a => a.Id == area.Id)).ToList();
        }

        return rows.Select(s => View(s, tree, periods[s.PeriodId])).ToList();
    }

    /// <summary>The sign-off in force for an area and period (its latest row, when it is a sign-off), or null.</summary>
    public async Task<SignOffView?> InForceAsync(string periodCode, string areaCode, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var period = await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Code == periodCode.Trim().ToUpper(), ct);
        var tree = await db.LoadAreaTreeAsync(ct);
        if (period is null || tree.Find(areaCode) is not { } area)
            return null;
        var latest = await db.SignOffs.AsNoTracking().Where(s => s.AreaId == area.Id && s.PeriodId == period.Id).OrderByDescending(s => s.Id).FirstOrDefaultAsync(ct);
        return latest is { Kind: SignOffKind.SignOff } ? View(latest, tree, period) : null;
    }

    private async Task<SignOffOutcome> RecordAsync(SignOffKind kind, string periodCode, string areaCode, string? reason, string by, CancellationToken ct)
    {
        var text = ReasonText.Clean(reason);
        if (text?.Length > ReasonLimit)
            throw new SignOffRefusedException($"a reason holds at most {ReasonLimit} characters", $"lý do dài tối đa {ReasonLimit} ký tự; rút gọn lý do");
        if (kind == SignOffKind.Reopen && text is null)
            throw new SignOffRefusedException("a reopening needs a reason (--reason): why the committee reopens the signed figures",
                "mở lại cần ghi lý do: vì sao Ban Chỉ đạo mở lại số liệu đã ký duyệt");
        // A run or another link may take the next link first: then this one is appended after it.
        var outcome = await Resilience.WriteConflicts.ExecuteAsync(async token => await RecordOnceAsync(kind, periodCode, areaCode, text, by, token), ct);
        logger.LogInformation("{Kind} of {Area} for {Period} by {By} as chain link {Sequence}", kind, outcome.SignOff.Area, outcome.SignOff.Period, by,
            outcome.SignOff.ChainSequence);
        return outcome;
    }

    private async Task<SignOffOutcome> RecordOnceAsync(SignOffKind kind, string periodCode, string areaCode, string? reason, string by, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var period = await PeriodAsync(db, periodCode, ct);
        var tree = await db.LoadAreaTreeAsync(ct);
        var area = tree.Find(areaCode.Trim()) ?? throw new UnknownAreaException(areaCode);
        if (kind == SignOffKind.SignOff && AreaEnded.Of(tree, area, period) is { } ended)
            throw Ended(ended, period);
        var province = AreaOutsideProvincesException.ProvinceOf(tree, area, period);

        // The period held alone until this act commits: an import of its values in flight commits first, another
        // sign-off or reopening of it waits and then reads this one (see SignOffTurns); on SQLite, whatever writes first.
        await using var transaction = await SignOffTurns.BeginSignOffAsync(db, period, TurnWait, ct) ?? throw Busy(period, TurnWait, db.Database.IsSqlite());
        var latest = await db.SignOffs.AsNoTracking().Where(s => s.AreaId == area.Id && s.PeriodId == period.Id).OrderByDescending(s => s.Id).FirstOrDefaultAsync(ct);
        long? runId = null;
        var incomplete = 0;
        if (kind == SignOffKind.SignOff)
        {
            if (latest is { Kind: SignOffKind.SignOff })
                throw new SignOffRefusedException($"{period.Code} of {area.Code} is signed off already (by {latest.By}, {VietnamTime.Local(latest.At):dd/MM/yyyy HH:mm}); reopen it first to sign it again",
                    $"số liệu {Alerts.Vietnamese.Period(period)} của {area.Name} đã được ký duyệt (bởi {latest.By}, lúc {VietnamTime.Local(latest.At):HH:mm dd/MM/yyyy}); muốn ký duyệt lại, trước hết mở lại kỳ này");
            runId = await db.ScopeStates.AsNoTracking().Where(s => s.PeriodId == period.Id && s.ScopeAreaId == province.Id).Select(s => (long?)s.LatestRunId)
                .SingleOrDefaultAsync(ct) ?? throw new SignOffRefusedException($"{period.Code} has not been evaluated for {province.Code}: evaluate it first, its figures are what is signed",
                    $"{Alerts.Vietnamese.Period(period)} chưa được đánh giá cho {province.Name}: đánh giá trước, kết quả đánh giá là số liệu được ký duyệt");
            if (await OutOfDateAsync(db, tree, period, province, runId.Value, ct) is { } stale)
                throw new SignOffRefusedException(
                    $"the figures of {period.Code} are out of date: {stale.English} changed after run #{runId} read them, so that run does not judge the values a sign-off "
                    + $"would lock; evaluate {period.Code} first (qcdc evaluate --period {period.Code} --area {province.Code}), or wait for the evaluation an import queued, then sign off",
                    $"kết quả đánh giá {Alerts.Vietnamese.Period(period)} đã cũ: {stale.Vietnamese} đã thay đổi sau lần đánh giá #{runId}, nên kết quả đó không phản ánh "
                    + "số liệu sẽ bị khóa khi ký duyệt; hãy đánh giá lại kỳ này (hoặc chờ lần đánh giá tự động sau khi nhập số liệu hoàn tất) rồi ký duyệt");
            incomplete = await IncompleteUnitsAsync(db, tree, period, area, ct);
            if (incomplete > 0 && reason is null)
                throw new SignOffRefusedException($"{incomplete} unit(s) of {area.Code} have not reported everything they owe for {period.Code}; signing off with units incomplete needs a reason (--reason), which the report prints",
                    $"{incomplete.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("vi-VN"))} cơ sở của {area.Name} chưa báo cáo đủ số liệu {Alerts.Vietnamese.Period(period)}; ký duyệt khi còn cơ sở chưa báo cáo đủ cần ghi lý do (lý do được in trong báo cáo)");
        }
        else if (latest is not { Kind: SignOffKind.SignOff })
            throw new SignOffRefusedException($"{period.Code} of {area.Code} is not signed off; there is nothing to reopen",
                $"số liệu {Alerts.Vietnamese.Period(period)} của {area.Name} chưa được ký duyệt; không có gì để mở lại");

        var row = await AuditChain.AppendAsync(db, new SignOff
        {
            AreaId = area.Id, PeriodId = period.Id, Kind = kind, Reason = reason, By = by, At = AuditChain.Truncate(clock.GetUtcNow().UtcDateTime), RunId = runId,
            IncompleteUnits = incomplete, PreviousHash = "", Hash = "",
        }, AuditChain.HashSignOff, ct);
        await transaction.CommitAsync(ct);
        var outcome = new SignOffOutcome(View(row, tree, period), await OpenBelowAsync(db, tree, period, area, ct));
        if (kind != SignOffKind.Reopen)
            return outcome;
        if ((await Import.SignOffLocks.InForceAsync(db, tree, [period], ct)).Locking(area.Id, period) is not { } above)
            return outcome with { StillLocked = "Its units' values may be imported again.", StillLockedVi = "Số liệu của các đơn vị có thể nhập lại." };
        var lockingPeriod = await db.Periods.AsNoTracking().SingleAsync(p => p.Id == above.PeriodId, ct);
        var (locked, lockedBy) = ($"{lockingPeriod.Code} of {tree[above.AreaId].Code}", tree[above.AreaId]);
        var signOffVi = $"ký duyệt {Alerts.Vietnamese.Period(lockingPeriod)} của {lockedBy.Name}";
        // The year's sign-off reads a half-year through the counts it adds up (Indicator.ReadByYearFrom): those alone stay locked.
        return above.PeriodId == period.Id || lockingPeriod.Type != PeriodType.Year
            ? outcome with
            {
                StillLockedBy = locked,
                StillLocked = $"Its units' values stay locked by the sign-off of {locked}, which is in force still: reopen that too to import them.",
                StillLockedVi = $"Số liệu của các đơn vị vẫn bị khóa bởi {signOffVi}, ký duyệt này vẫn còn hiệu lực: muốn nhập lại, cần mở lại cả kỳ đó.",
            }
            : outcome with
            {
                StillLockedBy = locked,
                StillLocked = $"The counts of its units for {period.Code} that {lockingPeriod.Code} adds to the second half's stay locked by the sign-off of {locked}, "
                              + $"which is in force still: reopen that too to import them; their other values for {period.Code} (states, yes/no answers) may be imported again.",
                StillLockedVi = $"Các số đếm {Alerts.Vietnamese.Period(period)} của các đơn vị mà {Alerts.Vietnamese.Period(lockingPeriod)} cộng dồn với 6 tháng cuối năm "
                                + $"vẫn bị khóa bởi {signOffVi}, ký duyệt này vẫn còn hiệu lực: muốn nhập lại các số đó, cần mở lại cả kỳ năm; "
                                + $"các số liệu khác {Alerts.Vietnamese.Period(period)} (tình trạng, câu trả lời có/không) có thể nhập lại.",
            };
    }

    /// <summary>
    /// The answer when writes of the period stay in flight longer than an act may wait: nothing was recorded, try again.
    /// SQLite does not say who holds its one writer: any write of the database (an import of any period, a run being
    /// stored, another act, in this process or another), so the answer names those.
    /// </summary>
    private static SignOffRefusedException Busy(Period period, TimeSpan waited, bool sqlite) => sqlite ? new(
        $"the database is being written by another task (an import, an evaluation storing its run, or another sign-off) that did not finish within {waited.TotalSeconds:0} s; "
        + "nothing was recorded: try again in a few minutes, once it has finished",
        $"cơ sở dữ liệu đang được một việc khác ghi (nhập số liệu, lưu kết quả đánh giá hoặc một lần ký duyệt khác) chưa xong sau {waited.TotalSeconds:0} giây; "
        + "chưa có gì được ghi nhận: vui lòng thử lại sau ít phút, khi việc đó đã hoàn tất") : new(
        $"an import of {period.Code} (its values, or the units, areas or targets) is being stored and did not finish within {waited.TotalSeconds:0} s; "
        + "nothing was recorded: try again in a few minutes, once it has finished",
        $"đang lưu một lần nhập số liệu {Alerts.Vietnamese.Period(period)} (số liệu, đơn vị, địa bàn hoặc chỉ tiêu) chưa xong sau {waited.TotalSeconds:0} giây; "
        + "chưa có gì được ghi nhận: vui lòng thử lại sau ít phút, khi việc nhập đã hoàn tất");

    /// <summary>
    /// An area that no longer existed on the period's last day holds no unit then and locks nothing (the lock follows where
    /// units sit on that day), so its sign-off would be a signed "0 units incomplete" over figures its successor's keys
    /// still change. Refused in the words the overview and <c>/api/compliance</c> use, naming its end and successors.
    /// </summary>
    private static SignOffRefusedException Ended(AreaEnded ended, Period period)
    {
        var vi = Reports.ReportWording.Vietnamese.AreaEndedInFull(ended, period);
        var en = Reports.ReportWording.English.AreaEndedInFull(ended, period);
        var now = ended.Successors.Concat(ended.FormerAreasNow).ToList();
        var (signedBy, signedByVi) = now.Count == 0 ? ("", "")
            : ($"; the committee of {string.Join(", ", now.Select(a => a.Code))} signs off its former units",
                $"; Ban Chỉ đạo của {string.Join(", ", now.Select(a => a.Name))} ký duyệt số liệu các cơ sở trước đây thuộc địa bàn này");
        // No final stop: the dashboard ends the sentence (SignOffForms), the command line and the API print it as it is.
        return new SignOffRefusedException($"{period.Code} of {ended.Area.Code} cannot be signed off: {en.TrimEnd('.')}{signedBy}",
            $"không ký duyệt được {Alerts.Vietnamese.Period(period)} của {ended.Area.Name}: {vi.TrimEnd('.')}{signedByVi}");
    }

    /// <summary>
    /// Whether a sign-off of the area now would be refused because the province's latest run no longer judges the data as
    /// it stands (see <see cref="OutOfDate"/>): what changed, or null when it is current or the period was never evaluated.
    /// The overview asks, so as to say so instead of offering to sign.
    /// </summary>
    public async Task<OutOfDate?> OutOfDateAsync(string periodCode, string areaCode, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var period = await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Code == periodCode.Trim().ToUpper(), ct);
        var tree = await db.LoadAreaTreeAsync(ct);
        if (period is null || tree.Find(areaCode.Trim()) is not { } area || tree.ProvinceOn(area.Id, period.End) is not { } province)
            return null;
        var runId = await db.ScopeStates.AsNoTracking().Where(s => s.PeriodId == period.Id && s.ScopeAreaId == province.Id).Select(s => (long?)s.LatestRunId)
            .SingleOrDefaultAsync(ct);
        return runId is null ? null : await OutOfDateAsync(db, tree, period, tree[province.Id], runId.Value, ct);
    }

    /// <summary>
    /// The signed result must be the judgement of the values the sign-off locks: a sign-off right after an import (its
    /// re-evaluation still queued, or <c>--no-evaluate</c>) took the run from before it, whose verdicts the locked values
    /// contradicted, and every later run of the period was refused. A full run stores the fingerprint of every input it
    /// read (<see cref="InputFingerprint"/>, as a re-run over unchanged data is found), taken again here as that run
    /// took it; a run that re-evaluated only the changed units of a warm session stores none, so for it a value of the
    /// province's units for the period changed since it began, or the targets in force, tell instead.
    /// </summary>
    private async Task<OutOfDate?> OutOfDateAsync(QcdcDbContext db, AreaTree tree, Period period, Area province, long runId, CancellationToken ct)
    {
        var run = await db.EvaluationRuns.AsNoTracking().Where(r => r.Id == runId).Select(r => new { r.StartedAt, r.InputFingerprint, r.RuleSetVersion }).SingleAsync(ct);
        var paths = FactLoader.PathsIn(period, province, tree);
        var version = await loader.VersionAsync(db, period, province, ct);
        if (run.InputFingerprint is { } read)
        {
            var (now, _) = await FactLoader.FingerprintAsync(db, period, province, tree, paths, version, EarlyWarning.Open(period, run.StartedAt), ct);
            return now == read ? null : OutOfDate.Inputs;
        }

        if (version != run.RuleSetVersion)
            return OutOfDate.Targets;
        var periods = new List<int> { period.Id };
        var firstHalf = 0;
        if (period.Type == PeriodType.Year)
        {
            var (first, second) = Period.HalvesOf(period.Year);
            var halves = await db.Periods.AsNoTracking().Where(p => p.Code == first || p.Code == second).Select(p => new { p.Id, p.Code }).ToListAsync(ct);
            periods.AddRange(halves.Select(h => h.Id));
            firstHalf = halves.FirstOrDefault(h => h.Code == first)?.Id ?? 0;
        }

        // Of the first half, what the year reads (its counts), as its run's fingerprint holds.
        var readOfFirst = IndicatorCatalogue.All.Where(i => i.ReadByYearFrom(1)).Select(i => i.Id).ToList();
        var changedIn = await db.DataValueAudits.AsNoTracking()
            .Where(a => periods.Contains(a.PeriodId) && a.ChangedAt >= run.StartedAt && (a.PeriodId != firstHalf || readOfFirst.Contains(a.IndicatorId)))
            .Join(db.Units, a => a.UnitId, u => u.Id, (a, u) => u.AreaId).Distinct().ToListAsync(ct);
        return changedIn.Any(paths.ContainsKey) ? OutOfDate.Values : null;
    }

    /// <summary>Units in the area's subtree with an open REPORTED finding: they have not reported everything they owe.</summary>
    private static async Task<int> IncompleteUnitsAsync(QcdcDbContext db, AreaTree tree, Period period, Area area, CancellationToken ct)
    {
        var unitAreas = await db.Findings.AsNoTracking()
            .Where(f => f.PeriodId == period.Id && f.TargetCode == ReportingTarget.Code && f.SubjectType == SubjectType.Unit && f.SupersededByRunId == null
                        && f.State != FindingState.Resolved)
            .Join(db.Units, f => f.SubjectId, u => u.Id, (f, u) => u.AreaId)
            .ToListAsync(ct);
        return unitAreas.Count(a => tree.PathOn(a, period.End).Any(p => p.Id == area.Id));
    }

    /// <summary>
    /// The areas below with a committee (an address in <c>Alerts:Committees</c>, or a sign-off of their own for the
    /// period at some time) whose period is not signed off now.
    /// </summary>
    private async Task<List<string>> OpenBelowAsync(QcdcDbContext db, AreaTree tree, Period period, Area area, CancellationToken ct)
    {
        var below = tree.Subtree(area.Id).Where(id => id != area.Id && tree.PathOn(id, period.End).Any(a => a.Id == area.Id)).ToHashSet();
        var rows = await db.SignOffs.AsNoTracking().Where(s => s.PeriodId == period.Id).ToListAsync(ct);
        var latest = rows.Where(s => below.Contains(s.AreaId)).GroupBy(s => s.AreaId).ToDictionary(g => g.Key, g => g.MaxBy(s => s.Id)!.Kind);
        return below
            .Where(id => latest.ContainsKey(id) || (alerts?.CommitteeOf(tree[id].Code).Count ?? 0) > 0)
            .Where(id => latest.GetValueOrDefault(id, SignOffKind.Reopen) != SignOffKind.SignOff)
            .Select(id => tree[id].Code).Order(StringComparer.Ordinal).ToList();
    }

    // The period and the area asked, refused in English and in Vietnamese as every other refusal of a sign-off is (the command line says both).
    private static async Task<Period> PeriodAsync(QcdcDbContext db, string periodCode, CancellationToken ct)
    {
        if (!PeriodCode.TryParse(periodCode, out var code))
            throw new NotAPeriodException(periodCode);
        return await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Code == code.Code, ct)
               ?? throw new EvaluationRequestException($"period {periodCode} has no stored data and no evaluation",
                   $"{Alerts.Vietnamese.Period(code.Code)} chưa có số liệu nào và chưa được đánh giá");
    }

    private static SignOffView View(SignOff s, AreaTree tree, Period period) =>
        new(s.Id, tree[s.AreaId].Code, tree[s.AreaId].Name, period.Code, s.Kind, s.Reason, s.By, s.At, s.RunId, s.IncompleteUnits, s.ChainSequence, s.Hash);
}
