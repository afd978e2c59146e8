using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NRules;
using QcdcCompliance.Alerts;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Import;
using QcdcCompliance.Rules;
using QcdcCompliance.Runs;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Benchmarks;

/// <param name="SqliteSeed">A SQLite file holding the imported country: copied instead of importing it again when it exists,
/// written after the set-up when it does not (for profiling the evaluation without the four minutes of set-up at 1,000,000).</param>
/// <param name="EndToEndOnly">Skips the in-memory engine and peer phases.</param>
/// <param name="PostgresSeed">A PostgreSQL database (connection string, on a server that outlives the run, as a superuser) holding the
/// imported country: set up once when it has no unit, then copied for each run (<c>CREATE DATABASE ... TEMPLATE</c>) instead of importing
/// the country again (seven minutes and more at 1,000,000).</param>
public sealed record BenchOptions(int Units, IReadOnlyList<StorageProvider> Providers, string Output, int Changes, int? PeerUnits,
    string? SqliteSeed = null, bool EndToEndOnly = false, string? PostgresSeed = null, bool JitLog = false, bool AllocLog = false);

/// <summary>
/// <c>qcdc bench</c>: the country at N units, measured in one run against its baselines: the engine against a LINQ
/// evaluator and Microsoft RulesEngine, the whole evaluation on SQLite and PostgreSQL, incremental re-evaluation after
/// one value changes, memory, and import throughput. Every figure printed is measured here, now.
/// </summary>
public sealed class Bench(BenchOptions options)
{
    private const string HalfYear = "2026S1";
    private const string Year = "2026";
    private static readonly DateOnly Day = new(2026, 12, 31);

    private readonly BenchReport _report = new(options.Units);

    public async Task<int> RunAsync()
    {
        var total = Stopwatch.StartNew();
        Console.WriteLine($"QcdcCompliance benchmark: {options.Units:N0} units in {NationalProfile.Provinces} provinces, {Environment.ProcessorCount} cores, {Environment.Version}");
        var ok = options.EndToEndOnly || (Engine() & await PeerAsync());
        foreach (var provider in options.Providers)
            await EndToEndAsync(provider);
        _report.Add(new Figure("memory", "peak working set of the run", BenchReport.PeakWorkingSetMb(), "MB"));
        _report.Add(new Figure("run", "whole benchmark", total.Elapsed.TotalSeconds, "s"));

        Console.WriteLine();
        Console.WriteLine(_report.Table());
        await _report.WriteJsonAsync(options.Output);
        Console.WriteLine($"\nFigures written to {Path.GetFullPath(options.Output)}");
        return ok ? 0 : 1;
    }

