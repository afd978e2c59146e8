using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Alerts;

/// <summary>
/// Writes a run's e-mails to the outbox inside the transaction that stores the run, so that they exist if and only if
/// the run does: the unit alerts (<see cref="UnitAlerts"/>) and the committee digests (<see cref="AreaDigests"/>).
/// Keys carry the run id, and a re-run of the same data has no New or Resolved finding, so it queues nothing.
/// </summary>
public sealed class AlertComposer(AlertOptions options, TimeProvider clock) : IRunContributor
{
    public async Task ContributeAsync(QcdcDbContext db, RecordedRun run, CancellationToken ct)
    {
        if (run.New.Count == 0 && run.Resolved.Count == 0)
            return;

        var targetTexts = await TargetTextsAsync(db, ct);
        var messages = UnitAlerts.Compose(run, targetTexts, options).ToList();
        if (options.Committees.Count > 0)
        {
            // What is open after this run, read in its transaction: an incremental run's own list covers only the units
            // it re-evaluated, and the digest counts the whole subtree.
            var (periodId, scopeId) = (run.Period.Id, run.Scope.Id);
            var open = await db.Findings.AsNoTracking()
                .Where(f => f.PeriodId == periodId && f.ScopeAreaId == scopeId && f.SupersededByRunId == null && f.State != FindingState.Resolved)
                .ToListAsync(ct);
            var subjects = open.Select(f => (f.SubjectType, f.SubjectId)).Concat(run.Resolved.Select(r => (r.SubjectType, r.SubjectId)));
            var places = await RunPlaces.LoadAsync(db, run.Period.End, subjects, ct);
            var openFindings = open.Select(f => AlertFinding.From(f, places.NameOf(f.SubjectType, f.SubjectId, f.SubjectCode))).ToList();
            messages.AddRange(AreaDigests.Compose(run, openFindings, places, targetTexts, options));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await BulkInserter.InsertAsync(db, messages.Select(m => m.ToOutbox(now)), ct);
    }

    /// <summary>The Vietnamese text of every stored target, REPORTED's built-in one when no target set stores it.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> TargetTextsAsync(QcdcDbContext db, CancellationToken ct)
    {
        var texts = await db.Targets.AsNoTracking().ToDictionaryAsync(t => t.Code, t => t.TextVi, ct);
        texts.TryAdd(ReportingTarget.Code, ReportingTarget.DefaultTextVi);
        return texts;
    }
}
