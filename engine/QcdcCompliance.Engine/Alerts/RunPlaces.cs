using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Alerts;

/// <summary>
/// Where the subjects of some findings sit on a day: a unit's area and its ancestors, an area and its ancestors,
/// nearest first, ending at the province. Tells which committees' subtrees a finding falls in.
/// </summary>
public sealed class RunPlaces
{
    private readonly AreaTree _tree;
    private readonly DateOnly _day;
    private readonly DateOnly _since;
    private readonly Dictionary<int, (string Name, int AreaId)> _units;
    private readonly Dictionary<int, IReadOnlyList<Area>> _paths = [];
    private readonly Dictionary<int, DateOnly> _closed;

    private RunPlaces(AreaTree tree, DateOnly day, DateOnly since, Dictionary<int, (string, int)> units, Dictionary<int, DateOnly> closed)
    {
        _tree = tree;
        _day = day;
        _since = since;
        _units = units;
        _closed = closed;
    }

    public AreaTree Tree => _tree;

    /// <param name="known">Units whose name and area the caller read already (they are not read again).</param>
    /// <param name="since">The period's first day: an area dissolved from then on is placed on its kept path (<see cref="AreaTree.PathKeptOn"/>).</param>
    public static async Task<RunPlaces> LoadAsync(QcdcDbContext db, DateOnly day, IEnumerable<(SubjectType Type, int Id)> subjects, CancellationToken ct,
        Dictionary<int, (string Name, int AreaId)>? known = null, DateOnly? since = null)
    {
        var tree = await db.LoadAreaTreeAsync(ct);
        var units = known ?? [];
        var closed = new Dictionary<int, DateOnly>();
        var unitIds = subjects.Where(s => s.Type == SubjectType.Unit && !units.ContainsKey(s.Id)).Select(s => s.Id).Distinct().ToList();
        foreach (var chunk in unitIds.Chunk(5000))
        {
            foreach (var u in await db.Units.AsNoTracking().Where(u => chunk.Contains(u.Id)).Select(u => new { u.Id, u.Name, u.AreaId, u.ActiveTo }).ToListAsync(ct))
            {
                units[u.Id] = (u.Name, u.AreaId);
                if (Findings.ClosedUnits.ClosedBefore(u.ActiveTo, day) is { } to)
                    closed[u.Id] = to;
            }
        }

        // A unit that moved since the day is placed where it sat then.
        var history = await UnitHistoryRows.FromAsync(db, day, ct);
        foreach (var id in unitIds.Where(id => units.ContainsKey(id) && history.On(id, day) is not null))
            units[id] = (units[id].Name, history.On(id, day)!.AreaId);

        return new RunPlaces(tree, day, since ?? day, units, closed);
    }

    /// <summary>
    /// The last day a unit read here was active, when that is before the day (it closed, and left the population): a
    /// finding of it that resolved did so because it closed, not because it was put right. Null for a unit still active
    /// and for one the caller knew (a unit with open findings is active).
    /// </summary>
    public DateOnly? ClosedOn(SubjectType type, int id) => type == SubjectType.Unit && _closed.TryGetValue(id, out var to) ? to : null;

    /// <summary>
    /// Places a unit read here that now sits outside <paramref name="scope"/> (it moved to another province) where
    /// <paramref name="recorded"/> (area codes, nearest first: the row of its shortfall) placed it, when that is inside
    /// the scope: the committees told of the shortfall are told that it resolved, and why. A unit still in the scope stays
    /// where it sits.
    /// </summary>
    /// <param name="recorded">Read only for a unit outside the scope (a finding's evidence is unpacked for it).</param>
    public void KeepInScope(Area scope, int unitId, Func<IReadOnlyList<string>?> recorded)
    {
        if (!_units.TryGetValue(unitId, out var unit) || PathOf(SubjectType.Unit, unitId).Any(a => a.Id == scope.Id))
            return;
        if (recorded() is [var nearest, ..] && _tree.Find(nearest) is { } area && PathOfArea(area.Id).Any(a => a.Id == scope.Id))
            _units[unitId] = (unit.Name, area.Id);
    }

    /// <summary>The areas the subject is in (for an area, itself first), nearest first.</summary>
    public IReadOnlyList<Area> PathOf(SubjectType type, int id) =>
        type == SubjectType.Unit
            ? _units.TryGetValue(id, out var unit) ? PathOfArea(unit.AreaId) : []
            : PathOfArea(id);

    /// <summary>An area's path, worked out once per area: a digest places every open finding of a province.</summary>
    private IReadOnlyList<Area> PathOfArea(int areaId) =>
        _paths.TryGetValue(areaId, out var path) ? path : _paths[areaId] = _tree.PathKeptOn(areaId, _day, _since);

    /// <summary>The areas strictly above the subject: a unit's own area is above it; an area's parent is above it.</summary>
    public IEnumerable<Area> Above(SubjectType type, int id) =>
        type == SubjectType.Unit ? PathOf(type, id) : PathOf(type, id).Skip(1);

    public string NameOf(SubjectType type, int id, string fallback) =>
        type == SubjectType.Unit
            ? _units.TryGetValue(id, out var unit) ? unit.Name : fallback
            : _tree.Find(id)?.Name ?? fallback;
}
