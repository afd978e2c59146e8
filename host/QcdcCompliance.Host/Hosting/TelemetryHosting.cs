using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using QcdcCompliance.Host.Jobs;
using QcdcCompliance.Telemetry;

namespace QcdcCompliance.Host.Hosting;

/// <summary>
/// OpenTelemetry in one place: traces and metrics of the QcdcCompliance source and meter (runs, jobs, alert delivery,
/// imports), ASP.NET Core and EF Core. Exporters are configuration: OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
/// set (with the other <c>OTEL_*</c> variables), the console when <c>Telemetry:Console</c> is true.
/// </summary>
public static class TelemetryHosting
{
    public static WebApplicationBuilder AddQcdcTelemetry(this WebApplicationBuilder builder)
    {
        var console = builder.Configuration.GetValue<bool>("Telemetry:Console");
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "qcdc"))
            .WithTracing(tracing =>
            {
                tracing.AddSource(QcdcTelemetry.Name)
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsNoise(context.Request.Path))
                    .AddEntityFrameworkCoreInstrumentation();
                if (console)
                    tracing.AddConsoleExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(QcdcTelemetry.Name)
                    .AddAspNetCoreInstrumentation();
                if (console)
                    metrics.AddConsoleExporter();
            });

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            telemetry.UseOtlpExporter();
        return builder;
    }

    /// <summary>The dashboard's own polling and health probes would drown the requests people make.</summary>
    private static bool IsNoise(PathString path) =>
        path.StartsWithSegments(JobsHosting.DashboardPath) || path.StartsWithSegments("/health");
}
