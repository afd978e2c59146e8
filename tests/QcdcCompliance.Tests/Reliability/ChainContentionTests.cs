using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Reliability;

/// <summary>
/// Runs of different provinces stored at the same time on PostgreSQL append to one audit chain. A run that is slow to
/// store must not lose its place to faster ones and redo its work: at 1,000,000 units the largest province lost it six
/// times in a row and its evaluation failed (found by the benchmark).
/// </summary>
public sealed class ChainContentionTests
{
    private const string ProvinceQ = "code,name,level,parent_code,valid_from,valid_to\nQ,Tỉnh Khác,Province,,,\nQC1,Xã Khác,Commune,Q,,\n";

    [Fact]
    public async Task A_run_held_while_it_stores_keeps_its_place_in_the_chain_and_the_other_province_waits_for_it()
    {
        var point = new RunTransactionPoint();
        var attempts = new AttemptCounter();
        await using var engine = await Engine.PostgresAsync("chain_contention", configure: services =>
        {
            RunTransactionPoint.Register(point)(services);
            services.AddSingleton<IRunContributor>(attempts);
        }).WithProvinceAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas-q.csv", ProvinceQ);
        await engine.ImportAsync(ImportKind.Units, "units-q.csv", Province.UnitsHeader + "QCQ,Cơ quan Q,StateAgency,QC1,true,10,,,\n");
        await engine.LoadTargetSetsAsync();

        // P reaches its chain link and is held there, inside its transaction; then Q is evaluated.
        point.Arm();
        var p = engine.Evaluations.EvaluateScopeAsync("2020S1", "P", RunTrigger.Manual);
        await point.Reached.WaitAsync(TimeSpan.FromMinutes(1));
        var q = engine.Evaluations.EvaluateScopeAsync("2020S1", "Q", RunTrigger.Manual);
        var finishedFirst = await Task.WhenAny(q, Task.Delay(TimeSpan.FromSeconds(5)));
        point.Release();
        var (pRun, qRun) = ((await p).Run, (await q).Run);

        finishedFirst.Should().NotBeSameAs(q, "Q's run waits for the chain's head that P holds until P commits");
        attempts.For("P").Should().Be(1, "P was stored on its first attempt, not rolled back and done again");
        attempts.For("Q").Should().Be(1);
        pRun.ChainSequence.Should().BeLessThan(qRun.ChainSequence!.Value);
        await using var db = engine.Db();
        (await db.EvaluationRuns.CountAsync(r => r.Status == RunStatus.Completed)).Should().Be(2);
        (await engine.Services.GetRequiredService<QcdcCompliance.Audit.AuditVerifier>().VerifyAsync()).Ok.Should().BeTrue();
    }

    /// <summary>Counts the times a run of each province reached its chain link (once per attempt to store it).</summary>
    private sealed class AttemptCounter : IRunContributor
    {
        private readonly ConcurrentDictionary<string, int> _attempts = new();

        public int For(string scope) => _attempts.GetValueOrDefault(scope);

        public Task ContributeAsync(QcdcDbContext db, RecordedRun run, object? prepared, CancellationToken ct)
        {
            _attempts.AddOrUpdate(run.Scope.Code, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }
    }
}
