using System.Globalization;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Import;

/// <summary>
/// What a target-set import changes for the periods already evaluated: the targets it takes out of them (a copy re-dated
/// to start later, a target dropped) or puts in. Importing the shipped set re-dated to 2021 (the what-if's own example)
/// took every 02-NQ/TU target out of 2017–2020 with only "the set's own fields changed" said; the next evaluation then
/// resolved 95 findings and the committee was told they were fixed. Signed-off periods are refused before this is asked
/// (<see cref="SignedTargets"/>); the others are said, in the import's notes.
/// </summary>
public static class JudgedPeriods
{
    /// <summary>
    /// One note per group of evaluated periods losing (or gaining) the same targets, in English as the import's other
    /// notes: "2017S1–2020 (9 periods evaluated): 9 targets of 02-NQ/TU no longer apply (NQ02-1, …); the set now starts …".
    /// </summary>
    public static async Task<List<string>> NotesAsync(QcdcDbContext db, AreaTree tree, Resolution set, IReadOnlyList<Resolution> copies, CancellationToken ct)
    {
        var runs = await db.EvaluationRuns.AsNoTracking().Where(r => r.Status == RunStatus.Completed)
            .Select(r => new { r.PeriodId, r.ScopeAreaId }).Distinct().ToListAsync(ct);
        if (runs.Count == 0)
            return [];
        var byId = (await PeriodStore.ByCodeAsync(db, ct)).Values.ToDictionary(p => p.Id);
        var evaluated = runs
            .Where(r => byId.ContainsKey(r.PeriodId) && tree.Find(r.ScopeAreaId) is { } province
                        && copies.Append(set).Any(s => TargetSetImporter.ScopesOverlap(tree, s.ScopeAreaCode, province.Code)))
            .Select(r => byId[r.PeriodId]).Distinct()
            .OrderBy(p => p.End).ThenByDescending(p => p.Start).ToList();

        var dropped = new List<(Period Period, string Codes)>();
        var added = new List<(Period Period, string Codes)>();
        foreach (var period in evaluated)
        {
            var before = copies.SelectMany(c => Judging(c, c.Targets, period)).ToHashSet(StringComparer.Ordinal);
            var after = Judging(set, set.Targets, period).ToHashSet(StringComparer.Ordinal);
            if (before.Except(after).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } gone)
                dropped.Add((period, string.Join(", ", gone)));
            if (after.Except(before).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } come)
                added.Add((period, string.Join(", ", come)));
        }

        var notes = new List<string>();
        var why = Redated(set, copies);
        foreach (var group in dropped.GroupBy(d => d.Codes))
        {
            notes.Add($"{Periods(group.Select(g => g.Period).ToList())}: {Targets(group.Key)} of {set.Code} no longer apply ({group.Key}){why}; "
                      + "their findings there are resolved as no longer applicable at the next evaluation of those periods; to keep them, "
                      + "leave the set's dates and give a target a dated setting instead (\"settings\": [{ \"to\": …}, { \"from\": …, … }], README \"Target sets\")");
        }

        foreach (var group in added.GroupBy(d => d.Codes))
            notes.Add($"{Periods(group.Select(g => g.Period).ToList())}: {Targets(group.Key)} of {set.Code} now apply ({group.Key}){why}; the next evaluation of those periods judges them");
        return notes;
    }

    /// <summary>The targets of a set that an evaluation of the period takes: in force on its last day, on its type or restated on it.</summary>
    private static IEnumerable<string> Judging(Resolution set, IEnumerable<Target> targets, Period period) =>
        set.AppliesTo(period)
            ? targets.Where(t => t.InForceFor(period) && (t.EvaluatedOn(period.Type) || t.RestatedOn(period.Type))).Select(t => t.Code)
            : [];

    /// <summary>", the set now starts 2021-01-01" when the import moved the set's own dates.</summary>
    private static string Redated(Resolution set, IReadOnlyList<Resolution> copies)
    {
        var words = new List<string>();
        if (copies.Any(c => c.ValidFrom != set.ValidFrom))
            words.Add(set.ValidFrom is { } from ? $"now starts {Day(from)}" : "now has no first day");
        if (copies.Any(c => c.ValidTo != set.ValidTo))
            words.Add(set.ValidTo is { } to ? $"now ends {Day(to)}" : "now has no last day");
        return words.Count == 0 ? "" : $": the set {string.Join(" and ", words)}";
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Targets(string codes) => codes.Split(", ").Length is var n && n == 1 ? "1 target" : $"{n} targets";

    /// <summary>"2020S2", "2020S1, 2020S2", or "2017S1–2020 (9 periods evaluated)" when there are more than three.</summary>
    private static string Periods(IReadOnlyList<Period> periods) =>
        periods.Count <= 3
            ? string.Join(", ", periods.Select(p => p.Code))
            : $"{periods[0].Code}–{periods[^1].Code} ({periods.Count} periods evaluated)";
}
