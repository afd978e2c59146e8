using System.Globalization;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Import;

/// <summary>
/// A unit counts where its area lies on a period's last day, through the lineage to its successor (README, Where a unit
/// sits). An area that lies in no province then (<see cref="Nowhere"/>: ended with no successor, not begun yet, cut from its
/// province) holds its units nowhere: an active unit there drops out of every population, its findings read as if it had
/// moved out, and its district's as remedied. An areas or lineage import that would leave active units so on a period's
/// last day (30/6, 31/12, or the last day of a period stored) on which they lay in a province before is refused whole,
/// naming each area, how many units and the first few, and the ways out (move or close the units first, or give the area
/// its successor first). A unit closed before the next period ends is counted nowhere anyway, and goes through. The
/// sign-off's check of moves (<see cref="SignedAreas"/>) says "nowhere" by the same rule.
/// </summary>
public static class StrandedUnits
{
    /// <summary>How many units a refusal names of an area (then "…").</summary>
    public const int Named = 5;

    /// <summary>Whether the area lies in no province on the day (it does not exist then, nor a successor of it, or its path is cut): the one rule of "nowhere".</summary>
    public static bool Nowhere(AreaTree tree, int areaId, DateOnly day) => tree.Find(areaId) is null || tree.ProvinceOn(areaId, day) is null;

    /// <summary>
    /// Adds a problem to <paramref name="problems"/> for each area whose active units the tree <paramref name="after"/>
    /// (as written, not committed) places nowhere on a day on which <paramref name="before"/> placed them in a province;
    /// <paramref name="rowOf"/> gives the file's row that names an area in its <paramref name="column"/> (0 when none does).
    /// </summary>
    public static async Task FindAsync(QcdcDbContext db, ProblemList problems, AreaTree before, AreaTree after, Func<string, int> rowOf, string column,
        CancellationToken ct)
    {
        // Both trees hold still between two of their dates: one look a stretch, at its first day, answers for all its days.
        var stretches = Stretches(before, after);
        var u = Names.Of<Unit>(db);
        var v = Names.Of<UnitVersion>(db);
        var holding = (await PlainSql.ListAsync(db, $"SELECT DISTINCT {u[nameof(Unit.AreaId)]} FROM {u.Table}", r => r.GetInt32(0), ct))
            .Concat(await PlainSql.ListAsync(db, $"SELECT DISTINCT {v[nameof(UnitVersion.AreaId)]} FROM {v.Table}", r => r.GetInt32(0), ct)).ToHashSet();
        var lost = new Dictionary<int, List<(DateOnly From, DateOnly To)>>();
        foreach (var areaId in holding.Where(id => after.Find(id) is not null))
        {
            foreach (var stretch in stretches)
            {
                if (Nowhere(after, areaId, stretch.From) && !Nowhere(before, areaId, stretch.From))
                    (lost.TryGetValue(areaId, out var list) ? list : lost[areaId] = []).Add(stretch);
            }
        }

        if (lost.Count == 0)
            return;

        // Few areas lose their place: their units, those that sit there now or sat there once, with every version of theirs.
        var areaIds = lost.Keys.ToList();
        var ends = (await PeriodStore.ByCodeAsync(db, ct)).Values.Select(p => p.End).Distinct().Order().ToList();
        var versions = await db.UnitVersions.AsNoTracking().ToListAsync(ct);
        var once = versions.Where(x => lost.ContainsKey(x.AreaId)).Select(x => x.UnitId).Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(x => areaIds.Contains(x.AreaId) || once.Contains(x.Id)).ToListAsync(ct);
        var history = new UnitHistory(versions);
        var stranded = new Dictionary<int, (DateOnly Day, List<string> Units)>();
        foreach (var unit in units.OrderBy(x => x.Code, StringComparer.Ordinal))
        {
            foreach (var span in history.SpansOf(unit))
            {
                if (!lost.TryGetValue(span.AreaId, out var stretchesLost))
                    continue;
                // While it sits there and is active.
                var (from, to) = (Later(span.From, unit.ActiveFrom), Earlier(span.Until, unit.ActiveTo));
                if (stretchesLost.Where(s => s.From <= to && from <= s.To).Select(s => LastDayOfAPeriod(ends, s.From > from ? s.From : from, s.To < to ? s.To : to))
                        .Min() is not { } day)
                    continue;
                var entry = stranded.TryGetValue(span.AreaId, out var e) ? e : (day, []);
                entry.Units.Add(unit.Code);
                stranded[span.AreaId] = (day < entry.Day ? day : entry.Day, entry.Units);
                break;
            }
        }

        foreach (var (areaId, (day, codes)) in stranded.OrderBy(s => after[s.Key].Code, StringComparer.Ordinal))
        {
            var area = after[areaId];
            var row = rowOf(area.Code);
            problems.Add(row, row > 0 ? column : "", Refusal(after, area, day, codes));
        }
    }

