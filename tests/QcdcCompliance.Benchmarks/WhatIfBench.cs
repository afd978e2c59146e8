using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Decisions;
using QcdcCompliance.Domain;
using QcdcCompliance.Rules;
using QcdcCompliance.Runs;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Benchmarks;

/// <summary>
/// <c>whatif</c> (issue 15): on a copy of the province of <see cref="TemplateBench"/>, the real evaluation of the period
/// (the baseline: load, fire, compare, store), then <c>qcdc whatif</c>'s service with the province's own target set
/// (Hà Tĩnh's, adopted by the province) every threshold raised by ten points: the same fact loader, rules and finding
/// builder, nothing stored (the run's rows are counted before and after). The province is imported on the first run.
/// </summary>
public static class WhatIfBench
{
    public static async Task<int> RunAsync(TemplateBenchOptions options)
    {
        var storage = new StorageOptions { Provider = StorageProvider.Sqlite, Database = Path.GetFullPath(options.Database) };
        if (!File.Exists(storage.Database!))
        {
            await TemplateBench.SeedAsync(storage, options.Units);
            Console.WriteLine($"{storage.Database}: the province is imported; run the verb again to measure (a process that does only that).");
            return 0;
        }

        // A copy: the baseline's run is stored in it, and every bench starts from the same file.
        var copy = new StorageOptions { Provider = StorageProvider.Sqlite, Database = Path.Combine(Path.GetTempPath(), $"qcdc-bench-whatif-{Environment.ProcessId}.db") };
        SqliteCopy.Copy(storage.Database!, copy.Database);
        try
        {
            await using var services = TemplateBench.Services(copy);
            var (set, province, proposal) = await ProposalAsync(services);

            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            await services.GetRequiredService<EvaluationService>().EvaluateAsync(TemplateBench.Period, province, RunTrigger.Manual);
            var evaluation = watch.Elapsed.TotalSeconds;
            var evaluationCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var units = await UnitsAsync(services);

            var before = await RowsAsync(services);
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            watch.Restart();
            var result = await services.GetRequiredService<WhatIfService>().EvaluateAsync(
                new WhatIfRequest(TemplateBench.Period, "proposed.json", proposal, null, "bench") { Scope = province });
            var seconds = watch.Elapsed.TotalSeconds;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var after = await RowsAsync(services);
            if (after != before)
                throw new InvalidOperationException($"the what-if stored something: {before} rows before, {after} after");

            var report = new BenchReport(units);
            report.Add(new Figure("whatif", $"real evaluation of {TemplateBench.Period}, a {units:N0}-unit province (every set in force; stored)", evaluation, "s",
                $"{BenchReport.Format(evaluationCpu)} s of CPU; the baseline"));
            report.Add(new Figure("whatif", $"what-if of {set} ({result.Targets.Count} targets, thresholds +10 points) over the same province", seconds, "s",
                $"{BenchReport.Format(cpuSeconds)} s of CPU; {result.Rows.Count:N0} rows, {result.Changed:N0} would change; {BenchReport.Format(seconds / evaluation * 100)}% of the evaluation; stored rows {before:N0} before and after",
                "< 10 s", seconds < 10));
            report.Add(new Figure("whatif", "peak working set of the process (start-up and evaluation included)", BenchReport.PeakWorkingSetMb(), "MB"));
            Console.WriteLine(report.Table());
            return 0;
        }
        finally
        {
            TemplateBench.SqliteCleanup(copy.Database);
        }
    }

    /// <summary>The province's own set (the stored set bound to it, as the seed adopted it) with every threshold raised by ten points, at most 100%.</summary>
    private static async Task<(string Set, string Province, byte[] Proposal)> ProposalAsync(ServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<QcdcDbContext>>().CreateDbContextAsync();
        var province = await db.Areas.AsNoTracking().Where(a => a.Level == AreaLevel.Province).Select(a => a.Code).SingleAsync();
        var (name, content) = QcdcRules.TargetSets().First(s => s.Name.Contains("hatinh", StringComparison.Ordinal));
        var set = JsonNode.Parse(content)!.AsObject();
        foreach (var target in set["targets"]!.AsArray())
        {
            // Written as a fraction (0.7) or a percentage ("70%").
            if (target!["threshold"] is not { } threshold)
                continue;
            var percent = threshold.GetValueKind() == System.Text.Json.JsonValueKind.String
                ? decimal.Parse(threshold.GetValue<string>().TrimEnd('%'), CultureInfo.InvariantCulture)
                : threshold.GetValue<decimal>() * 100;
            target["threshold"] = $"{Math.Min(100, percent + 10).ToString(CultureInfo.InvariantCulture)}%";
        }

        return ($"{set["code"]} ({name})", province, Encoding.UTF8.GetBytes(set.ToJsonString()));
    }

    private static async Task<int> UnitsAsync(ServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<QcdcDbContext>>().CreateDbContextAsync();
        return await db.Units.CountAsync();
    }

    /// <summary>Every row a run writes: runs, findings, area results, outbox messages and chain heads.</summary>
    private static async Task<long> RowsAsync(ServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<QcdcDbContext>>().CreateDbContextAsync();
        return await db.EvaluationRuns.LongCountAsync() + await db.Findings.LongCountAsync() + await db.AreaResults.LongCountAsync()
               + await db.OutboxMessages.LongCountAsync() + await db.AuditChainHeads.LongCountAsync();
    }
}
