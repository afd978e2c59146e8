using System.Diagnostics.Tracing;

namespace QcdcCompliance.Benchmarks;

/// <summary>
/// Listens to the runtime's own events of some keywords (verbose), once <see cref="Start"/> is called: what the
/// benchmark's logs (<see cref="JitLog"/>, <see cref="AllocLog"/>) read.
/// </summary>
public abstract class RuntimeEventLog : EventListener
{
    private volatile bool _on;

    /// <summary>A constant: it is read while the base listener is constructed, before any field of this one is set.</summary>
    protected abstract EventKeywords Keywords { get; }

    public void Start() => _on = true;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, EventLevel.Verbose, Keywords);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (_on && e.Payload is not null)
            Read(e);
    }

    /// <summary>One event with its payload, once started.</summary>
    protected abstract void Read(EventWrittenEventArgs e);

    protected static object? Field(EventWrittenEventArgs e, string name) => e.Payload![e.PayloadNames!.IndexOf(name)];
}
