using QcdcCompliance.Reports;
using QcdcCompliance.Rules;

namespace QcdcCompliance.Host.Hosting;

public static class EngineRegistration
{
    /// <summary>Everything the engine needs, for the CLI verbs and the web host alike.</summary>
    public static IServiceCollection AddQcdcEngine(this IServiceCollection services, IConfiguration configuration) =>
        services.AddQcdcEngine(QcdcConfiguration.Storage(configuration), QcdcConfiguration.Calendar(configuration), QcdcRules.Assembly);

    /// <summary>The review reports with their settings (section <c>Reports</c>).</summary>
    public static IServiceCollection AddQcdcReports(this IServiceCollection services, IConfiguration configuration) =>
        services.AddQcdcReports(configuration.GetSection("Reports").Get<ReviewReportOptions>() ?? new ReviewReportOptions());
}
