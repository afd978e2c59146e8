using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Alerts;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Jobs;

/// <summary>The real host of <c>qcdc serve</c> with its Hangfire server, polling fast, committees for P and D1.</summary>
public static class JobHost
{
    public static async Task<StorageOptions> StorageAsync(string provider, string name) => provider switch
    {
        "Sqlite" => (await SqliteDatabase.CreateAsync()).Storage,
        _ => await (await PostgresServer.InstanceAsync()).CreateDatabaseAsync(name),
    };

    public static Task<TestWebHost> StartAsync(StorageOptions storage, string pickup, TimeProvider? clock = null, int workers = 2,
        Action<WebApplicationBuilder>? configure = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        TestWebHost.StartAsync(storage, new Dictionary<string, string?>
        {
            ["Jobs:PollInterval"] = "00:00:00.2",
            ["Jobs:WorkerCount"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Alerts:PickupFolder"] = pickup,
            ["Alerts:Committees:P"] = AlertScenario.ProvinceCommittee,
            ["Alerts:Committees:D1"] = AlertScenario.DistrictCommittee,
        }.Concat(settings ?? new Dictionary<string, string?>()).ToDictionary(), builder =>
        {
            if (clock is not null)
                builder.Services.AddSingleton(clock);
            configure?.Invoke(builder);
        });

    public static Task<ImportSummary> ImportAsync(this TestWebHost host, ImportKind kind, string file, string content) =>
        host.ImportAsync(kind, file, System.Text.Encoding.UTF8.GetBytes(content));

    public static Task<ImportSummary> ImportAsync(this TestWebHost host, ImportKind kind, string file, byte[] content) =>
        host.Services.GetRequiredService<ImportService>().ImportAsync(kind, file, content, new ImportContext("test", host.Services.GetRequiredService<TimeProvider>()));

    /// <summary>Areas, units and the shipped target sets, through the host's own import path.</summary>
    public static async Task LoadProvinceAsync(this TestWebHost host, string? moreAreas = null, string? moreUnits = null)
    {
        await host.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas + (moreAreas ?? ""));
        await host.ImportAsync(ImportKind.Units, "units.csv", Province.Units + (moreUnits ?? ""));
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<QcdcDbContext>>().CreateDbContextAsync();
        await ShippedTargetSets.ImportAsync(db, (name, content, scope) => host.Services.GetRequiredService<ImportService>()
            .ImportAsync(ImportKind.Targets, name, content, new ImportContext("test", host.Services.GetRequiredService<TimeProvider>()) { Scope = scope }));
    }

    public static async Task<List<EvaluationRun>> RunsAsync(this TestWebHost host)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<QcdcDbContext>>().CreateDbContextAsync();
        return await db.EvaluationRuns.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
    }

    public static async Task<List<OutboxMessage>> OutboxAsync(this TestWebHost host)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<QcdcDbContext>>().CreateDbContextAsync();
        return await db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
    }

    public static void Trigger(this TestWebHost host, string recurringJobId) =>
        host.Services.GetRequiredService<IRecurringJobManager>().Trigger(recurringJobId);

    public static Task<List<EvaluationRun>> RunsWhereAsync(this TestWebHost host, Func<List<EvaluationRun>, bool> done, string what) =>
        Eventually.WaitAsync(host.RunsAsync, done, what);

    public static Task<string[]> PickupWhereAsync(string folder, Func<string[], bool> done, string what) =>
        Eventually.WaitAsync(() => Task.FromResult(Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml") : []), done, what);

    public static MimeKit.MimeMessage Mail(string file) => MimeKit.MimeMessage.Load(file);

    public static IEnumerable<MimeKit.MimeMessage> Mails(IEnumerable<string> files) => files.Select(Mail);

    /// <summary>Ids of the runs of a scope, for messages.</summary>
    public static string Describe(IEnumerable<EvaluationRun> runs) => string.Join(", ", runs.Select(r => $"#{r.Id} {r.PeriodId}/{r.ScopeAreaId} {r.Trigger} {r.Status}"));
}
