using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Findings;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Alerts;

/// <summary>
/// Writes a run's e-mails to the outbox inside the transaction that stores the run, so that they exist if and only if
/// the run does: the unit alerts (<see cref="UnitAlerts"/>) and the committee digests (<see cref="AreaDigests"/>).
/// Keys carry the run id, and a re-run of the same data has no New or Resolved finding and no unit placed elsewhere
/// (<see cref="RecordedRun.PathBefore"/>), so it queues nothing.
/// </summary>
public sealed class AlertComposer(AlertOptions options, TimeProvider clock, LateUnits late) : IRunContributor
{
    /// <summary>Which units' addresses get a unit alert, grouped and ordered, with the areas' gaps: while the run's rows are written.</summary>
    public object? Prepare(RecordedRun run) => Quiet(run) ? null : UnitAlerts.Group(run, options);

    /// <summary>A run with nothing New or Resolved, and no finding held back before the deadline to tell now, queues nothing.</summary>
    private static bool Quiet(RecordedRun run) => run.New.Count == 0 && run.Resolved.Count == 0 && !UnitAlerts.MayTellHeld(run);

    public async Task ContributeAsync(QcdcDbContext db, RecordedRun run, object? prepared, CancellationToken ct)
    {
        var groups = prepared as UnitAlertGroups ?? (Quiet(run) ? null : UnitAlerts.Group(run, options));
        // A unit that moved with open findings changes two committees' subtrees, not the unit's own shortfall: digests only.
        // An area whose figures now confirm its shortfall (it was "chưa đủ số liệu") fell short: its committee is told.
        var changed = run.New.Count > 0 || run.Resolved.Count > 0 || run.PathBefore.Count > 0 || AreaDigests.AnyStandingChanged(run);
        // A target judging its subjects again (its set restored or re-dated back) finds their shortfalls anew: what the
        // units were told already is not told again, and the committees read them apart from the new shortfalls.
        var restored = run.Reopened.Count > 0 && (groups is { Recipients.Count: > 0 } || (changed && options.Committees.Count > 0))
            ? await RestoredAsync(db, run, ct)
            : new HashSet<FindingKey>();
        if (groups is { Recipients.Count: > 0 } && restored.Count > 0 && await RepeatedShortfalls.ForAsync(db, run, groups, restored, ct) is { Count: > 0 } repeated)
            groups = groups.Without(repeated);
        if (!changed && run.KeptWarm && options.Committees.Count > 0)
            await DigestCompleteness.PrepareAsync(db, run, options.Committees.Keys, late, ct);
        if (!changed && groups is not { Recipients.Count: > 0 })
            return;

        var targetTexts = await TargetTextsAsync(db, ct);
        // A target dropped from its set is no longer stored: its resolved findings are named in the words an earlier
        // run's unit alerts named it with, not by its code.
        var unnamed = run.Resolved.Select(r => r.TargetCode).Where(code => !targetTexts.ContainsKey(code)).ToHashSet(StringComparer.Ordinal);
        if (unnamed.Count > 0)
            targetTexts = await WithEarlierWordsAsync(db, targetTexts, unnamed, ct);
        var digests = new List<ComposedMessage>();
        // A digest goes to a committee whose area the database holds (AreaDigests.Compose): where none does (the
        // committees configured are another province's), a province's 400,000 open findings are not gathered for it.
        // Nothing changed for a committee when the run only tells units what was held back before the deadline.
        if (changed && options.Committees.Count > 0 && await AnyCommitteeAsync(db, ct))
        {
            // What is open after this run: an incremental run's own list covers only the units it re-evaluated, and the
            // digest counts the whole subtree.
            var (open, places) = await OpenAfterAsync(db, run, ct);
            var committeeAreas = options.Committees.Keys.Select(code => places.Tree.Find(code)).OfType<Area>().Select(a => a.Id).ToList();
            var completeness = await DigestCompleteness.ForAsync(db, run, places, committeeAreas, late, ct);
            var unjudged = run.Resolved.Count > 0 ? await NoLongerJudgedAsync(db, run, places, ct) : new HashSet<FindingKey>();
            digests.AddRange(AreaDigests.Compose(run, open, places, targetTexts, options, completeness, unjudged, restored));
        }

        // The unit alerts are written as what they are made of, not rendered (delivery renders each from the run's words and
        // findings), a chunk at a time on every core ahead of the writer: a province's first run queues one per unit (200,000).
        var now = clock.GetUtcNow().UtcDateTime;
        IReadOnlyList<Func<DateTime, OutboxMessage>> alerts = [];
        if (groups is not null)
        {
            var halves = groups is { Recipients.Count: > 0 } ? await MissingHalves.ForAsync(db, run, groups, ct) : null;
            (var words, alerts) = UnitAlerts.Plan(run, groups, targetTexts, options, halves);
            if (alerts.Count > 0)
                await BulkInserter.InsertAsync(db, [new AlertRunWords { RunId = run.Run.Id, Words = words.Pack() }], ct);
        }

        var messages = alerts.Concat(digests.Select(m => (Func<DateTime, OutboxMessage>)m.ToOutbox));
        await BulkInserter.InsertAsync(db, messages, make => make(now), ct);
    }

