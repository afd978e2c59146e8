using QcdcCompliance.Alerts;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Jobs;

/// <summary>
/// Which periods the recurring jobs work on, from today's date in Asia/Ho_Chi_Minh. Evaluated: periods that have
/// ended, until <see cref="JobOptions.OpenPeriodDays"/> after their deadline (a period still running has no complete
/// data yet). Reminded: from <see cref="JobOptions.RemindDaysBefore"/> before the deadline until the same end.
/// </summary>
public sealed class OpenPeriods(PeriodCalendar calendar, JobOptions options, TimeProvider clock)
{
    public DateOnly Today => Vietnamese.LocalDate(clock.GetUtcNow().UtcDateTime);

    public IReadOnlyList<Period> ToEvaluate(DateOnly today) =>
        Candidates(today).Where(p => p.End < today && today <= p.Deadline.AddDays(options.OpenPeriodDays)).ToList();

    public IReadOnlyList<Period> ToRemind(DateOnly today) =>
        Candidates(today).Where(p => p.Deadline.AddDays(-options.RemindDaysBefore) <= today && today <= p.Deadline.AddDays(options.OpenPeriodDays)).ToList();

    /// <summary>Years and half-years far enough back to cover the longest deadline plus the open window.</summary>
    private IEnumerable<Period> Candidates(DateOnly today)
    {
        var first = today.AddDays(-options.OpenPeriodDays).AddYears(-2).Year;
        for (var year = first; year <= today.Year + 1; year++)
        {
            yield return calendar.Create(new PeriodCode(PeriodType.HalfYear, year, 1));
            yield return calendar.Create(new PeriodCode(PeriodType.HalfYear, year, 2));
            yield return calendar.Create(new PeriodCode(PeriodType.Year, year, 0));
        }
    }
}
