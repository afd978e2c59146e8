using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Findings;

/// <summary>A finding as its readers see it: its state relative to the latest run of its period and scope.</summary>
public sealed record FindingView(
    long Id,
    string Period,
    string TargetCode,
    SubjectType SubjectType,
    int SubjectId,
    string SubjectCode,
    string SubjectName,
    FindingState State,
    Severity Severity,
    Measurement Measurement,
    long RunId,
    long FirstRunId,
    int ScopeAreaId,
    string Evidence)
{
    /// <summary>
    /// For a resolved finding of a unit no longer active on its period's last day, that unit's last active day
    /// (<see cref="ClosedUnits.LeftOn"/>): it left the population, it did not put the shortfall right. Null otherwise.
    /// </summary>
    public DateOnly? UnitClosedOn { get; init; }

    /// <summary>
    /// For a resolved finding, whether its target no longer judges its subject (<see cref="UnjudgedSubjects"/>): the set
    /// re-dated, re-scoped away from the subject's area, or the target dropped. Nothing was put right.
    /// </summary>
    public bool NoLongerEvaluated { get; init; }

    /// <summary>
    /// Why a resolved finding resolved (null while it is open), by <see cref="FindingResolutions.Of"/>: the unit put it
    /// right, the unit closed, the target no longer judges it, or the unit left the target's population.
    /// </summary>
    public FindingResolution? Resolution => FindingResolutions.Of(State, SubjectType, Measurement.Outcome, Because, UnitClosedOn, NoLongerEvaluated);

    /// <summary>
    /// For a finding that resolved as <see cref="FindingResolution.LeftPopulation"/>, why its run did not measure the
    /// unit, as the resolving row's evidence says (null when it does not say).
    /// </summary>
    public NotMeasuredBecause? LeftBecause => Resolution == FindingResolution.LeftPopulation ? Because : null;

    /// <summary>Why the resolving row's run did not measure the subject, from its evidence (read only for a resolved row that measured nothing).</summary>
    private NotMeasuredBecause? Because => State == FindingState.Resolved ? FindingResolutions.Because(Measurement.Outcome, Evidence) : null;
}

/// <summary>
/// Why a finding is recorded <see cref="FindingState.Resolved"/>: DESIGN records every finding that disappears so, but
/// "khắc phục" (remedied) tells a committee the unit put it right, which a unit that closed did not.
/// </summary>
public enum FindingResolution
{
    /// <summary>The subject meets the target now (or, for an area, its share does).</summary>
    Remedied,

    /// <summary>The unit closed before the period's last day: it left the population, and nothing was put right.</summary>
    UnitClosed,

    /// <summary>
    /// The target no longer judges the subject in the period (its set re-dated or re-scoped away from the subject's area,
    /// or the target dropped): nothing was put right.
    /// </summary>
    NoLongerEvaluated,

    /// <summary>
    /// The run that resolved it did not measure the unit, which neither closed nor lost its target: it left the target's
    /// population (moved out of the province, changed kind, lost its trade union; <see cref="NotMeasuredBecause"/>).
    /// Nothing was put right.
    /// </summary>
    LeftPopulation,
}

/// <summary>What to list: a period, and optionally a target, an area subtree, a unit, a state, a severity.</summary>
public sealed record FindingFilter(string Period)
{
    public string? Target { get; init; }
    public string? Area { get; init; }
    public string? Unit { get; init; }
    public FindingState? State { get; init; }
    public Severity? Severity { get; init; }

    /// <summary>
    /// Resolved findings listed whichever run resolved them, until the finding comes back (a subject's history: a unit's
    /// findings across periods, which a later run that changes nothing must not empty); by default only the latest run's.
    /// </summary>
    public bool KeepResolved { get; init; }

    /// <summary>
    /// The findings as this run (of <see cref="Period"/>) left them, instead of the current ones: what a sign-off since
    /// reopened signed, say. The rows of its scope it wrote or kept (recorded by it or before it, superseded only
    /// after it); New only when it opened them, Resolved only when it resolved them.
    /// </summary>
    public long? Run { get; init; }

    /// <summary>Given a set's scope code (null for national), whether the asker may know the set: a target defined only by others reads as unknown.</summary>
    public Func<string?, bool>? MayKnowSet { get; init; }
}

