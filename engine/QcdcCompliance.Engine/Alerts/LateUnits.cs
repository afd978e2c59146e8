using System.Collections.Concurrent;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;
using QcdcCompliance.Submissions;

namespace QcdcCompliance.Alerts;

/// <summary>
/// The units that first reported a value of a period after its deadline (<see cref="LateReports"/>: a correction after it
/// of a value reported in time does not count), for the committee digest's "nộp muộn". Once late, a unit stays late (a
/// first report never moves), so a process keeps the set per database and period with the last audit row it has seen,
/// and each later run reads only the audit rows written since (every value stored writes one, in its transaction): a
/// warm scope's one-value change no longer scans the period's values (2.1 s a change at 1,000,000 units on
/// PostgreSQL). The first run of a period in a process reads the values themselves, which also covers values stored
/// before first values were audited.
/// </summary>
/// <remarks>
/// <para>A change adds a few units to a set that holds the whole country's late units (926,883 at 1,000,000 units): the
/// set is never copied for it. What was read at once is kept as an immutable base, what was read since as a small
/// delta copied on each change and folded into a new base once it holds 4,096 units, so a run reads a set no other run
/// changes (<see cref="LateSet"/>).</para>
/// <para>PostgreSQL and SQL Server hand out identities when a row is inserted, not when it commits: a transaction that
/// took a lower id may commit after rows with higher ids were read. The ids below the highest read that were not seen
/// are kept as gaps and read again on every later run until they are seen, or until <see cref="GapLifetime"/> has
/// passed (a transaction rolled back, or an id the database skipped, leaves one for good).</para>
/// </remarks>
public sealed class LateUnits(TimeProvider clock)
{
    /// <summary>How long an id not seen below the highest one read is looked for again.</summary>
    public static readonly TimeSpan GapLifetime = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<(string Database, int PeriodId), Known> _known = new();

    private sealed record Gap(long From, long To, DateTime Since);

    private sealed record Known(long LastAuditId, DateTime DueBy, LateSet Units, IReadOnlyList<Gap> Gaps);

    public async Task<LateSet> ForAsync(QcdcDbContext db, int periodId, DateTime dueBy, CancellationToken ct)
    {
        var key = (db.Database.GetConnectionString() ?? "", periodId);
        var now = clock.GetUtcNow().UtcDateTime;
        if (_known.TryGetValue(key, out var known) && known.DueBy == dueBy)
        {
            var gaps = known.Gaps.Where(g => now - g.Since < GapLifetime).ToList();
            var since = await db.DataValueAudits.AsNoTracking().Where(After(known.LastAuditId, gaps))
                .Select(a => new { a.Id, a.UnitId, a.PeriodId, a.IndicatorId, a.ChangedAt }).ToListAsync(ct);
            var seen = since.Select(a => a.Id).Where(id => id <= known.LastAuditId).Order().ToList();
            var last = since.Count == 0 ? known.LastAuditId : Math.Max(known.LastAuditId, since.Max(a => a.Id));
            var open = Gaps(gaps, seen, known.LastAuditId, since.Where(a => a.Id > known.LastAuditId).Select(a => a.Id), now);
            var units = known.Units.With(await FirstReportedAfterAsync(db, periodId, dueBy,
                since.Where(a => a.PeriodId == periodId && a.ChangedAt > dueBy && !known.Units.Contains(a.UnitId)).Select(a => (a.UnitId, a.IndicatorId)).ToList(), ct));
            if (last == known.LastAuditId && ReferenceEquals(units, known.Units) && open.Count == known.Gaps.Count)
                return known.Units;
            var next = new Known(last, dueBy, units, open);
            _known[key] = next;
            return next.Units;
        }

        // The mark first: a row written meanwhile is read again next time, never missed.
        var mark = await db.DataValueAudits.MaxAsync(a => (long?)a.Id, ct) ?? 0;
        var late = await LateReports.UnitsOf(db, db.Units, db.DataValues.Where(v => v.PeriodId == periodId), dueBy).ToListAsync(ct);
        var set = new LateSet(late);
        _known[key] = new Known(mark, dueBy, set, []);
        return set;
    }

    /// <summary>
    /// The units of the values stored after the deadline (read from their audit rows) that first reported them then: those
    /// with no audit row of the same value at or before it (a correction of a value reported in time is not late).
    /// </summary>
    private static async Task<List<int>> FirstReportedAfterAsync(QcdcDbContext db, int periodId, DateTime dueBy, List<(int UnitId, int IndicatorId)> stored,
        CancellationToken ct)
    {
        if (stored.Count == 0)
            return [];
        var units = stored.Select(s => s.UnitId).Distinct().ToList();
        var inTime = (await db.DataValueAudits.AsNoTracking().Where(a => a.PeriodId == periodId && units.Contains(a.UnitId) && a.ChangedAt <= dueBy)
            .Select(a => new { a.UnitId, a.IndicatorId }).Distinct().ToListAsync(ct)).Select(a => (a.UnitId, a.IndicatorId)).ToHashSet();
        return stored.Where(s => !inTime.Contains(s)).Select(s => s.UnitId).Distinct().ToList();
    }

