using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Findings;
using QcdcCompliance.Storage;
using QcdcCompliance.Telemetry;
using QcdcCompliance.Reports;

namespace QcdcCompliance.Runs;

/// <summary>One scope's run and what it measured.</summary>
public sealed record ScopeEvaluation(
    EvaluationRun Run,
    Period Period,
    Area Scope,
    IReadOnlyList<TargetFact> Targets,
    IReadOnlyList<FindingDraft> Findings,
    IReadOnlyList<AreaResultDraft> Areas)
{
    /// <summary>
    /// The run found the same facts as the scope's last full run and was stored without evaluating: nothing changed;
    /// <see cref="Areas"/> are the stored roll-ups and <see cref="Findings"/> the stored open findings, read from the
    /// database only if asked for (<see cref="StoredOpenFindings"/>).
    /// </summary>
    public bool Unchanged { get; init; }
}

/// <summary>
/// The open findings of a run that evaluated nothing, read from the database the first time they are asked for: the
/// command line and the jobs never ask (a province's 500,000 findings with their evidence cost more to read than the
/// run), a caller that compares runs does.
/// </summary>
public sealed class StoredOpenFindings(Func<Task<List<FindingDraft>>> load) : IReadOnlyList<FindingDraft>
{
    private readonly Lazy<List<FindingDraft>> _findings = new(() => Task.Run(load).GetAwaiter().GetResult());

    public int Count => _findings.Value.Count;

    public FindingDraft this[int index] => _findings.Value[index];