/// <summary>A run whose findings are read as it left them (<see cref="FindingQueries.RunAsOfAsync"/>).</summary>
public sealed record RunAsOf(long Id, string Period, int ScopeAreaId, RunStatus Status, long? PreviousRunId)
{
    /// <summary>Why its findings cannot be read as it left them, when a period is given that is not its own (named as the asker names it: "period", "--period"); null otherwise.</summary>
    /// <remarks>In English and in Vietnamese (the command line's first line, the API's <c>messageVi</c>), as every run refusal.</remarks>
    public EvaluationRequestException? NotOf(string? period, string periodNamed) => period is null || string.Equals(period.Trim(), Period, StringComparison.OrdinalIgnoreCase)
        ? null
        : new EvaluationRequestException($"run {Id} is a run of {Period}, not of {period.Trim()}; give its period or leave {periodNamed} out",
            $"lần đánh giá #{Id} là của kỳ {Period}, không phải của kỳ {period.Trim()}: ghi đúng kỳ của nó, hoặc bỏ {periodNamed}");

    /// <summary>Why a run that did not complete (failed, or running still) has no findings to read; null for a completed one.</summary>
    public EvaluationRequestException? RecordedNothing => Status == RunStatus.Completed
        ? null
        : new EvaluationRequestException(
            $"run {Id} is {Status.ToString().ToLowerInvariant()} and recorded no findings{(PreviousRunId is { } previous ? $"; the findings stood as run {previous} left them" : "")}",
            $"lần đánh giá #{Id} {(Status == RunStatus.Running ? "đang chạy" : "bị lỗi")} nên không ghi nhận phát hiện nào"
            + (PreviousRunId is { } before ? $"; các phát hiện vẫn như lần đánh giá #{before} để lại" : ""));

    /// <summary>A run id that no run has, as the command line refuses it.</summary>
    public static EvaluationRequestException Unknown(long id) => new(
        $"run {id} is unknown: give the id of a run, as 'qcdc evaluate' (run #N) and 'qcdc signoff list' print it",
        $"không có lần đánh giá #{id}: ghi mã của một lần đánh giá, như 'qcdc evaluate' (run #N) và 'qcdc signoff list' in ra");
}

/// <summary>
/// Reads the current findings: for each (period, scope), the rows no later run superseded, Resolved ones only when the
/// latest run resolved them (every one, for <see cref="FindingFilter.KeepResolved"/>). A row recorded New by an earlier
/// run reads as Persisting.
/// </summary>
public sealed class FindingQueries(IDbContextFactory<QcdcDbContext> contexts)
{
    /// <summary>The filtered current findings as a query, for paging (ordered by target, subject code, id).</summary>
    public async Task<IQueryable<Finding>> CurrentAsync(QcdcDbContext db, FindingFilter filter, CancellationToken ct)
    {
        var period = await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Code == filter.Period.Trim().ToUpper(), ct)
                     ?? throw new PeriodNotEvaluatedException(filter.Period);
        IQueryable<Finding> query;
        if (filter.Run is { } asOf)
        {
            // A scope's runs are recorded one after another, each after the one it compares with: ids grow along its chain.
            var scopeId = await db.EvaluationRuns.AsNoTracking().Where(r => r.Id == asOf && r.PeriodId == period.Id).Select(r => (int?)r.ScopeAreaId).SingleOrDefaultAsync(ct)
                          ?? throw new EvaluationRequestException($"run {asOf} is not a run of {period.Code}",
                              $"lần đánh giá #{asOf} không phải của kỳ {period.Code}: kiểm tra lại mã lần đánh giá (mã do qcdc evaluate và qcdc signoff list in ra)");
            query = db.Findings.AsNoTracking().Where(f => f.PeriodId == period.Id && f.ScopeAreaId == scopeId && f.RunId <= asOf
                                                          && (f.SupersededByRunId == null || f.SupersededByRunId > asOf));
            if (!filter.KeepResolved)
                query = query.Where(f => f.State != FindingState.Resolved || f.RunId == asOf);
        }
        else
        {
            query = db.Findings.AsNoTracking().Where(f => f.PeriodId == period.Id && f.SupersededByRunId == null);
            if (!filter.KeepResolved)
                query = query.Where(f => f.State != FindingState.Resolved || db.ScopeStates.Any(s => s.PeriodId == f.PeriodId && s.ScopeAreaId == f.ScopeAreaId && s.LatestRunId == f.RunId));
        }

        if (filter.Target is { } target)
        {
            var code = await TargetCodes.CanonicalAsync(db, target, ct, filter.MayKnowSet) ?? throw new UnknownTargetException(target);
            query = query.Where(f => f.TargetCode == code);
        }

        if (filter.Severity is { } severity)
            query = query.Where(f => f.Severity == severity);

