using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Rules;
using QcdcCompliance.Runs;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Evaluation;

/// <summary>How many provinces evaluate at once is bounded by the memory their units need, not only by the cores.</summary>
public sealed class MemoryBudgetTests
{
    [Fact]
    public async Task Evaluations_that_do_not_fit_wait_in_the_order_asked_and_one_above_the_budget_runs_alone()
    {
        var budget = new EvaluationMemoryBudget(capacityBytes: 100, bytesPerUnit: 1);
        var a = await budget.AcquireAsync(60, CancellationToken.None);
        var b = budget.AcquireAsync(50, CancellationToken.None);
        var c = budget.AcquireAsync(10, CancellationToken.None);
        b.IsCompleted.Should().BeFalse("60 + 50 bytes are above the budget of 100");
        c.IsCompleted.Should().BeFalse("10 bytes would fit, but the larger one asked first: it is not starved");
        budget.Waiting.Should().Be(2);

        a.Dispose();
        using (await b)
        using (await c)
        {
            budget.InUse.Should().Be(60);
            var huge = budget.AcquireAsync(5_000, CancellationToken.None);
            huge.IsCompleted.Should().BeFalse();
            budget.Estimate(5_000).Should().Be(100, "an estimate above the whole budget is cut to it");
            (await b).Dispose();
            huge.IsCompleted.Should().BeFalse("the other one still runs");
            (await c).Dispose();
            using var alone = await huge.WaitAsync(TimeSpan.FromSeconds(5));
            budget.InUse.Should().Be(100);
        }

        budget.InUse.Should().Be(0);
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_the_queue_and_lets_the_next_one_in()
    {
        var budget = new EvaluationMemoryBudget(capacityBytes: 100, bytesPerUnit: 1);
        using var running = await budget.AcquireAsync(50, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var big = budget.AcquireAsync(80, cancel.Token);
        var small = budget.AcquireAsync(40, CancellationToken.None);
        small.IsCompleted.Should().BeFalse("it waits behind the large one");

        await cancel.CancelAsync();
        await big.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        using var next = await small.WaitAsync(TimeSpan.FromSeconds(5));
        budget.InUse.Should().Be(90);
        budget.Waiting.Should().Be(0);
    }

    [Fact]
    public async Task A_province_waits_while_a_larger_one_takes_the_budget()
    {
        // Province P has 7 units in 2020, Q one; at a byte a unit, a budget of 2 bytes holds P (cut to the budget) alone.
        var budget = new EvaluationMemoryBudget(capacityBytes: 2, bytesPerUnit: 1);
        var held = new RunTransactionPoint();
        await using var engine = await Engine.SqliteAsync(configure: services =>
        {
            services.AddSingleton(budget);
            RunTransactionPoint.Register(held)(services);
        }).WithProvinceAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas-q.csv", "code,name,level,parent_code,valid_from,valid_to\nQ,Tỉnh Khác,Province,,,\nQC1,Xã Khác,Commune,Q,,\n");
        await engine.ImportAsync(ImportKind.Units, "units-q.csv", Province.UnitsHeader + "QCQ,Sở Khác,StateAgency,QC1,true,10,,,\n");
        foreach (var (name, content) in QcdcRules.TargetSets().Where(t => t.Name is "law-10-2022.json" or "reporting.json"))
            await engine.ImportTargetsAsync(name, content, scope: null);

        held.Arm();
        var evaluation = engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        await held.Reached.WaitAsync(TimeSpan.FromMinutes(1));
        // The largest province goes first and holds the budget; the other waits for it though a core is free.
        budget.InUse.Should().Be(2);
        // The second worker may start late on a busy machine: give it time to ask, and check it still waits.
        await Eventually.WaitAsync(() => Task.FromResult(budget.Waiting), n => n == 1, "Q waiting for the budget", TimeSpan.FromSeconds(30));
        await Task.Delay(200);
        budget.Waiting.Should().Be(1);
        budget.InUse.Should().Be(2);
        held.Release();

        var runs = await evaluation.WaitAsync(TimeSpan.FromMinutes(1));
        runs.Select(r => (r.Scope.Code, r.Run.Status)).Should().BeEquivalentTo([("P", RunStatus.Completed), ("Q", RunStatus.Completed)]);
        budget.InUse.Should().Be(0);
    }

    /// <summary>
    /// The larger province's lock held elsewhere (a job, another process) while the command line evaluates both, on a
    /// budget that holds the larger one alone: it gives its share back while it waits for its lock, so that the smaller
    /// one is evaluated meanwhile; it is evaluated once its lock is let go. Before, it held the whole budget while it
    /// waited, and the smaller one waited for the lock of a province it does not share.
    /// </summary>
    [Fact]
    public async Task A_province_waiting_for_its_lock_lets_another_take_the_memory_meanwhile()
    {
        var budget = new EvaluationMemoryBudget(capacityBytes: 2, bytesPerUnit: 1);
        await using var engine = await Engine.SqliteAsync(configure: services => services.AddSingleton(budget)).WithProvinceAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas-q.csv", "code,name,level,parent_code,valid_from,valid_to\nQ,Tỉnh Khác,Province,,,\nQC1,Xã Khác,Commune,Q,,\n");
        await engine.ImportAsync(ImportKind.Units, "units-q.csv", Province.UnitsHeader + "QCQ,Sở Khác,StateAgency,QC1,true,10,,,\n");
        foreach (var (name, content) in QcdcRules.TargetSets().Where(t => t.Name is "law-10-2022.json" or "reporting.json"))
            await engine.ImportTargetsAsync(name, content, scope: null);
        var locks = new QcdcCompliance.Jobs.ScopeLocks(engine.Storage);
        async Task<List<string>> EvaluatedAsync()
        {
            await using var db = engine.Db();
            return await db.EvaluationRuns.Join(db.Areas, r => r.ScopeAreaId, a => a.Id, (_, a) => a.Code).ToListAsync();
        }

        var held = await locks.TakeAsync(QcdcCompliance.Jobs.ScopeLocks.Resource("2020S1", "P"), CancellationToken.None);
        var evaluation = engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual, CancellationToken.None,
            (period, province, ct) => locks.TakeAsync(QcdcCompliance.Jobs.ScopeLocks.Resource(period, province), ct));
        await Eventually.WaitAsync(EvaluatedAsync, runs => runs.Contains("Q"), "Q evaluated while P waits for its lock", TimeSpan.FromSeconds(30));
        evaluation.IsCompleted.Should().BeFalse("P waits for its lock");
        (await EvaluatedAsync()).Should().Equal("Q");
        await Eventually.WaitAsync(() => Task.FromResult((budget.InUse, budget.Waiting)), b => b == (0, 0), "Q's share given back, P holding none while it waits",
            TimeSpan.FromSeconds(10));
        await held.DisposeAsync();

        var runs = await evaluation.WaitAsync(TimeSpan.FromMinutes(1));
        runs.Select(r => (r.Scope.Code, r.Run.Status)).Should().BeEquivalentTo([("P", RunStatus.Completed), ("Q", RunStatus.Completed)]);
        budget.InUse.Should().Be(0);
    }

    [Fact]
    public async Task The_rule_session_is_let_go_before_the_run_is_stored()
    {
        // Issue 16: a province's session is hundreds of megabytes; it must not be reachable while the rows and alerts are written.
        var probe = new SessionProbe();
        await using var engine = await Engine.SqliteAsync(configure: services => services.AddSingleton<IRunContributor>(probe)).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,false,\n");
        engine.Services.GetRequiredService<RuleEngine>().Sessions.Events.FactInsertedEvent += (sender, _) => probe.Session ??= new WeakReference(sender);

        var run = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();

        run.Findings.Should().NotBeEmpty();
        probe.Session.Should().NotBeNull("the session fired");
        probe.AliveWhileStored.Should().BeFalse("nothing holds the session once the findings are built");
    }

    /// <summary>Collects the heap while the run is stored and says whether the session it was told of is still reachable.</summary>
    private sealed class SessionProbe : IRunContributor
    {
        public WeakReference? Session { get; set; }
        public bool? AliveWhileStored { get; private set; }

        public Task ContributeAsync(QcdcDbContext db, RecordedRun run, object? prepared, CancellationToken ct)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            AliveWhileStored = Session?.IsAlive;
            return Task.CompletedTask;
        }
    }
}
