using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Rules;
using QcdcCompliance.Runs;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Tests.Infrastructure;

/// <summary>The engine's services over one real database, as the host wires them.</summary>
public sealed class Engine : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IAsyncDisposable? _owned;

    private Engine(StorageOptions storage, IAsyncDisposable? owned, TimeProvider? clock, bool keepWarm, Action<IServiceCollection>? configure)
    {
        Storage = storage;
        _owned = owned;
        var services = new ServiceCollection();
        services.AddSingleton(clock ?? TimeProvider.System);
        services.AddSingleton(new EvaluationOptions { KeepWarm = keepWarm });
        services.AddLogging();
        services.AddQcdcEngine(storage, PeriodCalendar.Default, QcdcRules.Assembly);
        configure?.Invoke(services);
        _services = services.BuildServiceProvider();
    }

    public StorageOptions Storage { get; }
    public IServiceProvider Services => _services;
    public ImportService Imports => _services.GetRequiredService<ImportService>();
    public EvaluationService Evaluations => _services.GetRequiredService<EvaluationService>();
    public FindingQueries Findings => _services.GetRequiredService<FindingQueries>();

    /// <summary>The engine on a new SQLite file; <paramref name="configure"/> adds services (alerts, jobs, a fault point) as a host would.</summary>
    public static async Task<Engine> SqliteAsync(TimeProvider? clock = null, bool keepWarm = false, Action<IServiceCollection>? configure = null)
    {
        var database = await SqliteDatabase.CreateAsync();
        return new Engine(database.Storage, database, clock, keepWarm, configure);
    }

    /// <param name="password">Put in the connection string (the test server trusts every local connection, so it is only carried): to check it never shows.</param>
    public static async Task<Engine> PostgresAsync(string name, TimeProvider? clock = null, bool keepWarm = false, Action<IServiceCollection>? configure = null,
        string? password = null)
    {
        var server = await PostgresServer.InstanceAsync();
        var storage = await server.CreateDatabaseAsync(name);
        if (password is not null)
            storage.Database += $";Password={password}";
        return new Engine(storage, null, clock, keepWarm, configure);
    }

    /// <summary>The engine over a PostgreSQL database that exists already (e.g. a copy made with <see cref="PostgresServer.CopyDatabaseAsync"/>).</summary>
    public static Engine Postgres(StorageOptions storage, TimeProvider? clock = null, Action<IServiceCollection>? configure = null) =>
        new(storage, null, clock, keepWarm: false, configure);

    /// <summary>The engine over a SQLite file that exists already (e.g. a copy of another test's database); the caller deletes it.</summary>
    public static Engine SqliteFile(string path, TimeProvider? clock = null, Action<IServiceCollection>? configure = null) =>
        new(new StorageOptions { Provider = StorageProvider.Sqlite, Database = path }, null, clock, keepWarm: false, configure);

    public QcdcDbContext Db() => StorageRegistration.CreateContext(Storage);

    public Task<ImportSummary> ImportAsync(ImportKind kind, string file, string content, string by = "test", int? restrictToArea = null) =>
        ImportAsync(kind, file, Encoding.UTF8.GetBytes(content), by, restrictToArea);

    public Task<ImportSummary> ImportAsync(ImportKind kind, string file, byte[] content, string by = "test", int? restrictToArea = null) =>
        Imports.ImportAsync(kind, file, content, new ImportContext(by, _services.GetRequiredService<TimeProvider>()) { RestrictToAreaId = restrictToArea });

    /// <summary>
    /// The shipped target sets: the national ones as they are; a province's own (Hà Tĩnh's resolution, its committee's
    /// KPIs) for its own province when the database has it, and adopted by every other province in the database, as
    /// <c>qcdc import targets FILE --scope CODE</c> would (so a test province is held to them too).
    /// </summary>
    public async Task LoadTargetSetsAsync()
    {
        await using var db = Db();
        await ShippedTargetSets.ImportAsync(db, (name, content, scope) => ImportTargetsAsync(name, content, scope));
    }

    /// <summary>A target set imported for an area of the caller's choosing (the CLI's <c>--scope</c>).</summary>
    public Task<ImportSummary> ImportTargetsAsync(string file, byte[] content, string? scope, string by = "test") =>
        Imports.ImportAsync(ImportKind.Targets, file, content, new ImportContext(by, _services.GetRequiredService<TimeProvider>()) { Scope = scope });

    /// <summary>Row counts of every table an import writes: equal before and after a refused import.</summary>
    public async Task<string> CountsAsync()
    {
        await using var db = Db();
        return string.Join(", ",
            $"areas={await db.Areas.CountAsync()}", $"links={await db.AreaLinks.CountAsync()}", $"lineage={await db.AreaLineages.CountAsync()}",
            $"units={await db.Units.CountAsync()}", $"periods={await db.Periods.CountAsync()}", $"values={await db.DataValues.CountAsync()}",
            $"audits={await db.DataValueAudits.CountAsync()}", $"resolutions={await db.Resolutions.CountAsync()}", $"targets={await db.Targets.CountAsync()}");
    }

    /// <summary>
    /// Puts a SQLite test database in WAL mode, as <c>qcdc migrate</c> leaves a real one (the test template is not, so
    /// that it copies as one file): readers then never block a writer.
    /// </summary>
    public async Task UseWriteAheadLogAsync()
    {
        await using var db = Db();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_owned is not null)
            await _owned.DisposeAsync();
    }
}
