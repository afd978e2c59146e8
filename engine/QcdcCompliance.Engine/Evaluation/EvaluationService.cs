using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Storage;
using QcdcCompliance.Telemetry;

namespace QcdcCompliance.Evaluation;

/// <summary>A request that cannot be evaluated as asked (unknown period or area): the user's to fix.</summary>
public sealed class EvaluationRequestException(string message) : Exception(message);

/// <summary>One scope's run and what it measured.</summary>
public sealed record ScopeEvaluation(
    EvaluationRun Run,
    Period Period,
    Area Scope,
    IReadOnlyList<TargetFact> Targets,
    IReadOnlyList<FindingDraft> Findings,
    IReadOnlyList<AreaResultDraft> Areas);

/// <summary>
/// Evaluates a period over province scopes: for each, the facts are loaded, one NRules session fires, the outcome
/// becomes findings with evidence, and the run is stored with them in one transaction. Scopes are independent and run
/// in parallel; a scope that fails is recorded as a failed run with no finding.
/// </summary>
public sealed class EvaluationService(
    IDbContextFactory<QcdcDbContext> contexts,
    PeriodCalendar calendar,
    FactLoader loader,
    RuleEngine engine,
    RunRecorder recorder,
    TimeProvider clock)
{
    /// <summary>Evaluates every province that exists in the period, or the province of <paramref name="areaCode"/>.</summary>
    public async Task<IReadOnlyList<ScopeEvaluation>> EvaluateAsync(string periodCode, string? areaCode, RunTrigger trigger, CancellationToken ct = default)
    {
        var (period, scopes) = await ResolveAsync(periodCode, areaCode, ct);
        var results = new ScopeEvaluation[scopes.Count];
        await Parallel.ForEachAsync(scopes.Select((s, i) => (s, i)), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            async (item, token) => results[item.i] = await EvaluateScopeAsync(period, item.s, trigger, token));
        return results;
    }

    public async Task<ScopeEvaluation> EvaluateScopeAsync(string periodCode, string provinceCode, RunTrigger trigger, CancellationToken ct = default)
    {
        var (period, scopes) = await ResolveAsync(periodCode, provinceCode, ct);
        return await EvaluateScopeAsync(period, scopes.Single(), trigger, ct);
    }

    private async Task<ScopeEvaluation> EvaluateScopeAsync(Period period, Area scope, RunTrigger trigger, CancellationToken ct)
    {
        using var activity = QcdcTelemetry.Source.StartActivity("qcdc.evaluate");
        activity?.SetTag("qcdc.period", period.Code);
        activity?.SetTag("qcdc.scope", scope.Code);
        activity?.SetTag("qcdc.trigger", trigger.ToString());
        var started = Audit.AuditChain.Truncate(clock.GetUtcNow().UtcDateTime);
        var watch = Stopwatch.StartNew();
        ScopeFacts? facts = null;
        try
        {
            await using (var db = await contexts.CreateDbContextAsync(ct))
            using (QcdcTelemetry.Source.StartActivity("qcdc.evaluate.load"))
            {
                var tree = await db.LoadAreaTreeAsync(ct);
                facts = await loader.LoadAsync(db, period, scope, tree, ct);
            }

            SessionOutcome outcome;
            using (var fire = QcdcTelemetry.Source.StartActivity("qcdc.evaluate.fire"))
            {
                fire?.SetTag("qcdc.units", facts.Reports.Count);
                outcome = engine.Evaluate(facts);
            }

            var (findings, areas) = FindingBuilder.Build(facts, outcome);
            EvaluationRun run;
            using (QcdcTelemetry.Source.StartActivity("qcdc.evaluate.persist"))
                run = await recorder.RecordAsync(facts, findings, areas, trigger, started, ct);

            activity?.SetTag("qcdc.run", run.Id);
            QcdcTelemetry.UnitsEvaluated.Add(facts.Reports.Count);
            QcdcTelemetry.EvaluationDuration.Record(watch.Elapsed.TotalSeconds, new KeyValuePair<string, object?>("qcdc.status", "Completed"));
            foreach (var group in findings.GroupBy(f => f.TargetCode))
                QcdcTelemetry.Findings.Add(group.Count(), new("qcdc.target", group.Key), new("qcdc.state", "Open"));
            QcdcTelemetry.Findings.Add(run.NewCount, new KeyValuePair<string, object?>("qcdc.state", "New"));
            QcdcTelemetry.Findings.Add(run.ResolvedCount, new KeyValuePair<string, object?>("qcdc.state", "Resolved"));
            return new ScopeEvaluation(run, period, scope, facts.Targets, findings, areas);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            QcdcTelemetry.EvaluationDuration.Record(watch.Elapsed.TotalSeconds, new KeyValuePair<string, object?>("qcdc.status", "Failed"));
            try
            {
                await recorder.RecordFailureAsync(period, scope, trigger, facts?.RuleSetVersion ?? "", started, e, CancellationToken.None);
            }
            catch (Exception recordError) when (recordError is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
            {
                // The database itself is gone: the job's retry will try again; the original error is what matters.
            }

            throw;
        }
    }

    /// <summary>The period (created from its code when new) and the province scopes to evaluate.</summary>
    public async Task<(Period Period, IReadOnlyList<Area> Scopes)> ResolveAsync(string periodCode, string? areaCode, CancellationToken ct)
    {
        if (!PeriodCode.TryParse(periodCode, out var code))
            throw new EvaluationRequestException($"'{periodCode}' is not a period; write 2020 (year), 2020S1 or 2020S2 (half-years)");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var period = await db.GetOrCreateAsync(code, calendar, ct);
        var tree = await db.LoadAreaTreeAsync(ct);
        if (areaCode is null)
        {
            var provinces = tree.Areas.Where(a => a.Level == AreaLevel.Province && a.Overlaps(period.Start, period.End))
                .OrderBy(a => a.Code, StringComparer.Ordinal).ToList();
            if (provinces.Count == 0)
                throw new EvaluationRequestException($"no province exists in {period.Code}; import the areas first");
            return (period, provinces);
        }

        var area = tree.Find(areaCode.Trim()) ?? throw new EvaluationRequestException($"unknown area {areaCode}");
        var path = tree.PathOn(area.Id, period.End);
        if (path.Count == 0 || path[^1].Level != AreaLevel.Province)
            throw new EvaluationRequestException($"area {area.Code} is not in any province on {period.End:yyyy-MM-dd} (the end of {period.Code})");
        return (period, [path[^1]]);
    }
}
