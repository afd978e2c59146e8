using System.Globalization;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Storage;

/// <summary>
/// Reads the units' earlier versions (<see cref="UnitVersion"/>) that a period may read: those that held on or after
/// its last day. By plain SQL, as the evaluation reads its units (see <see cref="PlainSql"/>): every load and every
/// import of values asks, and the table is empty or nearly so.
/// </summary>
public static class UnitHistoryRows
{
    /// <summary>The versions whose last day is on or after <paramref name="day"/>: what a period ending on that day or later reads.</summary>
    public static async Task<UnitHistory> FromAsync(QcdcDbContext db, DateOnly day, CancellationToken ct)
    {
        var v = Names.Of<UnitVersion>(db);
        // The day is a literal formatted from a DateOnly (as the loader writes a period's days), the form every provider stores and compares.
        var sql = $"SELECT {v[nameof(UnitVersion.Id)]}, {v[nameof(UnitVersion.UnitId)]}, {v[nameof(UnitVersion.AreaId)]}, {v[nameof(UnitVersion.Kind)]}, "
                  + $"{v[nameof(UnitVersion.HasTradeUnion)]}, {v[nameof(UnitVersion.Until)]} FROM {v.Table} "
                  + $"WHERE {v[nameof(UnitVersion.Until)]} >= '{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'";
        var rows = await PlainSql.ListAsync(db, sql, r => new UnitVersion
        {
            Id = r.GetInt64(0), UnitId = r.GetInt32(1), AreaId = r.GetInt32(2), Kind = r.Enum<UnitKind>(3), HasTradeUnion = r.GetBoolean(4), Until = r.Date(5),
        }, ct);
        return rows.Count == 0 ? UnitHistory.Empty : new UnitHistory(rows);
    }
}
