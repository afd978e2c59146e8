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

    public static ServiceProvider Create(ParseResult parse)
    {
        var configuration = Configuration(parse);
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(b => b.AddConfiguration(configuration.GetSection("Logging")).AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        services.AddQcdcEngine(configuration);
        services.AddQcdcReports(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>The verb's action, run with the engine's services (<see cref="Create"/>), disposed when it ends.</summary>
    public static void SetServicesAction(this Command command, Func<ParseResult, ServiceProvider, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, ct) =>
        {
            await using var services = Create(parse);
            return await action(parse, services, ct);
        });

    /// <summary>Who a CLI change is stored as: the operating-system user.</summary>
    public static string Operator => $"cli:{Environment.UserName}";
}
