using System.Text;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Reliability;

/// <summary>
/// An import racing an evaluation of the same scope: the run sees the data as it was before the import or after it,
/// never half. Once deterministically (the run held between two of the statements that load its facts while the
/// import commits), then as a plain race repeated many times on PostgreSQL.
/// </summary>
public sealed class ImportRaceTests
{
    private const int Movers = 40;

    /// <summary>A second province, Q, that units can move to.</summary>
    private const string ProvinceQ = "code,name,level,parent_code,valid_from,valid_to\nQ,Tỉnh Khác,Province,,,\nQC1,Xã Khác,Commune,Q,,\n";

    /// <summary>The agencies in the area; with <paramref name="changedOn"/>, as of that day (a move dated back to before 2020S1 changes what 2020S1 finds).</summary>
    private static string Agencies(string area, string? changedOn = null)
    {
        var csv = new StringBuilder(changedOn is null ? Province.UnitsHeader : Province.UnitsHeader.TrimEnd('\n') + ",changed_on\n");
        for (var i = 1; i <= Movers; i++)
            csv.Append($"CQM-{i:000},Cơ quan {i},StateAgency,{area},true,10,,,{(changedOn is null ? "" : "," + changedOn)}\n");
        return csv.ToString();
    }

    private static string AgencyValues()
    {
        var csv = new StringBuilder(Province.ValuesHeader);
        for (var i = 1; i <= Movers; i++)
        {
            csv.Append($"CQM-{i:000},2020S1,REGULATION_ISSUED,true,\n");
            csv.Append($"CQM-{i:000},2020S1,DISCLOSURE_POSTED,true,\n");
        }

        return csv.ToString();
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task An_import_that_commits_while_a_run_loads_its_facts_is_seen_whole_or_not_at_all(string provider)
    {
        // Held as the values' read begins (its span starts), after the area tree and the units were read. A scope kept warm
        // loads its facts on every full run (a run over unchanged rows is otherwise found by their fingerprint, in the
        // same snapshot, and loads nothing).
        using var point = new SpanPoint("qcdc.evaluate.load.values");
        await using var engine = provider == "Sqlite"
            ? await Engine.SqliteAsync(keepWarm: true)
            : await Engine.PostgresAsync("race_held", keepWarm: true);
        if (provider == "Sqlite")
            await engine.UseWriteAheadLogAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);
        await engine.ImportAsync(ImportKind.Areas, "areas-q.csv", ProvinceQ);
        await engine.ImportAsync(ImportKind.Units, "units.csv", Province.Units);
        await engine.ImportAsync(ImportKind.Units, "agencies.csv", Agencies("C1"));
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", AgencyValues());
        var before = RunFaults.Signature((await engine.Evaluations.EvaluateScopeAsync(RunFaults.Period, RunFaults.Scope, RunTrigger.Manual)).Findings);

        point.Arm();
        var run = point.Watch(() => engine.Evaluations.EvaluateScopeAsync(RunFaults.Period, RunFaults.Scope, RunTrigger.Manual));
        await point.Reached.WaitAsync(TimeSpan.FromMinutes(1));
        var moved = await engine.ImportAsync(ImportKind.Units, "agencies-moved.csv", Agencies("QC1", changedOn: "2000-01-01")).WaitAsync(TimeSpan.FromSeconds(60));
        point.Release();
        var raced = await RunFaults.SeenAsync(engine, await run);
        var after = RunFaults.Signature((await engine.Evaluations.EvaluateScopeAsync(RunFaults.Period, RunFaults.Scope, RunTrigger.Manual)).Findings);

        moved.Updated.Should().Be(Movers, "the import committed while the run was held");
        after.Should().NotBe(before, "the import changes what P's run finds");
        raced.Should().BeOneOf([before, after], "the run saw P before the units moved or after, never the units of one state with the values of the other");
        (await RunFaults.StoredAfterEachRunAsync(engine)).Select(r => r.Signature).Should().OnlyContain(s => s == before || s == after);
    }

    [Fact]
    public async Task Evaluations_racing_imports_that_change_many_units_each_see_one_whole_state()
    {
        const int units = 300, rounds = 16;
        await using var engine = await Engine.PostgresAsync("race_many").WithProvinceAsync();
        var agencies = new StringBuilder(Province.UnitsHeader);
        for (var i = 1; i <= units; i++)
            agencies.Append($"CQR-{i:000},Cơ quan {i},StateAgency,C{1 + (i % 3)},true,10,,,\n");
        await engine.ImportAsync(ImportKind.Units, "agencies.csv", agencies.ToString());
        await engine.LoadTargetSetsAsync();
        string Values(bool issued)
        {
            var csv = new StringBuilder(Province.ValuesHeader);
            for (var i = 1; i <= units; i++)
                csv.Append($"CQR-{i:000},2020S1,REGULATION_ISSUED,{(issued ? "true" : "false")},\nCQR-{i:000},2020S1,PEOPLE_INFORMED,{(issued ? 40 : 3)},\n");
            return csv.ToString();
        }

        var (issued, withdrawn) = (Values(true), Values(false));
        await engine.ImportAsync(ImportKind.Values, "a.csv", issued);
        var stateA = RunFaults.Signature((await engine.Evaluations.EvaluateScopeAsync(RunFaults.Period, RunFaults.Scope, RunTrigger.Manual)).Findings);
        await engine.ImportAsync(ImportKind.Values, "b.csv", withdrawn);
        var stateB = RunFaults.Signature((await engine.Evaluations.EvaluateScopeAsync(RunFaults.Period, RunFaults.Scope, RunTrigger.Manual)).Findings);

        var seen = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            var import = Task.Run(() => engine.ImportAsync(ImportKind.Values, $"round-{round}.csv", round % 2 == 0 ? issued : withdrawn));
            var evaluation = Task.Run(async () =>
            {
                await Task.Delay(round % 4 * 5);
                return await engine.Evaluations.EvaluateScopeAsync(RunFaults.Period, RunFaults.Scope, RunTrigger.Import);
            });
            await Task.WhenAll(import, evaluation);
            seen.Add(await RunFaults.SeenAsync(engine, await evaluation));
        }

        stateA.Should().NotBe(stateB);
        seen.Should().OnlyContain(s => s == stateA || s == stateB, "each run saw the values of one import whole");
        var stored = await RunFaults.StoredAfterEachRunAsync(engine);
        stored.Should().HaveCount(rounds + 2);
        stored.Select(r => r.Signature).Should().OnlyContain(s => s == stateA || s == stateB, "what each run stored is one whole state");
    }
}
