using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace QcdcCompliance.Benchmarks;

/// <summary>
/// The methods the JIT compiled, and how long each took, from the runtime's own events (keyword JIT, verbose), for
/// `bench --jit-log`: which compilations a slow change waited on. A method's time runs from its
/// <c>MethodJittingStarted</c> to its <c>MethodLoadVerbose</c> on the same thread.
/// </summary>
public sealed class JitLog : RuntimeEventLog
{
    private readonly ConcurrentDictionary<ulong, (string Name, long Started)> _started = new();
    private readonly ConcurrentQueue<(string Name, double Ms, int Tier)> _done = new();

    protected override EventKeywords Keywords => (EventKeywords)0x10;

    protected override void Read(EventWrittenEventArgs e)
    {
        var thread = (ulong)e.OSThreadId;
        if (e.EventName == "MethodJittingStarted_V1" || e.EventName == "MethodJittingStarted")
        {
            var name = $"{Field(e, "MethodNamespace")}.{Field(e, "MethodName")}";
            _started[thread] = (name, e.TimeStamp.Ticks);
        }
        else if ((e.EventName ?? "").StartsWith("MethodLoadVerbose", StringComparison.Ordinal) && _started.TryRemove(thread, out var started))
        {
            var flags = e.PayloadNames!.Contains("MethodFlags") ? Convert.ToInt32(Field(e, "MethodFlags"), System.Globalization.CultureInfo.InvariantCulture) : 0;
            _done.Enqueue((started.Name, (e.TimeStamp.Ticks - started.Started) / 1e4, (flags >> 7) & 0x7));
        }
    }

    /// <summary>The compilations finished since the last call, the longest first.</summary>
    public List<(string Name, double Ms, int Tier)> Drain()
    {
        var list = new List<(string Name, double Ms, int Tier)>();
        while (_done.TryDequeue(out var item))
            list.Add(item);
        return [.. list.OrderByDescending(i => i.Ms)];
    }
}
