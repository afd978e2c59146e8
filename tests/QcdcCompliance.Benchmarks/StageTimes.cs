using System.Collections.Concurrent;
using System.Diagnostics;
using QcdcCompliance.Telemetry;

namespace QcdcCompliance.Benchmarks;

/// <summary>
/// The product's own spans (<c>qcdc.import.store</c>, <c>qcdc.evaluate.load</c>, <c>.fire</c>, <c>.persist</c>, ...)
/// timed while a phase runs, so the benchmark says where the time of a figure goes, from the same run.
/// </summary>
public sealed class StageTimes : IDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _times = new();
    private readonly ConcurrentQueue<(string Name, double Ms)> _recent = new();
    private readonly ActivityListener _listener;
    private readonly int _gen2Before = GC.CollectionCount(2);

    /// <param name="memory">Also print, as each span starts and stops, the managed heap and the resident set (where the memory goes).</param>
    public StageTimes(bool memory = false)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == QcdcTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = activity =>
            {
                if (memory)
                    Console.WriteLine($"      > {activity.OperationName,-28} {Memory()}");
            },
            ActivityStopped = activity =>
            {
                _times.GetOrAdd(activity.OperationName, _ => []).Add(activity.Duration.TotalMilliseconds);
                _recent.Enqueue((activity.OperationName, activity.Duration.TotalMilliseconds));
                if (memory)
                    Console.WriteLine($"      < {activity.OperationName,-28} {Memory()}");
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    private static readonly long Started = Stopwatch.GetTimestamp();

    private static string Memory()
    {
        using var process = Process.GetCurrentProcess();
        return $"at {Stopwatch.GetElapsedTime(Started).TotalSeconds,6:0.00} s   managed {GC.GetTotalMemory(false) / 1e6,7:N0} MB   resident {process.WorkingSet64 / 1e6,7:N0} MB   peak {HeavyProfile.PeakResidentMb(),7:N0} MB   cpu {process.TotalProcessorTime.TotalSeconds,6:0.00} s   gc {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} paused {GC.GetTotalPauseDuration().TotalSeconds:0.00} s";
    }

    /// <summary>The spans stopped since the last call, the longest first (where one slow change went).</summary>
    public List<(string Name, double Ms)> Drain()
    {
        var spans = new List<(string Name, double Ms)>();
        while (_recent.TryDequeue(out var span))
            spans.Add(span);
        return [.. spans.OrderByDescending(s => s.Ms)];
    }

    public int Gen2Collections => GC.CollectionCount(2) - _gen2Before;

    /// <summary>Per span: count, total, median and p99, in milliseconds, the slowest total first.</summary>
    public IEnumerable<string> Lines()
    {
        foreach (var (name, bag) in _times.OrderByDescending(kv => kv.Value.Sum()))
        {
            var sorted = bag.Order().ToList();
            yield return $"{name,-28} n {sorted.Count,5}   total {BenchReport.Format(sorted.Sum()),9} ms   median {BenchReport.Format(BenchReport.Percentile(sorted, 0.5)),8} ms   p99 {BenchReport.Format(BenchReport.Percentile(sorted, 0.99)),8} ms";
        }
    }

    public void Print(string title)
    {
        Console.WriteLine($"    where the time went ({title}; spans of the product, nested spans counted in their parents too; {Gen2Collections} gen-2 collections):");
        foreach (var line in Lines())
            Console.WriteLine("      " + line);
    }

    public void Dispose() => _listener.Dispose();
}
