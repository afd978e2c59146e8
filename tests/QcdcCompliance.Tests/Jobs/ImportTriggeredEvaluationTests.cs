using Microsoft.Extensions.Time.Testing;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Runs;
using QcdcCompliance.Tests.Api;

namespace QcdcCompliance.Tests.Jobs;

/// <summary>An import re-evaluates what it touched only in periods that are over: a period still running is stored, not judged.</summary>
public sealed class ImportTriggeredEvaluationTests
{
    [Fact]
    public async Task An_import_queues_the_evaluation_of_an_ended_period_and_not_of_one_still_running()
    {
        // 10 December 2020 in Viet Nam: 2020S1 is over, 2020S2 and the year 2020 are not.
        var clock = new FakeTimeProvider(new DateTimeOffset(2020, 12, 10, 3, 0, 0, TimeSpan.Zero));
        var scheduler = new RecordingScheduler();
        var observer = new EvaluateTouchedScopes(scheduler, PeriodCalendar.Default, clock);
        var summary = new ImportSummary(ImportKind.Values, "values.csv", 3, 3, 0, 0)
        {
            TouchedUnits = [("2020S1", "P", 1), ("2020S2", "P", 2), ("2020", "P", 3)],
        };

        await observer.ImportedAsync(summary, new ImportContext("test", clock), CancellationToken.None);

        scheduler.Requests.Select(r => r.Period).Should().Equal("2020S1");
    }
}
