using System.Globalization;
using BenchmarkDotNet.Running;
using QcdcCompliance.Benchmarks;
using QcdcCompliance.Storage;

// qcdc-bench [--units N] [--provider sqlite|postgres|all] [--changes 100] [--peer-units N] [--out FILE] [--e2e-only] [--sqlite-seed FILE]
//   or: qcdc-bench micro [BenchmarkDotNet arguments]   (the micro-level benchmarks)
//   or: qcdc-bench load [options]                      (a bounded loopback load run against the web host, see LoadRun)
//   or: qcdc-bench xlsx-refusal                        (issue 18: the XFD workbook refused, MiniExcel against the streaming reader)
if (args.Length > 0 && args[0] == "xlsx-refusal")
    return XlsxRefusal.Run();
if (args.Length > 0 && args[0] == "micro")
    return BenchmarkSwitcher.FromAssembly(typeof(MicroBenchmarks).Assembly).Run(args[1..]).Any() ? 0 : 1;

string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var units = int.Parse(Value("--units") ?? "100000", NumberStyles.Integer, CultureInfo.InvariantCulture);

// qcdc-bench load [--units 100000] [--clients 50] [--seconds 60] [--db POSTGRES-CONNECTION-STRING] [--period 2020S1]
if (args.Length > 0 && args[0] == "load")
{
    return await LoadRun.RunAsync(new LoadOptions(units, int.Parse(Value("--clients") ?? "50", CultureInfo.InvariantCulture),
        int.Parse(Value("--seconds") ?? "60", CultureInfo.InvariantCulture), Value("--db"), Value("--period") ?? "2020S1"));
}

var providers = (Value("--provider") ?? "all").ToLowerInvariant() switch
{
    "sqlite" => new[] { StorageProvider.Sqlite },
    "postgres" => [StorageProvider.Postgres],
    _ => [StorageProvider.Sqlite, StorageProvider.Postgres],
};
var options = new BenchOptions(
    units,
    providers,
    Value("--out") ?? $"bench-{units}.json",
    int.Parse(Value("--changes") ?? "100", CultureInfo.InvariantCulture),
    Value("--peer-units") is { } peer ? int.Parse(peer, CultureInfo.InvariantCulture) : null,
    Value("--sqlite-seed"),
    args.Contains("--e2e-only"));
return await new Bench(options).RunAsync();
