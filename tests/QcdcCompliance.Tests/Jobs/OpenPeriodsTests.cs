using Microsoft.Extensions.Time.Testing;
using QcdcCompliance.Domain;
using QcdcCompliance.Jobs;

namespace QcdcCompliance.Tests.Jobs;

/// <summary>Which periods the recurring jobs work on (deadlines: half-year 20 days after its end, year 3 months).</summary>
public sealed class OpenPeriodsTests
{
    private static OpenPeriods Open(JobOptions? options = null) => new(PeriodCalendar.Default, options ?? new JobOptions(), TimeProvider.System);

    private static DateOnly Day(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2020-03-20", "2019,2019S2")]           // 2019S2: deadline 20/1/2020 + 60 days; 2019: deadline 31/3/2020
    [InlineData("2020-05-30", "2019")]                  // 31/3/2020 + 60 days
    [InlineData("2020-06-30", "")]                      // 2020S1 ends today: it is not over yet
    [InlineData("2020-07-01", "2020S1")]                // the day after its end
    [InlineData("2020-09-18", "2020S1")]                // deadline 20/7 + 60 days
    [InlineData("2020-09-19", "")]
    [InlineData("2021-01-01", "2020,2020S2")]
    [InlineData("2021-05-30", "2020")]                  // deadline 31/3/2021 + 60 days
    public void A_period_is_evaluated_from_its_end_until_the_open_days_after_its_deadline(string today, string expected)
    {
        var codes = Open().ToEvaluate(Day(today)).Select(p => p.Code).Order(StringComparer.Ordinal);

        string.Join(",", codes).Should().Be(expected);
    }

    [Theory]
    [InlineData("2020-07-12", "")]
    [InlineData("2020-07-13", "2020S1")]                // 7 days before the deadline
    [InlineData("2020-08-01", "2020S1")]                // overdue, still open
    [InlineData("2020-09-19", "")]
    public void Units_are_reminded_from_the_days_before_the_deadline_until_the_period_closes(string today, string expected)
    {
        var codes = Open().ToRemind(Day(today)).Where(p => p.Type == PeriodType.HalfYear).Select(p => p.Code);

        string.Join(",", codes).Should().Be(expected);
    }

    [Fact]
    public void Today_is_the_date_in_Asia_Ho_Chi_Minh()
    {
        // 23:30 UTC on 30 June is 06:30 on 1 July in Hà Nội: 2020S1 has ended there.
        var clock = new FakeTimeProvider(new DateTimeOffset(2020, 6, 30, 23, 30, 0, TimeSpan.Zero));

        var open = new OpenPeriods(PeriodCalendar.Default, new JobOptions(), clock);

        open.Today.Should().Be(new DateOnly(2020, 7, 1));
        open.ToEvaluate(open.Today).Select(p => p.Code).Should().Contain("2020S1");
    }
}