    /// <summary>
    /// <c>import</c>: the import throughput alone, <paramref name="repeats"/> times on a fresh copy of the country set
    /// up once per provider (the SQLite one kept in <see cref="BenchOptions.SqliteSeed"/> when given); prints each run's
    /// rows a second and the product's spans.
    /// </summary>
    public async Task<int> ImportOnlyAsync(int repeats)
    {
        Console.WriteLine($"QcdcCompliance import benchmark: values CSV, the country at {options.Units:N0} units, {repeats} runs, {string.Join(" and ", options.Providers)}; "
                          + $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        foreach (var provider in options.Providers)
        {
            StorageOptions seed;
            if (provider == StorageProvider.Postgres && options.PostgresSeed is not null)
            {
                // A server of one's own (fsync on, as a real one runs), the country set up once in the seed database.
                seed = new StorageOptions { Provider = provider, Database = options.PostgresSeed };
            }
            else if (provider == StorageProvider.Postgres)
            {
                seed = await CreateStorageAsync(provider);
                await SetUpAsync("postgres", seed);
            }
            else
            {
                seed = new StorageOptions { Provider = provider, Database = options.SqliteSeed ?? Path.Combine(TestFolders.NewFolder("bench-import-seed"), "seed.db") };
                if (!File.Exists(seed.Database))
                {
                    var first = await CreateStorageAsync(provider);
                    await SetUpAsync("sqlite", first);
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    SqliteCopy.Copy(first.Database!, seed.Database!);
                }
            }

            for (var i = 0; i < repeats; i++)
            {
                StorageOptions storage;
                if (provider == StorageProvider.Postgres && options.PostgresSeed is not null)
                {
                    storage = await PostgresSeedCopyAsync("postgres", options.PostgresSeed);
                }
                else if (provider == StorageProvider.Postgres)
                {
                    storage = await (await PostgresServer.InstanceAsync()).CopyDatabaseAsync(seed, "bench_import");
                }
                else
                {
                    storage = await CreateStorageAsync(provider);
                    SqliteCopy.Copy(seed.Database!, storage.Database!);
                }

                await DatabaseMigrator.MigrateAsync(storage);
                await ImportThroughputAsync(storage);
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            }
        }

        Console.WriteLine();
        Console.WriteLine(_report.Table());
        return _report.AllMet ? 0 : 1;
    }

    /// <summary>Reports of the whole country in memory, province by province, with every target in force.</summary>
    private static List<List<UnitReport>> Country(int units) =>
        InMemoryFacts.Country(units, HalfYear, Year).Select(p => InMemoryFacts.Reports(p.Data, Day)).ToList();

    private bool Engine()
    {
        Console.WriteLine("\n[engine] all targets of all target sets, the country in memory");
        var targets = InMemoryFacts.AllTargets();
        var engine = new RuleEngine(InMemoryFacts.Catalogue);
        var warmup = Country(2_000);
        foreach (var reports in warmup)
        {
            engine.Evaluate(Facts(reports, targets));
            LinqEvaluator.Evaluate(targets, reports);
        }

        var country = Country(options.Units);
        var units = country.Sum(c => c.Count);
        Collect();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);

        var watch = Stopwatch.StartNew();
        var sessions = new List<NRules.ISession>();
        var outcomes = new List<SessionOutcome>();
        foreach (var reports in country)
        {
            var session = engine.Start(Facts(reports, targets));
            sessions.Add(session);
            outcomes.Add(SessionOutcome.Read(session));
        }

        var nrules = watch.Elapsed.TotalSeconds;
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        watch.Restart();
        var linq = country.Select(reports => LinqEvaluator.Evaluate(targets, reports)).ToList();
        var baseline = watch.Elapsed.TotalSeconds;

        var same = outcomes.Zip(linq).All(p => LinqEvaluator.Outcome.From(p.First).SameAs(p.Second));
        var shortfalls = outcomes.Sum(o => o.Shortfalls.Count);
        Console.WriteLine($"  {units:N0} units, {targets.Count} targets, {shortfalls:N0} unit shortfalls, {outcomes.Sum(o => o.Areas.Count):N0} area roll-ups; NRules and LINQ agree: {same}");
        // What the engine's cost follows: a shortfall is an activation, its action and an entry of the session's sink.
        Console.WriteLine("  unit shortfalls by target: " + string.Join(", ", outcomes.SelectMany(o => o.Shortfalls).GroupBy(s => s.Target.Code)
            .OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count():N0}")));
        _report.Add(new Figure("engine", $"NRules, {targets.Count} targets (insert, fire, read)", nrules, "s", $"LINQ {BenchReport.Format(baseline)} s"));
        _report.Add(new Figure("engine", "LINQ evaluator of the same targets", baseline, "s"));
        _report.Add(new Figure("engine", "ratio NRules / LINQ", nrules / baseline, "x", "same findings: " + (same ? "yes" : "NO"), "<= 5x at 1,000,000", nrules / baseline <= 5));
        _report.Add(new Figure("memory", "managed heap per unit (reports + sessions)", heapAfter / (double)units, "B", $"sessions alone {BenchReport.Format((heapAfter - heapBefore) / (double)units)} B", "< 1,024 B", heapAfter / (double)units < 1024));
        GC.KeepAlive(sessions);
        return same;
    }

    private async Task<bool> PeerAsync()
    {
        Console.WriteLine("\n[peer] the per-unit targets: NRules against a Microsoft RulesEngine 6.0.1 workflow");
        var targets = InMemoryFacts.AllTargets();
        var unitRules = InMemoryFacts.Catalogue.RuleTypes.Where(t => typeof(ITargetRule).IsAssignableFrom(t)).ToList();
        var repository = new NRules.Fluent.RuleRepository();
        repository.Load(x => x.From(unitRules));
        var sessions = repository.Compile();
        var peer = new RulesEnginePeer(targets);
        foreach (var reports in Country(2_000))
        {
            Run(reports);
            await peer.EvaluateAsync(reports);
        }

        var country = Country(options.PeerUnits ?? options.Units);
        var units = country.Sum(c => c.Count);
        var watch = Stopwatch.StartNew();
        var nrules = new Dictionary<string, int>();
        foreach (var reports in country)
        {
            foreach (var group in Run(reports).GroupBy(s => s.Target.Code))
                nrules[group.Key] = nrules.GetValueOrDefault(group.Key) + group.Count();
        }

        var engineTime = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var theirs = new Dictionary<string, int>();
        foreach (var reports in country)
        {
            foreach (var (code, count) in await peer.EvaluateAsync(reports))
                theirs[code] = theirs.GetValueOrDefault(code) + count;
        }

        var peerTime = watch.Elapsed.TotalSeconds;
        var same = peer.Targets.All(t => nrules.GetValueOrDefault(t.Code) == theirs.GetValueOrDefault(t.Code));
        Console.WriteLine($"  {units:N0} units, {peer.Targets.Count} per-unit targets; same shortfalls per target: {same}");
        _report.Add(new Figure("peer", $"NRules, {peer.Targets.Count} per-unit targets, {units:N0} units", engineTime, "s", $"RulesEngine {BenchReport.Format(peerTime)} s"));
        _report.Add(new Figure("peer", "Microsoft RulesEngine 6.0.1 workflow", peerTime, "s", "same shortfalls: " + (same ? "yes" : "NO")));
        _report.Add(new Figure("peer", "ratio RulesEngine / NRules", peerTime / engineTime, "x", null, "NRules faster", peerTime > engineTime));
        return same;

        List<UnitShortfall> Run(List<UnitReport> reports)
        {
            var session = sessions.CreateSession();
            var shortfalls = ShortfallSink.AttachTo(session);
            session.InsertAll(targets);
            foreach (var batch in reports.Chunk(RuleEngine.InsertBatch))
                session.InsertAll(batch);
            session.Fire();
            return shortfalls.ToList();
        }
    }

    private async Task EndToEndAsync(StorageProvider provider)
    {
        var name = provider.ToString().ToLowerInvariant();
        Console.WriteLine($"\n[end to end: {name}] load from the database, evaluate, compare with the last run, store run, findings, area results and outbox");
        var pgSeed = provider == StorageProvider.Postgres ? options.PostgresSeed : null;
        var storage = pgSeed is null ? await CreateStorageAsync(provider) : await PostgresSeedCopyAsync(name, pgSeed);
        var seed = provider == StorageProvider.Sqlite ? options.SqliteSeed : null;
        if (pgSeed is not null)
        {
            Console.WriteLine($"  the country copied from the PostgreSQL seed database (no set-up figure unless it was set up this run)");
        }
        else if (seed is not null && File.Exists(seed))
        {
            SqliteCopy.Copy(seed, storage.Database!);
            await DatabaseMigrator.MigrateAsync(storage);
            Console.WriteLine($"  the country copied from {seed} (no set-up figure this run)");
        }
        else
        {
            await SetUpAsync(name, storage);
            if (seed is not null)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                SqliteCopy.Copy(storage.Database!, seed);
            }
        }

        await using var services = Services(storage, keepWarm: true, reevaluate: true);
        var imports = services.GetRequiredService<ImportService>();
        var evaluations = services.GetRequiredService<EvaluationService>();
        var watch = Stopwatch.StartNew();
        IReadOnlyList<ScopeEvaluation> half;
        using (var stages = new StageTimes())
        {
            half = await evaluations.EvaluateAsync(HalfYear, null, RunTrigger.Benchmark);
            stages.Print($"evaluate {HalfYear}, two scopes at a time");
        }

        var halfTime = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var year = await evaluations.EvaluateAsync(Year, null, RunTrigger.Benchmark);
        var yearTime = watch.Elapsed.TotalSeconds;
        var findings = half.Concat(year).Sum(e => e.Run.NewCount);
        _report.Add(new Figure($"e2e {name}", $"evaluate {HalfYear} and {Year}, {half.Count} scopes each, {findings:N0} findings stored", halfTime + yearTime, "s",
            $"{HalfYear} {BenchReport.Format(halfTime)} s, {Year} {BenchReport.Format(yearTime)} s", provider == StorageProvider.Sqlite ? "< 60 s at 1,000,000" : null,
            provider == StorageProvider.Sqlite ? halfTime + yearTime < 60 : null));
        watch.Restart();
        var again = await evaluations.EvaluateAsync(HalfYear, null, RunTrigger.Benchmark);
        _report.Add(new Figure($"e2e {name}", $"re-evaluate {HalfYear}, nothing changed ({again.Sum(e => e.Run.NewCount)} new rows)", watch.Elapsed.TotalSeconds, "s"));

        await IncrementalAsync(name, services, imports, half, year);
        if (provider == StorageProvider.Sqlite)
            await ImportThroughputAsync(storage);
    }

