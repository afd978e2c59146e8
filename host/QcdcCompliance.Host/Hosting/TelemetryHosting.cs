using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using QcdcCompliance.Host.Jobs;
using QcdcCompliance.Telemetry;

namespace QcdcCompliance.Host.Hosting;

/// <summary>
/// OpenTelemetry in one place: traces and metrics of the QcdcCompliance source and meter (runs, jobs, alert delivery,
/// imports) and the database's commands (EF Core's, on SQLite, PostgreSQL or SQL Server: <see cref="AddQcdcSources"/>),
/// for <c>serve</c> and every verb alike, and for <c>serve</c> ASP.NET Core too. Exporters are configuration: OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (with the other <c>OTEL_*</c> variables), the console when
/// <c>Telemetry:Console</c> is true (<see cref="StandardErrorTelemetry"/>: standard error).
/// </summary>
public static class TelemetryHosting
{
    /// <summary><c>qcdc serve</c>: the engine's source and meter, EF Core's commands (<see cref="AddQcdcSources"/>), requests, and logs through OpenTelemetry.</summary>
    public static WebApplicationBuilder AddQcdcTelemetry(this WebApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddQcdcTelemetry(builder.Configuration,
            tracing => tracing.AddAspNetCoreInstrumentation(o => o.Filter = context => !IsNoise(context.Request.Path)),
            metrics => metrics.AddAspNetCoreInstrumentation());
        return builder;
    }

    /// <summary>
    /// A verb of the command line: the engine's source and meter (an import's, an evaluation's, a delivery's spans and
    /// metrics) and the database's commands (<see cref="AddQcdcSources"/>), when an exporter is configured; none is registered otherwise, so that a verb run without one costs
    /// nothing more. The providers are made at once (a verb has no host to start them), and flushed when
    /// <paramref name="services"/>' provider is disposed, at the verb's end. Whether telemetry is exported.
    /// </summary>
    public static bool AddQcdcCommandTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (!Console(configuration) && !Otlp(configuration))
            return false;
        services.AddQcdcTelemetry(configuration, _ => { }, _ => { });
        return true;
    }

    /// <summary>Starts the providers <see cref="AddQcdcCommandTelemetry"/> registered: spans and measurements are recorded from then on.</summary>
    public static void StartCommandTelemetry(IServiceProvider provider)
    {
        provider.GetService<TracerProvider>();
        provider.GetService<MeterProvider>();
    }

    private static void AddQcdcTelemetry(this IServiceCollection services, IConfiguration configuration, Action<TracerProviderBuilder> tracingMore,
        Action<MeterProviderBuilder> metricsMore)
    {
        var console = Console(configuration);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? "qcdc"))
            .WithTracing(tracing =>
            {
                tracing.AddQcdcSources();
                tracingMore(tracing);
                if (console)
                    tracing.AddProcessor(StandardErrorTelemetry.Spans());
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(QcdcTelemetry.Name);
                metricsMore(metrics);
                if (console)
                    metrics.AddReader(StandardErrorTelemetry.Metrics());
            });

        if (Otlp(configuration))
            telemetry.UseOtlpExporter();
    }

    /// <summary>
    /// The spans every process exports, <c>serve</c> and the verbs alike: the engine's source, and each command EF Core
    /// sends to the database (SQLite, PostgreSQL through Npgsql, SQL Server), a child of the engine's span that sent it.
    /// </summary>
    public static TracerProviderBuilder AddQcdcSources(this TracerProviderBuilder tracing) =>
        tracing.AddSource(QcdcTelemetry.Name).AddEntityFrameworkCoreInstrumentation();

    private static bool Console(IConfiguration configuration) => configuration.GetValue<bool>("Telemetry:Console");

    private static bool Otlp(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    /// <summary>The dashboard's own polling and health probes would drown the requests people make.</summary>
    private static bool IsNoise(PathString path) =>
        path.StartsWithSegments(JobsHosting.DashboardPath) || path.StartsWithSegments("/health");
}
