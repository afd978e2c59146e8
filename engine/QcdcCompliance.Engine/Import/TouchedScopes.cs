using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Import;

/// <summary>
/// What an import touched, for every kind of import alike: the (period, province) scopes whose figures it changed, which
/// the import answers (<c>touched</c>) and re-evaluates once they have ended (<see cref="Runs.EvaluateTouchedScopes"/>). A
/// unit counts, in a period, in the province its area lies in on the period's last day; a half-year touched touches its
/// year too, which reads its halves.
/// </summary>
public static class TouchedScopes
{
    /// <summary>The province whose runs of a period ending on <paramref name="day"/> count a unit of the area, or null when the area did not exist then.</summary>
    public static Area? ProvinceOn(AreaTree tree, int areaId, DateOnly day) => tree.PathOn(areaId, day) is [.., var province] ? province : null;

    /// <summary>The scopes in their order (by period, then scope), each once.</summary>
    public static List<(string Period, string Scope)> Ordered(IEnumerable<(string Period, string Scope)> scopes)
    {
        var list = scopes.Distinct().ToList();
        list.Sort(static (a, b) =>
        {
            var order = string.CompareOrdinal(a.Period, b.Period);
            return order != 0 ? order : string.CompareOrdinal(a.Scope, b.Scope);
        });
        return list;
    }

    /// <summary>How a period counts a unit on its last day: whether it is active, and if so where it sits and what it is.</summary>
    public readonly record struct Standing(bool Active, int AreaId, UnitKind Kind, bool HasTradeUnion)
    {
        public static Standing Inactive { get; } = new(false, 0, default, false);

        public static Standing Of(bool active, int areaId, UnitKind kind, bool union) => active ? new(true, areaId, kind, union) : Inactive;
    }

    /// <summary>
    /// The scopes of the periods given in which units were counted otherwise before a write than after it: opened or
    /// closed on their last day, moved, or of another kind or trade union then. Each is touched in the province the unit
    /// sat in before and in the one it sits in after (where it is active); a half-year also touches its year there.
    /// </summary>
    public static List<(string Period, string Scope)> OfUnits(AreaTree tree, IReadOnlyList<Period> periods,
        IEnumerable<(Func<DateOnly, Standing> Before, Func<DateOnly, Standing> After)> units) =>
        Of(tree, tree, periods, units);

    /// <summary>
    /// The same for a write of the tree (an areas or lineage import): the units as they stand, each counted where its area
    /// lies on a period's last day in the tree <paramref name="before"/> the write and in the tree <paramref name="after"/>
    /// it: an area re-parented, opened, closed or merged on that day moves the units it holds (its province, district or
    /// commune), so the period is touched in the province they sat in before and in the one they sit in after.
    /// </summary>
    public static List<(string Period, string Scope)> OfTree(AreaTree before, AreaTree after, IReadOnlyList<Period> periods, IEnumerable<Func<DateOnly, Standing>> units) =>
        Of(before, after, periods, units.Select(u => (u, u)));

    /// <summary>
    /// What a write of the tree touched (<see cref="OfTree"/>) among the ended periods stored (holding values or evaluated,
    /// as a units import asks): the units that sat, on a period's last day, in an area the write placed elsewhere then
    /// (<see cref="AreasMoved"/>), active or not then and in the area their version then names, read in the write's
    /// transaction by their area (indexed: a province's 200,000 units are not read for one commune re-parented). A unit
    /// in no such area is counted where it was, so it touches nothing. Units of the same area and dates are asked once.
    /// </summary>
    public static async Task<List<(string Period, string Scope)>> OfTreeAsync(QcdcDbContext db, AreaTree before, AreaTree after, ImportContext context,
        CancellationToken ct)
    {
        var today = VietnamTime.Today(context.Clock);
        var ended = await db.Periods.AsNoTracking().Where(p => p.End < today).ToListAsync(ct);
        if (ended.Count == 0)
            return [];
        var areas = AreasMoved(before, after, ended.Select(p => p.End)).ToList();
        if (areas.Count == 0)
            return [];
        // The units in those areas now, and those a version placed there once (their whole history is read below).
        var once = db.UnitVersions.Where(v => areas.Contains(v.AreaId)).Select(v => v.UnitId);
        var under = db.Units.AsNoTracking().Where(u => areas.Contains(u.AreaId) || once.Contains(u.Id));
        var units = await under.Select(u => new { u.Id, u.AreaId, u.ActiveFrom, u.ActiveTo }).ToListAsync(ct);
        var history = new UnitHistory(await db.UnitVersions.AsNoTracking().Where(v => under.Select(u => u.Id).Contains(v.UnitId)).ToListAsync(ct));
        var standings = new List<Func<DateOnly, Standing>>();
        foreach (var same in units.Where(u => history.Of(u.Id).Count == 0).Select(u => (u.AreaId, u.ActiveFrom, u.ActiveTo)).Distinct())
            standings.Add(day => Standing.Of(Dates.Contains(same.ActiveFrom, same.ActiveTo, day), same.AreaId, default, false));
        foreach (var moved in units.Where(u => history.Of(u.Id).Count > 0))
            standings.Add(day => Standing.Of(Dates.Contains(moved.ActiveFrom, moved.ActiveTo, day), history.AreaOn(moved.Id, moved.AreaId, day), default, false));
        return OfTree(before, after, ended, standings);
    }

