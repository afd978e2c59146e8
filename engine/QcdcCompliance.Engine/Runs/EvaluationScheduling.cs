using QcdcCompliance.Domain;
using QcdcCompliance.Import;

namespace QcdcCompliance.Runs;

/// <summary>
/// Asks for a scope to be evaluated: a Hangfire job in <c>qcdc serve</c> (<c>Jobs.HangfireEvaluationScheduler</c>),
/// a background task where no job system runs (<see cref="BackgroundTaskEvaluationScheduler"/>), or at once before
/// returning where nothing would be left to run a job (<see cref="ImmediateEvaluationScheduler"/>, the CLI on SQLite).
/// </summary>
public interface IEvaluationScheduler
{
    /// <summary>Queues the evaluation of one (period, province) and returns an id to follow it by.</summary>
    Task<string> EnqueueAsync(string period, string provinceCode, RunTrigger trigger, CancellationToken ct = default);

    /// <summary>
    /// Queues the re-evaluation of some units of a scope: a warm session updates just them; without one, the whole
    /// scope is evaluated.
    /// </summary>
    Task<string> EnqueueUnitsAsync(string period, string provinceCode, IReadOnlyList<int> unitIds, RunTrigger trigger, CancellationToken ct = default) =>
        EnqueueAsync(period, provinceCode, trigger, ct);
}

/// <summary>
/// An accepted values import re-evaluates what it changed: the units, when they are few enough for a warm session to
/// take them one by one, else the (period, province) scopes; a year that reads a changed half-year value the same way,
/// once it has ended, as its half is.
/// </summary>
public sealed class EvaluateTouchedScopes(IEvaluationScheduler scheduler, PeriodCalendar calendar, TimeProvider clock) : IImportObserver
{
    public const int MaxUnitsPerIncrementalJob = 1_000;

    public async Task ImportedAsync(ImportSummary summary, ImportContext context, CancellationToken ct)
    {
        // A period still running is stored but not evaluated: the schedule evaluates it once it has ended.
        foreach (var (period, scope, units) in Plan(summary).Where(s => calendar.Create(s.Period).HasEnded(clock)))
        {
            if (units.Count is > 0 and <= MaxUnitsPerIncrementalJob)
                await scheduler.EnqueueUnitsAsync(period, scope, units, RunTrigger.Import, ct);
            else
                await scheduler.EnqueueAsync(period, scope, RunTrigger.Import, ct);
        }
    }

    /// <summary>
    /// What an import has re-evaluated, scope by scope: the units it changed in each; in a year, also the units whose
    /// values of its halves changed in the same province (the year reads them, so their year's reading may have changed);
    /// no unit for a scope to evaluate whole (one left unevaluated by an earlier import that stopped before its
    /// evaluation, or a year whose unit sat in another province in its half).
    /// </summary>
    public static List<(string Period, string Scope, List<int> Units)> Plan(ImportSummary summary)
    {
        var changed = summary.TouchedUnits.GroupBy(u => (u.Period, u.Scope)).ToDictionary(g => g.Key, g => g.Select(u => u.UnitId).Distinct().ToList());
        var plan = new List<(string Period, string Scope, List<int> Units)>();
        var listed = new HashSet<(string Period, string Scope)>();
        foreach (var (period, scope) in changed.Keys.Concat(summary.TouchedScopes))
        {
            if (!listed.Add((period, scope)))
                continue;
            var units = changed.GetValueOrDefault((period, scope)) ?? [];
            if (PeriodCode.TryParse(period, out var code) && code.Type == PeriodType.Year)
            {
                var (first, second) = Period.HalvesOf(code.Year);
                units = units.Concat(summary.TouchedUnits.Where(u => u.Scope == scope && (u.Period == first || u.Period == second)).Select(u => u.UnitId)).Distinct().ToList();
            }

            plan.Add((period, scope, units));
        }

        return plan;
    }
}

/// <summary>
/// An accepted values import re-evaluates the units it changed before the import returns: through a warm session
/// when the scope has one (milliseconds), else by evaluating the scope afresh; a year that reads a changed half-year
/// value by the same units (<see cref="EvaluateTouchedScopes.Plan"/>).
/// </summary>
public sealed class ReevaluateChangedUnits(EvaluationService evaluations) : IImportObserver
{
    public async Task ImportedAsync(ImportSummary summary, ImportContext context, CancellationToken ct)
    {
        foreach (var (period, scope, units) in EvaluateTouchedScopes.Plan(summary))
        {
            if (units.Count > 0)
                await evaluations.EvaluateUnitsAsync(period, scope, units, RunTrigger.Import, ct);
            else
                await evaluations.EvaluateScopeAsync(period, scope, RunTrigger.Import, ct);
        }
    }
}
