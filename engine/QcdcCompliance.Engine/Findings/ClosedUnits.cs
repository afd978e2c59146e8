using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Findings;

/// <summary>
/// When a resolved finding of a unit resolved because the unit closed: a unit no longer active on the period's last day
/// is out of the period's population (as the facts are loaded: active to that day or later), so its finding
/// disappears without the unit having put anything right. Every reader of findings tells it by this one rule: the
/// explanation, the API, the CSV, the unit, run and workspace pages.
/// </summary>
public static class ClosedUnits
{
    /// <summary>The unit's last active day when a resolved finding of it resolved because it closed; null otherwise.</summary>
    public static DateOnly? LeftOn(FindingState state, DateOnly? activeTo, DateOnly periodEnd) =>
        state == FindingState.Resolved ? ClosedBefore(activeTo, periodEnd) : null;

    /// <summary>The unit's last active day when it is before <paramref name="day"/> (it closed and left that day's population); null otherwise.</summary>
    public static DateOnly? ClosedBefore(DateOnly? activeTo, DateOnly day) => activeTo is { } to && to < day ? to : null;

    /// <summary>The same rule for a query: the ids of the units no longer active on <paramref name="periodEnd"/>.</summary>
    public static IQueryable<int> ClosedBefore(QcdcDbContext db, DateOnly periodEnd) =>
        db.Units.Where(u => u.ActiveTo != null && u.ActiveTo < periodEnd).Select(u => u.Id);
}
