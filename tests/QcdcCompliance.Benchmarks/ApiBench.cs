using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Demo;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Host.Cli;
using QcdcCompliance.Host.Hosting;
using QcdcCompliance.Host.Security;
using QcdcCompliance.Host.Settings;
using QcdcCompliance.Import;
using QcdcCompliance.Rules;
using QcdcCompliance.Runs;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Benchmarks;

/// <param name="Provider">Sqlite (default), SqlServer or Postgres, as <c>qcdc --provider</c>.</param>
/// <param name="Database">The database, as <c>qcdc --db</c> (default <c>qcdc-bench-UNITS.db</c> in the working folder).</param>
public sealed record ApiBenchOptions(int Units, int Requests, string? Provider, string? Database);

/// <summary>
/// <c>qcdc-bench bench-api --units 100000</c>: a generated province of that many units, loaded through the import path and
/// evaluated for one half-year, then served by the real web host on a loopback port; times the first page of
/// <c>GET /api/findings</c> (the goal: under 100 ms) and a few neighbours, and prints the figures. A benchmark to run by
/// hand, not a timed test. The database is kept and reused by the next run with the same --db.
/// </summary>
public static class ApiBench
{
    private const string Period = "2020S1";
    private const string Province = "BX";

    public static async Task<int> RunAsync(ApiBenchOptions options, CancellationToken ct = default)
    {
        var count = options.Units;
        var settings = new ConfigurationBuilder().AddQcdcSources(options.Provider, options.Database ?? $"qcdc-bench-{count.ToString(CultureInfo.InvariantCulture)}.db")
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Api:RateLimit:PermitsPerMinute"] = "1000000",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            })
            .Build();
        var storage = QcdcConfiguration.Storage(settings);
        await DatabaseMigrator.MigrateAsync(storage, ct);
        Console.WriteLine($"Database: {MigrateVerb.Describe(storage)}");

        var app = QcdcWebHost.Build(["--urls", "http://127.0.0.1:0"], settings);
        await app.StartAsync(ct);
        try
        {
            await PrepareAsync(app.Services, count, ct);
            var keys = app.Services.GetRequiredService<ApiKeyStore>();
            var provinceKey = await keys.CreateAsync("bench-api", Role.Auditor, Province, ct);
            var districtKey = await keys.CreateAsync("bench-api", Role.Auditor, $"{Province}-D01", ct);
            var (province, district) = (provinceKey.Key, districtKey.Key);
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

            Console.WriteLine($"GET /api/findings?period={Period}, first page of {FindingsApi.DefaultLimit}, {options.Requests} requests after one warm-up, over HTTP on loopback:");
            var first = await MeasureAsync(http, province, $"/api/findings?period={Period}", options.Requests, ct);
            Report("auditor of the province (the goal: < 100 ms)", first);
            Report("auditor of one district", await MeasureAsync(http, district, $"/api/findings?period={Period}", options.Requests, ct));
            Report("province, target NQ02-1 only", await MeasureAsync(http, province, $"/api/findings?period={Period}&target=NQ02-1", options.Requests, ct));
            var deep = await CursorAfterAsync(http, province, 100, ct);
            Report("province, the 101st page (by cursor)", await MeasureAsync(http, province, $"/api/findings?period={Period}&cursor={deep}", options.Requests, ct));

            var csv = Stopwatch.StartNew();
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/findings?period={Period}");
            request.Headers.Add(ApiKeyAuthenticationHandler.Header, province);
            request.Headers.Accept.ParseAdd("text/csv");
            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            Console.WriteLine($"  every finding as CSV: {body.Count(c => c == '\n') - 1:N0} rows, {body.Length / 1024.0 / 1024.0:0.0} MB in {csv.Elapsed.TotalMilliseconds:N0} ms");
            foreach (var used in new[] { provinceKey, districtKey })
                await keys.RevokeAsync(used.Row.Id.ToString(CultureInfo.InvariantCulture), ct);
            return first.Median < 100 ? 0 : 1;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    private sealed record Figures(double Cold, double Min, double Median, double P95, double Max, int Items);

    private static void Report(string what, Figures f) =>
        Console.WriteLine($"  {what,-46} first {f.Cold,7:0.0} ms; then min {f.Min:0.0}, median {f.Median:0.0}, p95 {f.P95:0.0}, max {f.Max:0.0} ms ({f.Items} items)");

    private static async Task<Figures> MeasureAsync(HttpClient http, string key, string url, int count, CancellationToken ct)
    {
        async Task<(double Ms, int Items)> OnceAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add(ApiKeyAuthenticationHandler.Header, key);
            var watch = Stopwatch.StartNew();
            using var response = await http.SendAsync(request, ct);
            var page = await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>(ct);
            return (watch.Elapsed.TotalMilliseconds, page.GetProperty("items").GetArrayLength());
        }

        var (cold, items) = await OnceAsync();
        var times = new List<double>();
        for (var i = 0; i < count; i++)
            times.Add((await OnceAsync()).Ms);
        times.Sort();
        return new Figures(cold, times[0], times[times.Count / 2], times[(int)Math.Ceiling(times.Count * 0.95) - 1], times[^1], items);
    }

    private static async Task<string> CursorAfterAsync(HttpClient http, string key, int pages, CancellationToken ct)
    {
        string? cursor = null;
        for (var i = 0; i < pages; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/findings?period={Period}{(cursor is null ? "" : "&cursor=" + cursor)}");
            request.Headers.Add(ApiKeyAuthenticationHandler.Header, key);
            using var response = await http.SendAsync(request, ct);
            var page = await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>(ct);
            cursor = page.GetProperty("next").GetString() ?? cursor;
        }

        return cursor!;
    }

    /// <summary>Generates, imports and evaluates the province unless the database already holds it.</summary>
    private static async Task PrepareAsync(IServiceProvider services, int count, CancellationToken ct)
    {
        var contexts = services.GetRequiredService<IDbContextFactory<QcdcDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var period = await db.Periods.SingleOrDefaultAsync(p => p.Code == Period, ct);
            if (period is not null && await db.ScopeStates.AnyAsync(s => s.PeriodId == period.Id, ct))
            {
                Console.WriteLine($"Reusing the database (delete it to generate anew): {await db.Units.CountAsync(ct):N0} units, {await db.Findings.CountAsync(ct):N0} finding rows.");
                return;
            }
        }

        var watch = Stopwatch.StartNew();
        var profile = Profile(count);
        // One unit in ten reports nothing and one in twenty leaves an indicator out: tens of thousands of findings to page through.
        var generator = new ProvinceGenerator(profile, seed: 2026) { SilentUnitsPerPeriod = count / 10, PartialUnitsPerPeriod = count / 20 };
        var set = new DemoDataSet();
        generator.GenerateStructure(set);
        generator.GenerateValues(set, [Period]);
        Console.WriteLine($"Generated {set.Units.Count:N0} units and {set.Values.Count:N0} values in {watch.Elapsed.TotalSeconds:0.0} s");

        var imports = services.GetRequiredService<ImportService>();
        var context = new ImportContext("bench-api", services.GetRequiredService<TimeProvider>());
        foreach (var (kind, name, text) in new[]
                 {
                     (ImportKind.Areas, "areas.csv", set.AreasCsv()), (ImportKind.Units, "units.csv", set.UnitsCsv()), (ImportKind.Values, "values.csv", set.ValuesCsv()),
                 })
        {
            watch.Restart();
            var summary = await imports.ImportAsync(kind, name, Encoding.UTF8.GetBytes(text), context, ct);
            Console.WriteLine($"Imported {summary} in {watch.Elapsed.TotalSeconds:0.0} s");
        }

        // Every shipped set bound to the whole country (Hà Tĩnh's own set names an area this province has not).
        foreach (var (name, content) in QcdcRules.TargetSets())
            await imports.ImportAsync(ImportKind.Targets, name, content, context with { Scope = "national" }, ct);
        watch.Restart();
        var run = (await services.GetRequiredService<EvaluationService>().EvaluateAsync(Period, Province, RunTrigger.Benchmark, ct)).Single();
        Console.WriteLine($"Evaluated {Period}: run #{run.Run.Id}, {run.Run.UnitsEvaluated:N0} units, {run.Run.FindingsOpen:N0} open findings in {watch.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>A province of about <paramref name="units"/> units in the proportions of a real one: mostly enterprises, a third with a union.</summary>
    private static ProvinceProfile Profile(int units)
    {
        var communes = Math.Max(12, units / 170);
        const int villages = 10;
        var agencies = Math.Max(10, units / 65);
        var services = Math.Max(10, units / 12);
        var stateEnterprises = Math.Max(2, units / 500);
        var armed = Math.Max(2, units / 1000);
        var enterprises = Math.Max(10, units - (communes * (1 + villages)) - agencies - services - stateEnterprises - armed);
        return new ProvinceProfile(Province, "Tỉnh Thử Tải", HaTinhDemo.Profile.Districts, communes, villages, agencies, services, stateEnterprises, enterprises, 0.33, armed);
    }
}
