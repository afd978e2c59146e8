using Hangfire;
using Hangfire.AspNetCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using QcdcCompliance.Host.Settings;
using QcdcCompliance.Import;
using QcdcCompliance.Jobs;
using QcdcCompliance.Runs;

namespace QcdcCompliance.Host.Jobs;

/// <summary>Hangfire in <c>qcdc serve</c>: storage, a server, the recurring jobs, the dashboard, and evaluations after imports.</summary>
public static class JobsHosting
{
    public const string DashboardPath = "/hangfire";

    public static WebApplicationBuilder AddQcdcJobs(this WebApplicationBuilder builder)
    {
        var options = QcdcConfiguration.Jobs(builder.Configuration);
        var storage = QcdcConfiguration.Storage(builder.Configuration);
        var services = builder.Services;
        services.AddQcdcJobServices(options);

        // This host's own storage and activator, registered before AddHangfire so that its defaults (the process-wide
        // JobStorage.Current and JobActivator.Current) stay unused: two hosts in one process each keep their own.
        services.AddSingleton(_ => JobStorages.Create(storage, options));
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((provider, configuration) => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HostLogProvider(provider.GetRequiredService<ILoggerFactory>())));
        JobFilters.Configure();
        services.AddHangfireServer((_, server) =>
        {
            server.SchedulePollingInterval = options.PollInterval;
            if (options.WorkerCount > 0)
                server.WorkerCount = options.WorkerCount;
        });
        services.AddHostedService<RecurringJobsRegistration>();

        // Imports (API or CLI, both through ImportService) and API requests queue evaluations as jobs.
        services.Replace(ServiceDescriptor.Singleton<IEvaluationScheduler, HangfireEvaluationScheduler>());
        services.AddSingleton<IImportObserver, EvaluateTouchedScopes>();
        return builder;
    }

    /// <summary>
    /// The dashboard at <c>/hangfire</c>, for the admin role only, from any address: the endpoint's authorization
    /// policy decides (a browser without a session is sent to /signin), so Hangfire's own local-only filter is removed.
    /// </summary>
    public static WebApplication MapQcdcJobs(this WebApplication app)
    {
        // Hangfire's /stats reads the request as a form (its own page POSTs one): anything else, such as a GET from a
        // browser's address bar, threw inside Hangfire and answered 500. Runs after authorisation, so only an
        // administrator ever gets this far.
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.Equals(DashboardPath + "/stats", StringComparison.OrdinalIgnoreCase) && !context.Request.HasFormContentType)
            {
                var post = HttpMethods.IsPost(context.Request.Method);
                context.Response.Headers.Allow = "POST";
                await Results.Problem(post ? "Send the metrics asked for as a form (metrics[]=...), as the dashboard does." : "The dashboard's statistics are asked for with a form POST.",
                    statusCode: post ? StatusCodes.Status415UnsupportedMediaType : StatusCodes.Status405MethodNotAllowed).ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            DashboardTitle = "QCDC – jobs",
            DisplayStorageConnectionString = false,
            Authorization = [],
        }).RequireAuthorization(Security.QcdcPolicies.Admin);
        return app;
    }
}
