using QcdcCompliance.Domain;

namespace QcdcCompliance.Storage;

/// <summary>
/// A unit's values and audit rows in every period. Their indexes lead by the period (an import of a period's values
/// appends to them, issue 16), so a unit's rows are found period by period: the query names the periods.
/// </summary>
public static class UnitValueQueries
{
    public static IQueryable<T> OfUnit<T>(this IQueryable<T> rows, int unitId, IEnumerable<int> periodIds) where T : ValueKey
    {
        var periods = periodIds.ToArray();
        return rows.Where(r => periods.Contains(r.PeriodId) && r.UnitId == unitId);
    }
}
