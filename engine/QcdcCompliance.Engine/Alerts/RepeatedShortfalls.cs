using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Alerts;

/// <summary>
/// The unit findings a run reopens that the unit is not told again. A target that stops judging a unit (its set re-dated
/// away from the period, the target dropped or moved to another area's set) resolves its findings as "không còn được
/// đánh giá" (<see cref="UnjudgedSubjects"/>); restored, it finds them anew. Such a finding is not news to the unit when
/// it says what the unit was last told of that target in that period: the same severity and the same measurement
/// (outcome, figures, requirement), so the same line. One that says otherwise (worse, another outcome, another
/// requirement) is told, as is one that reopens after any other resolution (the unit put it right, then fell short again).
/// <para>
/// What a unit was last told is read from the outbox: the newest unit alert of the (period, scope) that went (Sent, or
/// rendered and claimed, whose stored bytes are what goes) and named the unit and target, as the finding stood at its
/// run. A message that left lines out at delivery (no longer true then) is not taken to have told any of them: which
/// it left out is not stored, and telling twice is better than never telling. A message withdrawn, dead, or not rendered
/// yet told nothing.
/// </para>
/// </summary>
public static class RepeatedShortfalls
{
    /// <summary>The keys among the New unit findings of <paramref name="groups"/> that repeat what their unit was last told (none when the run reopens nothing).</summary>
    /// <param name="restored">
    /// The run's New findings that reopen one resolved as no longer judged (<see cref="UnjudgedSubjects.ReopenedAsync"/>):
    /// only those can repeat what was told.
    /// </param>
    public static async Task<IReadOnlySet<FindingKey>> ForAsync(QcdcDbContext db, RecordedRun run, UnitAlertGroups groups, IReadOnlySet<FindingKey> restored,
        CancellationToken ct)
    {
        var repeated = new HashSet<FindingKey>();
        if (restored.Count == 0)
            return repeated;
        var reopened = groups.Recipients.SelectMany(g => g).Where(d => d.SubjectType == SubjectType.Unit && restored.Contains(d.Key))
            .ToDictionary(d => d.Key);
        if (reopened.Count == 0)
            return repeated;

        var toldBy = await LastToldAsync(db, run, reopened.Keys.ToHashSet(), ct);
        if (toldBy.Count == 0)
            return repeated;
        var targets = toldBy.Keys.Select(k => k.TargetCode).Distinct().ToList();
        foreach (var chunk in toldBy.Keys.Select(k => k.SubjectId).Distinct().Chunk(1000))
        {
            var rows = await db.Findings.AsNoTracking()
                .Where(f => f.PeriodId == run.Period.Id && f.ScopeAreaId == run.Scope.Id && f.SubjectType == SubjectType.Unit && chunk.Contains(f.SubjectId)
                            && targets.Contains(f.TargetCode) && f.State != FindingState.Resolved)
                .WithoutEvidence().ToListAsync(ct);
            foreach (var row in rows)
            {
                // The row that stood for the key at the run whose alert told it: what the unit read.
                var key = new FindingKey(row.TargetCode, row.SubjectType, row.SubjectId);
                if (toldBy.TryGetValue(key, out var runId) && row.StoodAt(runId)
                    && reopened[key] is var now && now.Severity == row.Severity && now.Measurement == row.Measurement)
                    repeated.Add(key);
            }
        }

        return repeated;
    }

    /// <summary>
    /// For each key of <paramref name="keys"/> (unit findings of the run's period and scope), the run of the newest unit
    /// alert that told it the unit; a key none told, or whose newest mention may have been left out at delivery, is absent.
    /// </summary>
    private static async Task<Dictionary<FindingKey, long>> LastToldAsync(QcdcDbContext db, RecordedRun run, HashSet<FindingKey> keys, CancellationToken ct)
    {
        var units = keys.Select(k => k.SubjectId).ToHashSet();
        var (decided, told) = (new HashSet<FindingKey>(), new Dictionary<FindingKey, long>());
        var (periodId, scopeId, before) = (run.Period.Id, run.Scope.Id, run.Run.Id);
        var messages = db.OutboxMessages.AsNoTracking()
            .Where(m => m.Kind == MessageKind.UnitAlert && m.Parts != null && m.RunId < before
                        // Pending and claimed before (an attempt counted, or given back by a relay that failed): its bodies were stored with the claim.
                        && (m.Status == MessageStatus.Sent || (m.Status == MessageStatus.Pending && (m.Attempts > 0 || m.LastError != null)))
                        && db.EvaluationRuns.Any(r => r.Id == m.RunId && r.PeriodId == periodId && r.ScopeAreaId == scopeId))
            .OrderByDescending(m => m.RunId).ThenByDescending(m => m.Id)
            .Select(m => new { RunId = m.RunId!.Value, m.Subject, m.Parts });
        // Those naming one of the units, newest first, kept as they are read (nothing else is read on the connection meanwhile).
        var naming = new List<(long RunId, string Subject, List<UnitAlertPart> Parts)>();
        await foreach (var m in messages.AsAsyncEnumerable().WithCancellation(ct))
        {
            try
            {
                if (UnitAlertPart.Read(m.Parts!) is var parts && parts.Any(p => units.Contains(p.Id)))
                    naming.Add((m.RunId, m.Subject, parts));
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
            {
                // Unreadable parts (a database changed by hand) tell nothing that can be read.
            }
        }

        var words = new Dictionary<long, UnitAlertWords?>();
        foreach (var (runId, subject, parts) in naming)
        {
            if (!words.TryGetValue(runId, out var runWords))
            {
                var stored = await db.AlertRunWords.AsNoTracking().Where(w => w.RunId == runId).Select(w => w.Words).SingleOrDefaultAsync(ct);
                words[runId] = runWords = stored is null ? null : UnitAlertWords.Unpack(stored);
            }

            if (runWords is null)
                continue;
            // Sent whole when its subject is the one its run queued: a render that left lines out says fewer in the subject.
            var whole = subject == Vietnamese.Nfc(UnitAlerts.Subject(runWords, parts));
            foreach (var part in parts.Where(p => units.Contains(p.Id)))
            {
                for (var i = 0; i + 1 < part.Findings.Length; i += 2)
                {
                    if (part.Findings[i] >= runWords.TargetCodes.Count)
                        continue;
                    var key = new FindingKey(runWords.TargetCodes[part.Findings[i]], SubjectType.Unit, part.Id);
                    if (keys.Contains(key) && decided.Add(key) && whole)
                        told[key] = runId;
                }
            }

            if (decided.Count == keys.Count)
                break;
        }

        return told;
    }
}
