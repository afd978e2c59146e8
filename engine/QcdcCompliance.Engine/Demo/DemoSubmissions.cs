using QcdcCompliance.Domain;

namespace QcdcCompliance.Demo;

/// <summary>
/// When the demo's reporting officers sent each period's figures. Imported all at once today, every value of 2019 and
/// 2020 would be years past its deadline and the reporting rate would read "0 on time"; so the demo imports each
/// period as a province would have received it: most units five days before the deadline, one unit in 25 a week after
/// it (late), each import stamped with its own time (values, audit rows), as the demo's history.
/// </summary>
public static class DemoSubmissions
{
    /// <summary>One unit in this many sends its figures after the deadline.</summary>
    public const int LateOneIn = 25;

    public sealed record Submission(string Period, bool Late, DateTimeOffset At, IReadOnlyList<ValueRow> Rows)
    {
        public string FileName => $"values-{Period}{(Late ? "-late" : "")}.csv";

        public byte[] Csv() => System.Text.Encoding.UTF8.GetBytes(DemoDataSet.Csv("unit_code,period,indicator,value,comment",
            Rows.Select(v => new[] { v.UnitCode, v.Period, v.Indicator, v.Value, v.Comment })));
    }

    /// <summary>The set's values by period, in period order: the units on time, then the late ones.</summary>
    public static IEnumerable<Submission> Of(DemoDataSet set, PeriodCalendar calendar)
    {
        foreach (var period in set.Values.Select(v => v.Period).Distinct().Select(calendar.Create).OrderBy(p => p.Deadline).ThenBy(p => p.Code, StringComparer.Ordinal))
        {
            var rows = set.Values.Where(v => v.Period == period.Code).ToList();
            var dueBy = new DateTimeOffset(period.Deadline.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(7));
            var late = rows.Where(v => IsLate(v.UnitCode)).ToList();
            yield return new Submission(period.Code, false, dueBy.AddDays(-5), rows.Where(v => !IsLate(v.UnitCode)).ToList());
            if (late.Count > 0)
                yield return new Submission(period.Code, true, dueBy.AddDays(7), late);
        }
    }

    /// <summary>A fixed choice of units, the same in every run: by a sum over the code's characters (string hashes vary per process).</summary>
    private static bool IsLate(string unitCode) => unitCode.Sum(c => (int)c) % LateOneIn == 0;

    /// <summary>A clock that reads one instant: the time an import is stamped with.</summary>
    public sealed class At(DateTimeOffset instant) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => instant.ToUniversalTime();
    }
}
