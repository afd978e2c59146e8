using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace QcdcCompliance.Reports;

public static class ReportRegistration
{
    /// <summary>The overview, review-report queries and writers, over the engine's services (<c>AddQcdcEngine</c> first).</summary>
    public static IServiceCollection AddQcdcReports(this IServiceCollection services, ReviewReportOptions? options = null)
    {
        services.TryAddSingleton(options ?? new ReviewReportOptions());
        services.TryAddSingleton<OverviewQueries>();
        services.TryAddSingleton<ReviewReportQueries>();
        services.TryAddSingleton<ReviewReports>();
        return services;
    }
}