    /// <summary>The country imported through the product's import path: target sets, then per province areas, lineage, units, values.</summary>
    private async Task SetUpAsync(string name, StorageOptions storage)
    {
        await DatabaseMigrator.MigrateAsync(storage);
        var load = Stopwatch.StartNew();
        var quiet = Services(storage, keepWarm: false, reevaluate: false).GetRequiredService<ImportService>();
        var context = new ImportContext("bench", TimeProvider.System);
        // Every shipped set bound to the whole country (a province's own sets name an area the generated country has not).
        foreach (var (name2, content) in QcdcRules.TargetSets())
            await quiet.ImportAsync(ImportKind.Targets, name2, content, context with { Scope = "national" });
        var values = 0;
        foreach (var (_, data) in InMemoryFacts.Country(options.Units, HalfYear, Year))
        {
            await quiet.ImportAsync(ImportKind.Areas, "areas.csv", Encoding.UTF8.GetBytes(data.AreasCsv()), context);
            await quiet.ImportAsync(ImportKind.Lineage, "lineage.csv", Encoding.UTF8.GetBytes(data.LineageCsv()), context);
            await quiet.ImportAsync(ImportKind.Units, "units.csv", Encoding.UTF8.GetBytes(data.UnitsCsv()), context);
            values += (await quiet.ImportAsync(ImportKind.Values, "values.csv", Encoding.UTF8.GetBytes(data.ValuesCsv()), context)).Rows;
        }

        _report.Add(new Figure($"e2e {name}", $"set-up: import the country ({values:N0} values) through the import path", load.Elapsed.TotalSeconds, "s"));
    }

