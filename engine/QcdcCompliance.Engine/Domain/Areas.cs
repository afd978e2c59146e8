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
