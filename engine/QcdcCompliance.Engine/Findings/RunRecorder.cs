using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Audit;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Findings;

/// <summary>
/// What a stored run changed, for whoever acts on it in the same transaction (the alert outbox). <see cref="Open"/>
/// holds the findings the run evaluated: all of the scope's open findings for a full run, only those of the units
/// that changed for an incremental one.
/// </summary>
public sealed record RecordedRun(
    EvaluationRun Run,
    Period Period,
    Area Scope,
    IReadOnlyList<FindingDraft> New,
    IReadOnlyList<Finding> Resolved,
    IReadOnlyList<FindingDraft> Open)
{
    /// <summary>Every finding of the scope open after the run (see <see cref="RunInput.OpenAfter"/>).</summary>
    public required IReadOnlyCollection<FindingDraft> OpenAfter { get; init; }

    /// <summary>The report the evaluation saw for a unit of the scope, or null for a unit it did not see.</summary>
    public required Func<int, UnitReport?> Report { get; init; }

    /// <summary>Every report the evaluation saw, those <see cref="Report"/> finds (null where a warm scope's unit was retracted).</summary>
    public required IReadOnlyList<UnitReport?> Reports { get; init; }

    /// <summary>Whether <see cref="Reports"/> is a warm scope's list, kept for the changes after the run (see <see cref="RunInput.KeptWarm"/>).</summary>
    public bool KeptWarm { get; init; }

    /// <summary>When the scope's previous run of the period started, or null for its first: what it could tell a unit depended on the deadline.</summary>
    public DateTime? PreviousRunStartedAt { get; init; }

    /// <summary>
    /// The outcome in the previous run of each finding still open whose outcome this run changed (a unit's missing figures
    /// since reported, short): a unit is not told of missing data before the deadline, and is told once its figures show a shortfall.
    /// </summary>
    public IReadOnlyDictionary<FindingKey, FindingOutcome> OutcomeBefore { get; init; } = new Dictionary<FindingKey, FindingOutcome>();

    /// <summary>
    /// The path (area codes, nearest first) the previous run recorded for each unit finding still open whose unit this
    /// run places elsewhere (<see cref="MovedUnits"/>): the committees of the areas it left and entered are told.
    /// </summary>
    public IReadOnlyDictionary<FindingKey, string[]> PathBefore { get; init; } = new Dictionary<FindingKey, string[]>();

    /// <summary>
    /// The resolved row each New finding of the run reopens (its key fell short before, was resolved by an earlier run, and
    /// falls short again): what acts on the run can tell why it had resolved (<see cref="UnjudgedSubjects"/>).
    /// </summary>
    public IReadOnlyDictionary<FindingKey, Finding> Reopened { get; init; } = new Dictionary<FindingKey, Finding>();

    /// <summary>
    /// The row each <see cref="Resolved"/> one supersedes: the shortfall it closes, with its figures (the resolving row
    /// holds what this run read, <see cref="ResolvingMeasure"/>).
    /// </summary>
    public IReadOnlyDictionary<FindingKey, Finding> ResolvedFrom { get; init; } = new Dictionary<FindingKey, Finding>();

    /// <summary>The area a unit of the scope sits in, or null for a unit the evaluation did not see.</summary>
    public int? UnitArea(int unitId) => Report(unitId)?.Unit.Path[0].Id;
}

