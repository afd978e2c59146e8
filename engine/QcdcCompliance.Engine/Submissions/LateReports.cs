using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Submissions;

/// <summary>
/// Whether a unit reported late, judged by when it first reported each value (the value's first audit row), never by
/// its latest correction: a committee that reopens a period and corrects a value of a unit that reported everything
/// in time does not make it late. A value stored before first values were audited has no audit row of its first
/// report: its stored-at, or its first audit row since, is the first report known. The one rule of the completeness
/// view and of the committee digest's "nộp muộn".
/// </summary>
public static class LateReports
{
    /// <summary>
    /// The units of <paramref name="units"/> with a value of <paramref name="values"/> first reported after
    /// <paramref name="dueBy"/>: stored after it (no value was first reported after it was last stored) with no audit
    /// row of it at or before it. One EXISTS a unit, which stops at the unit's first late value: a unit that reported
    /// everything late costs one look-up, not one a value.
    /// </summary>
    public static IQueryable<int> UnitsOf(QcdcDbContext db, IQueryable<Unit> units, IQueryable<DataValue> values, DateTime dueBy) =>
        units.Where(u => values.Any(v => v.UnitId == u.Id && v.StoredAt > dueBy
                && !db.DataValueAudits.Any(a => a.PeriodId == v.PeriodId && a.UnitId == v.UnitId && a.IndicatorId == v.IndicatorId && a.ChangedAt <= dueBy)))
            .Select(u => u.Id);
}
