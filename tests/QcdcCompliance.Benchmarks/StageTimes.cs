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
    private readonly ActivityListener _listener;
    private readonly int _gen2Before = GC.CollectionCount(2);

    public StageTimes()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == QcdcTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity => _times.GetOrAdd(activity.OperationName, _ => []).Add(activity.Duration.TotalMilliseconds),
        };
        ActivitySource.AddActivityListener(_listener);
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
