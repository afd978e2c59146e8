using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Decisions;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Rules;
using QcdcCompliance.Storage;
using QcdcCompliance.Submissions;

namespace QcdcCompliance.Benchmarks;

/// <param name="Units">The province's size: the largest province of a country scaled so that it holds at least this many units.</param>
/// <param name="Database">The SQLite file holding the province; imported through the import path when it does not exist.</param>
/// <param name="WideRows">Rows of the filled wide XLSX imported by <c>wide-import</c>.</param>
public sealed record TemplateBenchOptions(int Units, string Database, int WideRows);

/// <summary>
/// <c>template</c>: the reporting template of the whole of one large province (XLSX, as <c>qcdc template</c> writes it),
/// its time and the process's peak working set. <c>wide-import</c>: a filled template of <see cref="TemplateBenchOptions.WideRows"/>
/// rows imported through the import path into a copy of the province, in values a second. The province is imported on
/// the first run (then the verb stops, so that the figure of the second run is the template's alone).
/// </summary>
public static class TemplateBench
{
    public const string Period = "2026S1";

    public static async Task<int> RunAsync(string verb, TemplateBenchOptions options)
    {
        var storage = new StorageOptions { Provider = StorageProvider.Sqlite, Database = Path.GetFullPath(options.Database) };
        if (!File.Exists(storage.Database!))
        {
            await SeedAsync(storage, options.Units);
            Console.WriteLine($"{storage.Database}: the province is imported; run the verb again to measure (a process that does only that).");
            return 0;
        }

        return verb switch
        {
            "wide-import" => await WideImportAsync(storage, options),
            _ => await TemplateAsync(storage),
        };
    }

    private static async Task<int> TemplateAsync(StorageOptions storage)
    {
        await using var services = Services(storage);
        var before = BenchReport.PeakWorkingSetMb();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var template = await services.GetRequiredService<ReportingTemplates>().ForAreaAsync(Period, "P01");
        var read = watch.Elapsed.TotalSeconds;
        var path = Path.Combine(Path.GetTempPath(), $"qcdc-bench-template-{Environment.ProcessId}.xlsx");
        await using (var file = File.Create(path))
            TemplateWriter.Write(template, TemplateFormat.Xlsx, file);
        var seconds = watch.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var peak = BenchReport.PeakWorkingSetMb();
        var size = new FileInfo(path).Length;
        File.Delete(path);
        var report = new BenchReport(template.Rows.Count);
        report.Add(new Figure("template", $"XLSX template of a {template.Rows.Count:N0}-unit province ({template.Columns.Count} indicators, {size / 1e6:0.0} MB)", seconds, "s",
            $"facts read in {BenchReport.Format(read)} s; {BenchReport.Format(cpuSeconds)} s of CPU (a loaded machine stretches the wall time)", "< 10 s", seconds < 10));
        report.Add(new Figure("template", "peak working set of the process (start-up included)", peak, "MB", $"{BenchReport.Format(before)} MB before", "< 500 MB", peak < 500));
        Console.WriteLine(report.Table());
        return 0;
    }

    private static async Task<int> WideImportAsync(StorageOptions seed, TemplateBenchOptions options)
    {
        // A copy, so that every run inserts the same values anew.
        var copy = new StorageOptions { Provider = StorageProvider.Sqlite, Database = Path.Combine(Path.GetTempPath(), $"qcdc-bench-wide-{Environment.ProcessId}.db") };
        SqliteCopy.Copy(seed.Database!, copy.Database);
        try
        {
            await using var services = Services(copy);
            var (bytes, rowCount, values) = await FilledTemplateAsync(services, options.WideRows);

            var (summary, seconds, cpuSeconds) = await TimedImportAsync(services, "mau-da-dien.xlsx", bytes, "the wide import");
            var report = new BenchReport(rowCount);
            report.Add(new Figure("wide-import", $"filled template XLSX of {rowCount:N0} rows, {summary.Rows:N0} values ({bytes.Length / 1e6:0.0} MB) into SQLite", summary.Rows / seconds,
                "values/s", $"{BenchReport.Format(seconds)} s ({BenchReport.Format(cpuSeconds)} s of CPU); {summary.Inserted:N0} inserted of {values:N0} filled", "> 50,000 values/s", summary.Rows / seconds > 50_000));
            Console.WriteLine(report.Table());
            return 0;
        }
        finally
        {
            SqliteCleanup(copy.Database);
        }
    }

