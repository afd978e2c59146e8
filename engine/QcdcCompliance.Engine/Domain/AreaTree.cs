namespace QcdcCompliance.Domain;

/// <summary>
/// The administrative tree over time: where an area sits on a given day, following merged areas to their successors.
/// Built once per evaluation or request from the stored areas, links and lineage.
/// </summary>
public sealed class AreaTree
{
    private readonly Dictionary<int, Area> _areas;
    private readonly Dictionary<string, Area> _byCode;
    private readonly ILookup<int, AreaLink> _linksByArea;
    // The links by parent, in the order of _linksByArea: a tree is kept and read by many requests, so built once, not per call.
    private readonly ILookup<int, AreaLink> _linksByParent;
    // The same links and lineage as arrays, for the lookups a warm scope's every change makes over its province's areas
    // (paths, subtrees): read without a closure, an iterator or a list per call (about 2 MB a change at 1,000,000 units).
    private readonly Dictionary<int, AreaLink[]> _parentLinks;
    private readonly Dictionary<int, AreaLineage[]> _successors;

    public AreaTree(IEnumerable<Area> areas, IEnumerable<AreaLink> links, IEnumerable<AreaLineage> lineage)
    {
        _areas = areas.ToDictionary(a => a.Id);
        _byCode = _areas.Values.ToDictionary(a => a.Code, StringComparer.OrdinalIgnoreCase);
        _linksByArea = links.ToLookup(l => l.AreaId);
        _linksByParent = _linksByArea.SelectMany(g => g).Where(l => l.ParentId is not null).ToLookup(l => l.ParentId!.Value);
        _parentLinks = _linksByArea.ToDictionary(g => g.Key, g => g.ToArray());
        _successors = lineage.GroupBy(l => l.PredecessorId).ToDictionary(g => g.Key, g => g.ToArray());
    }

    public IEnumerable<Area> Areas => _areas.Values;

    /// <summary>How many areas the tree holds, of every date.</summary>
    public int Count => _areas.Count;

    public Area this[int id] => _areas[id];

    public Area? Find(string code) => _byCode.GetValueOrDefault(code.Trim());

    public Area? Find(int id) => _areas.GetValueOrDefault(id);

    /// <summary>The area that stands for <paramref name="areaId"/> on the day: itself, or its successor after a merger.</summary>
    public Area? Current(int areaId, DateOnly day)
    {
        var area = _areas[areaId];
        for (var hops = 0; hops < 16; hops++)
        {
            if (area.ExistsOn(day))
                return area;
            // The latest merger in force on the day (the first of equals).
            AreaLineage? next = null;
            foreach (var l in _successors.GetValueOrDefault(area.Id, []))
            {
                if (l.EffectiveFrom <= day && (next is null || l.EffectiveFrom > next.EffectiveFrom))
                    next = l;
            }

            if (next is null)
                return null;
            area = _areas[next.SuccessorId];
        }

        return null;
    }

    /// <summary>
    /// The one area that took an area's place on the day, for a target set that follows successors: the area itself
    /// while it exists; its successor by the lineage where it was merged into an area of its own level or below (a
    /// commune into a commune); where it was dissolved into an area above it (a district into its province, 1/7/2025),
    /// the one area its former children became, provided that area was made of them alone. Null otherwise: a district's
    /// targets never bind the units of the rest of its province, nor of a commune made partly of another district.
    /// </summary>
    public Area? SuccessorOn(int areaId, DateOnly day) => TookPlaceOf(_areas[areaId], day, depth: 0);

    private Area? TookPlaceOf(Area area, DateOnly day, int depth)
    {
        if (area.ExistsOn(day))
            return area;
        if (depth >= 16 || Current(area.Id, day) is not { } current)
            return null;
        if (current.Level >= area.Level)
            return current;

        // Dissolved upward: what its children became, if they became one area made of this area's subtree alone.
        Area? only = null;
        foreach (var child in _linksByParent[area.Id].Select(l => _areas[l.AreaId]).Distinct())
        {
            if (TookPlaceOf(child, day, depth + 1) is not { } became)
                continue;
            if (only is not null && only.Id != became.Id)
                return null;
            only = became;
        }

        if (only is null)
            return null;
        var subtree = Subtree(area.Id);
        return _successors.Where(s => s.Value.Any(l => l.SuccessorId == only.Id)).All(s => subtree.Contains(s.Key)) ? only : null;
    }

    /// <summary>The parent on the day, or null for a province or an area with no link valid then.</summary>
    public Area? ParentOn(int areaId, DateOnly day)
    {
        foreach (var link in _parentLinks.GetValueOrDefault(areaId, []))
        {
            if (link.ValidOn(day))
                return link.ParentId is { } parent ? _areas[parent] : null;
        }

        return null;
    }