        if (filter.State is { } stateAsOf && filter.Run is { } run)
        {
            query = stateAsOf switch
            {
                FindingState.New => query.Where(f => f.State == FindingState.New && f.RunId == run),
                FindingState.Persisting => query.Where(f => f.State == FindingState.Persisting || (f.State == FindingState.New && f.RunId != run)),
                _ => query.Where(f => f.State == FindingState.Resolved),
            };
        }
        else if (filter.State is { } state)
        {
            query = state switch
            {
                FindingState.New => query.Where(f => f.State == FindingState.New
                    && db.ScopeStates.Any(s => s.PeriodId == f.PeriodId && s.ScopeAreaId == f.ScopeAreaId && s.LatestRunId == f.RunId)),
                FindingState.Persisting => query.Where(f => f.State == FindingState.Persisting
                    || (f.State == FindingState.New && !db.ScopeStates.Any(s => s.PeriodId == f.PeriodId && s.ScopeAreaId == f.ScopeAreaId && s.LatestRunId == f.RunId))),
                _ => query.Where(f => f.State == FindingState.Resolved),
            };
        }

        if (filter.Unit is { } unitCode)
        {
            var unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Code == unitCode.Trim().ToUpper(), ct)
                       ?? throw new EvaluationRequestException($"unknown unit {unitCode}", $"không có đơn vị {unitCode}");
            query = query.Where(f => f.SubjectType == SubjectType.Unit && f.SubjectId == unit.Id);
        }

        if (filter.Area is { } areaCode)
        {
            var tree = await db.LoadAreaTreeAsync(ct);
            var area = tree.Find(areaCode) ?? throw new UnknownAreaException(areaCode);
            // A unit that moved since the period's last day is found where it sat then.
            query = (await FindingPlaces.OnAsync(db, period.End, ct)).In(query, tree.Subtree(area.Id).ToList());
        }

        return query.InListOrder();
    }

    /// <summary>
    /// A run whose findings are asked for as it left them (<see cref="FindingFilter.Run"/>): its period and province, and
    /// why it cannot be read so; null for an id that is no run. The API's <c>?run=</c> and <c>qcdc findings --run</c>.
    /// </summary>
    public static Task<RunAsOf?> RunAsOfAsync(QcdcDbContext db, long id, CancellationToken ct) =>
        db.EvaluationRuns.AsNoTracking().Where(r => r.Id == id)
            .Select(r => new RunAsOf(r.Id, db.Periods.Where(p => p.Id == r.PeriodId).Select(p => p.Code).Single(), r.ScopeAreaId, r.Status, r.PreviousRunId))
            .SingleOrDefaultAsync(ct);

    /// <summary>Every current finding of the filter, with names and display states, sorted by target then subject code.</summary>
    public async Task<IReadOnlyList<FindingView>> ListAsync(FindingFilter filter, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await (await CurrentAsync(db, filter, ct)).ToListAsync(ct);
        return await ViewsAsync(db, rows, ct);
    }

    /// <summary>
    /// Names and display states for stored rows, in the order given. One rule for a row's state: a row recorded New reads
    /// New as of the run that recorded it and Persisting as of any later run; the rows are read as of
    /// <paramref name="asOfRun"/>, else as of the latest run of their scope, except a row a later run superseded, which is
    /// read as its own run recorded it (what it became is <see cref="LinksAsync"/>'s): the latest run may have resolved
    /// it, and a superseded New row read as Persisting would call a shortfall put right since "not put right".
    /// </summary>
    /// <param name="asOfRun">The run the rows are read as of (<see cref="FindingFilter.Run"/>): New is its own; null for the latest run of each scope.</param>
    public static async Task<IReadOnlyList<FindingView>> ViewsAsync(QcdcDbContext db, IReadOnlyList<Finding> rows, CancellationToken ct, long? asOfRun = null)
    {
        var periodIds = rows.Select(r => r.PeriodId).Distinct().ToList();
        var periods = await db.Periods.AsNoTracking().Where(p => periodIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => new { p.Code, p.End }, ct);
        var latest = (await db.ScopeStates.AsNoTracking().Where(s => periodIds.Contains(s.PeriodId)).ToListAsync(ct))
            .ToDictionary(s => (s.PeriodId, s.ScopeAreaId), s => s.LatestRunId);
        var unitIds = rows.Where(r => r.SubjectType == SubjectType.Unit).Select(r => r.SubjectId).Distinct().ToList();
        var areaIds = rows.Where(r => r.SubjectType == SubjectType.Area).Select(r => r.SubjectId).Distinct().ToList();
        // The ids written into the statement (integers read from the database): a list of 5,000 parameters took SQLite's
        // driver 0.1-0.13 s to bind, most of a 5,000-row chunk of an export (16 s for a province's 498,788 findings).
        var unitNames = new Dictionary<int, (string Name, DateOnly? ActiveTo)>();
        var u = Names.Of<Unit>(db);
        foreach (var chunk in unitIds.Chunk(5000))
        {
            var sql = $"SELECT {u[nameof(Unit.Id)]}, {u[nameof(Unit.Name)]}, {u[nameof(Unit.ActiveTo)]} FROM {u.Table} WHERE {u[nameof(Unit.Id)]} IN ({Names.List(chunk)})";
            foreach (var (id, name, activeTo) in await PlainSql.ListAsync(db, sql, r => (r.GetInt32(0), r.GetString(1), r.NullableDate(2)), ct))
                unitNames[id] = (name, activeTo);
        }

        var areaNames = await db.Areas.AsNoTracking().Where(a => areaIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var unjudged = await UnjudgedSubjects.AmongAsync(db, rows, ct);
        return rows.Select(f =>
        {
            var isLatest = (asOfRun ?? (f.SupersededByRunId is null ? latest.GetValueOrDefault((f.PeriodId, f.ScopeAreaId)) : f.RunId)) == f.RunId;
            var state = f.State == FindingState.New && !isLatest ? FindingState.Persisting : f.State;
            var period = periods[f.PeriodId];
            var unit = f.SubjectType == SubjectType.Unit && unitNames.TryGetValue(f.SubjectId, out var known) ? known : default;
            var name = (f.SubjectType == SubjectType.Unit ? unit.Name : areaNames.GetValueOrDefault(f.SubjectId)) ?? f.SubjectCode;
            return new FindingView(f.Id, period.Code, f.TargetCode, f.SubjectType, f.SubjectId, f.SubjectCode, name, state, f.Severity,
                f.Measurement, f.RunId, f.FirstRunId, f.ScopeAreaId, f.Evidence)
            {
                UnitClosedOn = f.SubjectType == SubjectType.Unit ? ClosedUnits.LeftOn(state, unit.ActiveTo, period.End) : null,
                NoLongerEvaluated = unjudged.Contains(f.Id),
            };
        }).ToList();
    }

    /// <summary>
    /// A row's neighbours among the versions of its finding (same period, scope, target and subject): the row it
    /// superseded (for a resolving row, the shortfall it closed, with its figures) and the row that superseded it (what
    /// became of it: resolved, rewritten, reopened), each read by <see cref="ViewsAsync"/>'s rule.
    /// </summary>
    public static async Task<FindingLinks> LinksAsync(QcdcDbContext db, Finding row, CancellationToken ct)
    {
        var versions = db.Findings.AsNoTracking().Where(f => f.PeriodId == row.PeriodId && f.ScopeAreaId == row.ScopeAreaId && f.TargetCode == row.TargetCode
                                                             && f.SubjectType == row.SubjectType && f.SubjectId == row.SubjectId);
        var previous = await versions.WithoutEvidence().Where(f => f.SupersededByRunId == row.RunId && f.Id != row.Id).OrderByDescending(f => f.Id).FirstOrDefaultAsync(ct);
        var next = row.SupersededByRunId is { } by
            ? await versions.WithoutEvidence().Where(f => f.RunId == by).OrderBy(f => f.Id).FirstOrDefaultAsync(ct)
            : null;
        var views = await ViewsAsync(db, new[] { previous, next }.OfType<Finding>().ToList(), ct);
        return new FindingLinks(previous is null ? null : views[0], next is null ? null : views[^1]);
    }
}

