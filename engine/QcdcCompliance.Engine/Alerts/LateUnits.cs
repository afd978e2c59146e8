using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Alerts;

/// <summary>
/// The units that stored a value of a period after its deadline, for the committee digest's "nộp muộn". Once late, a unit
/// stays late (imports never delete), so a process keeps the set per database and period with the last audit row it has
/// seen, and each later run reads only the audit rows written since (every value stored writes one, in its
/// transaction): a warm scope's one-value change no longer scans the period's values (2.1 s a change at 1,000,000 units
/// on PostgreSQL). The first run of a period in a process reads the values themselves, which also covers values stored
/// before first values were audited.
/// </summary>
public sealed class LateUnits
{
    private readonly ConcurrentDictionary<(string Database, int PeriodId), Known> _known = new();

    private sealed record Known(long LastAuditId, DateTime DueBy, HashSet<int> Units);

    public async Task<IReadOnlySet<int>> ForAsync(QcdcDbContext db, int periodId, DateTime dueBy, CancellationToken ct)
    {
        var key = (db.Database.GetConnectionString() ?? "", periodId);
        if (_known.TryGetValue(key, out var known) && known.DueBy == dueBy)
        {
            var since = await db.DataValueAudits.AsNoTracking().Where(a => a.Id > known.LastAuditId)
                .Select(a => new { a.Id, a.UnitId, a.PeriodId, a.ChangedAt }).ToListAsync(ct);
            if (since.Count == 0)
                return known.Units;
            var units = new HashSet<int>(known.Units);
            units.UnionWith(since.Where(a => a.PeriodId == periodId && a.ChangedAt > dueBy).Select(a => a.UnitId));
            var next = new Known(since.Max(a => a.Id), dueBy, units);
            _known[key] = next;
            return next.Units;
        }

        // The mark first: a row written meanwhile is read again next time, never missed.
        var mark = await db.DataValueAudits.MaxAsync(a => (long?)a.Id, ct) ?? 0;
        var late = (await db.DataValues.AsNoTracking().Where(v => v.PeriodId == periodId && v.StoredAt > dueBy)
            .Select(v => v.UnitId).Distinct().ToListAsync(ct)).ToHashSet();
        _known[key] = new Known(mark, dueBy, late);
        return late;
    }
}
