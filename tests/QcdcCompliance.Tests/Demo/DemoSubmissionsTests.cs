using QcdcCompliance.Demo;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Tests.Demo;

/// <summary>The demo's history of submissions: every value sent once, most before the period's deadline, a few after it.</summary>
public sealed class DemoSubmissionsTests
{
    [Fact]
    public void Every_value_is_sent_once_most_units_before_the_deadline_and_one_in_25_after_it()
    {
        var set = HaTinhDemo.Generate();
        var submissions = DemoSubmissions.Of(set, PeriodCalendar.Default).ToList();

        static string Key(ValueRow v) => $"{v.UnitCode}|{v.Period}|{v.Indicator}";
        submissions.SelectMany(s => s.Rows).OrderBy(Key, StringComparer.Ordinal).Should()
            .Equal(set.Values.OrderBy(Key, StringComparer.Ordinal), "each value goes in exactly one submission");
        foreach (var s in submissions)
        {
            var deadline = VietnamTime.EndOfDayUtc(PeriodCalendar.Default.Create(s.Period).Deadline);
            (s.At.UtcDateTime > deadline).Should().Be(s.Late, $"{s.FileName} is stamped {s.At:O} against the deadline {deadline:O}");
        }

        var units = set.Values.Select(v => v.UnitCode).Distinct().ToList();
        var late = submissions.Where(s => s.Late).SelectMany(s => s.Rows).Select(v => v.UnitCode).Distinct().Count();
        ((double)late / units.Count).Should().BeInRange(0.02, 0.06, "about one unit in 25 reports late");
    }
}
