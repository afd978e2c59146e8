namespace QcdcCompliance.Domain;

/// <summary>Kind of a reporting unit (cơ sở / đơn vị).</summary>
public enum UnitKind
{
    /// <summary>UBND xã/phường/thị trấn/đặc khu (XA).</summary>
    Commune,
    /// <summary>Cơ quan hành chính nhà nước (CQ).</summary>
    StateAgency,
    /// <summary>Đơn vị sự nghiệp công lập (SN).</summary>
    PublicServiceUnit,
    /// <summary>Doanh nghiệp nhà nước (DNNN).</summary>
    StateEnterprise,
    /// <summary>Doanh nghiệp ngoài nhà nước (DN).</summary>
    NonStateEnterprise,
    /// <summary>Lực lượng vũ trang (LL).</summary>
    ArmedForces,
    /// <summary>Thôn / tổ dân phố (TH).</summary>
    Village,
    /// <summary>
    /// Ủy ban Mặt trận Tổ quốc and the political-social organisations of a commune (MT): they report the propaganda
    /// sessions and attendances that no village or enterprise owes.
    /// </summary>
    FrontAndMassOrganisations,
    /// <summary>
    /// The Ban Dân vận / steering committee of an area (DV): it counts the "Dân vận khéo" models of its area.
    /// </summary>
    MassMobilisationBoard,
}

/// <summary>What reports and what is flagged.</summary>
public sealed class Unit : Coded
{
    public required string Name { get; set; }
    public UnitKind Kind { get; set; }
    public int AreaId { get; set; }
    public bool HasTradeUnion { get; set; }
    public int? Headcount { get; set; }
    public string? ContactEmail { get; set; }
    public DateOnly? ActiveFrom { get; set; }
    public DateOnly? ActiveTo { get; set; }

    /// <summary>
    /// A unit is in a period's denominators when it is active on the period's last day, the day its figures are judged
    /// on: opened during the period is in, closed during it is out (it leaves the denominators, and could never report
    /// a state at the period's end: a commune merged away on 30/6/2025 is not one of the communes of the year 2025).
    /// </summary>
    public bool ActiveAt(Period period) => Dates.Contains(ActiveFrom, ActiveTo, period.End);
}

/// <summary>
/// An earlier version of the attributes of a unit that decide where it sits and which populations it is in (its area,
/// kind and trade union), held until <see cref="Until"/>, its last day. The unit's row is the unit as it is now; a
/// period whose last day falls on or before a version's last day (and after the one before it) judges the unit as
/// that version: a unit moved to another district in 2026 still counts, for 2020S1, in the district it sat in then.
/// </summary>
public sealed class UnitVersion
{
    public long Id { get; set; }
    public int UnitId { get; set; }
    public int AreaId { get; set; }
    public UnitKind Kind { get; set; }
    public bool HasTradeUnion { get; set; }

    /// <summary>The last day this version held; the next version (or the unit's row) holds from the day after.</summary>
    public DateOnly Until { get; set; }
}

/// <summary>
/// The earlier versions of the units that changed (few: most units never move), read once and asked by unit: where a
/// unit sat and what it was on a day. A unit it does not name is, on every day, as its row says.
/// </summary>
public sealed class UnitHistory
{
    private readonly Dictionary<int, UnitVersion[]> _byUnit;

    public UnitHistory(IEnumerable<UnitVersion> versions) =>
        _byUnit = versions.GroupBy(v => v.UnitId).ToDictionary(g => g.Key, g => g.OrderBy(v => v.Until).ToArray());

    public static UnitHistory Empty { get; } = new([]);

    public bool IsEmpty => _byUnit.Count == 0;

    /// <summary>The units it names.</summary>
    public IEnumerable<int> UnitIds => _byUnit.Keys;

    /// <summary>The version of the unit in force on the day, or null when its row holds then.</summary>
    public UnitVersion? On(int unitId, DateOnly day)
    {
        if (!_byUnit.TryGetValue(unitId, out var versions))
            return null;
        foreach (var version in versions)
        {
            if (version.Until >= day)
                return version;
        }

        return null;
    }

