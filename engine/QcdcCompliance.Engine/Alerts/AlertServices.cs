using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Findings;

namespace QcdcCompliance.Alerts;

public static class AlertServices
{
    /// <summary>Alerts composed with every stored run, the outbox and its delivery (SMTP, or the pickup folder).</summary>
    public static IServiceCollection AddQcdcAlerts(this IServiceCollection services, AlertOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<LateUnits>();
        services.AddSingleton<IRunContributor, AlertComposer>();
        services.AddSingleton(MailTransport.For(options));
        services.AddSingleton<OutboxJournal>();
        services.AddSingleton<OutboxDelivery>();
        services.AddSingleton<OutboxWriter>();
        services.AddSingleton<OutboxQueries>();
        return services;
    }
}
