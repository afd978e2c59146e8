using System.Globalization;
using BenchmarkDotNet.Running;
using QcdcCompliance.Benchmarks;
using QcdcCompliance.Storage;

// The benchmarks of QcdcCompliance, apart from the product (dotnet run -c Release --project tests/QcdcCompliance.Benchmarks -- VERB ...):
//   bench --profile heavy [--units 200000] [--partial 0.9] [--qcdc QCDC.DLL] [--folder DIR] [--out FILE] [--provider sqlite|postgres] [--postgres-db CONNECTION-STRING] [--rounds N]
//             (issue 16: most units reported part of their duties; on SQLite, or on PostgreSQL: an empty database given, or one of a throwaway server)
//   bench --profile heavy --country [--units 1000000] [--partial 0.333] ...   (the same over the country's 34 provinces, a third of its units late)
//   bench     [--units 100000] [--provider sqlite|postgres|all] [--changes 100] [--peer-units N] [--out FILE] [--e2e-only] [--sqlite-seed FILE] [--postgres-seed CONNECTION-STRING] [--jit-log]
//   import    [--units 100000] [--runs 3] [--provider sqlite|postgres|all] [--sqlite-seed FILE] [--postgres-seed CONNECTION-STRING]   (the values CSV import alone, rows a second, each run on a fresh copy)
//   bench-api [--units 100000] [--requests 50] [--provider Sqlite|Postgres|SqlServer] [--db FILE-OR-CONNECTION-STRING]
//   load      [--units 100000] [--clients 50] [--seconds 60] [--db POSTGRES-CONNECTION-STRING] [--period 2020S1] [--wrk]   (--wrk: Debian's wrk with wrk/mix.lua drives the load)
//   micro     [BenchmarkDotNet arguments]
//   xlsx-refusal  (issue 18: the XFD workbook refused, MiniExcel's query against the streaming reader)
//   template  [--units 260000] [--db FILE]   (issue 14: a large province's template; the first run imports the province)
//   wide-import [--units 260000] [--db FILE] [--rows 100000]   (issue 14: a filled template imported, values a second)
//   mail-render [--alerts 200000]   (issue 17: unit alerts' HTML by the Razor component per e-mail and from its shape's template, byte for byte the same)
//   whatif    [--units 260000] [--db FILE]   (issue 15: the what-if of raised thresholds over the province, beside its real evaluation)
// With no verb, bench.
var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "bench";
var rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;

string? Value(string name) => Array.IndexOf(rest, name) is var i and >= 0 && i + 1 < rest.Length ? rest[i + 1] : null;
int Number(string name, int fallback) => Value(name) is { } text ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

switch (verb)
{
    case "xlsx-refusal":
        return XlsxRefusal.Run();
    case "template" or "wide-import":
        return await TemplateBench.RunAsync(verb, new TemplateBenchOptions(Number("--units", 260_000), Value("--db") ?? "bench-province.db", Number("--rows", 100_000)));
    case "mail-render":
        return MailRenderBench.Run(Number("--alerts", 200_000));
    case "whatif":
        return await WhatIfBench.RunAsync(new TemplateBenchOptions(Number("--units", 260_000), Value("--db") ?? "bench-province.db", 0));
    case "micro":
        return BenchmarkSwitcher.FromAssembly(typeof(MicroBenchmarks).Assembly).Run(rest).Any() ? 0 : 1;
    case "load":
        return await LoadRun.RunAsync(new LoadOptions(Number("--units", 100_000), Number("--clients", 50), Number("--seconds", 60), Value("--db"), Value("--period") ?? "2020S1", rest.Contains("--wrk")));
    case "import":
        return await new Bench(new BenchOptions(Number("--units", 100_000), Providers(Value("--provider") ?? "sqlite"), "", 0, null, Value("--sqlite-seed"),
            PostgresSeed: Value("--postgres-seed"))).ImportOnlyAsync(Number("--runs", 3));
    case "bench-api":
        return await ApiBench.RunAsync(new ApiBenchOptions(Number("--units", 100_000), Number("--requests", 50), Value("--provider"), Value("--db")));
    case "heavy-stages":
        return await HeavyProfile.StagesAsync(Value("--db")!, Value("--period") ?? "2020S1", Value("--import"), rest.Contains("--memory"), rest.Contains("--alloc-log"));
    case "bench" when Value("--profile") is "heavy":
        var country = rest.Contains("--country");
        var heavyUnits = Number("--units", country ? 1_000_000 : 200_000);
        if (Providers(Value("--provider") ?? "sqlite") is not [var heavyProvider])
        {
            Console.Error.WriteLine("the heavy profile runs on one provider: --provider sqlite (the default) or --provider postgres");
            return 2;
        }

        var rounds = Number("--rounds", 1);
        if (rounds < 1 || (rounds > 1 && heavyProvider == StorageProvider.Postgres))
        {
            Console.Error.WriteLine("--rounds N (1 or more) times the first evaluation again on copies of the imported SQLite file; on PostgreSQL, run the profile again instead");
            return 2;
        }

        // The province: 90% of its units reported part of their duties; the country: a third of its units are late, having
        // reported part of theirs.
        return await new HeavyProfile(new HeavyOptions(heavyUnits, Value("--partial") is { } share ? double.Parse(share, CultureInfo.InvariantCulture) : country ? 1.0 / 3 : 0.9,
            Value("--out") ?? (country ? $"bench-heavy-country-{heavyUnits}.json" : $"bench-heavy-{heavyUnits}.json"), Value("--qcdc"), Value("--folder"),
            heavyProvider == StorageProvider.Postgres ? Value("--postgres-db") ?? "" : null, rounds, country)).RunAsync();
    case "bench":
        var units = Number("--units", 100_000);
        var providers = Providers(Value("--provider") ?? "all");
        return await new Bench(new BenchOptions(units, providers, Value("--out") ?? $"bench-{units}.json", Number("--changes", 100),
            Value("--peer-units") is { } peer ? int.Parse(peer, CultureInfo.InvariantCulture) : null, Value("--sqlite-seed"), rest.Contains("--e2e-only"), Value("--postgres-seed"), rest.Contains("--jit-log"), rest.Contains("--alloc-log"))).RunAsync();
    default:
        Console.Error.WriteLine($"unknown verb '{verb}': bench, import, bench-api, load, micro, xlsx-refusal, template, wide-import, mail-render or whatif");
        return 2;
}

static StorageProvider[] Providers(string text) => text.ToLowerInvariant() switch
{
    "sqlite" => [StorageProvider.Sqlite],
    "postgres" => [StorageProvider.Postgres],
    _ => [StorageProvider.Sqlite, StorageProvider.Postgres],
};
