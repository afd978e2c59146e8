using QcdcCompliance.Evaluation;
using QcdcCompliance.Import;
using QcdcCompliance.Rules;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Host.Hosting;

public static class EngineRegistration
{
    /// <summary>Everything the engine needs, for the CLI verbs and the web host alike.</summary>
    public static IServiceCollection AddQcdcEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddQcdcStorage(QcdcConfiguration.Storage(configuration));
        services.AddSingleton(QcdcConfiguration.Calendar(configuration));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new TargetRuleCatalogue(QcdcRules.Assembly));
        services.AddSingleton<ITargetRuleCatalogue>(sp => sp.GetRequiredService<TargetRuleCatalogue>());
        services.AddSingleton<ImportService>();
        return services;
    }
}