    /// <summary>The audit rows above the last id read, and those inside the gaps still looked for (rare: their bounds are written into the SQL).</summary>
    private static Expression<Func<DataValueAudit, bool>> After(long last, IReadOnlyList<Gap> gaps)
    {
        if (gaps.Count == 0)
            return a => a.Id > last;
        var row = Expression.Parameter(typeof(DataValueAudit), "a");
        var id = Expression.Property(row, nameof(DataValueAudit.Id));
        Expression test = Expression.GreaterThan(id, Expression.Constant(last));
        foreach (var gap in gaps)
            test = Expression.OrElse(test, Expression.AndAlso(Expression.GreaterThanOrEqual(id, Expression.Constant(gap.From)), Expression.LessThanOrEqual(id, Expression.Constant(gap.To))));
        return Expression.Lambda<Func<DataValueAudit, bool>>(test, row);
    }

    /// <summary>
    /// The gaps still open after a read: the earlier ones less the ids now seen, and the ids skipped among those read
    /// above <paramref name="before"/> (the highest id of the read before).
    /// </summary>
    private static List<Gap> Gaps(List<Gap> earlier, List<long> seen, long before, IEnumerable<long> fresh, DateTime now)
    {
        var gaps = new List<Gap>();
        foreach (var gap in earlier)
        {
            // The ids seen inside the gap split it.
            var start = gap.From;
            foreach (var id in seen.Where(id => id >= gap.From && id <= gap.To))
            {
                if (id > start)
                    gaps.Add(gap with { From = start, To = id - 1 });
                start = id + 1;
            }

            if (start <= gap.To)
                gaps.Add(gap with { From = start });
        }

        var expected = before + 1;
        foreach (var id in fresh.Order())
        {
            if (id > expected)
                gaps.Add(new Gap(expected, id - 1, now));
            expected = id + 1;
        }

        return gaps.Count <= 64 ? gaps : gaps.OrderByDescending(g => g.Since).Take(64).OrderBy(g => g.From).ToList();
    }
}

/// <summary>
/// The late units of a period as one run reads them: an immutable base and a small delta, never changed once handed
/// out (<see cref="LateUnits"/>). The base is a bitmap of unit ids (identities, dense: 125 KB for a million units),
/// so that a digest tests every unit of a province against it without a hash lookup's cache miss for each.
/// </summary>
public sealed class LateSet
{
    private readonly ulong[] _base;
    private readonly int _baseCount;
    private readonly HashSet<int> _delta;
    private LateSet? _parent;

    private LateSet(ulong[] @base, int baseCount, HashSet<int> delta, LateSet? parent = null, IReadOnlyCollection<int>? added = null)
    {
        _base = @base;
        _baseCount = baseCount;
        _delta = delta;
        _parent = parent;
        Added = added ?? [];
    }

    /// <summary>The set this one was made from by adding <see cref="Added"/>, while it is the newest made from it (only one step is kept).</summary>
    internal LateSet? Parent => _parent;

    internal IReadOnlyCollection<int> Added { get; }

    internal LateSet(IReadOnlyCollection<int> units)
        : this(Bitmap(units, []), units.Count, [])
    {
    }

    public int Count => _baseCount + _delta.Count;

    public bool Contains(int unitId) =>
        (uint)(unitId >> 6) < (uint)_base.Length && (_base[unitId >> 6] & (1UL << unitId)) != 0 || _delta.Count > 0 && _delta.Contains(unitId);

    /// <summary>This set with more units: itself when none is new; the delta copied, or folded into a new base once it holds 4,096.</summary>
    internal LateSet With(IEnumerable<int> units)
    {
        HashSet<int>? added = null;
        foreach (var unit in units)
        {
            if (!Contains(unit))
                (added ??= []).Add(unit);
        }

        if (added is null)
            return this;
        // One step of lineage is kept, never a chain of every set since the first.
        _parent = null;
        if (_delta.Count + added.Count > 4096)
            return new LateSet(Bitmap([.. _delta, .. added], _base), Count + added.Count, [], this, added);

        var delta = new HashSet<int>(_delta);
        delta.UnionWith(added);
        return new LateSet(_base, _baseCount, delta, this, added);
    }

    private static ulong[] Bitmap(IReadOnlyCollection<int> units, ulong[] from)
    {
        var words = Math.Max(from.Length, units.Count == 0 ? 0 : (units.Max() >> 6) + 1);
        var bitmap = new ulong[words];
        from.CopyTo(bitmap, 0);
        foreach (var unit in units)
            bitmap[unit >> 6] |= 1UL << unit;
        return bitmap;
    }
}
