using QcdcCompliance.Alerts;
using QcdcCompliance.Decisions;
using QcdcCompliance.Reports;
using QcdcCompliance.Rules;

namespace QcdcCompliance.Host.Settings;

public static class EngineRegistration
{
    /// <summary>
    /// Everything the engine needs, for the CLI verbs and the web host alike. Alerts are part of it: whoever stores a
    /// run (a job, <c>qcdc evaluate</c>, <c>demo</c>) queues its e-mails in the same transaction.
    /// </summary>
    public static IServiceCollection AddQcdcEngine(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSingleton(Runs.EvaluationMemoryBudget.Of(configuration.GetValue<long?>("Evaluation:MemoryBudgetMb"), configuration.GetValue<long?>("Evaluation:BytesPerUnit")))
            .AddQcdcEngine(QcdcConfiguration.Storage(configuration), QcdcConfiguration.Calendar(configuration), QcdcRules.Assembly)
            .AddQcdcAlerts(QcdcConfiguration.Alerts(configuration))
            .AddSingleton(services => new SignOffService(services.GetRequiredService<IDbContextFactory<QcdcDbContext>>(), services.GetRequiredService<Evaluation.FactLoader>(),
                services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<SignOffService>>(), services.GetService<AlertOptions>())
            {
                // How long a sign-off or reopening waits for the writes ahead of it before it answers "try again".
                TurnWait = configuration.GetValue<double?>("SignOffs:WaitSeconds") is { } seconds && seconds > 0 ? TimeSpan.FromSeconds(seconds) : SignOffService.DefaultTurnWait,
            })
            .AddQcdcDecisions();

    /// <summary>The review reports with their settings (section <c>Reports</c>).</summary>
    public static IServiceCollection AddQcdcReports(this IServiceCollection services, IConfiguration configuration) =>
        services.AddQcdcReports(configuration.GetSection("Reports").Get<ReviewReportOptions>() ?? new ReviewReportOptions());
}
