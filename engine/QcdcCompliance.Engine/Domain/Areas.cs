namespace QcdcCompliance.Domain;

/// <summary>Level of a node of the administrative tree (địa bàn).</summary>
public enum AreaLevel
{
    Province,
    District,
    Commune,
}

/// <summary>An administrative area. Where it sits in the tree depends on the date: see <see cref="AreaLink"/>.</summary>
public sealed class Area : Coded
{
    public required string Name { get; set; }
    public AreaLevel Level { get; set; }

    /// <summary>First day the area existed (null: always); the union of its links' validity.</summary>
    public DateOnly? ValidFrom { get; set; }

    /// <summary>Last day the area existed (null: still exists).</summary>
    public DateOnly? ValidTo { get; set; }

    public List<AreaLink> ParentLinks { get; set; } = [];

    public bool ExistsOn(DateOnly day) => Dates.Contains(ValidFrom, ValidTo, day);

    public bool Overlaps(DateOnly from, DateOnly to) => Dates.Overlaps(ValidFrom, ValidTo, from, to);
}

/// <summary>
/// One row of the tree with its validity: a commune belonged to a district until 30/6/2025 and to the province from
/// 1/7/2025. A province has one link with no parent.
/// </summary>
public sealed class AreaLink
{
    public int Id { get; set; }
    public int AreaId { get; set; }
    public int? ParentId { get; set; }
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }

    public bool ValidOn(DateOnly day) => Dates.Contains(ValidFrom, ValidTo, day);
}

/// <summary>A merged or renamed area mapped onto its successor from a date (areas merged in 2025).</summary>
public sealed class AreaLineage
{
    public int Id { get; set; }
    public int PredecessorId { get; set; }
    public int SuccessorId { get; set; }
    public DateOnly EffectiveFrom { get; set; }
}

/// <summary>Closed date intervals where a null bound is open.</summary>
public static class Dates
{
    public static bool Contains(DateOnly? from, DateOnly? to, DateOnly day) =>
        (from is null || from.Value <= day) && (to is null || day <= to.Value);

    public static bool Overlaps(DateOnly? from, DateOnly? to, DateOnly otherFrom, DateOnly otherTo) =>
        (from is null || from.Value <= otherTo) && (to is null || otherFrom <= to.Value);
}

/// <summary>
/// The version of a kind of reference data, a new random stamp in the transaction of every import that changes it, so
/// a process may keep what it read (the area tree) and know with one cheap read whether it is still current. 0 is a
/// database that never had any.
/// </summary>
public sealed class DataVersion
{
    public const string Areas = "areas";

    public required string Name { get; set; }
    public long Version { get; set; }
}

/// <summary>
/// A change of an area, as the areas or lineage import that made it stored it: who (the principal, as a unit's audit
/// names it), when (UTC), through which file, and which field from what to what; an area's first storing is one row too
/// (<see cref="Created"/>). What decides where the units of the area count in each period (its links, its dates, a
/// merger) is recorded with the first day it changes, as a <see cref="UnitAudit"/> keeps a unit's.
/// </summary>
public sealed class AreaAudit
{
    /// <summary>The <see cref="Field"/> of the row that records an area's first storing (its row's values as the new value of its fields are not repeated).</summary>
    public const string Created = "created";

    /// <summary>The parent links (<c>parent_code</c> with <c>valid_from</c>/<c>valid_to</c>), written as <see cref="AreaAuditTrail.Links"/> does.</summary>
    public const string Links = "parent_code";

    /// <summary>A merger written by a lineage import, on the predecessor: the successor's code, from <see cref="EffectiveFrom"/>.</summary>
    public const string Successor = "successor_code";

    /// <summary>The same merger, on the successor: the predecessor's code.</summary>
    public const string Predecessor = "predecessor_code";

    public long Id { get; set; }
    public int AreaId { get; set; }

    /// <summary>The column of the areas file (<c>name</c>, <c>level</c>, <c>valid_from</c>, <c>valid_to</c>, <see cref="Links"/>), <see cref="Successor"/> or <see cref="Predecessor"/> of the lineage file, or <see cref="Created"/>.</summary>
    public required string Field { get; set; }

