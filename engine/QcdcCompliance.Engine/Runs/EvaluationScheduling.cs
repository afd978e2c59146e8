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
/// take them one by one, else the (period, province) scopes; a year that reads a changed half-year value, whole, once
/// it has ended, as its half is.
/// </summary>
public sealed class EvaluateTouchedScopes(IEvaluationScheduler scheduler, PeriodCalendar calendar, TimeProvider clock) : IImportObserver
{
    public const int MaxUnitsPerIncrementalJob = 1_000;

    public async Task ImportedAsync(ImportSummary summary, ImportContext context, CancellationToken ct)
    {
        // A period still running is stored but not evaluated: the schedule evaluates it once it has ended.
        foreach (var scope in summary.TouchedUnits.GroupBy(u => (u.Period, u.Scope)).Where(s => calendar.Create(s.Key.Period).HasEnded(clock)))
        {
            var units = scope.Select(u => u.UnitId).Distinct().ToList();
            if (units.Count <= MaxUnitsPerIncrementalJob)
                await scheduler.EnqueueUnitsAsync(scope.Key.Period, scope.Key.Scope, units, RunTrigger.Import, ct);
            else
                await scheduler.EnqueueAsync(scope.Key.Period, scope.Key.Scope, RunTrigger.Import, ct);
        }

        // Scopes this import changed no value of: the years that read a changed half-year value, and scopes left unevaluated
        // by an earlier import (stopped before its evaluation): whole.
        var byUnits = summary.TouchedUnits.Select(u => (u.Period, u.Scope)).ToHashSet();
        foreach (var (period, scope) in summary.TouchedScopes.Where(s => !byUnits.Contains(s) && calendar.Create(s.Period).HasEnded(clock)))
            await scheduler.EnqueueAsync(period, scope, RunTrigger.Import, ct);
    }
}

/// <summary>
/// An accepted values import re-evaluates the units it changed before the import returns: through a warm session
/// when the scope has one (milliseconds), else by evaluating the scope afresh; the other scopes it lists (a year that
/// reads a changed half-year value) afresh.
/// </summary>
public sealed class ReevaluateChangedUnits(EvaluationService evaluations) : IImportObserver
{
    public async Task ImportedAsync(ImportSummary summary, ImportContext context, CancellationToken ct)
    {
        foreach (var scope in summary.TouchedUnits.GroupBy(u => (u.Period, u.Scope)))
            await evaluations.EvaluateUnitsAsync(scope.Key.Period, scope.Key.Scope, scope.Select(u => u.UnitId).ToList(), RunTrigger.Import, ct);
        var byUnits = summary.TouchedUnits.Select(u => (u.Period, u.Scope)).ToHashSet();
        foreach (var (period, scope) in summary.TouchedScopes.Where(s => !byUnits.Contains(s)))
            await evaluations.EvaluateScopeAsync(period, scope, RunTrigger.Import, ct);
    }
}
