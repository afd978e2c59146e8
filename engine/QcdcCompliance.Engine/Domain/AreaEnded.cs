namespace QcdcCompliance.Domain;

/// <summary>
/// An area that no longer existed on a period's last day (a district abolished on 1/7/2025, a commune merged into
/// another): no unit sits in it then, so the period has no figures for it, and a committee of that area is told so
/// and pointed at what the area became instead of being shown an empty page.
/// </summary>
/// <param name="LastDay">The last day the area existed (its <see cref="Area.ValidTo"/>).</param>
/// <param name="Successors">The areas the lineage maps it onto, as they stand on the period's last day.</param>
/// <param name="FormerAreasNow">The areas under it on its last day, as they stand on the period's last day (what its communes became), those not among <paramref name="Successors"/>.</param>
public sealed record AreaEnded(Area Area, DateOnly LastDay, IReadOnlyList<Area> Successors, IReadOnlyList<Area> FormerAreasNow)
{
    /// <summary>The first day the area no longer existed.</summary>
    public DateOnly EndedOn => LastDay.AddDays(1);

    /// <summary>Null when the area existed on the period's last day, or has not begun by then (no end to tell of).</summary>
    public static AreaEnded? Of(AreaTree tree, Area area, Period period)
    {
        if (area.ExistsOn(period.End) || area.ValidTo is not { } lastDay || lastDay >= period.End)
            return null;
        var successors = tree.SuccessorsOf(area.Id)
            .Where(l => l.EffectiveFrom <= period.End)
            .Select(l => tree.Current(l.SuccessorId, period.End))
            .OfType<Area>()
            .DistinctBy(a => a.Id)
            .OrderBy(a => a.Code, StringComparer.Ordinal)
            .ToList();
        var known = successors.Select(a => a.Id).ToHashSet();
        var formerAreas = tree.ChildrenOn(area.Id, lastDay)
            .Select(c => tree.Current(c.Id, period.End))
            .OfType<Area>()
            .Where(a => known.Add(a.Id))
            .OrderBy(a => a.Code, StringComparer.Ordinal)
            .ToList();
        return new AreaEnded(area, lastDay, successors, formerAreas);
    }
}
