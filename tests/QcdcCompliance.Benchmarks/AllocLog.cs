using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace QcdcCompliance.Benchmarks;

/// <summary>
/// What the process allocates, by type, from the runtime's allocation ticks (one event about every 100 KB a heap
/// allocates, naming the type of the object that crossed the mark), for `bench --alloc-log`: what a change allocates.
/// </summary>
public sealed class AllocLog : EventListener
{
    private const EventKeywords Gc = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new();
    private volatile bool _on;

    public void Start() => _on = true;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, EventLevel.Verbose, Gc);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_on || e.Payload is null || !(e.EventName ?? "").StartsWith("GCAllocationTick", StringComparison.Ordinal))
            return;
        var type = e.Payload[e.PayloadNames!.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("AllocationAmount64")], System.Globalization.CultureInfo.InvariantCulture);
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
