using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Import;

/// <summary>
/// A sign-off locks how its (area, period) is judged as well as its values: a target-set import that would change a
/// target or a duty to report binding a signed-off area for the period (a threshold, an operator, a target added or
/// removed, a copy with other dates) is refused whole, naming each sign-off. The targets compared are those an
/// evaluation of the period reads (<see cref="FactLoader.TargetsOf"/> over the stored sets, and over the sets as the
/// import would leave them), on every field that decides a verdict. Wording (names, texts, tags, the source and basis a
/// setting cites, the set's title and legal basis) is not compared: it changes no verdict, and a national set binds
/// every signed period of the country, so a typo would otherwise need every one of them reopened. A year is judged by
/// the settings in force on its last day (its restated half-year targets among them), so a year's sign-off locks those,
/// not a setting that ended with the first half.
/// </summary>
public static class SignedTargets
{
    /// <summary>What decides a target's verdicts, by the name the refusal gives it.</summary>
    private static readonly (string Field, Func<TargetFact, object?> Of)[] Verdict =
    [
        ("rule", t => t.RuleName),
        ("set", t => t.ResolutionCode),
        ("indicators", t => string.Join(',', t.Reads.Select(i => i.Code))),
        ("population", t => t.Population.ToString()),
        ("operator", t => t.Threshold.Operator),
        ("threshold", t => t.Threshold.Millionths),
        ("minimum", t => (t.Minimum, t.HalfYearMinimum)),
        ("coverage", t => t.CoverageMillionths),
        ("measuredOver", t => t.MeasuredOver),
        ("periods", t => t.RestatedOnYear),
        ("severity", t => t.Severity),
    ];

    /// <summary>Every verdict field of a target at once: to compare targets that bind an area with more than one setting.</summary>
    private static string Signature(TargetFact target) => string.Join('|', Verdict.Select(f => f.Of(target)));

    /// <summary>
    /// Refuses the import when <paramref name="after"/> (the stored sets as the import would leave them) judges a
    /// signed-off (area, period) otherwise than <paramref name="before"/> (the stored sets).
    /// </summary>
    public static async Task RefuseChangesAsync(QcdcDbContext db, string file, AreaTree tree, FactLoader loader,
        IReadOnlyList<Resolution> before, IReadOnlyList<Resolution> after, CancellationToken ct)
    {
        // Only a period that a replaced or new set applies to can be judged otherwise.
        var changed = before.Except(after).Concat(after.Except(before)).ToList();
        var periods = (await PeriodStore.ByCodeAsync(db, ct)).Values.Where(p => changed.Any(s => s.AppliesTo(p))).ToList();
        if (periods.Count == 0)
            return;
        var locks = await SignOffLocks.InForceAsync(db, tree, periods, ct);
        var problems = new ProblemList(file);
        foreach (var period in periods.OrderBy(p => p.Start).ThenByDescending(p => p.End))
        {
            var signed = locks.SignedOff(period).Select(s => (SignOff: s, Path: tree.PathOn(s.AreaId, period.End))).Where(s => s.Path.Count > 0);
            foreach (var province in signed.GroupBy(s => s.Path[^1].Id))
            {
                var paths = FactLoader.PathsIn(period, tree[province.Key], tree);
                var was = loader.TargetsOf(before, period, tree[province.Key], tree, paths);
                var now = loader.TargetsOf(after, period, tree[province.Key], tree, paths);
                foreach (var (signOff, path) in province.OrderBy(s => s.SignOff.Id))
                {
                    if (Changes(signOff.AreaId, path, paths, was, now) is { } changes)
                        problems.Add(0, "", locks.JudgingRefusal(signOff, period, changes));
                }
            }
        }

        problems.ThrowIfAny();
    }