    /// <summary>
    /// The areas of either tree that lie elsewhere (another path, or none) in <paramref name="after"/> than in
    /// <paramref name="before"/> on one of the days: only a unit in one of them on that day can be counted otherwise.
    /// </summary>
    public static IEnumerable<int> AreasMoved(AreaTree before, AreaTree after, IEnumerable<DateOnly> days)
    {
        var on = days.Distinct().ToList();
        return before.Areas.Concat(after.Areas).Select(a => a.Id).Distinct()
            .Where(id => on.Any(day => Differs(before, after, id, day)));
    }

    /// <summary>
    /// One rule for both: a unit whose standing on a period's last day, or the path of its area then, differs between
    /// before and after touches the period in its province before (read in <paramref name="treeBefore"/>) and after.
    /// </summary>
    private static List<(string Period, string Scope)> Of(AreaTree treeBefore, AreaTree treeAfter, IReadOnlyList<Period> periods,
        IEnumerable<(Func<DateOnly, Standing> Before, Func<DateOnly, Standing> After)> units)
    {
        var touched = new HashSet<(string Period, string Scope)>();
        var provinces = new Dictionary<(bool After, int Area, DateOnly Day), string?>();
        var moved = new Dictionary<(int Area, DateOnly Day), bool>();
        var sameTree = ReferenceEquals(treeBefore, treeAfter);
        void Add(Period period, Standing standing, bool after)
        {
            if (!standing.Active)
                return;
            var key = (after, standing.AreaId, period.End);
            if (!provinces.TryGetValue(key, out var province))
                provinces[key] = province = ProvinceOn(after ? treeAfter : treeBefore, standing.AreaId, period.End)?.Code;
            if (province is null)
                return;
            touched.Add((period.Code, province));
            if (period.Type == PeriodType.HalfYear)
                touched.Add((new PeriodCode(PeriodType.Year, period.Year, 0).Code, province));
        }

        // Whether the area lies elsewhere on the day in the tree after than before (another path, or none).
        bool Moved(int areaId, DateOnly day)
        {
            if (sameTree)
                return false;
            if (!moved.TryGetValue((areaId, day), out var differs))
                moved[(areaId, day)] = differs = Differs(treeBefore, treeAfter, areaId, day);
            return differs;
        }

        foreach (var (before, after) in units)
        {
            foreach (var period in periods)
            {
                var (was, @is) = (before(period.End), after(period.End));
                if (was == @is && (!was.Active || !Moved(was.AreaId, period.End)))
                    continue;
                Add(period, was, after: false);
                Add(period, @is, after: true);
            }
        }

        return Ordered(touched);
    }

    /// <summary>Whether the area lies elsewhere on the day in the tree after than before (another path, or none).</summary>
    private static bool Differs(AreaTree before, AreaTree after, int areaId, DateOnly day) =>
        !PathOf(before, areaId, day).SequenceEqual(PathOf(after, areaId, day));

    private static IEnumerable<int> PathOf(AreaTree tree, int areaId, DateOnly day) =>
        tree.Find(areaId) is null ? [] : tree.PathOn(areaId, day).Select(a => a.Id);
}
