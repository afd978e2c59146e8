using Microsoft.EntityFrameworkCore;
using Npgsql;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Tests.Storage;

/// <summary>The retry pipelines on their own: what each tries again, how often, and what it lets through at once.</summary>
public sealed class ResilienceTests
{
    [Fact]
    public async Task A_write_that_lost_a_race_is_done_again_up_to_five_more_times_and_then_the_conflict_is_thrown()
    {
        var calls = 0;
        var result = await Resilience.WriteConflicts.ExecuteAsync(_ => ++calls < 3 ? throw Conflict() : ValueTask.FromResult(calls));
        result.Should().Be(3, "two conflicts, then the third attempt wins");

        calls = 0;
        var giveUp = () => Resilience.WriteConflicts.ExecuteAsync<int>(_ => { calls++; throw Conflict(); }).AsTask();
        (await giveUp.Should().ThrowAsync<DbUpdateException>()).WithInnerException<PostgresException>();
        calls.Should().Be(6);
    }

    [Fact]
    public async Task A_write_that_failed_for_any_other_reason_is_not_tried_again()
    {
        foreach (var error in new Exception[] { new TimeoutException(), new InvalidOperationException("a bug"), new PostgresException("t", "ERROR", "ERROR", PostgresErrorCodes.NotNullViolation) })
        {
            var calls = 0;
            var once = () => Resilience.WriteConflicts.ExecuteAsync<int>(_ => { calls++; throw error; }).AsTask();
            await once.Should().ThrowAsync<Exception>();
            calls.Should().Be(1, $"{error.GetType().Name} is no race: a second attempt meets the same");
        }
    }

    [Fact]
    public async Task An_outage_is_ridden_out_until_the_write_lands_or_its_patience_runs_out_and_a_bug_is_not()
    {
        var calls = 0;
        var result = await Resilience.ShortOutages(TimeSpan.FromMinutes(1)).ExecuteAsync(_ => ++calls < 6 ? throw new TimeoutException() : ValueTask.FromResult(calls));
        result.Should().Be(6, "tried again past the three tries it once had, while its patience lasts");

        calls = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var down = () => Resilience.ShortOutages(TimeSpan.FromSeconds(2)).ExecuteAsync<int>(_ => { calls++; throw new NpgsqlException("the server went away", new IOException("reset")); }).AsTask();
        await down.Should().ThrowAsync<NpgsqlException>();
        calls.Should().BeGreaterThan(2);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "it gives up once its patience has passed");

        calls = 0;
        var bug = () => Resilience.ShortOutages(TimeSpan.FromMinutes(1)).ExecuteAsync<int>(_ => { calls++; throw new InvalidOperationException("a bug"); }).AsTask();
        await bug.Should().ThrowAsync<InvalidOperationException>();
        calls.Should().Be(1);
    }

    private static DbUpdateException Conflict() => new("saving", new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation));
}
