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
            // it re-evaluated, and the digest counts the whole subtree. The digest counts and lists them, so their
            // evidence is not read, and each unit's name and area come with it in one query.
            var (open, units) = await OpenUnitFindingsAsync(db, run, ct);
            var places = await RunPlaces.LoadAsync(db, run.Period.End, run.Resolved.Select(r => (r.SubjectType, r.SubjectId)), ct, units);
            open.AddRange(await OpenAreaFindingsAsync(db, run, places, ct));
            messages.AddRange(AreaDigests.Compose(run, open, places, targetTexts, options));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await BulkInserter.InsertAsync(db, messages.Select(m => m.ToOutbox(now)), ct);
    }

    private static IQueryable<Finding> Open(QcdcDbContext db, RecordedRun run)
    {
        var (periodId, scopeId) = (run.Period.Id, run.Scope.Id);
        return db.Findings.AsNoTracking()
            .Where(f => f.PeriodId == periodId && f.ScopeAreaId == scopeId && f.SupersededByRunId == null && f.State != FindingState.Resolved);
    }

    /// <summary>The scope's open findings of units, without their evidence, and each unit's name and area, in one query.</summary>
    private static async Task<(List<AlertFinding> Open, Dictionary<int, (string Name, int AreaId)> Units)> OpenUnitFindingsAsync(
        QcdcDbContext db, RecordedRun run, CancellationToken ct)
    {
        var open = new List<AlertFinding>();
        var units = new Dictionary<int, (string Name, int AreaId)>();
        var rows = from f in Open(db, run).Where(f => f.SubjectType == SubjectType.Unit)
                   join u in db.Units on f.SubjectId equals u.Id
                   select new
                   {
                       f.TargetCode, f.SubjectId, f.SubjectCode, f.Severity, f.Numerator, f.Denominator, f.Value, f.Operator, f.ThresholdMillionths,
                       f.Minimum, u.Name, u.AreaId,
                   };
        await foreach (var f in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            units[f.SubjectId] = (f.Name, f.AreaId);
            open.Add(new AlertFinding(f.TargetCode, SubjectType.Unit, f.SubjectId, f.SubjectCode, f.Name, f.Severity, f.Numerator, f.Denominator, f.Value,
                f.Operator, f.ThresholdMillionths, f.Minimum, Evidence: "{}"));
        }

        return (open, units);
    }

    /// <summary>The scope's open findings of areas, without their evidence.</summary>
    private static async Task<List<AlertFinding>> OpenAreaFindingsAsync(QcdcDbContext db, RecordedRun run, RunPlaces places, CancellationToken ct)
    {
        var rows = await Open(db, run).Where(f => f.SubjectType == SubjectType.Area).Select(f => new
        {
            f.TargetCode, f.SubjectId, f.SubjectCode, f.Severity, f.Numerator, f.Denominator, f.Value, f.Operator, f.ThresholdMillionths, f.Minimum,
        }).ToListAsync(ct);
        return rows.Select(f => new AlertFinding(f.TargetCode, SubjectType.Area, f.SubjectId, f.SubjectCode, places.NameOf(SubjectType.Area, f.SubjectId, f.SubjectCode),
            f.Severity, f.Numerator, f.Denominator, f.Value, f.Operator, f.ThresholdMillionths, f.Minimum, Evidence: "{}")).ToList();
    }

    /// <summary>The Vietnamese text of every stored target, REPORTED's built-in one when no target set stores it.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> TargetTextsAsync(QcdcDbContext db, CancellationToken ct)
    {
        var texts = await db.Targets.AsNoTracking().ToDictionaryAsync(t => t.Code, t => t.TextVi, ct);
        texts.TryAdd(ReportingTarget.Code, ReportingTarget.DefaultTextVi);
        return texts;
    }
}