    /// <summary>
    /// A target as the refusal names it: by its name in English, then in Vietnamese when that differs (the one rule of
    /// <see cref="TargetNames"/>), its code and where it binds, when not all of the area (“Mediation success rate”
    /// (“Tỷ lệ hòa giải thành”, KPI-MEDIATION, bound to D2)); <c>Reports.ImportWording</c> keeps the name of the page's language.
    /// </summary>
    private static string Named(TargetFact target, string over)
    {
        static string Quoted(string name) => $"“{name.Replace('“', '"').Replace('”', '"')}”";
        var (en, vi) = (TargetNames.Of(target, english: true), TargetNames.Of(target, english: false));
        return $"{Quoted(en)} ({(en == vi ? "" : $"{Quoted(vi)}, ")}{target.Code}{(over.Length == 0 ? "" : $", bound to {over}")})";
    }

    /// <summary>
    /// What would judge the area otherwise, in words ("the operator, threshold of “Mediation” (“Hòa giải”, TP-MED); target
    /// “New” (TP-NEW) (added)"; read back by <c>Reports.ImportWording</c>), or null when nothing would.
    /// </summary>
    private static string? Changes(int areaId, IReadOnlyList<Area> path, Dictionary<int, IReadOnlyList<AreaRef>> paths,
        (List<TargetFact> Targets, SetsInForce Sets, ReportingDuties Duties) was, (List<TargetFact> Targets, SetsInForce Sets, ReportingDuties Duties) now)
    {
        // Where a target or duty binds, as the area sees it: all of it (the country, the area or one above), an area
        // inside it, or nothing of it (null).
        string? Over(AreaRef? bound) =>
            bound is null || path.Any(a => a.Id == bound.Id) ? ""
            : paths.TryGetValue(bound.Id, out var inside) && inside.Any(a => a.Id == areaId) ? bound.Code
            : null;

        ILookup<(string Code, string Over), TargetFact> Binding(List<TargetFact> targets) =>
            targets.Select(t => (Target: t, Over: Over(t.BoundArea))).Where(t => t.Over is not null).ToLookup(t => (t.Target.Code, t.Over!), t => t.Target);

        var (old, @new) = (Binding(was.Targets), Binding(now.Targets));
        var words = new List<string>();
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in old.Select(g => g.Key).Union(@new.Select(g => g.Key)).OrderBy(k => k.Code, StringComparer.Ordinal).ThenBy(k => k.Over, StringComparer.Ordinal))
        {
            var name = Named(@new[key].FirstOrDefault() ?? old[key].First(), key.Over);
            var change = (old[key].ToList(), @new[key].ToList()) switch
            {
                ([], _) => $"target {name} (added)",
                (_, []) => $"target {name} (removed)",
                ([var a], [var b]) => Verdict.Where(f => !Equals(f.Of(a), f.Of(b))).Select(f => f.Field).ToList() is { Count: > 0 } fields
                    ? $"the {string.Join(", ", fields)} of {name}"
                    : null,
                var (a, b) => a.Select(Signature).Order(StringComparer.Ordinal).SequenceEqual(b.Select(Signature).Order(StringComparer.Ordinal)) ? null : $"the settings of {name}",
            };
            if (change is null)
                continue;
            words.Add(change);
            named.Add(key.Code);
        }

        // What units must report (a regime's duties, a year target's figures asked in the halves): a target's own is named above.
        HashSet<(string Why, string Duty)> Duties(ReportingDuties duties) =>
            duties.Duties.Where(d => Over(d.Bound) is not null)
                .Select(d => (d.Why, $"{d.Population} {Over(d.Bound)} {string.Join(',', d.Indicators.Select(i => i.Code))}")).ToHashSet();
        var (owed, owes) = (Duties(was.Duties), Duties(now.Duties));
        words.AddRange(owed.Except(owes).Concat(owes.Except(owed)).Select(d => d.Why).Where(why => !named.Contains(why)).Distinct().Order(StringComparer.Ordinal)
            .Select(why => $"what units must report for {why}"));
        return words.Count == 0 ? null : string.Join("; ", words);
    }
}