    /// <summary>One value changed through the import path, its unit re-evaluated in the warm session, its findings stored.</summary>
    /// <summary>Changes made before the timed ones (see <see cref="IncrementalAsync"/>).</summary>
    private const int WarmUpChanges = 100;

    /// <summary>One timed change: its wall time, the process's CPU and JIT time during it, the collector's pauses and collections (Gen1 counts those of gen 1 or more), what it allocated, its spans.</summary>
    private sealed record Change(double Ms, double CpuMs, double JitMs, double GcPauseMs, int Gen1, int Gen2, double AllocatedMb, int Number,
        List<(string Name, double Ms)> Spans, List<(string Name, double Ms, int Tier)> Compiled);

    private async Task IncrementalAsync(string name, ServiceProvider services, ImportService imports, IReadOnlyList<ScopeEvaluation> runs, IReadOnlyList<ScopeEvaluation> warmUp)
    {
        var largest = runs.MaxBy(r => r.Run.UnitsEvaluated)!;
        var indicator = IndicatorCatalogue.Get("REGULATION_ISSUED");
        var context = new ImportContext("bench", TimeProvider.System);
        var process = Process.GetCurrentProcess();
        using var stages = new StageTimes();
        using var jitLog = options.JitLog ? new JitLog() : null;
        jitLog?.Start();

        // The warm-up: changes of the other period, then of this one, before the timed ones, so that the code every change
        // runs is compiled (on first use, then again, with what the first calls taught it, for the methods called 30
        // times) as in a served process after its first minutes. The process's first change, and the slowest of the
        // warm-up, are printed on their own.
        var first = await ChangesAsync(warmUp[0].Period, IndicatorCatalogue.Get("CLA_SIGNED"), WarmUpChanges / 2, seed: 11);
        first.AddRange(await ChangesAsync(largest.Period, indicator, WarmUpChanges - first.Count, seed: 13));
        var warmUpSlowest = first.MaxBy(c => c.Ms)!;
        Console.WriteLine($"  warm-up, {first.Count} changes ({WarmUpChanges / 2} of {warmUp[0].Period.Code}, then of {largest.Period.Code}), untimed: the process's first change took "
                          + $"{first[0].Ms:N0} ms (CPU {first[0].CpuMs:N0} ms, JIT {first[0].JitMs:N0} ms); the slowest, #{first.IndexOf(warmUpSlowest) + 1}, {warmUpSlowest.Ms:N0} ms "
                          + $"(JIT {warmUpSlowest.JitMs:N0} ms); p99 {BenchReport.Format(BenchReport.Percentile(first.Select(c => c.Ms).Order().ToList(), 0.99))} ms; "
                          + $"JIT {first.Sum(c => c.JitMs):N0} ms in all");
        foreach (var c in first.OrderByDescending(c => c.Ms).Take(3).Where(c => c.Compiled.Count > 0))
            Console.WriteLine($"    warm-up change #{c.Number}: {c.Compiled.Count} methods compiled, the longest {string.Join(", ", c.Compiled.Take(5).Select(m => $"{m.Name} (tier {m.Tier}) {m.Ms:N0} ms"))}");
        stages.Drain();

        using var allocLog = options.AllocLog ? new AllocLog() : null;
        allocLog?.Drain();
        allocLog?.Start();
        var changes = await ChangesAsync(largest.Period, indicator, options.Changes, seed: 7);
        if (allocLog is not null)
        {
            var sampled = allocLog.Drain();
            Console.WriteLine($"  allocated by type over the {options.Changes} changes (allocation ticks, about every 100 KB): "
                              + string.Join(", ", sampled.Take(15).Select(t => $"{t.Type} {t.Bytes / 1048576.0 / options.Changes:N2} MB a change")));
        }
        stages.Print($"{changes.Count} changes, one at a time");
        var latencies = changes.Select(c => c.Ms).Order().ToList();
        var cpu = changes.Select(c => c.CpuMs).Order().ToList();

        // Where the slowest changes went: the garbage collector's pauses inside each, and whether a full collection ran.
        var slowest = changes.OrderByDescending(c => c.Ms).Take(5).ToList();
        Console.WriteLine($"  slowest changes: {string.Join("; ", slowest.Select(c => $"{c.Ms:N0} ms (change #{c.Number}, CPU {c.CpuMs:N0} ms, JIT {c.JitMs:N0} ms, GC paused {c.GcPauseMs:N0} ms, {c.Gen1 - c.Gen2} gen-1 and {c.Gen2} full, {c.AllocatedMb:N1} MB allocated)"))}; "
                          + $"GC paused {changes.Sum(c => c.GcPauseMs):N0} ms in all over {changes.Count} changes, {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576:N0} MB heap, "
                          + $"server GC {System.Runtime.GCSettings.IsServerGC}, latency mode {System.Runtime.GCSettings.LatencyMode}");
        foreach (var c in slowest)
        {
            Console.WriteLine($"    change #{c.Number}: {string.Join(", ", c.Spans.Take(6).Select(s => $"{s.Name} {s.Ms:N1} ms"))}");
            if (c.Compiled.Count > 0)
                Console.WriteLine($"      {c.Compiled.Count} methods compiled, the longest {string.Join(", ", c.Compiled.Take(5).Select(m => $"{m.Name} (tier {m.Tier}) {m.Ms:N0} ms"))}");
        }

        // One value of a yes/no indicator flipped at a time, in units picked at random among those that reported it for the
        // period (REGULATION_ISSUED for the half-year, CLA_SIGNED for the year); each change imported through the import path, which re-evaluates its unit in its province's warm scope.
        async Task<List<Change>> ChangesAsync(Period period, Indicator indicator, int count, int seed)
        {
            await using var db = StorageRegistration.CreateContext(services.GetRequiredService<StorageOptions>());
            var reported = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
                from v in db.DataValues
                join u in db.Units on v.UnitId equals u.Id
                where v.PeriodId == period.Id && v.IndicatorId == indicator.Id
                orderby u.Id
                select new { u.Code, v.Value });
            var random = new Random(seed);
            var picks = Enumerable.Range(0, count).Select(_ => reported[random.Next(reported.Count)]).ToList();
            // A unit may be picked twice (always at small sizes): it is then changed back.
            var current = picks.DistinctBy(p => p.Code).ToDictionary(p => p.Code, p => p.Value);
            var done = new List<Change>();
            foreach (var pick in picks)
            {
                current[pick.Code] = 1 - current[pick.Code];
                var csv = $"unit_code,period,indicator,value,comment\n{pick.Code},{period.Code},{indicator.Code},{current[pick.Code]},\n";
                stages.Drain();
                jitLog?.Drain();
                var paused = GC.GetTotalPauseDuration();
                var jit = System.Runtime.JitInfo.GetCompilationTime();
                var (gen1, gen2) = (GC.CollectionCount(1), GC.CollectionCount(2));
                var allocated = GC.GetTotalAllocatedBytes();
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                await imports.ImportAsync(ImportKind.Values, "change.csv", Encoding.UTF8.GetBytes(csv), context);
                var ms = watch.Elapsed.TotalMilliseconds;
                process.Refresh();
                done.Add(new Change(ms, (process.TotalProcessorTime - cpuBefore).TotalMilliseconds, (System.Runtime.JitInfo.GetCompilationTime() - jit).TotalMilliseconds,
                    (GC.GetTotalPauseDuration() - paused).TotalMilliseconds, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2,
                    (GC.GetTotalAllocatedBytes() - allocated) / 1048576.0, done.Count + 1, stages.Drain(), jitLog?.Drain() ?? []));
            }

            return done;
        }

        var p99 = BenchReport.Percentile(latencies, 0.99);
        // The CPU time of this process a change took (the database server's is not in it): what a loaded machine inflates least.
        Console.WriteLine($"  CPU time of this process per change: median {BenchReport.Format(BenchReport.Percentile(cpu, 0.5))} ms, p99 {BenchReport.Format(BenchReport.Percentile(cpu, 0.99))} ms");
        // What a change allocates sets how often the collector runs, and a gen-1 collection of a warm country's heap is what the slowest change waits for.
        var allocatedMb = changes.Select(c => c.AllocatedMb).Order().ToList();
        Console.WriteLine($"  allocated per change: median {allocatedMb[allocatedMb.Count / 2]:N1} MB, most {allocatedMb[^1]:N1} MB; {changes.Sum(c => c.Gen1 - c.Gen2)} gen-1 and "
                          + $"{changes.Sum(c => c.Gen2)} gen-2 collections during the {changes.Count} changes");
        _report.Add(new Figure($"incr {name}", $"one value imported, unit re-evaluated, findings stored ({largest.Run.UnitsEvaluated:N0}-unit scope), median", BenchReport.Percentile(latencies, 0.5), "ms"));
        _report.Add(new Figure($"incr {name}", $"same, p99 over {latencies.Count} changes", p99, "ms", $"after {WarmUpChanges} changes untimed",
            name == "postgres" ? "p99 <= 100 ms (issue 16)" : "p99 < 200 ms", name == "postgres" ? p99 <= 100 : p99 < 200));

        if (!services.GetRequiredService<WarmScopeCache>().TryGet(largest.Period.Code, largest.Scope.Code, out var warm))
            return;
        var times = new List<double>();
        var reports = warm.Session.Reports.OfType<UnitReport>().Where(r => r.Has(indicator)).Take(1000).ToList();
        foreach (var report in reports)
        {
            var changed = report.With(indicator, report[indicator] == 1 ? 0 : 1);
            var watch = Stopwatch.StartNew();
            warm.Session.Rules.Update(changed);
            warm.Session.Rules.Fire();
            times.Add(watch.Elapsed.TotalMilliseconds);
            warm.Session.Rules.Update(report);
            warm.Session.Rules.Fire();
        }

        times.Sort();
        var median = BenchReport.Percentile(times, 0.5);
        _report.Add(new Figure($"incr {name}", $"engine only: Update + Fire of one report, median of {times.Count}", median, "ms", $"p99 {BenchReport.Format(BenchReport.Percentile(times, 0.99))} ms", "median < 1 ms", median < 1));
    }

