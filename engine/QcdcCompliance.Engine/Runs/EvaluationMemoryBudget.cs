using System.Globalization;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Runs;

/// <summary>
/// How many provinces evaluate at once, bounded by memory as well as by cores: a full evaluation holds its province's
/// facts, session, findings and rows, which grow with its units (about 10 KB a unit at its peak in the findings-heavy
/// profile), so two of the country's largest provinces at once need more than two small ones. Each evaluation takes
/// an estimate of its bytes (<see cref="BytesPerUnit"/> times its units) from a budget of <see cref="Capacity"/> bytes
/// and gives them back when it ends; one that does not fit waits, in the order asked, until enough is returned. An
/// estimate above the whole budget is cut to it: such a province runs alone rather than never.
/// One budget per process (the CLI's evaluation and the jobs of <c>serve</c> share it).
/// </summary>
public sealed class EvaluationMemoryBudget
{
    /// <summary>Default budget: 6 GB, or three quarters of the memory the process may use, whichever is less (the country within 8 GB).</summary>
    public const long DefaultCapacityMb = 6 * 1024;

    /// <summary>Default estimate a unit: the findings-heavy profile's peak (9-11 KB a unit at 200,000 units) with a margin.</summary>
    public const long DefaultBytesPerUnit = 12 * 1024;

    private readonly object _gate = new();
    private readonly LinkedList<(long Bytes, TaskCompletionSource Granted)> _waiting = new();
    private long _used;

    public EvaluationMemoryBudget(long capacityBytes, long bytesPerUnit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerUnit, 0);
        Capacity = capacityBytes;
        BytesPerUnit = bytesPerUnit;
    }

    /// <summary>The budget from settings (<c>Evaluation:MemoryBudgetMb</c>, <c>Evaluation:BytesPerUnit</c>), defaults where unset.</summary>
    public static EvaluationMemoryBudget Of(long? capacityMb, long? bytesPerUnit)
    {
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var capacity = capacityMb is { } mb ? mb << 20 : Math.Min(DefaultCapacityMb << 20, available > 0 ? available / 4 * 3 : long.MaxValue);
        return new EvaluationMemoryBudget(capacity, bytesPerUnit ?? DefaultBytesPerUnit);
    }

    public long Capacity { get; }

    public long BytesPerUnit { get; }

    /// <summary>Bytes taken by the evaluations running now.</summary>
    public long InUse
    {
        get
        {
            lock (_gate)
                return _used;
        }
    }

    /// <summary>Evaluations waiting for their bytes.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
                return _waiting.Count;
        }
    }

    /// <summary>What an evaluation of that many units takes from the budget (at least one byte, at most the whole budget).</summary>
    public long Estimate(int units) => Math.Clamp(units * BytesPerUnit, 1, Capacity);

    /// <summary>Waits until the evaluation of <paramref name="units"/> units fits, and takes its estimate until the lease is disposed.</summary>
    public async Task<Lease> AcquireAsync(int units, CancellationToken ct)
    {
        var bytes = Estimate(units);
        TaskCompletionSource granted;
        LinkedListNode<(long, TaskCompletionSource)> node;
        lock (_gate)
        {
            if (_waiting.Count == 0 && _used + bytes <= Capacity)
            {
                _used += bytes;
                return new Lease(this, bytes);
            }

            granted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiting.AddLast((bytes, granted));
        }

        // Cancelled while waiting: leave the queue (which may let the next one in); once granted, the lease is the caller's.
        await using (ct.Register(() =>
                     {
                         lock (_gate)
                         {
                             if (node.List is null)
                                 return;
                             _waiting.Remove(node);
                             GrantWaiting();
                         }

                         granted.TrySetCanceled(ct);
                     }))
        {
            await granted.Task.ConfigureAwait(false);
        }

        return new Lease(this, bytes);
    }

    private void Release(long bytes)
    {
        lock (_gate)
        {
            _used -= bytes;
            GrantWaiting();
        }
    }

    /// <summary>Grants waiting evaluations in the order they asked, while the first fits (or nothing runs). Called under the lock.</summary>
    private void GrantWaiting()
    {
        while (_waiting.First is { } first && (_used == 0 || _used + first.Value.Bytes <= Capacity))
        {
            _waiting.RemoveFirst();
            _used += first.Value.Bytes;
            first.Value.Granted.TrySetResult();
        }
    }

    /// <summary>Units of each province whose evaluation is asked, on the period's last day: the estimate's measure.</summary>
    public static async Task<Dictionary<int, int>> UnitsOfAsync(QcdcDbContext db, AreaTree tree, Period period, IReadOnlyList<Area> provinces, CancellationToken ct)
    {
        // One province (a job's scope): count its own subtree only; else one pass over the units. By plain SQL: the first
        // query of an evaluation's process (see PlainSql).
        const string countSql = """SELECT "AreaId", COUNT(*) FROM "Units" {0} GROUP BY "AreaId" """;
        var counts = new List<(int AreaId, int Units)>();
        var filters = provinces is [var one]
            ? tree.Subtree(one.Id).Chunk(PlainSql.MaxParameters).Select(chunk => $"""WHERE "AreaId" IN ({Names.List(chunk)})""")
            : [""];
        foreach (var filter in filters)
        {
            // COUNT is an integer on SQLite and SQL Server, a bigint on PostgreSQL.
            counts.AddRange(await PlainSql.ListAsync(db, string.Format(CultureInfo.InvariantCulture, countSql, filter),
                r => (r.GetInt32(0), Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture)), ct));
        }

        var wanted = provinces.Select(p => p.Id).ToHashSet();
        var units = provinces.ToDictionary(p => p.Id, _ => 0);
        foreach (var (areaId, count) in counts)
        {
            if (tree.PathOn(areaId, period.End) is [.., var province] && wanted.Contains(province.Id))
                units[province.Id] += count;
        }

        return units;
    }

    /// <summary>An evaluation's share of the budget, given back on dispose.</summary>
    public sealed class Lease(EvaluationMemoryBudget budget, long bytes) : IDisposable
    {
        private int _released;

        public long Bytes => bytes;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                budget.Release(bytes);
        }
    }
}