/// <summary>
/// What one evaluation computed for a scope. A full run holds every open finding and area result; an incremental run
/// (<see cref="BuildsOn"/> set) holds only the findings and roll-ups that changed, and the keys that stopped falling
/// short in <see cref="Removed"/>.
/// </summary>
public sealed record RunInput(
    Period Period,
    Area Scope,
    string RuleSetVersion,
    int UnitsEvaluated,
    RunTrigger Trigger,
    DateTime StartedAt,
    IReadOnlyList<FindingDraft> Findings,
    IReadOnlyList<AreaResultDraft> Areas)
{
    public IReadOnlySet<FindingKey>? Removed { get; init; }
    public long? BuildsOn { get; init; }

    /// <summary>A full run's <see cref="Evaluation.InputFingerprint"/>; null for an incremental run (never repeated without evaluating).</summary>
    public string? InputFingerprint { get; init; }

    /// <summary>
    /// Every finding of the scope open once this run is stored, as the evaluation holds them in memory (a full run's
    /// findings; a warm session's open set with the run's changes applied), so that what acts on the run need not read
    /// them back. Only trusted because a run is stored on the predecessor it was computed from, or not at all.
    /// </summary>
    public required IReadOnlyCollection<FindingDraft> OpenAfter { get; init; }

    /// <summary>The report the evaluation saw for a unit of the scope (its area, what it owed and missed), or null for a unit it did not see.</summary>
    public required Func<int, UnitReport?> Report { get; init; }

    /// <summary>
    /// Every report the evaluation saw, those <see cref="Report"/> finds (null where a warm scope's unit was retracted;
    /// a warm scope passes the same list every time, which the committee digest's late count is kept for).
    /// </summary>
    public required IReadOnlyList<UnitReport?> Reports { get; init; }

    /// <summary>
    /// Whether <see cref="Reports"/> is the list a warm scope keeps: what acts on the run may prepare what the changes
    /// after it will ask of that list, even when the run itself changed nothing.
    /// </summary>
    public bool KeptWarm { get; init; }

    /// <summary>
    /// The facts the run measured: what the row resolving a finding says the run read for its subject
    /// (<see cref="ResolvingMeasure"/>); null for a caller without them, whose resolving rows then say nothing was measured.
    /// </summary>
    public ScopeFacts? Facts { get; init; }

    public bool Incremental => BuildsOn is not null;
}

/// <summary>An incremental run whose base is no longer the scope's latest run: evaluate the scope afresh instead.</summary>
public sealed class StaleScopeException(string message) : Exception(message);

/// <summary>Something written in the transaction that stores a run, so it exists if and only if the run does.</summary>
public interface IRunContributor
{
    /// <summary>
    /// What can be worked out ahead from the run's findings alone: no database, and the run has its id but not yet its
    /// chain link or finish time. Called on another core while the run's rows are written (a province's first run keeps
    /// one core writing and the other half idle); what it returns is given to <see cref="ContributeAsync"/>.
    /// </summary>
    object? Prepare(RecordedRun run) => null;

    /// <param name="prepared">What <see cref="Prepare"/> returned for this run.</param>
    Task ContributeAsync(QcdcDbContext db, RecordedRun run, object? prepared, CancellationToken ct);
}

/// <summary>
/// Stores a run with its findings and area results in one transaction, compared with the previous completed run of
/// the same period and scope: a new key is <c>New</c>; a key still short is <c>Persisting</c> and written again only
/// if what it says changed; a key gone is recorded <c>Resolved</c>, with what this run read of its subject. The run is appended to the audit chain in the same
/// transaction. Two runs that raced on one scope cannot both commit on the same predecessor: the loser retries.
/// </summary>
public sealed class RunRecorder(IDbContextFactory<QcdcDbContext> contexts, IEnumerable<IRunContributor> contributors, TimeProvider clock)
{
    private readonly IRunContributor[] _contributors = [.. contributors];

    /// <summary>From how many New and Resolved findings a run's <see cref="IRunContributor.Prepare"/> runs on another core.</summary>
    internal const int PrepareAside = 1024;

    /// <summary>A full run: every open finding and area result of the scope, computed from facts whose fingerprint the run keeps.</summary>
    public Task<EvaluationRun> RecordAsync(ScopeFacts facts, IReadOnlyList<FindingDraft> findings, IReadOnlyList<AreaResultDraft> areas,
        RunTrigger trigger, DateTime startedAt, CancellationToken ct, string? fingerprint = null, IReadOnlyList<UnitReport?>? reports = null) =>
        RecordAsync(new RunInput(facts.Period, facts.Scope, facts.RuleSetVersion, facts.Reports.Count, trigger, startedAt, findings, areas)
        {
            OpenAfter = findings,
            Report = Reports(facts.Reports),
            Reports = reports ?? facts.Reports,
            KeptWarm = reports is not null,
            InputFingerprint = fingerprint,
            Facts = facts,
        }, ct);