    /// <summary>
    /// Rows a second for a values CSV of a million rows (or all the country's values for a new period, if fewer), with
    /// their audit rows. On PostgreSQL, beside it, the floor: as many rows binary-COPied into a table of the values'
    /// shape with no index, in the same database.
    /// </summary>
    private async Task ImportThroughputAsync(StorageOptions storage)
    {
        var text = new StringBuilder("unit_code,period,indicator,value,comment\n");
        var rows = 0;
        foreach (var (_, data) in InMemoryFacts.Country(options.Units, "2027S1"))
        {
            foreach (var v in data.Values)
            {
                if (rows == 1_000_000)
                    break;
                text.Append(v.UnitCode).Append(",2027S1,").Append(v.Indicator).Append(',').Append(v.Value).Append(",\n");
                rows++;
            }
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        ParseThroughput(bytes);
        await using var services = Services(storage, keepWarm: false, reevaluate: false);
        var provider = storage.Provider == StorageProvider.Postgres ? "PostgreSQL" : "SQLite";
        var (summary, seconds, cpuSeconds) = await TemplateBench.TimedImportAsync(services, "values-2027S1.csv", bytes, $"the import into {provider}");
        var goal = storage.Provider == StorageProvider.Postgres ? 200_000 : 130_000;
        var floor = storage.Provider == StorageProvider.Postgres ? $"; floor (binary COPY of as many rows, no index) {BenchReport.Format(await CopyFloorAsync(storage, summary.Rows))} s" : "";
        _report.Add(new Figure("import", $"values CSV of {summary.Rows:N0} rows into {provider} ({bytes.Length / 1e6:0.0} MB)", summary.Rows / seconds, "rows/s",
            $"{BenchReport.Format(seconds)} s ({BenchReport.Format(cpuSeconds)} s of CPU); {summary.Inserted:N0} inserted, with their audit rows{floor}",
            $">= {goal:N0} rows/s", summary.Rows / seconds >= goal));
    }

    /// <summary>Seconds to binary-COPY <paramref name="rows"/> rows of a value's shape into an unindexed table of the database.</summary>
    private static async Task<double> CopyFloorAsync(StorageOptions storage, int rows)
    {
        await using var connection = new Npgsql.NpgsqlConnection(storage.Database);
        await connection.OpenAsync();
        await using (var create = new Npgsql.NpgsqlCommand("""CREATE TEMP TABLE floor ("UnitId" int, "PeriodId" int, "IndicatorId" int, "Value" bigint, "StoredBy" text, "StoredAt" timestamptz)""", connection))
            await create.ExecuteNonQueryAsync();
        var watch = Stopwatch.StartNew();
        var now = DateTime.UtcNow;
        // The product's own encoder of the binary COPY (PgBinaryCopy), as the import writes the values.
        await using (var copy = await PgBinaryCopy.BeginAsync(connection, "floor", ["\"UnitId\"", "\"PeriodId\"", "\"IndicatorId\"", "\"Value\"", "\"StoredBy\"", "\"StoredAt\""],
                         CancellationToken.None))
        {
            for (var i = 0; i < rows; i++)
            {
                copy.StartRow();
                copy.Int32(i);
                copy.Int32(1);
                copy.Int32(i % 16);
                copy.Int64(i);
                copy.Text("bench");
                copy.TimestampTz(now);
                await copy.EndRowAsync(CancellationToken.None);
            }

            await copy.CompleteAsync(CancellationToken.None);
        }

        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>The CSV reader alone on the same file: every row read into its cells, nothing checked or stored (best of three).</summary>
    private void ParseThroughput(byte[] bytes)
    {
        var best = double.MaxValue;
        var rows = 0;
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            var table = QcdcCompliance.Import.Files.CsvTable.Read("values.csv", bytes, ValueImporter.Schema, new ProblemList("values.csv"));
            rows = table.Rows.Count();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        _report.Add(new Figure("import", $"CSV reader alone, {rows:N0} rows (best of 3)", rows / best, "rows/s", $"{BenchReport.Format(best)} s"));
    }

    private static ServiceProvider Services(StorageOptions storage, bool keepWarm, bool reevaluate)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new EvaluationOptions { KeepWarm = keepWarm });
        services.AddQcdcEngine(storage, PeriodCalendar.Default, QcdcRules.Assembly);
        // Each province's committee gets its digest: every stored run writes unit alerts and digests to the outbox.
        var committees = Enumerable.Range(1, NationalProfile.Provinces).ToDictionary(i => $"P{i:00}", i => $"bcd.p{i:00}@qcdc.example.vn", StringComparer.OrdinalIgnoreCase);
        services.AddQcdcAlerts(new AlertOptions { Committees = committees, PickupFolder = Path.Combine(Path.GetTempPath(), "qcdc-bench-mail") });
        if (reevaluate)
            services.AddSingleton<IImportObserver, ReevaluateChangedUnits>();
        return services.BuildServiceProvider();
    }

