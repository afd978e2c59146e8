using Hangfire;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Alerts;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Runs;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Jobs;

/// <summary>
/// Reminds the contact of every unit that has not reported all that applies to it, for each period whose deadline is
/// within <see cref="JobOptions.RemindDaysBefore"/> days or passed while the period is open. The key holds the day, so
/// a unit gets at most one reminder a day for a period, however often the job runs.
/// </summary>
public sealed class RemindReportingJob(
    OpenPeriods open,
    EvaluationService evaluations,
    FactLoader loader,
    IDbContextFactory<QcdcDbContext> contexts,
    OutboxWriter outbox,
    AlertOptions options)
{
    public const string Id = "remind-reporting";

    [JobDisplayName("Remind units to report")]
    [RetryWhenTransient(Attempts = 3)]
    public async Task<string> RunAsync(CancellationToken ct)
    {
        var today = open.Today;
        var (queued, late) = (0, 0);
        foreach (var candidate in open.ToRemind(today))
        {
            IReadOnlyList<Domain.Area> provinces;
            Domain.Period period;
            try
            {
                (period, provinces) = await evaluations.ResolveAsync(candidate.Code, null, ct);
            }
            catch (EvaluationRequestException)
            {
                // No province exists in it, or it has not begun (a window set wider than the period): nobody to remind.
                continue;
            }

            foreach (var province in provinces)
            {
                List<ComposedMessage> messages;
                await using (var db = await contexts.CreateDbContextAsync(ct))
                {
                    var facts = await loader.LoadAsync(db, period, province, await db.LoadAreaTreeAsync(ct), ct);
                    messages = facts.Reports
                        .Where(r => r.Missing.Count > 0 && !string.IsNullOrWhiteSpace(r.Unit.ContactEmail))
                        .Select(r => ReportingReminders.Compose(period, r.Unit, r.Missing, today, options))
                        .ToList();
                }

                late += messages.Count;
                queued += await outbox.AddNewAsync(messages, ct);
            }
        }

        return $"{late} unit(s) short of their reports, {queued} reminder(s) queued";
    }
}