    /// <summary>The area the unit sat in on the day, given the area its row names now.</summary>
    public int AreaOn(int unitId, int currentAreaId, DateOnly day) => On(unitId, day)?.AreaId ?? currentAreaId;

    /// <summary>The unit's versions, earliest first (none for a unit that never changed).</summary>
    public IReadOnlyList<UnitVersion> Of(int unitId) => _byUnit.TryGetValue(unitId, out var versions) ? versions : [];

    /// <summary>
    /// The unit as it was over time, earliest first: each kept version from the day after the one before it (the first
    /// from the unit's start, null when not recorded) to its last day, then its row from the day after the last version
    /// (until null: it holds now). What an auditor reads to see why the unit counts where it does in each period.
    /// </summary>
    public IReadOnlyList<UnitSpan> SpansOf(Unit unit)
    {
        var spans = new List<UnitSpan>();
        var from = unit.ActiveFrom;
        foreach (var v in Of(unit.Id))
        {
            spans.Add(new UnitSpan(from, v.Until, v.AreaId, v.Kind, v.HasTradeUnion));
            from = v.Until.AddDays(1);
        }

        spans.Add(new UnitSpan(from, null, unit.AreaId, unit.Kind, unit.HasTradeUnion));
        return spans;
    }
}

/// <summary>Where a unit sat and what it was from a day (null: from its start) to a day (null: it still holds).</summary>
public sealed record UnitSpan(DateOnly? From, DateOnly? Until, int AreaId, UnitKind Kind, bool HasTradeUnion);

/// <summary>
/// A change of a unit, as the write that made it stored it: who (the principal, as a value's audit names it), when (UTC),
/// through which file, and which field from what to what; a unit's first storing is one row too (<see cref="Created"/>).
/// The fields are the units file's columns: what decides a unit's verdicts (its activity, area, kind, union) and where its
/// alerts go (its contact e-mail), as a <see cref="DataValueAudit"/> keeps a value's.
/// </summary>
public sealed class UnitAudit
{
    /// <summary>The <see cref="Field"/> of the row that records a unit's first storing (no old or new value: the unit's fields then are the first old values of its later changes, or its row).</summary>
    public const string Created = "created";

    public long Id { get; set; }
    public int UnitId { get; set; }

    /// <summary>The column of the units file: <c>name</c>, <c>kind</c>, <c>area_code</c>, <c>has_trade_union</c>, <c>headcount</c>, <c>contact_email</c>, <c>active_from</c>, <c>active_to</c>, or <see cref="Created"/>.</summary>
    public required string Field { get; set; }

    /// <summary>The value as the file writes it (an area by its code, a kind by its name, a day as yyyy-MM-dd, a union as true/false); null: none.</summary>
    public string? OldValue { get; set; }

    public string? NewValue { get; set; }

    /// <summary>For a change of the unit's area, kind or union: the day it takes effect (its <c>changed_on</c>); the other fields are not dated.</summary>
    public DateOnly? EffectiveFrom { get; set; }

    public required string ChangedBy { get; set; }
    public DateTime ChangedAt { get; set; }
    public string? Source { get; set; }
}

/// <summary>Reading a unit's audit rows beside its versions.</summary>
public static class UnitAuditTrail
{
    /// <summary>
    /// The write that began a span of the unit's history (<see cref="UnitHistory.SpansOf"/>, earliest first): its first
    /// storing for the first span, the latest change of its area, kind or union dated from the span's first day for the
    /// others; null when none was recorded (a unit stored before its changes were).
    /// </summary>
    public static UnitAudit? Began(IReadOnlyList<UnitSpan> spans, int index, IReadOnlyList<UnitAudit> audits) =>
        index == 0
            ? audits.FirstOrDefault(a => a.Field == UnitAudit.Created)
            : audits.LastOrDefault(a => a.EffectiveFrom is { } from && from == spans[index].From);
}