    /// <summary>The area and its ancestors on the day, nearest first, ending at the province; empty if it did not exist.</summary>
    public IReadOnlyList<Area> PathOn(int areaId, DateOnly day)
    {
        var path = new List<Area>(4);
        var area = Current(areaId, day);
        while (area is not null && path.Count < 16)
        {
            path.Add(area);
            area = ParentOn(area.Id, day);
        }

        return path;
    }

    /// <summary>
    /// The province the area lies in on the day (the top of its path, when that is a province); null when it lies in none
    /// (it did not exist, or its path is cut from the tree by then). What a period asks of an area on its last day.
    /// </summary>
    public Area? ProvinceOn(int areaId, DateOnly day) => PathOn(areaId, day) is [.., { Level: AreaLevel.Province } province] ? province : null;

    /// <summary>
    /// Whether the area had ended before the day leaving no area of its level or below in its place: dissolved (a district
    /// into its province on 1/7/2025, whether the lineage maps it onto the province or onto nothing), not merged into
    /// another area (a commune into a commune, which stands for it).
    /// </summary>
    public bool DissolvedBy(int areaId, DateOnly day) =>
        _areas[areaId] is { ValidTo: { } last } area && last < day && (Current(areaId, day) is not { } now || now.Level < area.Level);

    /// <summary>
    /// Where what an area held from <paramref name="since"/> on stands on the day: its path (<see cref="PathOn"/>); for
    /// an area dissolved on or after <paramref name="since"/> (<see cref="DissolvedBy"/>), the area itself, kept as a node
    /// of its own, above the path, so kept, of its parent on its last day (a district dissolved on 1 July: the district,
    /// then its province). A year's first-half counts of a district's own unit closed after 30/6 stay the district's
    /// (<see cref="Evaluation.CarriedReports"/>), not its province's own units'; and a finding of the district is read
    /// on that path. Empty where the area has no path on the day and was not dissolved then.
    /// </summary>
    public IReadOnlyList<Area> PathKeptOn(int areaId, DateOnly day, DateOnly since)
    {
        var kept = new List<Area>(4);
        for (var area = _areas[areaId]; kept.Count < 16; )
        {
            if (area.ValidTo is not { } last || last < since || !DissolvedBy(area.Id, day) || ParentOn(area.Id, last) is not { } parent)
                return kept.Count == 0 ? PathOn(area.Id, day) : [.. kept, .. PathOn(area.Id, day)];
            kept.Add(area);
            area = parent;
        }

        return [];
    }

    /// <summary>
    /// The child areas of an area over a period: its children on the period's last day, and those dissolved during the
    /// period (from <paramref name="since"/>) that <see cref="PathKeptOn"/> keeps under it (a district dissolved on 1 July,
    /// under its province in the year): their rows, of the counts carried into them, are the area's children too.
    /// </summary>
    public IEnumerable<Area> ChildrenIn(int areaId, DateOnly since, DateOnly day) =>
        ChildrenOn(areaId, day).Concat(_linksByParent[areaId].Select(l => _areas[l.AreaId]).Distinct()
            .Where(c => c.ValidTo >= since && DissolvedBy(c.Id, day) && PathKeptOn(c.Id, day, since) is [_, var parent, ..] && parent.Id == areaId)).Distinct();

    /// <summary>Every area that was ever below the root (and the root): what a principal bound to it may see.</summary>
    public HashSet<int> Subtree(int rootId)
    {
        var result = new HashSet<int> { rootId };
        var queue = new Queue<int>([rootId]);
        while (queue.Count > 0)
        {
            foreach (var link in _linksByParent[queue.Dequeue()])
            {
                if (result.Add(link.AreaId))
                    queue.Enqueue(link.AreaId);
            }
        }

        // Merged areas follow their successors (in the lineage's order, as stored).
        foreach (var (predecessor, successors) in _successors)
        {
            foreach (var successor in successors)
            {
                if (result.Contains(successor.SuccessorId))
                {
                    result.Add(predecessor);
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>The lineage rows that map the area onto its successors (a merger, or a district's abolition in 2025), as stored.</summary>
    public IReadOnlyList<AreaLineage> SuccessorsOf(int areaId) => _successors.GetValueOrDefault(areaId, []);

    /// <summary>The area's links to its parents over time.</summary>
    public IEnumerable<AreaLink> LinksOf(int areaId) => _linksByArea[areaId];

    /// <summary>The children of an area on the day.</summary>
    public IEnumerable<Area> ChildrenOn(int areaId, DateOnly day) =>
        _linksByParent[areaId].Where(l => l.ValidOn(day)).Select(l => _areas[l.AreaId]).Distinct();
}
