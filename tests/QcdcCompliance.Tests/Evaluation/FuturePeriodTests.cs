using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Runs;
using QcdcCompliance.Tests.Alerts;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Evaluation;

/// <summary>
/// A period that has not begun in Viet Nam is never evaluated: every unit would be recorded as not reported and alerted
/// for a half-year nobody can have reported yet (almost always a mistyped year, 2099 for 2019). It is refused at every
/// door, before its period row is created; a period that has begun, ended or not, is evaluated as before.
/// </summary>
public sealed class FuturePeriodTests
{
    /// <summary>Rows of everything an evaluation writes: equal before and after a refused one.</summary>
    private static async Task<string> StoredAsync(Engine engine)
    {
        await using var db = engine.Db();
        return string.Join(", ",
            $"periods={await db.Periods.CountAsync()}", $"runs={await db.EvaluationRuns.CountAsync()}", $"findings={await db.Findings.CountAsync()}",
            $"area results={await db.AreaResults.CountAsync()}", $"scopes={await db.ScopeStates.CountAsync()}", $"outbox={await db.OutboxMessages.CountAsync()}");
    }

    private static async Task<bool> PeriodStoredAsync(Engine engine, string code)
    {
        await using var db = engine.Db();
        return await db.Periods.AnyAsync(p => p.Code == code);
    }

    [Fact]
    public async Task A_half_year_is_refused_until_its_first_day_begins_in_Viet_Nam_and_evaluated_from_then()
    {
        // 23:59:59 on 30/06/2020 in Viet Nam: 2020S2 begins in one second.
        var clock = new FakeTimeProvider(new DateTimeOffset(2020, 6, 30, 23, 59, 59, TimeSpan.FromHours(7)));
        await using var engine = await AlertScenario.EngineAsync(AlertScenario.Options(), clock);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var before = await StoredAsync(engine);

        var manual = () => engine.Evaluations.EvaluateAsync("2020S2", null, RunTrigger.Manual);
        var job = () => engine.Evaluations.EvaluateScopeAsync("2020s2", "P", RunTrigger.Schedule);

        const string refusal = "period 2020S2 has not begun: it starts on 01/07/2020 and today is 30/06/2020 (Asia/Ho_Chi_Minh); "
                               + "no unit can have reported for it, so it is not evaluated and nothing is stored; check the period code (a mistyped year?)";
        await manual.Should().ThrowExactlyAsync<EvaluationRequestException>().WithMessage(refusal);
        await job.Should().ThrowExactlyAsync<EvaluationRequestException>().WithMessage(refusal, "a queued job's door is the same");
        (await StoredAsync(engine)).Should().Be(before, "no period row, run, finding, area result or alert of 2020S2");
        (await PeriodStoredAsync(engine, "2020S2")).Should().BeFalse();

        // Midnight in Viet Nam, still 30/06 17:00 in UTC: the period has begun where it is reported.
        clock.Advance(TimeSpan.FromSeconds(1));
        var run = (await engine.Evaluations.EvaluateAsync("2020S2", null, RunTrigger.Manual)).Single().Run;

        run.Status.Should().Be(RunStatus.Completed);
        run.StartedAt.Should().Be(new DateTime(2020, 6, 30, 17, 0, 0, DateTimeKind.Utc));
        (await PeriodStoredAsync(engine, "2020S2")).Should().BeTrue();
    }

    [Fact]
    public async Task The_cli_refuses_to_evaluate_a_period_not_begun_with_the_reason_and_stores_nothing()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.SomeValues2020S1);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var before = await StoredAsync(engine);

        var evaluate = await HostProcess.RunToExitAsync(engine.Storage, "evaluate", "--period", "2099S1");

        evaluate.ExitCode.Should().Be(2, "a request the engine refuses, as an unknown area is; stdout: {0}", evaluate.Output);
        evaluate.Error.Split('\n')[0].Should().StartWith("lỗi: ", "Vietnamese first, as every refusal of the command line with its Vietnamese");
        evaluate.Error.Split('\n')[1].Should().StartWith("error: period 2099S1 has not begun: it starts on 01/01/2099 and today is ")
            .And.MatchRegex(@"today is \d\d/\d\d/20\d\d \(Asia/Ho_Chi_Minh\)")
            .And.EndWith("no unit can have reported for it, so it is not evaluated and nothing is stored; check the period code (a mistyped year?)");
        evaluate.Output.Should().NotContain("Run #");
        (await StoredAsync(engine)).Should().Be(before, "no period row, run, finding, area result or alert of 2099S1");
        (await PeriodStoredAsync(engine, "2099S1")).Should().BeFalse();
    }

    [Fact]
    public async Task The_cli_still_evaluates_the_current_half_year_which_has_begun_but_not_ended()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        // The program reads the system's clock: the half-year of today in Viet Nam has begun (and is still running).
        var today = VietnamTime.Today(TimeProvider.System);
        var current = $"{today.Year}S{(today.Month <= 6 ? 1 : 2)}";

        var summary = await HostProcess.RunAsync(engine.Storage, "evaluate", "--period", current);

        summary.Should().Contain($"Run #1: {current}, P Tỉnh Thử");
        await using var db = engine.Db();
        var period = await db.Periods.SingleAsync(p => p.Code == current);
        (await db.EvaluationRuns.SingleAsync()).Should().Match<EvaluationRun>(r => r.PeriodId == period.Id && r.Status == RunStatus.Completed);
    }

    [Fact]
    public async Task The_api_refuses_a_period_not_begun_with_the_same_reason_as_a_400_and_queues_nothing()
    {
        // 05/12/2026 in Viet Nam: 2026S1 has ended, 2026S2 is running, 2099S1 has not begun.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.FromHours(7)));
        var scheduler = new RecordingScheduler();
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()), configure: b =>
        {
            b.Services.AddSingleton<TimeProvider>(clock);
            b.Services.AddSingleton<IEvaluationScheduler>(scheduler);
        });
        var committee = await bed.AsAsync(Role.Committee, "P");
        var before = await StoredAsync(bed.Engine);

        async Task<(HttpStatusCode Status, string? MediaType, string? Detail)> PostAsync(string period)
        {
            var response = await committee.PostAsync("/api/evaluations", JsonContent.Create(new { period }));
            var body = await response.Content.ReadAsStringAsync();
            var detail = response.StatusCode == HttpStatusCode.BadRequest ? JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString() : null;
            return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, detail);
        }

        var future = await PostAsync("2099S1");
        var running = await PostAsync("2026S2");
        var ended = await PostAsync("2026S1");

        future.Should().Be((HttpStatusCode.BadRequest, "application/problem+json",
            "period 2099S1 has not begun: it starts on 01/01/2099 and today is 05/12/2026 (Asia/Ho_Chi_Minh); "
            + "no unit can have reported for it, so it is not evaluated and nothing is stored; check the period code (a mistyped year?)"));
        // The API asks only for periods that have ended (a run is a link of the audit chain for good): unchanged.
        running.Status.Should().Be(HttpStatusCode.BadRequest);
        running.Detail.Should().StartWith("2026S2 has not ended");
        ended.Status.Should().Be(HttpStatusCode.Accepted);
        scheduler.Requests.Select(r => r.Period).Should().Equal(["2026S1"]);
        (await StoredAsync(bed.Engine)).Should().Be(before);
        (await PeriodStoredAsync(bed.Engine, "2099S1")).Should().BeFalse();
    }
}