    /// <summary>
    /// A full run over facts with the same fingerprint as the scope's latest run, stored as that comparison would store
    /// it, without the comparison: the run (no finding, no area result written, every open finding persisting, nothing
    /// new or resolved, so no alert) and its chain link. Null, with nothing stored, when the latest run of the scope
    /// was computed from other facts (or there is none): then the caller evaluates.
    /// </summary>
    public async Task<EvaluationRun?> RecordUnchangedAsync(Period period, Area scope, string ruleSetVersion, int unitsEvaluated, string fingerprint,
        RunTrigger trigger, DateTime startedAt, CancellationToken ct) =>
        await Resilience.WriteConflicts.ExecuteAsync(async token => await RecordUnchangedOnceAsync(period, scope, ruleSetVersion, unitsEvaluated, fingerprint, trigger,
            startedAt, token), ct);

    private async Task<EvaluationRun?> RecordUnchangedOnceAsync(Period period, Area scope, string ruleSetVersion, int unitsEvaluated, string fingerprint,
        RunTrigger trigger, DateTime startedAt, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var state = await RunRows.StateAsync(db, period.Id, scope.Id, ct);
        if (state is null)
            return null;
        var previous = await RunRows.RunAsync(db, state.LatestRunId, ct);
        if (previous.InputFingerprint != fingerprint || previous.RuleSetVersion != ruleSetVersion || previous.UnitsEvaluated != unitsEvaluated)
            return null;

        var run = new EvaluationRun
        {
            PeriodId = period.Id, ScopeAreaId = scope.Id, Trigger = trigger, RuleSetVersion = ruleSetVersion, Status = RunStatus.Completed,
            StartedAt = startedAt, PreviousRunId = previous.Id, UnitsEvaluated = unitsEvaluated, InputFingerprint = fingerprint,
            FindingsOpen = previous.FindingsOpen, PersistingCount = previous.FindingsOpen, NewCount = 0, ResolvedCount = 0,
        };
        await RunRows.InsertAsync(db, run, ct);
        var link = await AppendAsync(db, run, state, AuditChain.LinkOrderedFindings.None, [], SupersededRows.None, ct);
        await RunRows.CompleteAsync(db, run, link, ct);
        await transaction.CommitAsync(ct);
        return run;
    }

    /// <summary>
    /// The run becomes the scope's latest and the chain's next link, in the caller's transaction; <see cref="RunRows.CompleteAsync"/>
    /// stores it.
    /// </summary>
    private async Task<RunRows.Link> AppendAsync(QcdcDbContext db, EvaluationRun run, ScopeState? state, AuditChain.LinkOrderedFindings written,
        List<AreaResult> areaRows, SupersededRows superseded, CancellationToken ct)
    {
        var now = AuditChain.Truncate(clock.GetUtcNow().UtcDateTime);
        var (newScope, runBefore) = (state is null, state?.LatestRunId ?? 0);
        if (state is null)
            state = new ScopeState { PeriodId = run.PeriodId, ScopeAreaId = run.ScopeAreaId, LatestRunId = run.Id, UpdatedAt = now };
        else
        {
            state.LatestRunId = run.Id;
            state.UpdatedAt = now;
        }

        run.FinishedAt = now;
        var head = await RunRows.LockHeadAsync(db, ct);
        // With the head held no other run links; one of the scope that linked while this one was written has committed,
        // and this run was compared with what it replaced: it is built again on it now, before anything reads the rows as
        // the scope's (the digest's roll-ups read both runs' as current, and the run failed on PostgreSQL).
        if (await RunRows.LatestRunIdAsync(db, run.PeriodId, run.ScopeAreaId, ct) != (newScope ? null : runBefore))
            throw new DbUpdateConcurrencyException($"another run of period {run.PeriodId}, scope {run.ScopeAreaId} was stored while run {run.Id} was written");
        var headBefore = head.Sequence;
        run.ChainSequence = head.Sequence + 1;
        run.PreviousHash = head.Hash;
        run.Hash = AuditChain.HashRun(run, written, areaRows, superseded);
        head.Sequence = run.ChainSequence.Value;
        head.Hash = run.Hash;
        return new RunRows.Link(state, newScope, runBefore, head, headBefore);
    }

