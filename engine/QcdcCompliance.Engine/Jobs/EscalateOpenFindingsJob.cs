using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using QcdcCompliance.Alerts;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Jobs;

/// <summary>
/// Tells a committee of the findings below it that have stayed open longer than <see cref="JobOptions.EscalateAfterDays"/>
/// (counted from the run that first recorded them), in the open periods. A finding goes to the nearest committee above
/// its subject: a unit's own area or one of its ancestors; for an area's finding, its parent or above. One message per
/// committee address and week.
/// </summary>
public sealed class EscalateOpenFindingsJob(
    OpenPeriods open,
    IDbContextFactory<QcdcDbContext> contexts,
    OutboxWriter outbox,
    AlertOptions alerts,
    JobOptions options,
    TimeProvider clock,
    ILogger<EscalateOpenFindingsJob> log)
{
    public const string Id = "escalate-open-findings";

    [JobDisplayName("Escalate findings left open")]
    [RetryWhenTransient(Attempts = 3)]
    public async Task<string> RunAsync(CancellationToken ct)
    {
        var today = open.Today;
        var now = clock.GetUtcNow().UtcDateTime;
        var cutoff = now.AddDays(-options.EscalateAfterDays);
        var codes = open.ToEvaluate(today).Select(p => p.Code).ToList();

        await using var db = await contexts.CreateDbContextAsync(ct);
        var periods = await db.Periods.AsNoTracking().Where(p => codes.Contains(p.Code)).ToListAsync(ct);
        var byRecipient = new Dictionary<string, (string Address, List<OverdueFinding> Findings)>(StringComparer.Ordinal);
        var unowned = 0;
        foreach (var period in periods)
        {
            var overdue = await (from f in db.Findings.AsNoTracking()
                                 join r in db.EvaluationRuns.AsNoTracking() on f.FirstRunId equals r.Id
                                 where f.PeriodId == period.Id && f.SupersededByRunId == null && f.State != FindingState.Resolved && r.StartedAt <= cutoff
                                 select new { Finding = f, r.StartedAt })
                .ToListAsync(ct);
            var waived = await Escalations.WaivedAsync(db, period.Id, ct);
            overdue.RemoveAll(o => waived.Contains(Escalations.Episode(o.Finding)));
            if (overdue.Count == 0)
                continue;

            var places = await RunPlaces.LoadAsync(db, period.End, overdue.Select(o => (o.Finding.SubjectType, o.Finding.SubjectId)), ct, since: period.Start);
            foreach (var o in overdue)
            {
                var f = o.Finding;
                var committee = places.Above(f.SubjectType, f.SubjectId).FirstOrDefault(a => alerts.CommitteeOf(a.Code).Count > 0);
                if (committee is null)
                {
                    // A province's own finding has no area above it: not a setting to fix, so not counted as one.
                    unowned += places.Above(f.SubjectType, f.SubjectId).Any() ? 1 : 0;
                    continue;
                }

                var item = new OverdueFinding(AlertFinding.From(f, places.NameOf(f.SubjectType, f.SubjectId, f.SubjectCode)), period.Code, committee,
                    o.StartedAt, (int)(now - o.StartedAt).TotalDays);
                foreach (var address in alerts.CommitteeOf(committee.Code))
                {
                    var key = OutboxKeys.Normalise(address);
                    if (!byRecipient.TryGetValue(key, out var entry))
                        byRecipient[key] = entry = (address, []);
                    entry.Findings.Add(item);
                }
            }
        }

        if (unowned > 0)
            log.LogWarning("{Count} finding(s) open for more than {Days} days have no committee above them: set Alerts:Committees for their province", unowned, options.EscalateAfterDays);

        var texts = await AlertComposer.TargetTextsAsync(db, ct);
        var messages = byRecipient.Values
            .Select(e => Escalations.Compose(e.Address, e.Findings, options.EscalateAfterDays, today, texts, alerts))
            .ToList();
        var queued = await outbox.AddNewAsync(messages, ct);
        return $"{byRecipient.Values.Sum(e => e.Findings.Count)} overdue finding(s) for {byRecipient.Count} committee address(es), {queued} message(s) queued";
    }
}
