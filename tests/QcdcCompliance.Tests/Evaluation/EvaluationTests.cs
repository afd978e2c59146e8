using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Evaluation;

/// <summary>Import, evaluate and read findings against a real database: the semantics that hold across runs.</summary>
public sealed class EvaluationTests
{
    private const string Values2020 = Province.ValuesHeader +
        """
        XA1,2020S1,DIALOGUE_CONFERENCES,1,
        XA1,2020S2,DIALOGUE_CONFERENCES,0,
        XA2,2020S1,DIALOGUE_CONFERENCES,0,
        XA2,2020S2,DIALOGUE_CONFERENCES,0,
        XA3,2020S2,DIALOGUE_CONFERENCES,1,
        XA1,2020S1,REGULATION_ISSUED,true,
        XA2,2020S1,REGULATION_ISSUED,false,
        CQ1,2020S1,REGULATION_ISSUED,true,
        DN1,2020S1,REGULATION_ISSUED,true,
        DN2,2020S1,REGULATION_ISSUED,true,
        CQ1,2020,STAFF_CONFERENCE_HELD,true,
        DN1,2020,CLA_SIGNED,true,

        """;

    private static async Task<Engine> LoadedAsync(Func<Task<Engine>> create)
    {
        var engine = await create().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Values2020);
        return engine;
    }

    [Fact]
    public async Task A_commune_that_held_its_dialogue_in_S1_meets_the_year_target()
    {
        await using var engine = await LoadedAsync(() => Engine.SqliteAsync());
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);

        var findings = await engine.Findings.ListAsync(new FindingFilter("2020") { Target = "NQ02-2" });

        // XA1 held one in S1 and none in S2: met. XA2 none in either: short. XA3 reported S2 only: its year is not known.
        findings.Select(f => (f.SubjectCode, f.Measurement.Outcome)).Should().Equal(("XA2", FindingOutcome.Short), ("XA3", FindingOutcome.Missing));
    }

    [Fact]
    public async Task Year_targets_are_not_evaluated_on_a_half_year_and_a_year_restates_half_year_targets_over_areas_only()
    {
        await using var engine = await LoadedAsync(() => Engine.SqliteAsync());
        var yearRun = (await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual)).Single();
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        var year = await engine.Findings.ListAsync(new FindingFilter("2020"));
        var half = await engine.Findings.ListAsync(new FindingFilter("2020S1"));

        half.Select(f => f.TargetCode).Should().NotContain(["NQ02-2", "NQ02-5", "NQ02-6a", "NQ02-6b"]);
        half.Should().Contain(f => f.TargetCode == "NQ02-1" && f.SubjectCode == "XA2");
        // The year's review states all seven targets: the half-year ones judged on the year's readings, over areas;
        // their units were told in the half-years, so the year flags no unit for them.
        // (The test province has no state enterprise with a union: 6a and 7a have no population there.)
        yearRun.Areas.Select(a => a.TargetCode).Distinct().Should().Contain(["NQ02-1", "NQ02-2", "NQ02-3", "NQ02-4", "NQ02-5", "NQ02-6b", "NQ02-7b"]);
        year.Where(f => f.SubjectType == SubjectType.Unit).Select(f => f.TargetCode).Should().NotContain(["NQ02-1", "NQ02-3", "NQ02-4", "KPI-MEDIATION"]);
        year.Where(f => f.TargetCode == "NQ02-1").Should().OnlyContain(f => f.SubjectType == SubjectType.Area)
            .And.Contain(f => System.Text.Json.Nodes.JsonNode.Parse(f.Evidence)!["test"]!["restatedOnYear"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_unit_closed_before_the_period_is_out_of_every_denominator_and_one_opened_during_it_is_in()
    {
        await using var engine = await LoadedAsync(() => Engine.SqliteAsync());
        await engine.ImportAsync(ImportKind.Units, "more.csv", Province.UnitsHeader +
            "DN8,Đóng cửa,NonStateEnterprise,C1,true,5,,,2019-12-31\nDN9,Mới mở,NonStateEnterprise,C1,true,5,,2020-05-01,\n");

        var run = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();

        var findings = await engine.Findings.ListAsync(new FindingFilter("2020S1") { Target = "NQ02-1" });
        findings.Select(f => f.SubjectCode).Should().Contain("DN9").And.NotContain("DN8");
        run.Areas.Single(a => a.TargetCode == "NQ02-1" && a.AreaCode == "P").PopulationUnits
            .Should().Be(7, "XA1, XA2, XA3, CQ1, DN1, DN2 and DN9 are in; DN8 closed before 2020 and OLD closed with its commune");
    }

    [Fact]
    public async Task A_ratio_counts_the_complaints_resolved_by_a_unit_that_received_none_in_its_areas_sums_and_population()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        // KPI-COMPLAINTS, "≥ 85%" of communes and agencies: XA2 received none and resolved 2 carried over, CQ1 had none.
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader +
            """
            XA1,2020S1,COMPLAINTS_RECEIVED,20,
            XA1,2020S1,COMPLAINTS_RESOLVED,16,
            XA2,2020S1,COMPLAINTS_RECEIVED,0,
            XA2,2020S1,COMPLAINTS_RESOLVED,2,
            XA3,2020S1,COMPLAINTS_RECEIVED,5,
            XA3,2020S1,COMPLAINTS_RESOLVED,4,
            CQ1,2020S1,COMPLAINTS_RECEIVED,0,
            CQ1,2020S1,COMPLAINTS_RESOLVED,0,

            """);

        var run = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();

        // The sum of numerators over the sum of denominators: 16 + 2 + 4 of 25 is 88%, met; without XA2's 2 it read 20/25.
        var province = run.Areas.Single(a => a.TargetCode == "KPI-COMPLAINTS" && a.AreaCode == "P");
        (province.Numerator, province.Denominator, province.Status).Should().Be((22L, 25L, AreaStatus.Met));
        province.PopulationUnits.Should().Be(4, "every commune and agency that reported the pair is of the population, zero cases included");
        province.MetUnits.Should().Be(2, "XA2 and CQ1 have nothing short; XA1 (80%) and XA3 (80%) are short themselves");
        var district = run.Areas.Single(a => a.TargetCode == "KPI-COMPLAINTS" && a.AreaCode == "D1");
        (district.Numerator, district.Denominator, district.PopulationUnits, district.Status).Should().Be((18L, 20L, 3, AreaStatus.Met));
        (await engine.Findings.ListAsync(new FindingFilter("2020S1") { Target = "KPI-COMPLAINTS" })).Select(f => (f.SubjectCode, f.Measurement.Gap))
            .Should().Equal([("D2", 1L)], "only D2 (4 of 5) is short, by one complaint");

        var summary = await HostProcess.RunAsync(engine.Storage, "evaluate", "--period", "2020S1");
        summary.Split('\n').First(l => l.StartsWith("KPI-COMPLAINTS ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Should().Equal("KPI-COMPLAINTS", "4", "2", "2", "0", "88.00%", ">=", "85%", "met");
    }

    [Fact]
    public async Task Districts_roll_up_only_for_periods_when_they_existed()
    {
        await using var engine = await LoadedAsync(() => Engine.SqliteAsync());
        await engine.ImportAsync(ImportKind.Values, "2026.csv", Province.ValuesHeader + "XA1,2026S1,REGULATION_ISSUED,false,\n");

        var old = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();
        var now = (await engine.Evaluations.EvaluateAsync("2026S1", null, RunTrigger.Manual)).Single();

        old.Areas.Should().Contain(a => a.AreaCode == "D1");
        now.Areas.Should().NotContain(a => a.AreaLevel == AreaLevel.District);
        now.Areas.Should().Contain(a => a.AreaCode == "C1" && a.TargetCode == "NQ02-1");
        now.Targets.Select(t => t.Code).Should().Contain("L10-INSPECTION-BOARD", "Law 10/2022 is in force in 2026")
            .And.Contain("NQ02-1", "the resolution sets targets to 2020 and the following years");
    }

    [Fact]
    public async Task Evaluating_a_period_twice_gives_the_same_findings_marked_Persisting_and_records_a_new_run()
    {
        await using var engine = await LoadedAsync(() => Engine.SqliteAsync());
        var first = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();
        var csv1 = FindingCsv.Write(await engine.Findings.ListAsync(new FindingFilter("2020S1")));
        var second = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();
        var after = await engine.Findings.ListAsync(new FindingFilter("2020S1"));

        second.Run.Id.Should().BeGreaterThan(first.Run.Id);
        second.Run.PreviousRunId.Should().Be(first.Run.Id);
        (second.Run.NewCount, second.Run.PersistingCount, second.Run.ResolvedCount).Should().Be((0, first.Run.NewCount, 0));
        after.Should().OnlyContain(f => f.State == FindingState.Persisting);
        FindingCsv.Write(after).Should().Be(csv1.Replace(",New,", ",Persisting,", StringComparison.Ordinal));
        await using var db = engine.Db();
        (await db.Findings.CountAsync()).Should().Be(first.Run.NewCount, "a finding that stays the same is not written again");
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_corrected_value_resolves_its_finding_in_the_next_run_and_the_others_persist_unwritten(string provider)
    {
        await using var engine = await LoadedAsync(() => provider == "Sqlite" ? Engine.SqliteAsync() : Engine.PostgresAsync("corrected"));
        var first = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();
        var before = await engine.Findings.ListAsync(new FindingFilter("2020S1"));
        await engine.ImportAsync(ImportKind.Values, "fix.csv", Province.ValuesHeader + "XA2,2020S1,REGULATION_ISSUED,có,đã ban hành\n");

        // The full run reads the current rows back (FindingRows) and compares each with what it computed.
        var run = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Import)).Single();

        run.Run.ResolvedCount.Should().BeGreaterThan(0);
        var resolved = await engine.Findings.ListAsync(new FindingFilter("2020S1") { State = FindingState.Resolved });
        resolved.Should().Contain(f => f.TargetCode == "NQ02-1" && f.SubjectCode == "XA2");
        var resolving = resolved.Single(f => f.TargetCode == "NQ02-1" && f.SubjectCode == "XA2");
        resolving.Measurement.Outcome.Should().Be(FindingOutcome.Met, "a resolving row holds what its own run read: the corrected value");
        resolving.Evidence.Should().Contain("\"status\":\"Met\"");
        (await engine.Findings.ListAsync(new FindingFilter("2020S1") { Run = first.Run.Id })).Single(f => f.TargetCode == "NQ02-1" && f.SubjectCode == "XA2").Evidence
            .Should().Be(before.Single(f => f.TargetCode == "NQ02-1" && f.SubjectCode == "XA2").Evidence, "the shortfall it closed stays on the row it superseded, with its figures");
        var after = await engine.Findings.ListAsync(new FindingFilter("2020S1"));
        after.Should().NotContain(f => f.TargetCode == "NQ02-1" && f.SubjectCode == "XA2" && f.State != FindingState.Resolved);
        var persisting = after.Where(f => f.State == FindingState.Persisting).ToList();
        persisting.Should().NotBeEmpty();
        run.Run.PersistingCount.Should().Be(persisting.Count);
        await using var db = engine.Db();
        var rewritten = await db.Findings.Where(f => f.RunId == run.Run.Id && f.State == FindingState.Persisting).ToListAsync();
        rewritten.Should().NotBeEmpty("the areas XA2 belongs to were measured again")
            .And.OnlyContain(r => before.Single(b => b.TargetCode == r.TargetCode && b.SubjectCode == r.SubjectCode).Evidence != r.Evidence,
                "a finding is written again only when what it says changed");
        (await db.Findings.CountAsync(f => f.RunId == first.Run.Id && f.SupersededByRunId == null))
            .Should().Be(persisting.Count - rewritten.Count, "a finding the run found unchanged stays the first run's row");
    }

    [Fact]
    public async Task The_same_import_and_evaluation_give_byte_identical_findings_CSVs_on_SQLite_and_PostgreSQL()
    {
        await using var sqlite = await LoadedAsync(() => Engine.SqliteAsync());
        await using var postgres = await LoadedAsync(() => Engine.PostgresAsync("e2e"));
        var csvs = new List<string>();
        foreach (var engine in new[] { sqlite, postgres })
        {
            var text = new System.Text.StringBuilder();
            foreach (var period in new[] { "2020S1", "2020S2", "2020" })
            {
                await engine.Evaluations.EvaluateAsync(period, null, RunTrigger.Manual);
                text.Append(FindingCsv.Write(await engine.Findings.ListAsync(new FindingFilter(period))));
            }

            csvs.Add(text.ToString());
        }

        csvs[0].Should().Contain("2020,NQ02-2,Unit,XA2,UBND Xã Hai,New,0,0,1,1,>=,High");
        csvs[1].Should().Be(csvs[0]);
    }

    [Fact]
    public async Task Runs_are_chained_and_a_failed_run_stores_no_finding()
    {
        await using var engine = await LoadedAsync(() => Engine.SqliteAsync());
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);

        await using var db = engine.Db();
        var runs = await db.EvaluationRuns.OrderBy(r => r.Id).ToListAsync();
        runs.Select(r => r.ChainSequence).Should().Equal(1L, 2L);
        runs[1].PreviousHash.Should().Be(runs[0].Hash);
        (await db.AuditChainHeads.SingleAsync()).Hash.Should().Be(runs[1].Hash);

        await FluentActions.Awaiting(() => engine.Evaluations.EvaluateAsync("2020S1", "NOWHERE", RunTrigger.Manual))
            .Should().ThrowAsync<EvaluationRequestException>().WithMessage("unknown area NOWHERE");
    }
}