    /// <summary>Where each unit of some reports sits (its area, the first of its path), built on first use.</summary>
    public static Func<int, UnitReport?> Reports(IEnumerable<UnitReport> reports)
    {
        var byUnit = new Lazy<Dictionary<int, UnitReport>>(() => reports.ToDictionary(r => r.Unit.Id));
        return id => byUnit.Value.GetValueOrDefault(id);
    }

    /// <summary>Another run of this scope, or another link of the chain, may commit first: then the run is built on it.</summary>
    public async Task<EvaluationRun> RecordAsync(RunInput input, CancellationToken ct) =>
        await Resilience.WriteConflicts.ExecuteAsync(async token => await RecordOnceAsync(input, token), ct);

    /// <summary>Records a run that could not be evaluated: no finding, the error kept for the operator.</summary>
    public async Task<EvaluationRun> RecordFailureAsync(Period period, Area scope, RunTrigger trigger, string ruleSetVersion, DateTime startedAt, Exception error, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = new EvaluationRun
        {
            PeriodId = period.Id, ScopeAreaId = scope.Id, Trigger = trigger, RuleSetVersion = ruleSetVersion, Status = RunStatus.Failed,
            StartedAt = startedAt, FinishedAt = AuditChain.Truncate(clock.GetUtcNow().UtcDateTime), Error = $"{error.GetType().Name}: {error.Message}",
        };
        db.EvaluationRuns.Add(run);
        await db.SaveChangesAsync(ct);
        return run;
    }

