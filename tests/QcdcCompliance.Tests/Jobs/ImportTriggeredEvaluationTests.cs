using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Runs;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;
using QcdcCompliance.Tests.Security;

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

    [Fact]
    public async Task A_year_that_reads_a_changed_half_year_value_is_queued_with_the_units_that_changed_it()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 3, 1, 3, 0, 0, TimeSpan.Zero));
        var scheduler = new RecordingScheduler();
        var observer = new EvaluateTouchedScopes(scheduler, PeriodCalendar.Default, clock);
        var summary = new ImportSummary(ImportKind.Values, "values.csv", 3, 0, 3, 0)
        {
            TouchedScopes = [("2020", "P"), ("2020S1", "P"), ("2020S2", "P")],
            TouchedUnits = [("2020S1", "P", 1), ("2020S2", "P", 2), ("2020S2", "P", 1)],
        };

        await observer.ImportedAsync(summary, new ImportContext("test", clock), CancellationToken.None);

        scheduler.Requests.Select(r => r.Period).Should().BeEquivalentTo(["2020S1", "2020S2", "2020"]);
        scheduler.Units[("2020", "P")].Should().BeEquivalentTo([1, 2], "a warm session of the year takes the units whose halves changed");
    }

    /// <summary>
    /// The province with every unit's 2020S2 regulation but XA2's issued, evaluated for 2020S2 and 2020: the year reads the
    /// state as its S2 value, so the year's NQ02-1 is short of XA2.
    /// </summary>
    internal static async Task<Engine> YearShortOfXa2Async()
    {
        var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + string.Concat(new[] { "XA1", "XA2", "XA3", "CQ1", "DN1", "DN2" }
            .Select(u => $"{u},2020S2,REGULATION_ISSUED,{(u == "XA2" ? "không" : "có")},\n")));
        await engine.Evaluations.EvaluateAsync("2020S2", null, RunTrigger.Manual);
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);
        return engine;
    }

    internal static async Task<(int Met, int Population)> YearsRegulationAsync(Engine engine)
    {
        var (_, _, totals, _) = await engine.Services.GetRequiredService<ComplianceQueries>().ForAreaAsync("2020", "P");
        var row = totals.Single(t => t.TargetCode == "NQ02-1");
        return (row.MetUnits, row.PopulationUnits);
    }

    [Fact]
    public async Task A_half_year_value_saved_on_the_entry_form_re_evaluates_the_year_that_reads_it()
    {
        await using var bed = await ApiTestbed.StartAsync(await YearShortOfXa2Async());
        var (met, population) = await YearsRegulationAsync(bed.Engine);
        met.Should().Be(population - 1, "XA2 had not issued its regulation by the end of 2020");
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "D1"), returnUrl: "");

        var saved = await browser.SubmitAsync("/workspace/units/XA2?period=2020S2", "/workspace/units/XA2",
            new Dictionary<string, string> { ["period"] = "2020S2", ["REGULATION_ISSUED"] = "có" });
        saved.StatusCode.Should().Be(HttpStatusCode.Redirect);

        // No one evaluates 2020 by hand: the job the form queued does, and the year's finding on XA2's area is resolved.
        await Eventually.WaitAsync(() => YearsRegulationAsync(bed.Engine), r => r.Met == population, "the year 2020 re-evaluated after XA2's 2020S2 value");
        var findings = await bed.Engine.Findings.ListAsync(new FindingFilter("2020") { Target = "NQ02-1" });
        findings.Should().Contain(f => f.SubjectType == SubjectType.Area && f.SubjectCode == "P" && f.State == FindingState.Resolved);

        // Taken back: the year, kept warm by the host since its run, updates XA2 alone and is short again.
        var undone = await browser.SubmitAsync("/workspace/units/XA2?period=2020S2", "/workspace/units/XA2",
            new Dictionary<string, string> { ["period"] = "2020S2", ["REGULATION_ISSUED"] = "không" });
        undone.StatusCode.Should().Be(HttpStatusCode.Redirect);
        await Eventually.WaitAsync(() => YearsRegulationAsync(bed.Engine), r => r.Met == population - 1, "the year 2020 re-evaluated after XA2's value was taken back");
        await using var db = bed.Engine.Db();
        var year = await db.Periods.SingleAsync(p => p.Code == "2020");
        var latest = await db.EvaluationRuns.Where(r => r.PeriodId == year.Id).OrderByDescending(r => r.Id).FirstAsync();
        latest.InputFingerprint.Should().BeNull("an incremental run of the warm year, not the whole scope again");
    }

    [Fact]
    public async Task A_first_half_count_changes_the_year_a_first_half_yes_no_does_not()
    {
        // The year reads a half-year count as the sum of its halves and a yes/no as its S2 value (README, Periods).
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();

        var count = await engine.ImportAsync(ImportKind.Values, "count.csv", Province.ValuesHeader + "XA1,2020S1,DIALOGUE_CONFERENCES,1,\n");
        var state = await engine.ImportAsync(ImportKind.Values, "state.csv", Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,có,\n");
        var second = await engine.ImportAsync(ImportKind.Values, "second.csv", Province.ValuesHeader + "XA1,2020S2,REGULATION_ISSUED,có,\n");

        count.TouchedScopes.Should().Equal(("2020", "P"), ("2020S1", "P"));
        state.TouchedScopes.Should().Equal(("2020S1", "P"));
        second.TouchedScopes.Should().Equal(("2020", "P"), ("2020S2", "P"));
    }
}
