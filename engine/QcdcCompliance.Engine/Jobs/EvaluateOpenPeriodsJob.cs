using Hangfire;
using Microsoft.Extensions.Logging;
using QcdcCompliance.Domain;
using QcdcCompliance.Runs;

namespace QcdcCompliance.Jobs;

/// <summary>
/// The nightly evaluation: one <see cref="EvaluateScopeJob"/> per (open period, province), so that provinces run on
/// whichever host is free. Run twice, it queues the scopes twice, and the second evaluations find nothing new.
/// </summary>
public sealed class EvaluateOpenPeriodsJob(OpenPeriods open, EvaluationService evaluations, IBackgroundJobClient jobs, ILogger<EvaluateOpenPeriodsJob> log)
{
    public const string Id = "evaluate-open-periods";

    [JobDisplayName("Evaluate the open periods")]
    [RetryWhenTransient(Attempts = 3)]
    public async Task<string> RunAsync(CancellationToken ct)
    {
        var queued = new List<string>();
        foreach (var period in open.ToEvaluate(open.Today))
        {
            IReadOnlyList<Area> provinces;
            try
            {
                (_, provinces) = await evaluations.ResolveAsync(period.Code, null, ct);
            }
            catch (EvaluationRequestException e)
            {
                log.LogInformation("Open period {Period} is not evaluated: {Reason}", period.Code, e.Message);
                continue;
            }

            foreach (var province in provinces)
            {
                var (periodCode, provinceCode) = (period.Code, province.Code);
                jobs.Enqueue<EvaluateScopeJob>(job => job.RunAsync(periodCode, provinceCode, RunTrigger.Schedule, CancellationToken.None));
                queued.Add($"{periodCode} {provinceCode}");
            }
        }

        return queued.Count == 0 ? "no open period" : $"{queued.Count} scope(s) queued: {string.Join(", ", queued)}";
    }
}
