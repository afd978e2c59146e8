using QcdcCompliance.Rules;

namespace QcdcCompliance.Host.Hosting;

public static class EngineRegistration
{
    /// <summary>Everything the engine needs, for the CLI verbs and the web host alike.</summary>
    public static IServiceCollection AddQcdcEngine(this IServiceCollection services, IConfiguration configuration) =>
        services.AddQcdcEngine(QcdcConfiguration.Storage(configuration), QcdcConfiguration.Calendar(configuration), QcdcRules.Assembly);
}
