using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace QcdcCompliance.Decisions;

public static class DecisionsRegistration
{
    /// <summary>The committee's decisions (what-if), over the engine's services (<c>AddQcdcEngine</c> first).</summary>
    public static IServiceCollection AddQcdcDecisions(this IServiceCollection services)
    {
        services.TryAddSingleton<WhatIfService>();
        return services;
    }
}