    /// <summary>A copy of the seed database on its own server, set up first if the seed holds no unit yet; the copy is dropped when the process ends.</summary>
    private async Task<StorageOptions> PostgresSeedCopyAsync(string name, string seedConnection)
    {
        var seed = new StorageOptions { Provider = StorageProvider.Postgres, Database = seedConnection };
        await DatabaseMigrator.MigrateAsync(seed);
        await using (var db = StorageRegistration.CreateContext(seed))
        {
            if (!await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Units))
                await SetUpAsync(name, seed);
        }

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(seedConnection);
        var from = builder.Database!;
        var copy = $"{from}_run_{Environment.ProcessId}";
        Npgsql.NpgsqlConnection.ClearAllPools();
        var admin = new Npgsql.NpgsqlConnectionStringBuilder(seedConnection) { Database = "postgres", Pooling = false, CommandTimeout = 1800 }.ConnectionString;
        async Task AdminAsync(string sql)
        {
            await using var connection = new Npgsql.NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(sql, connection) { CommandTimeout = 1800 };
            await command.ExecuteNonQueryAsync();
        }

        var watch = Stopwatch.StartNew();
        await AdminAsync($"DROP DATABASE IF EXISTS \"{copy}\"");
        await AdminAsync($"CREATE DATABASE \"{copy}\" TEMPLATE \"{from}\"");
        Console.WriteLine($"  copied the seed database {from} to {copy} in {watch.Elapsed.TotalSeconds:N0} s");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            AdminAsync($"DROP DATABASE IF EXISTS \"{copy}\" WITH (FORCE)").GetAwaiter().GetResult();
        };
        builder.Database = copy;
        return new StorageOptions { Provider = StorageProvider.Postgres, Database = builder.ConnectionString };
    }

    private static async Task<StorageOptions> CreateStorageAsync(StorageProvider provider)
    {
        if (provider == StorageProvider.Postgres)
            return await (await PostgresServer.InstanceAsync()).CreateDatabaseAsync("bench", migrate: false);
        var file = Path.Combine(TestFolders.NewFolder("bench"), "bench.db");
        return new StorageOptions { Provider = StorageProvider.Sqlite, Database = file };
    }

    private static ScopeFacts Facts(List<UnitReport> reports, IReadOnlyList<TargetFact> targets) =>
        new(PeriodCalendar.Default.Create(HalfYear), new Area { Code = "P", Name = "P" }, reports, targets, "bench", [],
            ReportingDuties.Of(PeriodCalendar.Default.Create(HalfYear), targets, []));

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
