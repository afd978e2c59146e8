using QcdcCompliance.Host.Hosting;
using QcdcCompliance.Host.Settings;

namespace QcdcCompliance.Host.Cli;

/// <summary>The options every verb takes, and the services a verb runs with.</summary>
public static class CliServices
{
    public static readonly Option<string?> Provider = new("--provider")
    {
        Description = "Database provider: Sqlite (default), SqlServer or Postgres. Also QCDC_PROVIDER.",
        Recursive = true,
    };

    public static readonly Option<string?> Database = new("--db")
    {
        Description = "SQLite file path or connection string (default: qcdc.db in the working folder). Also QCDC_DB.",
        Recursive = true,
    };

    public static IConfiguration Configuration(ParseResult parse) =>
        new ConfigurationBuilder().AddQcdcSources(parse.GetValue(Provider), parse.GetValue(Database)).Build();

    /// <summary>
    /// The engine's services for a verb. A verb that reads the database (every one but <c>migrate</c> and <c>demo</c>,
    /// which create it, and <c>indicators</c> without <c>--db</c>) is refused when the SQLite file is not there: opening
    /// it would leave an empty file behind and fail on its first table. Such a verb refuses a database a newer version
    /// migrated (<see cref="DatabaseMigrator.RefuseNewer"/>).
    /// </summary>
    public static ServiceProvider Create(ParseResult parse, bool readsExistingDatabase = true)
    {
        var configuration = Configuration(parse);
        CliDatabase.Check(QcdcConfiguration.Storage(configuration), readsExistingDatabase);
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        // Log records go to standard error (ConsoleLogging). EF Core's own records of a failed command are left out: the
        // verb says what failed in one line (CliFailures), without the SQL and the stack trace.
        services.AddLogging(b => b.AddConfiguration(configuration.GetSection("Logging"))
            .AddSimpleConsole()
            .ToStandardError()
            .AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>("Microsoft.EntityFrameworkCore", LogLevel.None)
            .SetMinimumLevel(LogLevel.Warning));
        var telemetry = services.AddQcdcCommandTelemetry(configuration);
        services.AddQcdcEngine(configuration);
        services.AddQcdcReports(configuration);
        var storage = QcdcConfiguration.Storage(configuration);
        if (readsExistingDatabase && storage.Provider == StorageProvider.Sqlite)
        {
            // A database a newer version migrated is refused before the verb reads or writes a schema it does not know.
            DatabaseMigrator.RefuseNewerSqlite(storage.ConnectionString);
            readsExistingDatabase = false;
        }

        var provider = services.BuildServiceProvider();
        if (telemetry)
            TelemetryHosting.StartCommandTelemetry(provider);
        if (!readsExistingDatabase)
            return provider;
        try
        {
            // A database a newer version migrated is refused before the verb reads or writes a schema it does not know.
            using var db = provider.GetRequiredService<IDbContextFactory<QcdcDbContext>>().CreateDbContext();
            DatabaseMigrator.RefuseNewer(db);
            return provider;
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <summary>The verb's action, run with the engine's services (<see cref="Create"/>), disposed when it ends.</summary>
    public static void SetServicesAction(this Command command, Func<ParseResult, ServiceProvider, CancellationToken, Task<int>> action,
        bool readsExistingDatabase = true) =>
        command.SetAction(async (parse, ct) =>
        {
            await using var services = Create(parse, readsExistingDatabase);
            return await action(parse, services, ct);
        });

    /// <summary>Who a CLI change is stored as: the operating-system user.</summary>
    public static string Operator => $"cli:{Environment.UserName}";
}