    private async Task<EvaluationRun> RecordOnceAsync(RunInput input, CancellationToken ct)
    {
        var (period, scope, findings) = (input.Period, input.Scope, input.Findings);
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        var state = await RunRows.StateAsync(db, period.Id, scope.Id, ct);
        EvaluationRun? previous = null;
        if (input.BuildsOn is { } buildsOn)
        {
            if (state?.LatestRunId != buildsOn)
                throw new StaleScopeException($"run {buildsOn} is no longer the latest of {period.Code} {scope.Code}");
            previous = await RunRows.RunAsync(db, buildsOn, ct);
        }

        var previousStartedAt = state is null ? (DateTime?)null : (previous ?? await RunRows.RunAsync(db, state.LatestRunId, ct)).StartedAt;

        List<Finding> current;
        List<AreaResult> currentAreas;
        using (Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.evaluate.current"))
        {
            current = await CurrentFindingsAsync(db, input, ct);
            currentAreas = await CurrentAreasAsync(db, input, ct);
        }

        // A scope's first run (nothing current to compare with) writes its findings while they are built (SQLite's writer is
        // one thread: the build had both cores to itself before the write began, and the write used one and a half). Any
        // other run waits for them all, to compare them, before it writes anything.
        // A signed-off area's verdicts are compared before anything is written (see SignedVerdicts): every finding built first.
        var signed = await SignedVerdicts.InForceAsync(db, period, ct);
        var planned = input.Findings as PlannedFindings;
        var buildAsWritten = planned is not null && current.Count == 0 && !input.Incremental && signed is null;
        if (planned is not null && !buildAsWritten)
        {
            using (Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.evaluate.build"))
                planned.BuildAll();
        }

        var run = new EvaluationRun
        {
            PeriodId = period.Id, ScopeAreaId = scope.Id, Trigger = input.Trigger, RuleSetVersion = input.RuleSetVersion, Status = RunStatus.Completed,
            StartedAt = input.StartedAt, PreviousRunId = state?.LatestRunId, UnitsEvaluated = input.UnitsEvaluated, InputFingerprint = input.InputFingerprint,
        };
        using (Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.evaluate.run"))
            await RunRows.InsertAsync(db, run, ct);

        Changes? changes;
        using (Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.evaluate.compare"))
            changes = Compare(input, run, current, currentAreas, buildAsWritten);
        signed?.Check(input, changes.Fresh, changes.Resolved, Rewritten(changes, current), Rewritten(changes, currentAreas), Dropped(changes, currentAreas));
        current.Clear();
        currentAreas.Clear();
        var (fresh, resolved) = (changes.Fresh, changes.Resolved);
        var recorded = new RecordedRun(run, period, scope, fresh, resolved, findings)
        {
            OpenAfter = input.OpenAfter, Report = input.Report, Reports = input.Reports, KeptWarm = input.KeptWarm, PreviousRunStartedAt = previousStartedAt,
            OutcomeBefore = changes.OutcomeBefore, PathBefore = changes.PathBefore, Reopened = changes.Reopened, ResolvedFrom = changes.ResolvedFrom,
        };
        // What acts on the run (Prepare) and the findings' part of the link (their order and the digest of their lines: all
        // of what hashing a first run's 400,000 findings costs) are CPU work, made on another core while this connection
        // writes the rows (once every draft is built, when they are built as they are written).
        Task<object?[]> prepared;
        Task<AuditChain.LinkOrderedFindings> inLinkOrder;
        Finding[]? firstRows = null;
        using (Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.evaluate.write"))
        {
            // The rows' columns are read a chunk ahead on the other cores (the writer only binds and inserts): SQLite's one
            // writer kept one core busy through a first run's 400,000 rows while the other had only the digest to make.
            if (buildAsWritten)
            {
                // The drafts have been built on the pool since they were planned, ahead of the writer; a row is made once,
                // by the write or by the link, whichever comes first.
                firstRows = new Finding[planned!.Count];
                Finding RowAt(int i) => Volatile.Read(ref firstRows![i])
                                        ?? Interlocked.CompareExchange(ref firstRows[i], Row(run, period, scope, planned[i], FindingState.New, run.Id), null)
                                        ?? firstRows[i];
                prepared = planned.Built.ContinueWith(_ => Prepare(recorded, ct), ct, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
                inLinkOrder = planned.Built.ContinueWith(_ => AuditChain.InLinkOrder(Enumerable.Range(0, planned.Count).Select(RowAt)), ct,
                    TaskContinuationOptions.None, TaskScheduler.Default);
                planned.LeaveACoreToTheWriter();
                await BulkInserter.InsertAsync(db, Enumerable.Range(0, planned.Count), RowAt, ct);
            }
            else
            {
                prepared = Prepare(recorded, ct);
                var rows = changes.Written;
                inLinkOrder = Task.Run(() => AuditChain.InLinkOrder(rows), ct);
                await BulkInserter.InsertAsync(db, rows, static row => row, ct);
            }

            await BulkInserter.InsertAsync(db, changes.AreaRows, ct);
        }

        await RunRows.SupersedeAsync(db, "Findings", changes.Superseded, run.Id, ct);
        await RunRows.SupersedeAsync(db, "AreaResults", changes.AreaSuperseded, run.Id, ct);

        run.NewCount = fresh.Count;
        run.ResolvedCount = resolved.Count;
        run.FindingsOpen = previous is null ? fresh.Count + changes.Persisting : previous.FindingsOpen + fresh.Count - resolved.Count;
        run.PersistingCount = run.FindingsOpen - fresh.Count;
        RunRows.Link link;
        using (Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.evaluate.chain"))
            link = await AppendAsync(db, run, state, await inLinkOrder, changes.AreaRows, new SupersededRows(changes.Superseded, changes.AreaSuperseded), ct);

        // The rows are written and chained: what acts on the run reads the drafts (a first run's 400,000 rows are not held through its alerts).
        changes = null;
        firstRows = null;

        using (Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.evaluate.alerts"))
        {
            var ahead = await prepared;
            for (var i = 0; i < _contributors.Length; i++)
                await _contributors[i].ContributeAsync(db, recorded, ahead[i], ct);
        }

        using (Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.evaluate.commit"))
        {
            await RunRows.CompleteAsync(db, run, link, ct);
            await transaction.CommitAsync(ct);
        }

        return run;
    }

    /// <summary>
    /// Each contributor's <see cref="IRunContributor.Prepare"/>, in order: on another core for a run of many findings, so
    /// that it overlaps the write (a province's first run: 0.15-0.2 s of its 2020S1); on the caller for a few (a warm
    /// scope's change), where waking a thread of the pool cost more than the work.
    /// </summary>
    private Task<object?[]> Prepare(RecordedRun recorded, CancellationToken ct)
    {
        object?[] PrepareAll() => [.. _contributors.Select(c => c.Prepare(recorded))];
        if (recorded.New.Count + recorded.Resolved.Count < PrepareAside)
            return Task.FromResult(PrepareAll());
        var task = Task.Run(PrepareAll, ct);
        // Observed even when the write fails first and the run is given up or retried.
        _ = task.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
        return task;
    }

    /// <summary>Each finding still open that a run writes again, with the current row it supersedes.</summary>
    private static IEnumerable<(Finding Row, Finding Stored)> Rewritten(Changes changes, List<Finding> current)
    {
        var byKey = current.Where(f => f.State != FindingState.Resolved).ToDictionary(f => new FindingKey(f.TargetCode, f.SubjectType, f.SubjectId));
        return changes.Written.Where(r => r.State == FindingState.Persisting)
            .Select(r => (r, byKey[new FindingKey(r.TargetCode, r.SubjectType, r.SubjectId)]));
    }

    /// <summary>Each area figure a run writes, with the current row it supersedes (null for a figure not computed before).</summary>
    private static IEnumerable<(AreaResult Row, AreaResult? Stored)> Rewritten(Changes changes, List<AreaResult> current)
    {
        var byKey = current.ToDictionary(a => (a.TargetCode, a.AreaId));
        return changes.AreaRows.Select(r => (r, byKey.GetValueOrDefault((r.TargetCode, r.AreaId))));
    }

    /// <summary>The current area figures a full run no longer computes.</summary>
    private static IEnumerable<AreaResult> Dropped(Changes changes, List<AreaResult> current)
    {
        var superseded = changes.AreaSuperseded.ToHashSet();
        var written = changes.AreaRows.Select(r => (r.TargetCode, r.AreaId)).ToHashSet();
        return current.Where(a => superseded.Contains(a.Id) && !written.Contains((a.TargetCode, a.AreaId)));
    }

    /// <summary>The rows a run writes, against the current rows of its period and scope.</summary>
    private sealed record Changes(List<Finding> Written, IReadOnlyList<FindingDraft> Fresh, List<Finding> Resolved, List<long> Superseded, int Persisting,
        List<AreaResult> AreaRows, List<long> AreaSuperseded, Dictionary<FindingKey, FindingOutcome> OutcomeBefore, Dictionary<FindingKey, string[]> PathBefore,
        Dictionary<FindingKey, Finding> Reopened, Dictionary<FindingKey, Finding> ResolvedFrom);

    /// <summary>
    /// Findings: a new key is New, a key still short is Persisting (written again only if what it says changed), a key
    /// gone is Resolved. Area results: the roll-ups that changed; those no longer computed leave the current view (full
    /// runs only). Synchronous, so that its lookups are let go before the run is written.
    /// </summary>
    /// <param name="buildAsWritten">A first run whose rows are made as they are written: none is made here, and every finding is New.</param>
    private static Changes Compare(RunInput input, EvaluationRun run, List<Finding> current, List<AreaResult> currentAreas, bool buildAsWritten)
    {
        var (period, scope) = (input.Period, input.Scope);
        var byKey = current.ToDictionary(f => new FindingKey(f.TargetCode, f.SubjectType, f.SubjectId));
        var written = new List<Finding>(buildAsWritten ? 0 : input.Findings.Count);
        var fresh = new List<FindingDraft>();
        var superseded = new List<long>();
        var persisting = 0;
        var outcomeBefore = new Dictionary<FindingKey, FindingOutcome>();
        var pathBefore = new Dictionary<FindingKey, string[]>();
        var reopened = new Dictionary<FindingKey, Finding>();
        var seen = new HashSet<FindingKey>(current.Count == 0 ? 0 : input.Findings.Count);
        if (current.Count == 0)
        {
            // Nothing stored to compare with (a scope's first run): every finding is New, and its row is made on every
            // core (a province's 400,000 took a third of a second on one), or by the write itself.
            if (!buildAsWritten)
            {
                written.AddRange(FirstRows(run, period, scope, input.Findings));
                fresh.AddRange(input.Findings);
            }
        }
        else
        {
            foreach (var draft in input.Findings)
            {
                seen.Add(draft.Key);
                var stored = byKey.GetValueOrDefault(draft.Key);
                if (stored is not null && stored.State != FindingState.Resolved)
                {
                    persisting++;
                    if (draft.SameAs(stored))
                        continue;
                    if (stored.Measurement.Outcome != draft.Measurement.Outcome)
                        outcomeBefore[draft.Key] = stored.Measurement.Outcome;
                    if (draft.SubjectType == SubjectType.Unit && MovedUnits.PathBefore(stored, input.Report(draft.SubjectId)) is { } before)
                        pathBefore[draft.Key] = before;
                    superseded.Add(stored.Id);
                    written.Add(Row(run, period, scope, draft, FindingState.Persisting, stored.FirstRunId));
                    continue;
                }

                if (stored is not null)
                {
                    superseded.Add(stored.Id);
                    reopened[draft.Key] = stored;
                }

                written.Add(Row(run, period, scope, draft, FindingState.New, run.Id));
                fresh.Add(draft);
            }
        }

        var resolved = new List<Finding>();
        var resolvedFrom = new Dictionary<FindingKey, Finding>();
        var gone = current.Where(f => f.State != FindingState.Resolved && !seen.Contains(new FindingKey(f.TargetCode, f.SubjectType, f.SubjectId))
                                      && (input.Removed is null || input.Removed.Contains(new FindingKey(f.TargetCode, f.SubjectType, f.SubjectId))));
        foreach (var stored in gone)
        {
            superseded.Add(stored.Id);
            var row = Resolve(run, stored, ResolvingMeasure.Of(stored, input.Facts, input.Report, input.Areas));
            written.Add(row);
            resolved.Add(row);
            resolvedFrom[new FindingKey(stored.TargetCode, stored.SubjectType, stored.SubjectId)] = stored;
        }

        var areaByKey = currentAreas.ToDictionary(a => (a.TargetCode, a.AreaId));
        var areaRows = new List<AreaResult>();
        var areaSuperseded = new List<long>();
        var areaSeen = new HashSet<(string, int)>();
        foreach (var draft in input.Areas)
        {
            areaSeen.Add((draft.TargetCode, draft.AreaId));
            var stored = areaByKey.GetValueOrDefault((draft.TargetCode, draft.AreaId));
            if (stored is not null && draft.SameAs(stored))
                continue;
            if (stored is not null)
                areaSuperseded.Add(stored.Id);
            areaRows.Add(new AreaResult
            {
                RunId = run.Id, PeriodId = period.Id, ScopeAreaId = scope.Id, TargetCode = draft.TargetCode, AreaId = draft.AreaId, AreaLevel = draft.AreaLevel,
                PopulationUnits = draft.PopulationUnits, MetUnits = draft.MetUnits, MissingUnits = draft.MissingUnits, Numerator = draft.Numerator,
                Denominator = draft.Denominator, Status = draft.Status,
            });
        }

        if (!input.Incremental)
            areaSuperseded.AddRange(currentAreas.Where(a => !areaSeen.Contains((a.TargetCode, a.AreaId))).Select(a => a.Id));
        return new Changes(written, buildAsWritten ? input.Findings : fresh, resolved, superseded, persisting, areaRows, areaSuperseded, outcomeBefore, pathBefore, reopened, resolvedFrom);
    }

    /// <summary>The current rows a run compares with: all of the scope's, or only those of the keys an incremental run touches.</summary>
    private static async Task<List<Finding>> CurrentFindingsAsync(QcdcDbContext db, RunInput input, CancellationToken ct)
    {
        if (!input.Incremental)
            return await FindingRows.CurrentAsync(db, input.Period.Id, input.Scope.Id, ct);
        var query = db.Findings.AsNoTracking()
            .Where(f => f.PeriodId == input.Period.Id && f.ScopeAreaId == input.Scope.Id && f.SupersededByRunId == null);
        var keys = input.Findings.Select(f => f.Key).Concat(input.Removed ?? new HashSet<FindingKey>()).ToHashSet();
        var subjects = keys.Select(k => k.SubjectId).Distinct().ToList();
        var rows = new List<Finding>();
        foreach (var chunk in subjects.Chunk(5000))
            rows.AddRange(await query.Where(f => chunk.Contains(f.SubjectId)).ToListAsync(ct));
        return rows.Where(f => keys.Contains(new FindingKey(f.TargetCode, f.SubjectType, f.SubjectId))).ToList();
    }

    private static async Task<List<AreaResult>> CurrentAreasAsync(QcdcDbContext db, RunInput input, CancellationToken ct)
    {
        if (!input.Incremental)
            return await RunRows.CurrentAreasAsync(db, input.Period.Id, input.Scope.Id, ct);
        var areaIds = input.Areas.Select(a => a.AreaId).Distinct().ToList();
        var keys = input.Areas.Select(a => (a.TargetCode, a.AreaId)).ToHashSet();
        return (await RunRows.CurrentAreasAsync(db, input.Period.Id, input.Scope.Id, ct, areaIds)).Where(a => keys.Contains((a.TargetCode, a.AreaId))).ToList();
    }

    /// <summary>Every draft's row as New, in the drafts' order, made in ranges on every core.</summary>
    private static Finding[] FirstRows(EvaluationRun run, Period period, Area scope, IReadOnlyList<FindingDraft> drafts)
    {
        var rows = new Finding[drafts.Count];
        if (rows.Length > 0)
        {
            Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, rows.Length, 16384), range =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                    rows[i] = Row(run, period, scope, drafts[i], FindingState.New, run.Id);
            });
        }

        return rows;
    }

    private static Finding Row(EvaluationRun run, Period period, Area scope, FindingDraft d, FindingState state, long firstRunId) => new()
    {
        RunId = run.Id, PeriodId = period.Id, ScopeAreaId = scope.Id, TargetCode = d.TargetCode, SubjectType = d.SubjectType, SubjectId = d.SubjectId,
        SubjectCode = d.SubjectCode, State = state, Severity = d.Severity, Measurement = d.Measurement, PackedEvidence = d.PackedEvidence, FirstRunId = firstRunId,
    };

    /// <summary>The row that resolves a stored finding: its key and history, with what this run read of its subject (<see cref="ResolvingMeasure"/>).</summary>
    private static Finding Resolve(EvaluationRun run, Finding stored, (Measurement Measurement, byte[] PackedEvidence) read) => new()
    {
        RunId = run.Id, PeriodId = stored.PeriodId, ScopeAreaId = stored.ScopeAreaId, TargetCode = stored.TargetCode, SubjectType = stored.SubjectType,
        SubjectId = stored.SubjectId, SubjectCode = stored.SubjectCode, State = FindingState.Resolved, Severity = stored.Severity,
        Measurement = read.Measurement, PackedEvidence = read.PackedEvidence, FirstRunId = stored.FirstRunId,
    };
}
