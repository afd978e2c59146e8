using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace QcdcCompliance.Benchmarks;

/// <summary>One measured figure, the goal it is held against, and what it is compared with.</summary>
public sealed record Figure(string Section, string Name, double Value, string Unit, string? Baseline = null, string? Goal = null, bool? Met = null);

/// <summary>Collects the figures of a run and prints them as a table and a JSON file.</summary>
public sealed class BenchReport(int units)
{
    private readonly List<Figure> _figures = [];

    public void Add(Figure figure)
    {
        _figures.Add(figure);
        Console.WriteLine($"  {figure.Section,-12} {figure.Name,-48} {Format(figure.Value),12} {figure.Unit,-8} {figure.Baseline}");
    }

    /// <summary>Whether every figure held against a goal met it.</summary>
    public bool AllMet => _figures.All(f => f.Met != false);

    public string Table()
    {
        var lines = new List<string>
        {
            $"| section | figure | value | baseline / comparison | goal | met |",
            "| --- | --- | ---: | --- | --- | --- |",
        };
        lines.AddRange(_figures.Select(f =>
            $"| {f.Section} | {f.Name} | {Format(f.Value)} {f.Unit} | {f.Baseline} | {f.Goal} | {(f.Met is null ? "" : f.Met.Value ? "yes" : "no")} |"));
        return string.Join('\n', lines);
    }

    public async Task WriteJsonAsync(string path)
    {
        var machine = new
        {
            cores = Environment.ProcessorCount,
            memoryGiB = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (double)(1L << 30), 1),
            os = RuntimeInformation.OSDescription,
            runtime = RuntimeInformation.FrameworkDescription,
            date = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new { units, machine, figures = _figures }, new JsonSerializerOptions { WriteIndented = true }));
    }

    public static string Format(double value) =>
        value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);

    public static double PeakWorkingSetMb() => Process.GetCurrentProcess().PeakWorkingSet64 / 1e6;

    public static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