/// <summary>The versions beside a finding's row: the one it superseded and the one that superseded it (<see cref="FindingQueries.LinksAsync"/>).</summary>
public sealed record FindingLinks(FindingView? Previous, FindingView? Next)
{
    public static readonly FindingLinks None = new(null, null);
}

public static class FindingOrder
{
    /// <summary>The order of every list of findings: by target, then subject code, then id (a cursor's key).</summary>
    public static IOrderedQueryable<Finding> InListOrder(this IQueryable<Finding> query) =>
        query.OrderBy(f => f.TargetCode).ThenBy(f => f.SubjectCode).ThenBy(f => f.Id);

    /// <summary>
    /// The rows without their evidence (read as empty): for lists that do not show it, whose rows can be many. A resolving
    /// row that measured nothing keeps its own (a header, and why its run measured nothing): its resolution reads it
    /// (<see cref="FindingResolutions"/>).
    /// </summary>
    public static IQueryable<Finding> WithoutEvidence(this IQueryable<Finding> query) => query.Select(f => new Finding
    {
        Id = f.Id, RunId = f.RunId, PeriodId = f.PeriodId, ScopeAreaId = f.ScopeAreaId, TargetCode = f.TargetCode, SubjectType = f.SubjectType,
        SubjectId = f.SubjectId, SubjectCode = f.SubjectCode, State = f.State, Severity = f.Severity, Measurement = f.Measurement, FirstRunId = f.FirstRunId,
        SupersededByRunId = f.SupersededByRunId, PackedEvidence = f.Measurement.Outcome == FindingOutcome.NotMeasured ? f.PackedEvidence : NoEvidence,
    });

    private static readonly byte[] NoEvidence = [];
}
