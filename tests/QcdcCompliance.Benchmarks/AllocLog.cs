using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace QcdcCompliance.Benchmarks;

/// <summary>
/// What the process allocates, by type, from the runtime's allocation ticks (one event about every 100 KB a heap
/// allocates, naming the type of the object that crossed the mark), for `bench --alloc-log`: what a change allocates.
/// </summary>
public sealed class AllocLog : RuntimeEventLog
{
    private readonly ConcurrentDictionary<string, long> _bytes = new();

    protected override EventKeywords Keywords => (EventKeywords)0x1;

    protected override void Read(EventWrittenEventArgs e)
    {
        if (!(e.EventName ?? "").StartsWith("GCAllocationTick", StringComparison.Ordinal))
            return;
        var type = Field(e, "TypeName") as string ?? "?";
        var amount = Convert.ToInt64(Field(e, "AllocationAmount64"), System.Globalization.CultureInfo.InvariantCulture);
        _bytes.AddOrUpdate(type, amount, (_, b) => b + amount);
    }

    /// <summary>The bytes sampled by type since the last call, the most first.</summary>
    public List<(string Type, long Bytes)> Drain()
    {
        var list = _bytes.Select(kv => (kv.Key, kv.Value)).OrderByDescending(i => i.Value).ToList();
        _bytes.Clear();
        return list;
    }
}
