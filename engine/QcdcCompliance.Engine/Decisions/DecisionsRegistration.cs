using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace QcdcCompliance.Decisions;

public static class DecisionsRegistration
{
    /// <summary>The committee's decisions (what-if, sign-off, trends), over the engine's services (<c>AddQcdcEngine</c> first).</summary>
    public static IServiceCollection AddQcdcDecisions(this IServiceCollection services)
    {
        services.TryAddSingleton<WhatIfService>();
        services.TryAddSingleton<SignOffService>();
        services.TryAddSingleton<TrendQueries>();
        services.TryAddSingleton<Reports.IReportDecisions, ReportDecisions>();
        return services;
    }
}
