using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Audit;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Evaluation;

/// <summary>What a stored run changed, for whoever acts on it in the same transaction (the alert outbox).</summary>
public sealed record RecordedRun(
    EvaluationRun Run,
    Period Period,
    Area Scope,
    IReadOnlyList<(Finding Row, FindingDraft Draft)> New,
    IReadOnlyList<Finding> Resolved,
    IReadOnlyList<FindingDraft> Open);

/// <summary>Something written in the transaction that stores a run, so it exists if and only if the run does.</summary>
public interface IRunContributor
{
    Task ContributeAsync(QcdcDbContext db, RecordedRun run, CancellationToken ct);
}

/// <summary>
/// Stores a run with its findings and area results in one transaction, compared with the previous completed run of
/// the same period and scope: a new key is <c>New</c>; a key still short is <c>Persisting</c> and written again only
/// if what it says changed; a key gone is recorded <c>Resolved</c>. The run is appended to the audit chain in the same
/// transaction. Two runs that raced on one scope cannot both commit on the same predecessor: the loser retries.
/// </summary>
public sealed class RunRecorder(IDbContextFactory<QcdcDbContext> contexts, IEnumerable<IRunContributor> contributors, TimeProvider clock)
{
    private const int Attempts = 6;

    public async Task<EvaluationRun> RecordAsync(ScopeFacts facts, IReadOnlyList<FindingDraft> findings, IReadOnlyList<AreaResultDraft> areas,
        RunTrigger trigger, DateTime startedAt, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RecordOnceAsync(facts, findings, areas, trigger, startedAt, ct);
            }
            catch (Exception e) when (attempt < Attempts && IsConflict(e))
            {
                // Another run of this scope, or another link of the chain, committed first: build on it.
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt * attempt), ct);
            }
        }
    }

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

    private async Task<EvaluationRun> RecordOnceAsync(ScopeFacts facts, IReadOnlyList<FindingDraft> findings, IReadOnlyList<AreaResultDraft> areas,
        RunTrigger trigger, DateTime startedAt, CancellationToken ct)
    {
        var (period, scope) = (facts.Period, facts.Scope);
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        var state = await db.ScopeStates.SingleOrDefaultAsync(s => s.PeriodId == period.Id && s.ScopeAreaId == scope.Id, ct);
        var current = await db.Findings.AsNoTracking()
            .Where(f => f.PeriodId == period.Id && f.ScopeAreaId == scope.Id && f.SupersededByRunId == null)
            .ToListAsync(ct);
        var currentAreas = await db.AreaResults.AsNoTracking()
            .Where(a => a.PeriodId == period.Id && a.ScopeAreaId == scope.Id && a.SupersededByRunId == null)
            .ToListAsync(ct);

        var run = new EvaluationRun
        {
            PeriodId = period.Id, ScopeAreaId = scope.Id, Trigger = trigger, RuleSetVersion = facts.RuleSetVersion, Status = RunStatus.Completed,
            StartedAt = startedAt, PreviousRunId = state?.LatestRunId, UnitsEvaluated = facts.Reports.Count,
        };
        db.EvaluationRuns.Add(run);
        await db.SaveChangesAsync(ct);

        // Findings: what changed against the current rows of this period and scope.
        var byKey = current.ToDictionary(f => new FindingKey(f.TargetCode, f.SubjectType, f.SubjectId));
        var written = new List<Finding>();
        var fresh = new List<(Finding, FindingDraft)>();
        var superseded = new List<long>();
        var persisting = 0;
        var seen = new HashSet<FindingKey>();
        foreach (var draft in findings)
        {
            seen.Add(draft.Key);
            var stored = byKey.GetValueOrDefault(draft.Key);
            if (stored is not null && stored.State != FindingState.Resolved)
            {
                persisting++;
                if (draft.SameAs(stored))
                    continue;
                superseded.Add(stored.Id);
                written.Add(Row(run, period, scope, draft, FindingState.Persisting, stored.FirstRunId));
                continue;
            }

            if (stored is not null)
                superseded.Add(stored.Id);
            var row = Row(run, period, scope, draft, FindingState.New, run.Id);
            written.Add(row);
            fresh.Add((row, draft));
        }

        var resolved = new List<Finding>();
        foreach (var stored in current.Where(f => f.State != FindingState.Resolved && !seen.Contains(new FindingKey(f.TargetCode, f.SubjectType, f.SubjectId))))
        {
            superseded.Add(stored.Id);
            var row = Resolve(run, stored);
            written.Add(row);
            resolved.Add(row);
        }

        // Area results: the roll-ups that changed; those no longer computed leave the current view.
        var areaByKey = currentAreas.ToDictionary(a => (a.TargetCode, a.AreaId));
        var areaRows = new List<AreaResult>();
        var areaSuperseded = new List<long>();
        var areaSeen = new HashSet<(string, int)>();
        foreach (var draft in areas)
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

        areaSuperseded.AddRange(currentAreas.Where(a => !areaSeen.Contains((a.TargetCode, a.AreaId))).Select(a => a.Id));

        await BulkInserter.InsertAsync(db, written, ct);
        await BulkInserter.InsertAsync(db, areaRows, ct);
        foreach (var chunk in superseded.Chunk(5000))
            await db.Findings.Where(f => chunk.Contains(f.Id)).ExecuteUpdateAsync(s => s.SetProperty(f => f.SupersededByRunId, run.Id), ct);
        foreach (var chunk in areaSuperseded.Chunk(5000))
            await db.AreaResults.Where(a => chunk.Contains(a.Id)).ExecuteUpdateAsync(s => s.SetProperty(a => a.SupersededByRunId, run.Id), ct);

        var now = AuditChain.Truncate(clock.GetUtcNow().UtcDateTime);
        if (state is null)
            db.ScopeStates.Add(new ScopeState { PeriodId = period.Id, ScopeAreaId = scope.Id, LatestRunId = run.Id, UpdatedAt = now });
        else
        {
            state.LatestRunId = run.Id;
            state.UpdatedAt = now;
        }

        run.NewCount = fresh.Count;
        run.PersistingCount = persisting;
        run.ResolvedCount = resolved.Count;
        run.FindingsOpen = fresh.Count + persisting;
        run.FinishedAt = now;

        var head = await db.AuditChainHeads.SingleAsync(h => h.Id == 1, ct);
        run.ChainSequence = head.Sequence + 1;
        run.PreviousHash = head.Hash;
        run.Hash = AuditChain.HashRun(run, written, areaRows);
        head.Sequence = run.ChainSequence.Value;
        head.Hash = run.Hash;

        var recorded = new RecordedRun(run, period, scope, fresh, resolved, findings);
        foreach (var contributor in contributors)
            await contributor.ContributeAsync(db, recorded, ct);

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return run;
    }

    private static Finding Row(EvaluationRun run, Period period, Area scope, FindingDraft d, FindingState state, long firstRunId) => new()
    {
        RunId = run.Id, PeriodId = period.Id, ScopeAreaId = scope.Id, TargetCode = d.TargetCode, SubjectType = d.SubjectType, SubjectId = d.SubjectId,
        SubjectCode = d.SubjectCode, State = state, Severity = d.Severity, Numerator = d.Numerator, Denominator = d.Denominator, Value = d.Value,
        Operator = d.Operator, ThresholdMillionths = d.ThresholdMillionths, Minimum = d.Minimum, Evidence = d.Evidence, FirstRunId = firstRunId,
    };

    private static Finding Resolve(EvaluationRun run, Finding stored) => new()
    {
        RunId = run.Id, PeriodId = stored.PeriodId, ScopeAreaId = stored.ScopeAreaId, TargetCode = stored.TargetCode, SubjectType = stored.SubjectType,
        SubjectId = stored.SubjectId, SubjectCode = stored.SubjectCode, State = FindingState.Resolved, Severity = stored.Severity,
        Numerator = stored.Numerator, Denominator = stored.Denominator, Value = stored.Value, Operator = stored.Operator,
        ThresholdMillionths = stored.ThresholdMillionths, Minimum = stored.Minimum, Evidence = stored.Evidence, FirstRunId = stored.FirstRunId,
    };

    private static bool IsConflict(Exception e) => e switch
    {
        DbUpdateConcurrencyException => true,
        DbUpdateException { InnerException: Npgsql.PostgresException { SqlState: "23505" or "40001" or "40P01" } } => true,
        DbUpdateException { InnerException: Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 or 19 } } => true,
        Npgsql.PostgresException { SqlState: "23505" or "40001" or "40P01" } => true,
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 } => true,
        _ => false,
    };
}
