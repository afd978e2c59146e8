using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Import;

/// <summary>
/// What an import restricted to an area (<see cref="ImportContext.RestrictToAreaId"/>) may touch. A unit's values for a
/// period are inside when the unit's area lies under the principal's area on the period's last day (where the unit sits
/// for that period); a unit's record is inside when its area lies there today (<see cref="HoldsToday"/>); an area may
/// be changed only when every one of its links, at every date, lies inside (<see cref="WhollyInside"/>). So a link that
/// held for one day in the past widens nothing. The root's own area is judged like any other: an area that has ended
/// contains nothing on a day after its end (its units are its successor's then), so a key of an abolished district or a
/// merged commune keeps the periods before the end and nothing after it.
/// </summary>
public sealed class ImportScope
{
    private readonly AreaTree _tree;
    private readonly IReadOnlyList<DateOnly> _days;
    private readonly Dictionary<(int Area, DateOnly Day), bool> _on = [];

    private readonly DateOnly _today;

    private ImportScope(AreaTree tree, int rootId, IReadOnlyList<DateOnly> days, DateOnly today)
    {
        _tree = tree;
        RootId = rootId;
        _days = days;
        _today = today;
    }

    public int RootId { get; }

    /// <summary>Null when the import is not restricted (the CLI, a national administrator).</summary>
    public static async Task<ImportScope?> ForAsync(QcdcDbContext db, ImportContext context, AreaTree tree, CancellationToken ct)
    {
        if (context.RestrictToAreaId is not { } root)
            return null;
        var days = await db.Periods.AsNoTracking().Select(p => p.End).Distinct().ToListAsync(ct);
        var today = DateOnly.FromDateTime(context.Now);
        days.Add(today);
        return new ImportScope(tree, root, days, today);
    }

    /// <summary>Whether the area lies under the root (or is it) on the day, merged areas followed to their successors.</summary>
    public bool ContainsOn(int areaId, DateOnly day)
    {
        if (!_on.TryGetValue((areaId, day), out var inside))
            _on[(areaId, day)] = inside = _tree.PathOn(areaId, day).Any(a => a.Id == RootId);
        return inside;
    }

    /// <summary>Whether the area lies under the root on the last day of some known period, or today.</summary>
    public bool ContainsOnAnyDay(int areaId) => _days.Any(d => ContainsOn(areaId, d));

    /// <summary>
    /// Whether a unit of the area is the root's to create or change (its name, contact e-mail, dates): where the unit sits
    /// today, since the record is today's. An area with no place today (ended without a successor) is judged on the days
    /// it had one, by a root that itself still exists: otherwise nobody could correct its units.
    /// </summary>
    public bool HoldsToday(int areaId) => _tree.PathOn(areaId, _today).Count > 0
        ? ContainsOn(areaId, _today)
        : _tree.PathOn(RootId, _today).Count > 0 && ContainsOnAnyDay(areaId);

    /// <summary>
    /// The areas every link of which, at every date, has a parent inside the root's subtree (the root included): what
    /// an administrator bound to the root may change. <paramref name="parentsOf"/> gives each area's parents over time.
    /// </summary>
    public static HashSet<string> WhollyInside(string root, IReadOnlyDictionary<string, List<string?>> parentsOf)
    {
        var inside = new HashSet<string>(StringComparer.Ordinal) { root };
        bool grew;
        do
        {
            grew = false;
            foreach (var (area, parents) in parentsOf)
            {
                if (parents.Count > 0 && !inside.Contains(area) && parents.All(p => p is not null && inside.Contains(p)))
                    grew |= inside.Add(area);
            }
        }
        while (grew);
        return inside;
    }
}
