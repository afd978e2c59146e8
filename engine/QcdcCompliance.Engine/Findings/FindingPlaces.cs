using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Findings;

/// <summary>
/// Where the findings of a period lie: an area's on its area, a unit's on the area the unit sat in on the period's last
/// day (<see cref="UnitHistory"/>: a unit moved since is found where it sat then, as its run judged it). The one rule of
/// which findings an area lists, which a principal sees (its list, one finding, the actions on it) and which a run's
/// counts over an area take in.
/// </summary>
public sealed class FindingPlaces
{
    private readonly QcdcDbContext _db;
    private readonly UnitHistory _history;

    private FindingPlaces(QcdcDbContext db, UnitHistory history, DateOnly day) => (_db, _history, Day) = (db, history, day);

    /// <summary>The period's last day, on which its findings lie where they do.</summary>
    public DateOnly Day { get; }

    /// <summary>The places of the findings of the period that ends on <paramref name="periodEnd"/>.</summary>
    public static async Task<FindingPlaces> OnAsync(QcdcDbContext db, DateOnly periodEnd, CancellationToken ct) =>
        new(db, await UnitHistoryRows.FromAsync(db, periodEnd, ct), periodEnd);

    /// <summary>The findings whose subject lay in one of the areas.</summary>
    public IQueryable<Finding> In(IQueryable<Finding> query, IReadOnlyCollection<int> areaIds)
    {
        var (ids, db) = (areaIds.ToList(), _db);
        // The history is empty for nearly every unit: the units' rows then say where they sat.
        if (_history.IsEmpty)
            return query.Where(f => f.SubjectType == SubjectType.Area ? ids.Contains(f.SubjectId) : db.Units.Any(u => u.Id == f.SubjectId && ids.Contains(u.AreaId)));
        var (changed, placedIn) = Changed(ids);
        return query.Where(f => f.SubjectType == SubjectType.Area
            ? ids.Contains(f.SubjectId)
            : placedIn.Contains(f.SubjectId) || (!changed.Contains(f.SubjectId) && db.Units.Any(u => u.Id == f.SubjectId && ids.Contains(u.AreaId))));
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
        if (_history.IsEmpty)
            return query.Where(f => f.SubjectType == SubjectType.Unit && db.Units.Any(u => u.Id == f.SubjectId && ids.Contains(u.AreaId)));
        var (changed, placedIn) = Changed(ids);
        return query.Where(f => f.SubjectType == SubjectType.Unit
                                && (placedIn.Contains(f.SubjectId) || (!changed.Contains(f.SubjectId) && db.Units.Any(u => u.Id == f.SubjectId && ids.Contains(u.AreaId)))));
    }

    /// <summary>The units with an earlier version on the day, and those of them that sat in the areas then.</summary>
    private (List<int> Changed, List<int> PlacedIn) Changed(List<int> ids)
    {
        var (changed, inside) = (_history.UnitIds.ToList(), ids.ToHashSet());
        // Every version read holds on or after the day (UnitHistoryRows): each changed unit sat where one of them says.
        return (changed, changed.Where(id => inside.Contains(_history.AreaOn(id, -1, Day))).ToList());
    }
}
