using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Evaluation;

/// <summary>A warm session updated unit by unit stores exactly what a full evaluation of the same data stores.</summary>
public sealed class IncrementalEvaluationTests
{
    private const string Values = Province.ValuesHeader +
        """
        XA1,2020S1,REGULATION_ISSUED,true,
        XA2,2020S1,REGULATION_ISSUED,false,
        XA3,2020S1,REGULATION_ISSUED,true,
        CQ1,2020S1,REGULATION_ISSUED,true,
        DN1,2020S1,REGULATION_ISSUED,true,
        DN2,2020S1,REGULATION_ISSUED,true,
        XA1,2020S1,MEDIATION_CASES,10,
        XA1,2020S1,MEDIATION_SUCCESSES,5,
        XA2,2020S1,MEDIATION_CASES,4,
        XA2,2020S1,MEDIATION_SUCCESSES,4,

        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Changes_applied_to_a_warm_session_leave_the_same_findings_as_a_full_run(bool postgres)
    {
        await using var engine = await (postgres ? Engine.PostgresAsync("warm", keepWarm: true) : Engine.SqliteAsync(keepWarm: true)).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Values);
        var cold = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();

        // XA2 issues its regulation (resolves a unit and the D1 finding), CQ1 withdraws its (a new finding),
        // mediation in D1 falls to 9 of 14, a new enterprise opens in C3.
        await engine.ImportAsync(ImportKind.Units, "new.csv", Province.UnitsHeader + "DN5,Công ty Năm,NonStateEnterprise,C3,true,12,,2020-03-01,\n");
        var summary = await engine.ImportAsync(ImportKind.Values, "changes.csv", Province.ValuesHeader +
            "XA2,2020S1,REGULATION_ISSUED,true,\nCQ1,2020S1,REGULATION_ISSUED,false,\nXA1,2020S1,MEDIATION_SUCCESSES,5,\nXA2,2020S1,MEDIATION_SUCCESSES,4,\nXA1,2020S1,MEDIATION_CASES,10,\nDN5,2020S1,REGULATION_ISSUED,true,\n");
        var units = summary.TouchedUnits.Select(u => u.UnitId).ToList();
        units.Should().HaveCount(3);
        var incremental = await engine.Evaluations.EvaluateUnitsAsync("2020S1", "P", units, RunTrigger.Import);

        incremental.Run.PreviousRunId.Should().Be(cold.Run.Id);
        incremental.Run.UnitsEvaluated.Should().Be(cold.Run.UnitsEvaluated + 1);
        incremental.Findings.Should().Contain(f => f.TargetCode == "NQ02-1" && f.SubjectCode == "CQ1");
        var afterIncremental = await engine.Findings.ListAsync(new FindingFilter("2020S1"));
        afterIncremental.Should().Contain(f => f.TargetCode == "NQ02-1" && f.SubjectCode == "XA2" && f.State == FindingState.Resolved);
        afterIncremental.Should().Contain(f => f.TargetCode == "NQ02-1" && f.SubjectCode == "CQ1" && f.State == FindingState.New);

        await using var db = engine.Db();
        var (findings, areas) = (await db.Findings.CountAsync(), await db.AreaResults.CountAsync());
        var full = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();

        (full.Run.NewCount, full.Run.ResolvedCount).Should().Be((0, 0));
        full.Run.FindingsOpen.Should().Be(incremental.Run.FindingsOpen);
        (await db.Findings.CountAsync()).Should().Be(findings, "the full run found every current finding exactly as the incremental run left it");
        (await db.AreaResults.CountAsync()).Should().Be(areas, "and every area's figures too");
    }

    [Fact]
    public async Task One_change_after_another_keeps_the_units_short_in_an_area_findings_evidence_as_a_full_run_lists_them()
    {
        // The short units of an area finding are kept in the warm scope and moved one by one: after a series of
        // single-unit changes, a full run must find every evidence exactly as the updates left it.
        await using var engine = await Engine.SqliteAsync(keepWarm: true).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Values);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        var steps = new[] { "XA2,true", "CQ1,false", "XA1,false", "XA2,false", "CQ1,true", "XA1,true" };
        foreach (var step in steps)
        {
            var (unit, value) = (step.Split(',')[0], step.Split(',')[1]);
            var summary = await engine.ImportAsync(ImportKind.Values, "change.csv", Province.ValuesHeader + $"{unit},2020S1,REGULATION_ISSUED,{value},\n");
            await engine.Evaluations.EvaluateUnitsAsync("2020S1", "P", summary.TouchedUnits.Select(u => u.UnitId).ToList(), RunTrigger.Import);
        }

        var open = await engine.Findings.ListAsync(new FindingFilter("2020S1"));
        open.Where(f => f.SubjectType == SubjectType.Area && f.TargetCode == "NQ02-1" && f.State != FindingState.Resolved)
            .Should().NotBeEmpty("the changes leave areas short of NQ02-1, so their evidence lists units");
        await using var db = engine.Db();
        var rows = await db.Findings.CountAsync();
        var full = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();
        (full.Run.NewCount, full.Run.ResolvedCount).Should().Be((0, 0));
        (await db.Findings.CountAsync()).Should().Be(rows, "no finding, the areas' lists of short units included, differs from what the updates stored");
    }
}
