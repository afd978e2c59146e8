using QcdcCompliance.Alerts;
using QcdcCompliance.Jobs;

namespace QcdcCompliance.Host.Settings;

/// <summary>
/// Reads the settings every verb needs. Precedence, lowest first: appsettings.json beside the program,
/// environment variables (<c>QCDC_PROVIDER</c>, <c>QCDC_DB</c>, or <c>Storage__Provider</c> style), then
/// <c>--provider</c> and <c>--db</c>.
/// </summary>
public static class QcdcConfiguration
{
    public static IConfigurationBuilder AddQcdcSources(this IConfigurationBuilder builder, string? provider = null, string? database = null)
    {
        builder.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables();
        var overrides = new Dictionary<string, string?>();
        if (Environment.GetEnvironmentVariable("QCDC_PROVIDER") is { Length: > 0 } envProvider)
            overrides["Storage:Provider"] = envProvider;
        if (Environment.GetEnvironmentVariable("QCDC_DB") is { Length: > 0 } envDatabase)
            overrides["Storage:Database"] = envDatabase;
        if (provider is not null)
            overrides["Storage:Provider"] = provider;
        if (database is not null)
            overrides["Storage:Database"] = database;
        return builder.AddInMemoryCollection(overrides);
    }

    public static StorageOptions Storage(IConfiguration configuration)
    {
        var text = configuration["Storage:Provider"];
        if (!StorageOptions.TryParseProvider(text ?? "Sqlite", out var provider))
            throw new CliException($"unknown storage provider '{text}'; use Sqlite, SqlServer or Postgres");
        return new StorageOptions { Provider = provider, Database = configuration["Storage:Database"] };
    }

    public static PeriodCalendar Calendar(IConfiguration configuration) =>
        new(configuration.GetSection("Periods").Get<PeriodCalendarOptions>() ?? new PeriodCalendarOptions());

    public static AlertOptions Alerts(IConfiguration configuration) =>
        configuration.GetSection("Alerts").Get<AlertOptions>() ?? new AlertOptions();

    public static JobOptions Jobs(IConfiguration configuration) =>
        configuration.GetSection("Jobs").Get<JobOptions>() ?? new JobOptions();
}

/// <summary>A mistake on the command line or in the settings: printed without a stack trace, exit code 2.</summary>
/// <summary>A command line that cannot be run as given; <paramref name="messageVi"/>, when there is one, is printed first (exit 2).</summary>
public sealed class CliException(string message, string? messageVi = null) : Exception(message)
{
    public string? MessageVi { get; } = messageVi;
}
