using System.Diagnostics;
using QcdcCompliance.Telemetry;

namespace QcdcCompliance.Tests.Infrastructure;

/// <summary>
/// The product's spans of one test's work: a listener hears every test running in parallel, so the work runs under a
/// root this starts (and stops when disposed), and only the spans of that root's trace are kept.
/// </summary>
public sealed class OwnSpans : IDisposable
{
    // Made before the listener, so that the listener finds it (a static one, made lazily inside ShouldListenTo, was not).
    private readonly ActivitySource _test = new("QcdcCompliance.Tests.OwnSpans");
    private readonly List<Activity> _stopped = [];
    private readonly ActivityListener _listener;
    private readonly Activity _root;
    private readonly ActivityTraceId _trace;

    public OwnSpans(string root)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == QcdcTelemetry.Name || source == _test,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(_listener);
        _root = _test.StartActivity(root)!;
        _trace = _root.TraceId;
    }

    /// <summary>The spans of the trace stopped so far, the root's own once disposed.</summary>
    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (_stopped)
                return [.. _stopped];
        }
    }

    public void Dispose()
    {
        _root.Dispose();
        _listener.Dispose();
        _test.Dispose();
    }

    private void Stopped(Activity activity)
    {
        if (activity.TraceId != _trace)
            return;
        lock (_stopped)
            _stopped.Add(activity);
    }
}
