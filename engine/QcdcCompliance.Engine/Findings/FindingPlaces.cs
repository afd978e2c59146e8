using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Findings;

/// <summary>
/// Where the findings of a period lie: an area's on its area, a unit's on the area the unit sat in on the period's last
/// day (<see cref="UnitHistory"/>: a unit moved since is found where it sat then, as its run judged it), except that a
/// finding of a province the unit had left by that day (it moved to another province, and that province's run resolved
/// it as having left) lies where the unit last sat in that province: the district that flagged it lists it, the province
/// it moved to does not (another province's finding is not its to open). The one rule of which findings an area lists,
/// which a principal sees (its list, one finding, a unit's findings, the CSV, a run's rows and counts, the actions on it).
/// </summary>
public sealed class FindingPlaces
{
    private readonly QcdcDbContext _db;
    private readonly UnitHistory _history;

    /// <summary>For a unit that had left a province by the day, keyed by <see cref="Key"/> (unit, that province): the area it last sat in there.</summary>
    private readonly IReadOnlyDictionary<long, int> _left;

    private FindingPlaces(QcdcDbContext db, UnitHistory history, IReadOnlyDictionary<long, int> left, DateOnly day) =>
        (_db, _history, _left, Day) = (db, history, left, day);

    /// <summary>The period's last day, on which its findings lie where they do.</summary>
    public DateOnly Day { get; }

    /// <summary>The places of the findings of the period that ends on <paramref name="periodEnd"/>.</summary>
    public static async Task<FindingPlaces> OnAsync(QcdcDbContext db, DateOnly periodEnd, CancellationToken ct)
    {
        // Every version (the table is empty or nearly so): those that held on or after the day say where a unit sat then,
        // the earlier ones where it sat in a province it had left by then.
        var all = await UnitHistoryRows.FromAsync(db, DateOnly.MinValue, ct);
        if (all.IsEmpty)
            return new FindingPlaces(db, all, new Dictionary<long, int>(), periodEnd);
        var history = new UnitHistory(all.UnitIds.SelectMany(all.Of).Where(v => v.Until >= periodEnd));
        var earlier = all.UnitIds.Where(id => all.Of(id)[0].Until < periodEnd).ToList();
        var left = new Dictionary<long, int>();
        if (earlier.Count > 0)
        {
            var tree = await db.LoadAreaTreeAsync(ct);
            var areas = await db.Units.AsNoTracking().Where(u => earlier.Contains(u.Id)).Select(u => new { u.Id, u.AreaId }).ToDictionaryAsync(u => u.Id, u => u.AreaId, ct);
            foreach (var (id, now) in areas)
            {
                var then = tree.ProvinceOn(history.AreaOn(id, now, periodEnd), periodEnd)?.Id;
                // Earliest first: the last version in a province is where the unit sat there last.
                foreach (var v in all.Of(id).Where(v => v.Until < periodEnd))
                {
                    if (tree.ProvinceOn(v.AreaId, v.Until) is { } province && province.Id != then)
                        left[Key(id, province.Id)] = v.AreaId;
                }
            }
        }

        return new FindingPlaces(db, history, left, periodEnd);
    }

    /// <summary>A unit's finding of a scope as one number (the unit's id above, the scope's below), as the database computes it too.</summary>
    private static long Key(int unitId, int scopeAreaId) => unitId * Shift + scopeAreaId;

    private const long Shift = 1L << 32;

    /// <summary>The findings whose subject lay in one of the areas.</summary>
    public IQueryable<Finding> In(IQueryable<Finding> query, IReadOnlyCollection<int> areaIds)
    {
        var (ids, db) = (areaIds.ToList(), _db);
        // The history is empty for nearly every unit: the units' rows then say where they sat.
        if (_history.IsEmpty && _left.Count == 0)
            return query.Where(f => f.SubjectType == SubjectType.Area ? ids.Contains(f.SubjectId) : db.Units.Any(u => u.Id == f.SubjectId && ids.Contains(u.AreaId)));
        var (changed, placedIn) = Changed(ids);
        var (left, leftIn) = Left(ids);
        return query.Where(f => f.SubjectType == SubjectType.Area
            ? ids.Contains(f.SubjectId)
            : leftIn.Contains(f.SubjectId * Shift + f.ScopeAreaId)
              || (!left.Contains(f.SubjectId * Shift + f.ScopeAreaId)
                  && (placedIn.Contains(f.SubjectId) || (!changed.Contains(f.SubjectId) && db.Units.Any(u => u.Id == f.SubjectId && ids.Contains(u.AreaId))))));
    }

    /// <summary>The findings of the areas among them (an area's finding lies on its own area).</summary>
    public static IQueryable<Finding> OfAreasIn(IQueryable<Finding> query, IReadOnlyCollection<int> areaIds)
    {
        var ids = areaIds.ToList();
        return query.Where(f => f.SubjectType == SubjectType.Area && ids.Contains(f.SubjectId));
    }

    /// <summary>The findings of the units that sat in the areas.</summary>
    public IQueryable<Finding> OfUnitsIn(IQueryable<Finding> query, IReadOnlyCollection<int> areaIds)
    {
        var (ids, db) = (areaIds.ToList(), _db);
        if (_history.IsEmpty && _left.Count == 0)
            return query.Where(f => f.SubjectType == SubjectType.Unit && db.Units.Any(u => u.Id == f.SubjectId && ids.Contains(u.AreaId)));
        var (changed, placedIn) = Changed(ids);
        var (left, leftIn) = Left(ids);
        return query.Where(f => f.SubjectType == SubjectType.Unit
                                && (leftIn.Contains(f.SubjectId * Shift + f.ScopeAreaId)
                                    || (!left.Contains(f.SubjectId * Shift + f.ScopeAreaId)
                                        && (placedIn.Contains(f.SubjectId) || (!changed.Contains(f.SubjectId) && db.Units.Any(u => u.Id == f.SubjectId && ids.Contains(u.AreaId)))))));
    }

    /// <summary>The findings (as <see cref="Key"/>s) of provinces their units had left by the day, and those of them whose unit sat last there in the areas.</summary>
    private (List<long> Left, List<long> LeftIn) Left(List<int> ids)
    {
        var inside = ids.ToHashSet();
        return (_left.Keys.ToList(), _left.Where(p => inside.Contains(p.Value)).Select(p => p.Key).ToList());
    }

    /// <summary>The units with an earlier version on the day, and those of them that sat in the areas then.</summary>
    private (List<int> Changed, List<int> PlacedIn) Changed(List<int> ids)
    {
        var (changed, inside) = (_history.UnitIds.ToList(), ids.ToHashSet());
        // Every version read holds on or after the day (UnitHistoryRows): each changed unit sat where one of them says.
        return (changed, changed.Where(id => inside.Contains(_history.AreaOn(id, -1, Day))).ToList());
    }
}
