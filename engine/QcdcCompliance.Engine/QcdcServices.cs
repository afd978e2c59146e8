using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using QcdcCompliance.Decisions;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Runs;
using QcdcCompliance.Storage;

namespace QcdcCompliance;

public static class QcdcServices
{
    /// <summary>The engine's services over one database: storage, imports, the compiled rules, evaluation and queries.</summary>
    public static IServiceCollection AddQcdcEngine(this IServiceCollection services, StorageOptions storage, PeriodCalendar calendar, Assembly rules)
    {
        services.AddQcdcStorage(storage);
        services.AddSingleton(calendar);
        services.TryAddSingleton(TimeProvider.System);
        var catalogue = new TargetRuleCatalogue(rules);
        services.AddSingleton(catalogue);
        services.AddSingleton<ITargetRuleCatalogue>(catalogue);
        services.AddSingleton<ImportService>();
        services.AddSingleton<RuleEngine>();
        services.AddSingleton<FactLoader>();
        services.AddSingleton<RunRecorder>();
        services.AddSingleton<EvaluationService>();
        services.TryAddSingleton(new EvaluationOptions());
        services.TryAddSingleton(_ => EvaluationMemoryBudget.Of(null, null));
        services.AddSingleton<WarmScopeCache>();
        services.AddSingleton<FindingQueries>();
        services.AddSingleton<ComplianceQueries>();
        services.AddSingleton<Submissions.CompletenessQueries>();
        services.AddSingleton<Submissions.ReportingTemplates>();
        services.AddSingleton<Audit.FindingActionRecorder>();
        services.AddSingleton<Audit.AuditVerifier>();
        // The committee's decisions (what-if, sign-off, trends): the reports state them.
        services.AddQcdcDecisions();
        services.TryAddSingleton<IEvaluationScheduler, BackgroundTaskEvaluationScheduler>();
        return services;
    }
}