    /// <summary>
    /// The run's resolved findings whose target no longer judges their subject once the run is stored
    /// (<see cref="UnjudgedSubjects"/>): their set was re-dated so that the period left it, re-scoped so that the
    /// subject's area left it, or the target was dropped. They resolved with nothing put right.
    /// </summary>
    private static async Task<IReadOnlySet<FindingKey>> NoLongerJudgedAsync(QcdcDbContext db, RecordedRun run, RunPlaces places, CancellationToken ct)
    {
        var rollUps = await UnjudgedSubjects.RollUpsAsync(db, run.Period.Id, run.Scope.Id, run.Resolved.Select(f => f.TargetCode).Distinct().ToList(), ct);
        return run.Resolved
            .Where(f => UnjudgedSubjects.NoLongerJudged(rollUps, f.TargetCode, f.SubjectType, places.PathOf(f.SubjectType, f.SubjectId).Select(a => a.Id)))
            .Select(f => new FindingKey(f.TargetCode, f.SubjectType, f.SubjectId)).ToHashSet();
    }

    /// <summary>
    /// The run's New findings that reopen one resolved as no longer judged (<see cref="UnjudgedSubjects.ReopenedAsync"/>),
    /// a unit's placed where the evaluation saw it, an area's where it stood on the period's last day.
    /// </summary>
    private static async Task<IReadOnlySet<FindingKey>> RestoredAsync(QcdcDbContext db, RecordedRun run, CancellationToken ct)
    {
        var tree = run.Reopened.Keys.Any(k => k.SubjectType == SubjectType.Area) ? await db.LoadAreaTreeAsync(ct) : null;
        return await UnjudgedSubjects.ReopenedAsync(db, run, run.New.Select(d => d.Key), k => k.SubjectType == SubjectType.Unit
            ? run.Report(k.SubjectId)?.Unit.Path.Select(a => a.Id) ?? []
            : tree!.PathOn(k.SubjectId, run.Period.End).Select(a => a.Id), ct);
    }

    private async Task<bool> AnyCommitteeAsync(QcdcDbContext db, CancellationToken ct) =>
        AreaDigests.Committees(await db.LoadAreaTreeAsync(ct), options).Any();

    /// <summary>
    /// The scope's open findings as the evaluation holds them, and where their units sit: not read back from the
    /// database, so that a warm scope's update stays milliseconds however many findings the province has open.
    /// </summary>
    private static async Task<(List<AlertFinding> Open, RunPlaces Places)> OpenAfterAsync(QcdcDbContext db, RecordedRun run, CancellationToken ct)
    {
        // Sized once: grown from empty, a first run's table of 200,000 units was copied a dozen times, the last copies large objects.
        var units = new Dictionary<int, (string Name, int AreaId)>(run.OpenAfter.Count);
        foreach (var draft in run.OpenAfter)
        {
            if (draft.SubjectType == SubjectType.Unit && run.UnitArea(draft.SubjectId) is { } area)
                units[draft.SubjectId] = (draft.SubjectName, area);
        }

        var places = await RunPlaces.LoadAsync(db, run.Period.End, run.Resolved.Select(r => (r.SubjectType, r.SubjectId)), ct, units, run.Period.Start);
        // A unit that moved to another province resolved its findings here (it left the population): it is told of where
        // its shortfall was, not where the unit sits now, outside every committee area of the run's scope.
        foreach (var row in run.Resolved)
        {
            if (row.SubjectType == SubjectType.Unit && run.ResolvedFrom.TryGetValue(new FindingKey(row.TargetCode, row.SubjectType, row.SubjectId), out var from))
                places.KeepInScope(run.Scope, row.SubjectId, () => MovedUnits.Recorded(from));
        }

        var open = run.OpenAfter.ToList();
        // A full run's findings come in this order already (FindingBuilder.Build sorts them): checked in one pass, not sorted again.
        open.SortUnlessSorted(FindingBuilder.Compare);
        return (open.Select(AlertFinding.From).ToList(), places);
    }

    /// <summary>
    /// The texts with the words the latest unit alerts that named each of <paramref name="unnamed"/> gave it (their runs'
    /// <see cref="AlertRunWords"/>), read back from the newest run, at most 200 runs; a code no alert named stays a code.
    /// </summary>
    private static async Task<IReadOnlyDictionary<string, string>> WithEarlierWordsAsync(QcdcDbContext db, IReadOnlyDictionary<string, string> texts,
        HashSet<string> unnamed, CancellationToken ct)
    {
        var named = new Dictionary<string, string>(texts, StringComparer.Ordinal);
        long? before = null;
        for (var read = 0; read < 200 && unnamed.Count > 0; read += 20)
        {
            var page = await db.AlertRunWords.AsNoTracking().Where(w => before == null || w.RunId < before).OrderByDescending(w => w.RunId).Take(20)
                .Select(w => new { w.RunId, w.Words }).ToListAsync(ct);
            if (page.Count == 0)
                break;
            foreach (var stored in page)
            {
                var words = UnitAlertWords.Unpack(stored.Words);
                for (var i = 0; i < words.TargetCodes.Count && i < words.Targets.Count; i++)
                {
                    if (unnamed.Remove(words.TargetCodes[i]))
                        named[words.TargetCodes[i]] = words.Targets[i];
                }
            }

            before = page[^1].RunId;
        }

        return named;
    }

    /// <summary>
    /// The Vietnamese short name of every stored target as its set carries it ("Chỉ tiêu 1: xây dựng quy chế dân chủ"),
    /// its text when the set gives none, REPORTED's built-in name when no target set stores it.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> TargetTextsAsync(QcdcDbContext db, CancellationToken ct)
    {
        var texts = (await TargetSettings.InForceAsync(db, null, ct)).ToDictionary(kv => kv.Key, kv => kv.Value.NameVi ?? kv.Value.TextVi);
        texts.TryAdd(ReportingTarget.Code, "Báo cáo đầy đủ");
        return texts;
    }
}