    public IEnumerator<FindingDraft> GetEnumerator() => _findings.Value.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// Evaluates a period over province scopes: for each, the facts are loaded, one NRules session fires, the outcome
/// becomes findings with evidence, and the run is stored with them in one transaction. Scopes are independent and run
/// in parallel; a scope that fails is recorded as a failed run with no finding.
/// </summary>
public sealed class EvaluationService(
    IDbContextFactory<QcdcDbContext> contexts,
    PeriodCalendar calendar,
    FactLoader loader,
    RuleEngine engine,
    RunRecorder recorder,
    TimeProvider clock,
    EvaluationOptions options,
    WarmScopeCache warm,
    EvaluationMemoryBudget budget)
{
    /// <summary>
    /// From this many units a scope's session, let go once it has fired, is hundreds of megabytes (about 1.9 KB a unit):
    /// collected then, before the findings are built (they take the room it held) and the run's rows and alerts written,
    /// rather than whenever the collector would next look at the oldest generation, it keeps the process's peak a
    /// session lower (issue 16: 1.10 GB -> 0.91-0.95 GB for 200,000 units through the command line collected after the
    /// build; 0.88-0.89 GB collected before it, for 0.2-0.4 s more). Smaller scopes, and scopes kept warm, leave it to the
    /// collector.
    /// </summary>
    public const int CollectSessionFromUnits = 50_000;

    /// <summary>How long a scope's lock is tried before the scope is taken to wait for it: a free lock is granted well within it.</summary>
    public static readonly TimeSpan TurnAtOnce = TimeSpan.FromSeconds(1);

    /// <summary>Evaluates every province that exists in the period, or the province of <paramref name="areaCode"/>.</summary>
    /// <param name="turn">
    /// Taken for each scope (period code, province code) before it is evaluated and held until its run is stored: the
    /// command line's scope lock, the one the evaluation job takes, so that the two never overlap. A scope whose lock is
    /// not granted within <see cref="TurnAtOnce"/> gives back its share of the memory budget (and its core) while it
    /// waits, and asks for it again once it holds the lock, as a job takes its lock before its share.
    /// </param>
    public async Task<IReadOnlyList<ScopeEvaluation>> EvaluateAsync(string periodCode, string? areaCode, RunTrigger trigger, CancellationToken ct = default,
        Func<string, string, CancellationToken, Task<IAsyncDisposable>>? turn = null)
    {
        var (period, scopes) = await ResolveAsync(periodCode, areaCode, ct);
        var units = await UnitsOfAsync(period, scopes, ct);
        var results = new ScopeEvaluation[scopes.Count];
        // As many at once as there are cores and as the memory budget holds; the largest first, so that none is left to run
        // alone at the end. The budget is asked in that order, one scope after the other, so the order holds; a failure stops
        // the scopes not started yet, and is thrown once the running ones end.
        using var cores = new SemaphoreSlim(Environment.ProcessorCount);
        var running = new List<Task>();
        try
        {
            foreach (var (scope, i) in scopes.Select((s, i) => (s, i)).OrderByDescending(x => units[x.s.Id]))
            {
                await cores.WaitAsync(ct);
                if (running.Any(t => t.IsFaulted || t.IsCanceled))
                {
                    cores.Release();
                    break;
                }

                EvaluationMemoryBudget.Lease lease;
                try
                {
                    lease = await budget.AcquireAsync(units[scope.Id], ct);
                }
                catch
                {
                    cores.Release();
                    throw;
                }

                var scopeUnits = units[scope.Id];
                running.Add(Task.Run(async () =>
                {
                    var core = true;
                    try
                    {
                        // The scope's lock held elsewhere (a job, another process): its bytes and its core are given back
                        // while it waits, so that the scopes behind it run meanwhile, and asked again once it holds the lock.
                        IAsyncDisposable? held = null;
                        if (turn is not null)
                        {
                            var taking = turn(period.Code, scope.Code, ct);
                            if (await Task.WhenAny(taking, Task.Delay(TurnAtOnce, CancellationToken.None)) != taking)
                            {
                                lease.Dispose();
                                cores.Release();
                                core = false;
                                held = await taking;
                                try
                                {
                                    await cores.WaitAsync(ct);
                                    core = true;
                                    lease = await budget.AcquireAsync(scopeUnits, ct);
                                }
                                catch
                                {
                                    await held.DisposeAsync();
                                    throw;
                                }
                            }
                            else
                                held = await taking;
                        }

                        await using (held)
                            results[i] = await EvaluateScopeAsync(period, scope, trigger, ct);
                    }
                    finally
                    {
                        lease.Dispose();
                        if (core)
                            cores.Release();
                    }
                }, CancellationToken.None));
            }
        }
        finally
        {
            // Never leave a scope running behind the caller, whether the loop ended or was cancelled.
            await Task.WhenAll(running);
        }

        return results;
    }

    public async Task<ScopeEvaluation> EvaluateScopeAsync(string periodCode, string provinceCode, RunTrigger trigger, CancellationToken ct = default)
    {
        var (period, scopes) = await ResolveAsync(periodCode, provinceCode, ct);
        var scope = scopes.Single();
        // A job's scope shares the process's budget with the other jobs and evaluations running beside it.
        using var lease = await budget.AcquireAsync((await UnitsOfAsync(period, scopes, ct))[scope.Id], ct);
        return await EvaluateScopeAsync(period, scope, trigger, ct);
    }

    private async Task<Dictionary<int, int>> UnitsOfAsync(Period period, IReadOnlyList<Area> scopes, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await EvaluationMemoryBudget.UnitsOfAsync(db, await db.LoadAreaTreeAsync(ct), period, scopes, ct);
    }

    /// <summary>A full run of one scope: load its facts, fire a session, build the findings, store the run, keep it warm.</summary>
    private async Task<ScopeEvaluation> EvaluateScopeAsync(Period period, Area scope, RunTrigger trigger, CancellationToken ct)
    {
        using var activity = QcdcTelemetry.Source.StartActivity("qcdc.evaluate");
        activity?.SetTag("qcdc.period", period.Code);
        activity?.SetTag("qcdc.scope", scope.Code);
        activity?.SetTag("qcdc.trigger", trigger.ToString());
        var started = Audit.AuditChain.Truncate(clock.GetUtcNow().UtcDateTime);
        var watch = Stopwatch.StartNew();
        string? version = null;
        try
        {
            // A scope kept warm needs its session fired; otherwise a run over the same facts as the last one changed nothing.
            var input = await LoadInputAsync(period, scope, started, skipUnchanged: !options.KeepWarm, ct);
            version = input.RuleSetVersion;
            if (input.Facts is null)
            {
                if (await UnchangedAsync(period, scope, input, trigger, started, ct) is { } same)
                {
                    activity?.SetTag("qcdc.run", same.Run.Id);
                    activity?.SetTag("qcdc.unchanged", true);
                    Measured(same.Run, input.Units, [], watch);
                    return same;
                }

                // Another run of the scope was stored since the snapshot: evaluate.
                input = await LoadInputAsync(period, scope, started, skipUnchanged: false, ct);
            }

            var (facts, paths, fingerprint) = (input.Facts!, input.Paths, input.Fingerprint);
            var (planned, areas, kept) = FireAndPlan(facts);

            // A scope kept warm keeps this list of its reports: what acts on the run (the committee digest's late count)
            // keeps what it works out for the list, and the first change after the run finds it.
            var reports = kept is null ? null : facts.Reports.Cast<UnitReport?>().ToList();
            EvaluationRun run;
            using (QcdcTelemetry.Source.StartActivity("qcdc.evaluate.persist"))
                run = await recorder.RecordAsync(facts, planned, areas, trigger, started, ct, fingerprint, reports);
            // Built by now: as they were written (a first run) or to be compared.
            var findings = planned.BuildAll();
            if (kept is var (session, outcome))
                KeepWarm(facts, reports!, paths, session, outcome, findings, run);

            activity?.SetTag("qcdc.run", run.Id);
            Measured(run, facts.Reports.Count, findings, watch);
            return new ScopeEvaluation(run, period, scope, facts.Targets, findings, areas);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            QcdcTelemetry.EvaluationDuration.Record(watch.Elapsed.TotalSeconds, new KeyValuePair<string, object?>("qcdc.status", "Failed"));
            await RecordFailureAsync(period, scope, trigger, version ?? "", started, e);
            throw;
        }
    }

    /// <summary>
    /// A scope's input as one snapshot read it: the fingerprint of its facts, always; the facts themselves unless
    /// <c>skipUnchanged</c> and the scope's latest run was computed from facts with the same fingerprint (then null).
    /// </summary>
    private sealed record ScopeInput(ScopeFacts? Facts, Dictionary<int, IReadOnlyList<AreaRef>> Paths, string Fingerprint, int Units,
        IReadOnlyList<TargetFact> Targets, string RuleSetVersion);

    /// <summary>
    /// The fingerprint of the scope's facts, taken from the rows (<see cref="FactLoader.FingerprintAsync"/>), then the
    /// facts, in the same snapshot: a run over unchanged data reads the rows once and builds no report.
    /// </summary>
    private async Task<ScopeInput> LoadInputAsync(Period period, Area scope, DateTime started, bool skipUnchanged, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var snapshot = await db.BeginReadSnapshotAsync(ct);
        var tree = await db.LoadAreaTreeAsync(ct);
        var paths = FactLoader.PathsIn(period, scope, tree);
        var resolutions = await FactLoader.StoredSetsAsync(db, ct);
        var (targets, sets, _) = loader.TargetsOf(resolutions, period, scope, tree, paths);
        var earlyWarning = EarlyWarning.Open(period, started);
        // Only a scope whose latest run is a full one can be found unchanged: a first run reads the rows once, as it loads them.
        if (skipUnchanged && await LatestFingerprintAsync(db, period, scope, ct) is { } latest)
        {
            using (QcdcTelemetry.Source.StartActivity("qcdc.evaluate.fingerprint"))
            {
                var (same, units) = await FactLoader.FingerprintAsync(db, period, scope, tree, paths, sets.Version, earlyWarning, ct);
                if (same == latest)
                    return new ScopeInput(null, paths, same, units, targets, sets.Version);
            }
        }

        using var fingerprint = new InputFingerprint(sets.Version, period, earlyWarning, scope, paths);
        ScopeFacts facts;
        using (QcdcTelemetry.Source.StartActivity("qcdc.evaluate.load"))
            facts = await loader.LoadAsync(db, period, scope, tree, paths, resolutions, ct, fingerprint) with { EvaluatedAt = started };
        using (QcdcTelemetry.Source.StartActivity("qcdc.evaluate.fingerprint"))
            return new ScopeInput(facts, paths, fingerprint.Finish(), facts.Reports.Count, facts.Targets, facts.RuleSetVersion);
    }

    /// <summary>The fingerprint of the scope's latest run (null for none, or for an incremental run).</summary>
    private static Task<string?> LatestFingerprintAsync(QcdcDbContext db, Period period, Area scope, CancellationToken ct) =>
        RunRows.LatestFingerprintAsync(db, period.Id, scope.Id, ct);

    /// <summary>
    /// A run over facts whose fingerprint is the scope's latest run's, stored without firing the rules (see
    /// <see cref="RunRecorder.RecordUnchangedAsync"/>); its area results are the stored ones, its findings are not
    /// rebuilt (<see cref="ScopeEvaluation.Unchanged"/>). Null when the latest run is no longer one over the same facts.
    /// </summary>
    private async Task<ScopeEvaluation?> UnchangedAsync(Period period, Area scope, ScopeInput input, RunTrigger trigger, DateTime started, CancellationToken ct)
    {
        using var persist = QcdcTelemetry.Source.StartActivity("qcdc.evaluate.persist");
        var paths = input.Paths;
        var run = await recorder.RecordUnchangedAsync(period, scope, input.RuleSetVersion, input.Units, input.Fingerprint, trigger, started, ct);
        if (run is null)
            return null;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var stored = await RunRows.CurrentAreasAsync(db, period.Id, scope.Id, ct);
        var areas = stored
            .Select(a => paths.TryGetValue(a.AreaId, out var path) ? new AreaResultDraft(a.TargetCode, a.AreaId, path[0].Code, path[0].Name, a.AreaLevel, a.PopulationUnits,
                a.MetUnits, a.MissingUnits, a.Numerator, a.Denominator, a.Status) : null)
            .OfType<AreaResultDraft>()
            .OrderBy(a => a.TargetCode, StringComparer.Ordinal).ThenBy(a => a.AreaId)
            .ToList();
        return new ScopeEvaluation(run, period, scope, input.Targets, new StoredOpenFindings(() => OpenAsOfAsync(period, scope, paths, run.Id)), areas) { Unchanged = true };
    }

    /// <summary>
    /// The scope's open findings as a run left them (rows it or an earlier run wrote, not superseded by then, not
    /// resolved), as drafts; a unit's name and contact as the facts now hold them (the run found them unchanged).
    /// </summary>
    private async Task<List<FindingDraft>> OpenAsOfAsync(Period period, Area scope, Dictionary<int, IReadOnlyList<AreaRef>> paths, long runId)
    {
        var (facts, _) = await LoadFactsAsync(period, scope, CancellationToken.None);
        await using var db = await contexts.CreateDbContextAsync();
        var rows = await FindingRows.OpenAsOfAsync(db, period.Id, scope.Id, runId, CancellationToken.None);
        var units = facts.Reports.ToDictionary(r => r.Unit.Id, r => r.Unit);
        var drafts = rows.Select(f =>
        {
            var unit = f.SubjectType == SubjectType.Unit ? units.GetValueOrDefault(f.SubjectId) : null;
            var name = unit?.Name ?? (paths.TryGetValue(f.SubjectId, out var path) ? path[0].Name : f.SubjectCode);
            return new FindingDraft(f.TargetCode, f.SubjectType, f.SubjectId, f.SubjectCode, name, unit?.ContactEmail, f.Severity, f.Measurement, f.PackedEvidence);
        }).ToList();
        drafts.Sort(FindingBuilder.Compare);
        return drafts;
    }

    /// <summary>
    /// The facts of a scope, read in one snapshot (the tree, units, values and targets): an import committed meanwhile
    /// is seen whole or not at all. Also the paths of the scope's areas, which a warm session keeps.
    /// </summary>
    public async Task<(ScopeFacts Facts, Dictionary<int, IReadOnlyList<AreaRef>> Paths)> LoadFactsAsync(Period period, Area scope, CancellationToken ct)
    {
        using var load = QcdcTelemetry.Source.StartActivity("qcdc.evaluate.load");
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var snapshot = await db.BeginReadSnapshotAsync(ct);
        var tree = await db.LoadAreaTreeAsync(ct);
        var paths = FactLoader.PathsIn(period, scope, tree);
        return (await loader.LoadAsync(db, period, scope, tree, paths, ct), paths);
    }

    /// <summary>
    /// Fires a session over the facts and plans the findings (built on the pool from then on). The session and what it
    /// yielded are handed back only to keep the scope warm: a province's are hundreds of megabytes, and a local of the
    /// async caller would hold them while the run and its alerts are stored.
    /// </summary>
    private (PlannedFindings Findings, List<AreaResultDraft> Areas, (NRules.ISession Session, SessionOutcome Outcome)? Kept) FireAndPlan(ScopeFacts facts)
    {
        var (outcome, kept) = FireKeeping(facts);
        if (kept is null && facts.Reports.Count >= CollectSessionFromUnits)
        {
            // The session is garbage from here: collected before the findings are built, they take the room it held.
            using (QcdcTelemetry.Source.StartActivity("qcdc.evaluate.collect"))
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        }

        // The findings are planned here (their order, what each is of) and built on the pool from then on: a first run
        // writes each as soon as it is built, any other waits for them all to compare them (RunRecorder).
        using (QcdcTelemetry.Source.StartActivity("qcdc.evaluate.plan"))
        {
            var planned = FindingBuilder.Plan(facts, outcome);
            _ = planned.Built; // asked for, so started: built while the run's transaction begins
            return (planned, FindingBuilder.AreaResults(outcome), kept);
        }
    }

    /// <summary>
    /// What a fired session yielded, and the session itself only when the scope is kept warm: a session not kept is
    /// unreachable once this returns (no local of the caller's frame holds it, whatever the tier of its code).
    /// </summary>
    private (SessionOutcome Outcome, (NRules.ISession Session, SessionOutcome Outcome)? Kept) FireKeeping(ScopeFacts facts)
    {
        if (!options.KeepWarm)
        {
            // No session is kept: a large scope's reports are shared among sessions fired on every core (the rules are
            // most of a first run's single-threaded time).
            using (FireSpan(facts))
                return (engine.EvaluateInParts(facts, Environment.ProcessorCount), null);
        }

        var (session, outcome) = Fire(facts);
        return (outcome, (session, outcome));
    }

    /// <summary>A session of the compiled rules over the facts, fired, and what it yielded.</summary>
    public (NRules.ISession Session, SessionOutcome Outcome) Fire(ScopeFacts facts)
    {
        using var fire = FireSpan(facts);
        var session = engine.Start(facts);
        return (session, SessionOutcome.Read(session, facts));
    }

    private static Activity? FireSpan(ScopeFacts facts) =>
        QcdcTelemetry.Source.StartActivity("qcdc.evaluate.fire")?.SetTag("qcdc.units", facts.Reports.Count);

    private static void Measured(EvaluationRun run, int units, IReadOnlyList<FindingDraft> findings, Stopwatch watch)
    {
        QcdcTelemetry.UnitsEvaluated.Add(units);
        QcdcTelemetry.EvaluationDuration.Record(watch.Elapsed.TotalSeconds, new KeyValuePair<string, object?>("qcdc.status", "Completed"));
        foreach (var group in findings.GroupBy(f => f.TargetCode))
            QcdcTelemetry.Findings.Add(group.Count(), new("qcdc.target", group.Key), new("qcdc.state", "Open"));
        QcdcTelemetry.Findings.Add(run.NewCount, new KeyValuePair<string, object?>("qcdc.state", "New"));
        QcdcTelemetry.Findings.Add(run.ResolvedCount, new KeyValuePair<string, object?>("qcdc.state", "Resolved"));
    }

    /// <summary>A failed run is recorded, with no finding; if the database itself is gone, the job's retry will try again.</summary>
    private async Task RecordFailureAsync(Period period, Area scope, RunTrigger trigger, string ruleSetVersion, DateTime started, Exception error)
    {
        try
        {
            await recorder.RecordFailureAsync(period, scope, trigger, ruleSetVersion, started, error, CancellationToken.None);
        }
        catch (Exception recordError) when (recordError is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            // The original error is what matters.
        }
    }

    /// <summary>
    /// Re-evaluates the units whose data changed. With a warm session of the scope that is still current, only their
    /// reports are reloaded, updated in the session and fired, and the run records what that changed; otherwise the
    /// scope is evaluated afresh. Either way the stored findings end up the same as a full run's.
    /// </summary>
    public async Task<ScopeEvaluation> EvaluateUnitsAsync(string periodCode, string provinceCode, IReadOnlyCollection<int> unitIds, RunTrigger trigger,
        CancellationToken ct = default)
    {
        if (!options.KeepWarm || !warm.TryGet(periodCode, provinceCode, out var kept))
            return await EvaluateScopeAsync(periodCode, provinceCode, trigger, ct);

        await kept.Gate.WaitAsync(ct);
        try
        {
            return await UpdateAsync(kept, unitIds, trigger, ct);
        }
        catch (Exception e) when (e is StaleScopeException or WarmSessionCannotTakeException)
        {
            warm.Drop(kept);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The session may hold a half-applied update: never reuse it. The run is recorded as failed, as a full one is
            // (a refused run of a signed-off period left only a failed job behind).
            warm.Drop(kept);
            await RecordFailureAsync(kept.Period, kept.Scope, trigger, kept.Session.Facts.RuleSetVersion, Audit.AuditChain.Truncate(clock.GetUtcNow().UtcDateTime), e);
            throw;
        }
        catch
        {
            warm.Drop(kept);
            throw;
        }
        finally
        {
            kept.Gate.Release();
        }

        return await EvaluateScopeAsync(kept.Period, kept.Scope, trigger, ct);
    }

    /// <summary>
    /// An incremental run: the changed units' reports are loaded, applied to the warm session and fired; what that
    /// changed is stored as a run built on the scope's last one, and the warm scope moves on to it.
    /// </summary>
    private async Task<ScopeEvaluation> UpdateAsync(WarmScope scope, IReadOnlyCollection<int> unitIds, RunTrigger trigger, CancellationToken ct)
    {
        using var activity = QcdcTelemetry.Source.StartActivity("qcdc.evaluate.incremental");
        activity?.SetTag("qcdc.period", scope.Period.Code);
        activity?.SetTag("qcdc.scope", scope.Scope.Code);
        activity?.SetTag("qcdc.units", unitIds.Count);
        var started = Audit.AuditChain.Truncate(clock.GetUtcNow().UtcDateTime);
        var watch = Stopwatch.StartNew();

        var reports = await LoadChangedReportsAsync(scope.Session, unitIds, ct);
        OutcomeChanges changes;
        using (QcdcTelemetry.Source.StartActivity("qcdc.evaluate.fire"))
            changes = scope.Session.Apply(unitIds, reports);
        List<FindingDraft> upserts;
        HashSet<FindingKey> removed;
        List<AreaResultDraft> areas;
        using (QcdcTelemetry.Source.StartActivity("qcdc.evaluate.build"))
            (upserts, removed, areas) = Changes(scope, changes, started);
        EvaluationRun run;
        using (QcdcTelemetry.Source.StartActivity("qcdc.evaluate.persist"))
            run = await RecordChangesAsync(scope, trigger, started, upserts, removed, areas, ct);
        scope.MoveTo(run.Id, upserts, removed);

        QcdcTelemetry.EvaluationDuration.Record(watch.Elapsed.TotalSeconds, new KeyValuePair<string, object?>("qcdc.status", "Incremental"));
        QcdcTelemetry.UnitsEvaluated.Add(unitIds.Count);
        return new ScopeEvaluation(run, scope.Period, scope.Scope, scope.Session.Facts.Targets, upserts, areas);
    }

    /// <summary>The current reports of the changed units, in one snapshot, while the targets in force are still the session's.</summary>
    private async Task<List<UnitReport>> LoadChangedReportsAsync(WarmSession session, IReadOnlyCollection<int> unitIds, CancellationToken ct)
    {
        using var load = QcdcTelemetry.Source.StartActivity("qcdc.evaluate.load");
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var snapshot = await db.BeginReadSnapshotAsync(ct);
        if (await loader.VersionAsync(db, session.Period, session.Scope, ct) != session.Facts.RuleSetVersion)
            throw new WarmSessionCannotTakeException("the target sets changed");
        var next = session.Reports.Count;
        return await loader.LoadUnitsAsync(db, session.Facts, session.Paths, unitIds, id => session.IndexOfUnit.TryGetValue(id, out var index) ? index : next++, ct);
    }

    /// <summary>Stores what an update changed as a run built on the scope's last one; what acts on the run sees every finding open after it.</summary>
    private Task<EvaluationRun> RecordChangesAsync(WarmScope scope, RunTrigger trigger, DateTime started, List<FindingDraft> upserts, HashSet<FindingKey> removed,
        List<AreaResultDraft> areas, CancellationToken ct)
    {
        var session = scope.Session;
        var openAfter = new Dictionary<FindingKey, FindingDraft>(scope.Open);
        foreach (var key in removed)
            openAfter.Remove(key);
        foreach (var draft in upserts)
            openAfter[draft.Key] = draft;
        return recorder.RecordAsync(new RunInput(scope.Period, scope.Scope, session.Facts.RuleSetVersion, session.ActiveUnits, trigger, started, upserts, areas)
        {
            Removed = removed,
            BuildsOn = scope.LastRunId,
            OpenAfter = openAfter.Values,
            Report = id => session.IndexOfUnit.TryGetValue(id, out var index) ? session.Reports[index] : null,
            Reports = session.Reports,
            KeptWarm = true,
            Facts = session.Facts,
        }, ct);
    }

    /// <summary>The findings and roll-ups an update changed, as drafts, and the keys of findings that went away.</summary>
    private static (List<FindingDraft> Upserts, HashSet<FindingKey> Removed, List<AreaResultDraft> Areas) Changes(WarmScope scope, OutcomeChanges changes,
        DateTime started)
    {
        var session = scope.Session;
        var facts = session.Facts with { EvaluatedAt = started };
        var upserts = new List<FindingDraft>();
        var removed = new HashSet<FindingKey>();
        foreach (var ((target, unit), shortfall) in changes.Units)
        {
            if (shortfall is not null)
                upserts.Add(FindingBuilder.UnitDraft(session.Facts, shortfall));
            else
                removed.Add(new FindingKey(target, SubjectType.Unit, unit));
        }

        var areas = new List<AreaResultDraft>();
        foreach (var ((target, areaId), outcome) in changes.Areas)
        {
            var key = new FindingKey(target, SubjectType.Area, areaId);
            if (outcome is null)
            {
                session.Areas.Remove((target, areaId));
                removed.Add(key);
                continue;
            }

            session.Areas[(target, areaId)] = outcome;
            areas.Add(FindingBuilder.AreaResult(outcome));
            if (outcome.FallsShort && FindingBuilder.MeasuredAt(outcome))
                upserts.Add(FindingBuilder.AreaDraft(facts, outcome, session.UnitsOf(outcome.Target, areaId)));
            else
                removed.Add(key);
        }

        removed.RemoveWhere(k => !scope.Open.ContainsKey(k));
        upserts.Sort(FindingBuilder.Compare);
        return (upserts, removed, areas);
    }

    private void KeepWarm(ScopeFacts facts, List<UnitReport?> reports, Dictionary<int, IReadOnlyList<AreaRef>> paths, NRules.ISession session,
        SessionOutcome outcome, IReadOnlyList<FindingDraft> findings, EvaluationRun run)
    {
        var kept = new WarmSession
        {
            Period = facts.Period,
            Scope = facts.Scope,
            Facts = facts,
            Rules = session,
            Reports = reports,
            IndexOfUnit = facts.Reports.ToDictionary(r => r.Unit.Id, r => r.Index),
            Areas = outcome.Areas.ToDictionary(a => (a.Target.Code, a.Area.Id)),
            Paths = paths,
            ActiveUnits = reports.Count,
        };
        // The index of the reports by area, built now rather than by the first change after the run (165 ms of CPU in
        // a trace of the first changes to a province of 258,865 units, most of the first change's time).
        _ = kept.ReportsIn(facts.Scope.Id);
        warm.Keep(new WarmScope
        {
            Session = kept,
            Open = findings.ToDictionary(f => f.Key),
            LastRunId = run.Id,
        });
    }

    /// <summary>
    /// The period (created from its code when new) and the province scopes to evaluate. A period that has not begun is
    /// refused before anything is created (<see cref="NotBegun"/>).
    /// </summary>
    public async Task<(Period Period, IReadOnlyList<Area> Scopes)> ResolveAsync(string periodCode, string? areaCode, CancellationToken ct)
    {
        if (!PeriodCode.TryParse(periodCode, out var code))
            throw new NotAPeriodException(periodCode);
        if (calendar.Create(code).NotBegunRefusal(clock, NotBegunConsequence) is { } refusal)
            throw refusal;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var period = await db.GetOrCreateAsync(code, calendar, ct);
        return (period, ScopesOf(await db.LoadAreaTreeAsync(ct), period, areaCode));
    }

    /// <summary>
    /// Why a period that has not begun in Viet Nam is not evaluated, or null once it has: every unit would be recorded as
    /// not reported and alerted for a period nobody can have reported yet, which is almost always a mistyped year. A
    /// period that has begun is evaluated here, ended or not (a committee follows the current one with <c>qcdc
    /// evaluate</c>); the API, the imports and the schedule ask only for periods that have ended.
    /// </summary>
    public static string? NotBegun(Period period, TimeProvider clock) => period.NotBegun(clock, NotBegunConsequence);

    private const string NotBegunConsequence = "it is not evaluated and nothing is stored";

    /// <summary>The province scopes of a period: every province that exists in it, or the province of <paramref name="areaCode"/> on its last day.</summary>
    public static IReadOnlyList<Area> ScopesOf(AreaTree tree, Period period, string? areaCode)
    {
        if (areaCode is null)
        {
            var provinces = tree.Areas.Where(a => a.Level == AreaLevel.Province && a.Overlaps(period.Start, period.End))
                .OrderBy(a => a.Code, StringComparer.Ordinal).ToList();
            if (provinces.Count == 0)
                throw new EvaluationRequestException($"no province exists in {period.Code}; import the areas first",
                    $"không có tỉnh nào trong {ReportWording.Vietnamese.PeriodName(period)}; nhập danh mục địa bàn trước (qcdc import areas)");
            return provinces;
        }

        var area = tree.Find(areaCode.Trim()) ?? throw new UnknownAreaException(areaCode);
        return [AreaOutsideProvincesException.ProvinceOf(tree, area, period)];
    }
}