    /// <summary>
    /// What the refusal says of an area (worded in Vietnamese by <c>Reports.ImportWording</c>, which reads each part back:
    /// keep the two together): the area, the first day it lies nowhere, why, how many active units sit in it then and the
    /// first few, and the ways out.
    /// </summary>
    private static string Refusal(AreaTree tree, Area area, DateOnly day, List<string> units)
    {
        var named = string.Join(", ", units.Take(Named)) + (units.Count > Named ? ", …" : "");
        return $"area {area.Code} ({area.Name}) would lie in no province on {Day(day)}, a period's last day: {Why(tree, area, day)}; "
               + $"{units.Count} active unit{(units.Count == 1 ? "" : "s")} still sit{(units.Count == 1 ? "s" : "")} in it then ({named}), "
               + "and would drop out of every figure of that period as if moved out; nothing of this file was stored. "
               + "Move or close those units first (qcdc import units: a new area_code with changed_on, or active_to), "
               + $"or give {area.Code} its successor first (qcdc import lineage: predecessor_code,successor_code,effective_from), then import this file again";
    }

    private static string Why(AreaTree tree, Area area, DateOnly day)
    {
        if (tree.Current(area.Id, day) is not { } current)
            return area.ValidFrom > day ? $"it begins only on {Day(area.ValidFrom.Value)}"
                : area.ValidTo < day && tree.SuccessorsOf(area.Id).All(l => l.EffectiveFrom > day) ? $"it ends on {Day(area.ValidTo.Value)} and no lineage gives it a successor then"
                : "its successor by the lineage does not exist then";
        if (current.Id != area.Id)
            return $"its successor {current.Code} lies in no province then";
        return $"no link places it in a province then ({string.Join(" < ", tree.PathOn(area.Id, day).Select(a => a.Code))} < nowhere)";
    }

    /// <summary>The stretches of days over which neither tree changes: cut at every first day of an area, a link or a merger, and the day after every last one.</summary>
    private static List<(DateOnly From, DateOnly To)> Stretches(params AreaTree[] trees)
    {
        var cuts = new SortedSet<DateOnly>();
        void Cut(DateOnly? first, DateOnly? last)
        {
            if (first is { } f)
                cuts.Add(f);
            if (last is { } l && l < DateOnly.MaxValue)
                cuts.Add(l.AddDays(1));
        }

        foreach (var tree in trees)
        {
            foreach (var area in tree.Areas)
            {
                Cut(area.ValidFrom, area.ValidTo);
                foreach (var link in tree.LinksOf(area.Id))
                    Cut(link.ValidFrom, link.ValidTo);
                foreach (var merger in tree.SuccessorsOf(area.Id))
                    Cut(merger.EffectiveFrom, null);
            }
        }

        var stretches = new List<(DateOnly, DateOnly)>();
        var start = DateOnly.MinValue;
        foreach (var cut in cuts.Where(c => c > DateOnly.MinValue))
        {
            stretches.Add((start, cut.AddDays(-1)));
            start = cut;
        }

        stretches.Add((start, DateOnly.MaxValue));
        return stretches;
    }

    /// <summary>
    /// The first period's last day from <paramref name="from"/> to <paramref name="to"/>: the end of a half-year (30/6,
    /// 31/12) or of a period stored (<paramref name="ends"/>, sorted); null when none falls between them.
    /// </summary>
    private static DateOnly? LastDayOfAPeriod(List<DateOnly> ends, DateOnly from, DateOnly to)
    {
        var half = from.Month <= 6 ? new DateOnly(from.Year, 6, 30) : new DateOnly(from.Year, 12, 31);
        var first = ends.Select(e => (DateOnly?)e).FirstOrDefault(e => e >= from) is { } stored && stored < half ? stored : half;
        return first <= to ? first : null;
    }

    private static DateOnly Later(DateOnly? a, DateOnly? b) => (a ?? DateOnly.MinValue) > (b ?? DateOnly.MinValue) ? a!.Value : b ?? DateOnly.MinValue;

    private static DateOnly Earlier(DateOnly? a, DateOnly? b) => (a ?? DateOnly.MaxValue) < (b ?? DateOnly.MaxValue) ? a!.Value : b ?? DateOnly.MaxValue;

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