    /// <summary>The value as the file writes it (a day as yyyy-MM-dd, an area by its code, links as <see cref="AreaAuditTrail.Links"/>); null: none.</summary>
    public string? OldValue { get; set; }

    public string? NewValue { get; set; }

    /// <summary>The first day on which the change moves the area (its links or dates: the first day its parent or existence differs; a merger: its <c>effective_from</c>); null for a name.</summary>
    public DateOnly? EffectiveFrom { get; set; }

    public required string ChangedBy { get; set; }
    public DateTime ChangedAt { get; set; }
    public string? Source { get; set; }
}

/// <summary>How an area's audit rows write what they record.</summary>
public static class AreaAuditTrail
{
    /// <summary>A day as the files write it.</summary>
    public static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Parent links by their first day: "D1 ..2025-06-30; P 2025-07-01.." (a province's link without a parent: "-"), or null for none.</summary>
    public static string? Links(IEnumerable<(string? Parent, DateOnly? From, DateOnly? To)> links)
    {
        var list = links.OrderBy(l => l.From ?? DateOnly.MinValue).Select(l => $"{l.Parent ?? "-"} {Day(l.From)}..{Day(l.To)}").ToList();
        return list.Count == 0 ? null : string.Join("; ", list);
    }

    /// <summary>The code written in place of an area the reader may not see.</summary>
    public const string Hidden = "…";

    /// <summary>
    /// The audit row as a reader sees it: in its links or mergers, an area outside what <paramref name="sees"/> allows is
    /// written <see cref="Hidden"/>, as the area's links name no parent outside the reader's area.
    /// </summary>
    public static AreaAudit ShownTo(AreaAudit audit, AreaTree tree, Func<int, bool> sees)
    {
        if (audit.Field is not (AreaAudit.Links or AreaAudit.Successor or AreaAudit.Predecessor or AreaAudit.Created))
            return audit;
        string? Shown(string? value) => value is null ? null : string.Join("; ", value.Split("; ").Select(part =>
        {
            var space = part.IndexOf(' ', StringComparison.Ordinal);
            var code = space < 0 ? part : part[..space];
            return code == "-" || (tree.Find(code) is { } area && sees(area.Id)) ? part : Hidden + part[code.Length..];
        }));
        return new AreaAudit
        {
            Id = audit.Id, AreaId = audit.AreaId, Field = audit.Field, OldValue = Shown(audit.OldValue), NewValue = Shown(audit.NewValue),
            EffectiveFrom = audit.EffectiveFrom, ChangedBy = audit.ChangedBy, ChangedAt = audit.ChangedAt, Source = audit.Source,
        };
    }

    /// <summary>
    /// The first day on which an area sits elsewhere (another parent, or existing where it did not) under the links
    /// <paramref name="after"/> than under those <paramref name="before"/>; null when it differs from the first day of
    /// all, or on no day.
    /// </summary>
    public static DateOnly? FirstDayMoved(IReadOnlyCollection<(string? Parent, DateOnly? From, DateOnly? To)> before, IReadOnlyCollection<(string? Parent, DateOnly? From, DateOnly? To)> after)
    {
        // The place can change only where a link begins or the day after one ends: those days, and the first day of all.
        var days = before.Concat(after).SelectMany(l => new[] { l.From, l.To is { } to && to < DateOnly.MaxValue ? to.AddDays(1) : null })
            .OfType<DateOnly>().Append(DateOnly.MinValue).Distinct().Order();
        foreach (var day in days)
        {
            if (On(before, day) != On(after, day))
                return day == DateOnly.MinValue ? null : day;
        }

        return null;

        static (bool Exists, string? Parent) On(IEnumerable<(string? Parent, DateOnly? From, DateOnly? To)> links, DateOnly day) =>
            links.Where(l => Dates.Contains(l.From, l.To, day)).Select(l => (true, l.Parent)).FirstOrDefault();
    }
}
