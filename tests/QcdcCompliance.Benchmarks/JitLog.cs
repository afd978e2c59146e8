using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace QcdcCompliance.Benchmarks;

/// <summary>
/// The methods the JIT compiled, and how long each took, from the runtime's own events (keyword JIT, verbose), for
/// `bench --jit-log`: which compilations a slow change waited on. A method's time runs from its
/// <c>MethodJittingStarted</c> to its <c>MethodLoadVerbose</c> on the same thread.
/// </summary>
public sealed class JitLog : EventListener
{
    private const EventKeywords Jit = (EventKeywords)0x10;
    private readonly ConcurrentDictionary<ulong, (string Name, long Started)> _started = new();
    private readonly ConcurrentQueue<(string Name, double Ms, int Tier)> _done = new();
    private volatile bool _on;

    public void Start() => _on = true;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, EventLevel.Verbose, Jit);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_on || e.Payload is null)
            return;
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

    private static object? Field(EventWrittenEventArgs e, string name) => e.Payload![e.PayloadNames!.IndexOf(name)];

    /// <summary>The compilations finished since the last call, the longest first.</summary>
    public List<(string Name, double Ms, int Tier)> Drain()
    {
        var list = new List<(string Name, double Ms, int Tier)>();
        while (_done.TryDequeue(out var item))
            list.Add(item);
        return [.. list.OrderByDescending(i => i.Ms)];
    }
}
