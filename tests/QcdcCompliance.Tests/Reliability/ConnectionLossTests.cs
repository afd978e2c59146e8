using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Audit;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Reliability;

/// <summary>
/// The database connection dropped while a run is being stored, on a real PostgreSQL server: the run is held inside
/// <see cref="QcdcCompliance.Findings.RunRecorder"/>'s transaction (its findings, area results and chain link written, not yet
/// committed), its backend is terminated from another connection, then it is let go.
/// </summary>
public sealed class ConnectionLossTests
{
    private const string Values = Province.SomeValues2020S1 + "DN2,2020S1,REGULATION_ISSUED,true,\n";

    /// <summary>What changed before the run that is cut off: some findings resolve, some appear, some persist.</summary>
    private const string Corrections = Province.ValuesHeader +
        """
        XA2,2020S1,REGULATION_ISSUED,true,
        XA3,2020S1,REGULATION_ISSUED,true,
        DN1,2020S1,REGULATION_ISSUED,false,
        XA3,2020S1,DIALOGUE_CONFERENCES,2,

        """;

    private static async Task<Engine> LoadedAsync(Task<Engine> create)
    {
        var engine = await create.WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Values);
        return engine;
    }

    [Fact]
    public async Task A_connection_dropped_while_a_run_is_stored_leaves_no_trace_and_the_retry_ends_as_an_undisturbed_run()
    {
        var server = await PostgresServer.InstanceAsync();
        var held = new RunTransactionPoint();
        await using var control = await LoadedAsync(Engine.PostgresAsync("drop_control"));
        await using var faulty = await LoadedAsync(Engine.PostgresAsync("drop_faulty", configure: RunTransactionPoint.Register(held)));
        foreach (var engine in new[] { control, faulty })
        {
            await engine.Evaluations.EvaluateScopeAsync(RunFaults.Period, RunFaults.Scope, RunTrigger.Manual);
            await engine.ImportAsync(ImportKind.Values, "corrections.csv", Corrections);
        }

        var undisturbed = await control.Evaluations.EvaluateScopeAsync(RunFaults.Period, RunFaults.Scope, RunTrigger.Manual);
        var before = await RunFaults.StoredAsync(faulty);

        held.Arm();
        var run = faulty.Evaluations.EvaluateScopeAsync(RunFaults.Period, RunFaults.Scope, RunTrigger.Manual);
        var pid = await held.Reached.WaitAsync(TimeSpan.FromMinutes(1)) ?? throw new InvalidOperationException("not a PostgreSQL connection");
        var whileOpen = await RunFaults.StoredAsync(faulty);
        (await server.TerminateBackendAsync(pid)).Should().BeTrue("the run's backend was alive, in its transaction");
        held.Release();
        var failure = await FluentActions.Awaiting(() => run).Should().ThrowAsync<Exception>();
        var after = await RunFaults.StoredAsync(faulty);

        // The job's retry: the same evaluation again, on a fresh connection.
        var retried = await faulty.Evaluations.EvaluateScopeAsync(RunFaults.Period, RunFaults.Scope, RunTrigger.Manual);

        whileOpen.Should().Be(before, "nothing of a run is visible before it commits");
        after.Should().Be(before, $"the dropped run left no run, finding, area result nor chain link behind (it failed with {failure.Which.GetType().Name}: {failure.Which.Message})");
        await using (var db = faulty.Db())
            (await db.EvaluationRuns.CountAsync(r => r.Status == RunStatus.Failed)).Should().Be(1, "the failure itself is recorded for the operator, with no finding");
        (retried.Run.NewCount, retried.Run.PersistingCount, retried.Run.ResolvedCount, retried.Run.FindingsOpen)
            .Should().Be((undisturbed.Run.NewCount, undisturbed.Run.PersistingCount, undisturbed.Run.ResolvedCount, undisturbed.Run.FindingsOpen));
        (await RunFaults.StoredAsync(faulty)).Should().Be(await RunFaults.StoredAsync(control), "the retry ends exactly where an undisturbed run does");
        (await faulty.Services.GetRequiredService<AuditVerifier>().VerifyAsync()).Ok.Should().BeTrue("the chain has no gap where the dropped run was");
    }
}