    /// <summary>The template of the province's first <paramref name="rows"/> units for 2026S2, every open cell filled (seeded), as XLSX bytes.</summary>
    private static async Task<(byte[] Bytes, int Rows, int Values)> FilledTemplateAsync(ServiceProvider services, int rows)
    {
        var template = await services.GetRequiredService<ReportingTemplates>().ForAreaAsync("2026S2", "P01");
        var random = new Random(14);
        var filled = template.Rows.Take(rows).Select(r => r with
        {
            Values = r.Cells.Select((cell, c) => cell == TemplateCell.Open
                ? (long?)(template.Columns[c].ValueType == IndicatorValueType.Boolean ? random.Next(2) : random.Next(0, 500))
                : null).ToArray(),
        }).ToList();
        using var stream = new MemoryStream();
        TemplateWriter.Write(template with { Rows = filled }, TemplateFormat.Xlsx, stream);
        return (stream.ToArray(), filled.Count, filled.Sum(r => r.Values.Count(v => v is not null)));
    }

    /// <summary>The largest province of a country sized so that it holds at least <paramref name="units"/> units, through the import path.</summary>
    internal static async Task SeedAsync(StorageOptions storage, int units)
    {
        await DatabaseMigrator.MigrateAsync(storage);
        var watch = Stopwatch.StartNew();
        await using var services = Services(storage);
        var imports = services.GetRequiredService<ImportService>();
        var context = new ImportContext("bench", TimeProvider.System);
        var (profile, data) = Province(units, Period);
        await imports.ImportAsync(ImportKind.Areas, "areas.csv", Encoding.UTF8.GetBytes(data.AreasCsv()), context);

        // The national sets as they are; a province's own (Hà Tĩnh's) adopted by this province, as qcdc import targets --scope does.
        foreach (var (name, content) in QcdcRules.TargetSets())
        {
            try
            {
                await imports.ImportAsync(ImportKind.Targets, name, content, context);
            }
            catch (ImportRejectedException)
            {
                await imports.ImportAsync(ImportKind.Targets, name, content, context with { Scope = profile.Code });
            }
        }

        await imports.ImportAsync(ImportKind.Lineage, "lineage.csv", Encoding.UTF8.GetBytes(data.LineageCsv()), context);
        await imports.ImportAsync(ImportKind.Units, "units.csv", Encoding.UTF8.GetBytes(data.UnitsCsv()), context);
        var values = await imports.ImportAsync(ImportKind.Values, "values.csv", Encoding.UTF8.GetBytes(data.ValuesCsv()), context);
        Console.WriteLine($"{profile.Code}: {profile.UnitCount:N0} units, {values.Rows:N0} values of {Period} imported in {watch.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>The largest province of a country sized so that it holds at least <paramref name="units"/> units, with values for <paramref name="period"/>.</summary>
    private static (Demo.ProvinceProfile Profile, Demo.DemoDataSet Data) Province(int units, string period)
    {
        var country = units;
        while (NationalProfile.Scaled(country)[0].UnitCount < units)
            country += Math.Max(1_000, (units - NationalProfile.Scaled(country)[0].UnitCount) * 3);
        return InMemoryFacts.Country(country, period).First();
    }

    /// <summary>A values import timed (wall and CPU) with the product's spans printed; the heap the file's generator left is collected first.</summary>
    internal static async Task<(ImportSummary Summary, double Seconds, double CpuSeconds)> TimedImportAsync(ServiceProvider services, string file, byte[] bytes, string title)
    {
        // The generator's data (a province's rows) is garbage now: collected before the clock starts, so that the figure
        // is the import's, not a heap the import never made.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var stages = new StageTimes();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var summary = await services.GetRequiredService<ImportService>().ImportAsync(ImportKind.Values, file, bytes, new ImportContext("bench", TimeProvider.System));
        var seconds = watch.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        stages.Print(title);
        return (summary, seconds, cpuSeconds);
    }

    internal static ServiceProvider Services(StorageOptions storage)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddQcdcEngine(storage, PeriodCalendar.Default, QcdcRules.Assembly);
        services.AddQcdcDecisions();
        return services.BuildServiceProvider();
    }

    internal static void SqliteCleanup(string file)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            File.Delete(path);
    }
}
