using Microsoft.Extensions.DependencyInjection;

namespace QcdcCompliance.Jobs;

public static class JobServices
{
    /// <summary>The job classes Hangfire activates (they take codes and ids; these give them the engine).</summary>
    public static IServiceCollection AddQcdcJobServices(this IServiceCollection services, JobOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<OpenPeriods>();
        services.AddSingleton<ScopeLocks>();
        services.AddTransient<EvaluateScopeJob>();
        services.AddTransient<EvaluateOpenPeriodsJob>();
        services.AddTransient<DeliverAlertsJob>();
        services.AddTransient<RemindReportingJob>();
        services.AddTransient<EscalateOpenFindingsJob>();
        return services;
    }
}
