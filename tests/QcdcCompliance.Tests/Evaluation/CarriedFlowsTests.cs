using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Decisions;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;
using static QcdcCompliance.Tests.Reports.ReportReading;

namespace QcdcCompliance.Tests.Evaluation;

/// <summary>
/// A commune merged on 1 July (C5 into C3, its UBND XA5 closed on 30/6) is not one of the year's units, but what it
/// reported for the first half is in the year's sums of its district and province, through the lineage, as the halves
/// counted it: a year's count is the sum of its halves (review 50, D2).
/// </summary>
public sealed class CarriedFlowsTests
{
    private static async Task<Engine> MergedCommuneAsync(bool keepWarm = false)
    {
        var engine = await Engine.SqliteAsync(keepWarm: keepWarm, configure: s => s.AddQcdcDecisions()).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", "code,name,level,parent_code,valid_from,valid_to\nC5,Xã Năm,Commune,D2,,2020-06-30\n");
        await engine.ImportAsync(ImportKind.Lineage, "lineage.csv", "predecessor_code,successor_code,effective_from\nC5,C3,2020-07-01\n");
        await engine.ImportAsync(ImportKind.Units, "units.csv", Province.UnitsHeader + "XA5,UBND Xã Năm,Commune,C5,false,10,,,2020-06-30\n");
        // Every commune settles mediation cases in both halves; XA5 settled 6 of 10 and held 146 propaganda sessions in S1.
        var values = string.Concat(new[] { "XA1", "XA2", "XA3" }.Select(u =>
            $"{u},2020S1,MEDIATION_CASES,10,\n{u},2020S1,MEDIATION_SUCCESSES,8,\n{u},2020S2,MEDIATION_CASES,10,\n{u},2020S2,MEDIATION_SUCCESSES,9,\n"))
            + "XA5,2020S1,MEDIATION_CASES,10,\nXA5,2020S1,MEDIATION_SUCCESSES,6,\n"
            + "XA3,2020S1,PROPAGANDA_SESSIONS,100,\nXA3,2020S2,PROPAGANDA_SESSIONS,120,\nXA5,2020S1,PROPAGANDA_SESSIONS,146,\n";
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + values);
        return engine;
    }

    private static async Task<Dictionary<string, AreaResultDraft>> MediationAsync(Engine engine, string period) =>
        (await engine.Evaluations.EvaluateAsync(period, null, RunTrigger.Manual)).Single().Areas
        .Where(a => a.TargetCode == "KPI-MEDIATION").ToDictionary(a => a.AreaCode);

    [Fact]
    public async Task A_year_ratio_of_a_district_and_its_province_is_over_the_sums_of_its_halves_with_a_commune_merged_on_1_July()
    {
        await using var engine = await MergedCommuneAsync();

        var (first, second, year) = (await MediationAsync(engine, "2020S1"), await MediationAsync(engine, "2020S2"), await MediationAsync(engine, "2020"));

        (first["D2"].Numerator, first["D2"].Denominator).Should().Be((14, 20), "XA3's 8 of 10 and XA5's 6 of 10");
        (second["D2"].Numerator, second["D2"].Denominator).Should().Be((9, 10));
        foreach (var area in new[] { "D2", "P", "C3" })
        {
            (year[area].Numerator, year[area].Denominator).Should().Be(
                (first[area].Numerator + (area == "C3" ? 6 : 0) + second[area].Numerator, first[area].Denominator + (area == "C3" ? 10 : 0) + second[area].Denominator),
                $"{area}'s year sums its halves, XA5's first half included (C3 took C5's place on 1/7)");
        }

        (year["P"].Numerator, year["P"].Denominator).Should().Be((57, 70));
        year["D2"].PopulationUnits.Should().Be(1, "XA5 closed during the year is not one of its units: only XA3 is judged");
        year["P"].PopulationUnits.Should().Be(3);
        (await engine.Findings.ListAsync(new FindingFilter("2020"))).Should().NotContain(f => f.SubjectCode == "XA5");
    }

    [Fact]
    public async Task The_years_judged_units_leave_the_closed_unit_out_and_sessions_in_parts_add_its_counts_once()
    {
        await using var engine = await MergedCommuneAsync();
        var (period, scopes) = await engine.Evaluations.ResolveAsync("2020", null, CancellationToken.None);
        var (facts, _) = await engine.Evaluations.LoadFactsAsync(period, scopes.Single(), CancellationToken.None);

        facts.Reports.Should().NotContain(r => r.Unit.Code == "XA5", "the loaded reports stay the units the year judges");
        facts.Carried.Should().ContainSingle().Which.Unit.Path.Select(a => a.Code).Should().Equal("C3", "D2", "P");
        var rules = engine.Services.GetRequiredService<RuleEngine>();
        var one = rules.Evaluate(facts);
        var shared = rules.EvaluateInParts(facts, 3, fromReports: 0);
        foreach (var outcome in new[] { one, shared })
        {
            var d2 = outcome.Areas.Single(a => a.Target.Code == "KPI-MEDIATION" && a.Area.Code == "D2");
            (d2.Population, d2.Numerator, d2.Denominator).Should().Be((1, 23, 30), "XA3's 17 of 20 and XA5's 6 of 10, added once");
        }
    }

    [Fact]
    public async Task A_what_if_on_the_year_measures_the_same_district_figures_as_its_run()
    {
        await using var engine = await MergedCommuneAsync();
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);

        // The committee's KPIs with mediation raised from 70% to 90%: D2's 23 of 30 (76,7%) falls short.
        var whatIf = await engine.Services.GetRequiredService<WhatIfService>()
            .EvaluateAsync(new WhatIfRequest("2020", "proposal.json", Decisions.WhatIfTests.Proposal(), null, "test"));

        var d2 = whatIf.Rows.Single(r => r is { Target: "KPI-MEDIATION", SubjectCode: "D2" });
        (d2.NowFigures!.Numerator, d2.NowFigures.Denominator).Should().Be((23L, 30L));
        (d2.ProposedFigures!.Numerator, d2.ProposedFigures.Denominator).Should().Be((23L, 30L), "the proposal is measured on the same sums, XA5's first half included");
        (d2.Now, d2.Proposed).Should().Be((Standing.Met, Standing.Short));
    }

    [Fact]
    public async Task A_closed_units_first_half_value_imported_again_changes_the_years_figures()
    {
        await using var engine = await MergedCommuneAsync();
        (await MediationAsync(engine, "2020"))["D2"].Numerator.Should().Be(23);

        await engine.ImportAsync(ImportKind.Values, "fix.csv", Province.ValuesHeader + "XA5,2020S1,MEDIATION_SUCCESSES,9,\n");

        (await MediationAsync(engine, "2020"))["D2"].Numerator.Should().Be(26, "the year read XA5's first half again: it is no run over the same facts");
    }

    [Fact]
    public async Task A_warm_years_update_keeps_the_carried_counts_and_a_closed_units_change_is_read_by_a_full_run()
    {
        await using var engine = await MergedCommuneAsync(keepWarm: true);
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);

        var summary = await engine.ImportAsync(ImportKind.Values, "xa3.csv", Province.ValuesHeader + "XA3,2020S2,MEDIATION_SUCCESSES,10,\n");
        var update = await engine.Evaluations.EvaluateUnitsAsync("2020", "P", summary.TouchedUnits.Select(u => u.UnitId).ToList(), RunTrigger.Import);
        var d2 = update.Areas.Single(a => a.TargetCode == "KPI-MEDIATION" && a.AreaCode == "D2");
        (d2.Numerator, d2.Denominator).Should().Be((24, 30), "XA3's 8 + 10 of 20 and XA5's first half, 6 of 10");

        summary = await engine.ImportAsync(ImportKind.Values, "xa5.csv", Province.ValuesHeader + "XA5,2020S1,MEDIATION_SUCCESSES,9,\n");
        update = await engine.Evaluations.EvaluateUnitsAsync("2020", "P", summary.TouchedUnits.Select(u => u.UnitId).ToList(), RunTrigger.Import);
        d2 = update.Areas.Single(a => a.TargetCode == "KPI-MEDIATION" && a.AreaCode == "D2");
        (d2.Numerator, d2.Denominator).Should().Be((27, 30));
    }

    [Fact]
    public async Task The_years_review_report_counts_a_merged_communes_first_half_in_its_totals_and_its_successors_row()
    {
        await using var engine = await MergedCommuneAsync();
        foreach (var period in new[] { "2020S1", "2020S2", "2020" })
            await engine.Evaluations.EvaluateAsync(period, null, RunTrigger.Manual);
        var overviews = ActivatorUtilities.CreateInstance<OverviewQueries>(engine.Services);
        var queries = ActivatorUtilities.CreateInstance<ReviewReportQueries>(engine.Services, overviews);

        var firstHalf = await queries.LoadAsync("2020S1", "D2");
        var year = await queries.LoadAsync("2020", "D2");

        firstHalf.Totals.Sum("PROPAGANDA_SESSIONS").Should().Be(246, "XA3's 100 and XA5's 146");
        year.Totals.Sum("PROPAGANDA_SESSIONS").Should().Be(366, "the first half's 246 and XA3's 120 of the second");
        year.ChildFigures.Single(c => c.AreaCode == "C3").Sum("PROPAGANDA_SESSIONS").Should().Be(366, "C3 took C5's place: its row holds XA5's first half");
        (year.Totals.Sum("MEDIATION_SUCCESSES"), year.Totals.Sum("MEDIATION_CASES")).Should().Be((23, 30), "XA3's 17 of 20 and XA5's 6 of 10");
        year.ActiveUnits.Should().Be(firstHalf.ActiveUnits - 1, "XA5 is not one of the year's units");
        year.ValuesChangedSinceRun.Should().BeFalse("the kinds' figures carry XA5's ratio counts as the run's do");

        var reports = ActivatorUtilities.CreateInstance<ReviewReports>(engine.Services, queries, new ReviewReportOptions());
        var file = await reports.WriteAsync("2020", "D2", ReportFormat.Docx, ReportLanguage.Vi);
        using var doc = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(new MemoryStream(file.Content), false);
        Text(doc).Should().Contain($"tuyên truyền được {VietnameseNumber(366)} cuộc")
            .And.Contain("gồm cả số liệu 6 tháng đầu năm của 1 cơ sở ngừng hoạt động trong năm", "the report says whose first half its sums hold");
        year.CarriedUnits.Should().Be(1);
        firstHalf.CarriedUnits.Should().Be(0);
    }

    [Fact]
    public async Task The_years_report_counts_among_its_closed_units_only_those_whose_first_half_counts_it_sums()
    {
        await using var engine = await MergedCommuneAsync();
        // DN5, closed on 30/9, reported for 2020S1 only a yes/no answer, which the year reads from the second half: it carries nothing.
        await engine.ImportAsync(ImportKind.Units, "dn5.csv", Province.UnitsHeader + "DN5,Công ty Năm,NonStateEnterprise,C3,true,10,,,2020-09-30\n");
        await engine.ImportAsync(ImportKind.Values, "dn5.csv", Province.ValuesHeader + "DN5,2020S1,REGULATION_ISSUED,true,\n");
        foreach (var period in new[] { "2020S1", "2020S2", "2020" })
            await engine.Evaluations.EvaluateAsync(period, null, RunTrigger.Manual);
        var overviews = ActivatorUtilities.CreateInstance<OverviewQueries>(engine.Services);
        var queries = ActivatorUtilities.CreateInstance<ReviewReportQueries>(engine.Services, overviews);

        (await queries.LoadAsync("2020", "D2")).CarriedUnits.Should().Be(1, "XA5's first half is in the sums, DN5 added none");
    }

    /// <summary>
    /// D2's one commune unit, XA3, settled 6 of 10 mediation cases and resolved 6 of 10 complaints in 2020S1 and reported
    /// nothing after; the year 2020 evaluated (D2 falls short, for want of XA3's second half), then XA3 closed on 30/9 and
    /// the year evaluated again: D2 is left with no unit of either target's population, only the counts XA3 carries. P has
    /// an agency of its own (CQP), in KPI-COMPLAINTS's population beside the communes, whose row is "units directly under".
    /// </summary>
    private static async Task<Engine> EmptiedDistrictAsync(string provider, string name, bool keepWarm = false)
    {
        var engine = await (provider == "Postgres"
            ? Engine.PostgresAsync(name, keepWarm: keepWarm, configure: s => s.AddQcdcDecisions())
            : Engine.SqliteAsync(keepWarm: keepWarm, configure: s => s.AddQcdcDecisions())).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Units, "cqp.csv", Province.UnitsHeader + "CQP,Văn phòng UBND tỉnh,StateAgency,P,true,40,,,\n");
        var values = string.Concat(new[] { "XA1", "XA2" }.SelectMany(_ => new[] { "2020S1", "2020S2" }, (u, half) =>
                         $"{u},{half},MEDIATION_CASES,10,\n{u},{half},MEDIATION_SUCCESSES,9,\n{u},{half},COMPLAINTS_RECEIVED,10,\n{u},{half},COMPLAINTS_RESOLVED,9,\n"))
                     + string.Concat(new[] { "CQ1", "CQP" }.SelectMany(_ => new[] { "2020S1", "2020S2" }, (u, half) =>
                         $"{u},{half},COMPLAINTS_RECEIVED,10,\n{u},{half},COMPLAINTS_RESOLVED,9,\n"))
                     + "XA3,2020S1,MEDIATION_CASES,10,\nXA3,2020S1,MEDIATION_SUCCESSES,6,\nXA3,2020S1,COMPLAINTS_RECEIVED,10,\nXA3,2020S1,COMPLAINTS_RESOLVED,6,\n";
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + values);
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);
        (await engine.Findings.ListAsync(new FindingFilter("2020") { Target = "KPI-MEDIATION" })).Should().Contain(f => f.SubjectCode == "D2",
            "D2 falls short of the year before XA3 closes");
        await engine.ImportAsync(ImportKind.Units, "closed.csv", Province.UnitsHeader + "XA3,UBND Xã Ba,Commune,C3,true,20,,,2020-09-30\n");
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);
        return engine;
    }

    /// <summary>Per target, the child rows and the own-units row of an area add up to its total: population, numerator, denominator.</summary>
    private static void RowsAddUp(AreaCompliance rows)
    {
        foreach (var total in rows.Totals)
        {
            var parts = rows.Children.Concat(rows.OwnUnits).Where(r => r.TargetCode == total.TargetCode).ToList();
            (parts.Sum(r => r.PopulationUnits), parts.Sum(r => r.Numerator), parts.Sum(r => r.Denominator))
                .Should().Be((total.PopulationUnits, total.Numerator, total.Denominator), $"the rows of {total.TargetCode} add up to {rows.Area.Code}'s");
        }
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_district_left_with_no_unit_of_a_population_keeps_its_carried_counts_on_its_own_row_not_applicable(string provider)
    {
        await using var engine = await EmptiedDistrictAsync(provider, "emptied");

        var province = await engine.Services.GetRequiredService<ComplianceQueries>().ForAreaAsync("2020", "P");

        RowsAddUp(province);
        foreach (var target in new[] { "KPI-MEDIATION", "KPI-COMPLAINTS" })
        {
            var d2 = province.Children.Should().ContainSingle(r => r.TargetCode == target && r.AreaCode == "D2", $"D2's carried counts of {target} are D2's").Which;
            (d2.PopulationUnits, d2.Numerator, d2.Denominator, d2.Status).Should().Be((0, 6L, 10L, AreaStatus.NotApplicable),
                "XA3's first half, 6 of 10, over no unit left to judge: not applicable, never met");
        }

        province.OwnUnits.Should().ContainSingle(r => r.TargetCode == "KPI-COMPLAINTS").Which.Should().Match<ComplianceRow>(r =>
            r.PopulationUnits == 1 && r.Numerator == 18 && r.Denominator == 20, "P's own row holds CQP alone, none of D2's counts");
        province.OwnUnits.Should().NotContain(r => r.TargetCode == "KPI-MEDIATION", "P has no commune of its own");

        var resolved = await engine.Findings.ListAsync(new FindingFilter("2020") { Area = "D2", State = FindingState.Resolved });
        // D2's findings of the two ratios, into which XA3's counts were carried, and those of the targets it carried nothing
        // of (D2 has no roll-up of them at all): one rule, no unit of the population left, nothing put right.
        var ofD2 = resolved.Where(f => f.SubjectCode == "D2").ToList();
        ofD2.Select(f => f.TargetCode).Should().Contain(["KPI-MEDIATION", "KPI-COMPLAINTS"])
            .And.Contain(t => t != "KPI-MEDIATION" && t != "KPI-COMPLAINTS", "D2 also fell short of targets XA3 carried nothing into");
        ofD2.Should().AllSatisfy(f =>
        {
            f.Resolution.Should().Be(FindingResolution.NoLongerEvaluated, "no unit of D2 was put right: none is left to judge");
            FindingExplanation.State(f, vietnamese: true).Should().Be("Không còn được đánh giá: chỉ tiêu không còn áp dụng");
        });
        (await engine.Findings.ListAsync(new FindingFilter("2020") { Area = "D2" })).Should().NotContain(f => f.SubjectCode == "D2" && f.State != FindingState.Resolved);
    }

    /// <summary>A value imported and its unit evaluated in the warm session of 2020, then a full run: P's rows, warm, add up and are the full run's.</summary>
    private static async Task<AreaCompliance> WarmRowsAsync(Engine engine, string values)
    {
        var compliance = engine.Services.GetRequiredService<ComplianceQueries>();
        var summary = await engine.ImportAsync(ImportKind.Values, "warm.csv", Province.ValuesHeader + values);
        await engine.Evaluations.EvaluateUnitsAsync("2020", "P", summary.TouchedUnits.Select(u => u.UnitId).ToList(), RunTrigger.Import);
        var warm = await compliance.ForAreaAsync("2020", "P");
        RowsAddUp(warm);
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);
        var full = await compliance.ForAreaAsync("2020", "P");
        warm.Children.Concat(warm.OwnUnits).Should().BeEquivalentTo(full.Children.Concat(full.OwnUnits), "the warm session's rows are a full run's");
        return warm;
    }

    /// <summary>The committee's KPIs with mediation raised to 90% on 2020: the area's row of the target is its carried 6 of 10 alone, not applicable on both sides.</summary>
    private static async Task<WhatIfResult> WhatIfOfCarriedAloneAsync(Engine engine, string? area, string target, string subject)
    {
        var whatIf = await engine.Services.GetRequiredService<WhatIfService>()
            .EvaluateAsync(new WhatIfRequest("2020", "proposal.json", Decisions.WhatIfTests.Proposal(), area, "test"));
        var row = whatIf.Rows.Should().ContainSingle(r => r.Target == target && r.SubjectCode == subject).Which;
        (row.Now, row.Proposed).Should().Be((Standing.NotApplicable, Standing.NotApplicable));
        (row.ProposedFigures!.Numerator, row.ProposedFigures.Denominator).Should().Be((6L, 10L));
        return whatIf;
    }

    [Fact]
    public async Task A_warm_update_and_a_what_if_keep_the_emptied_districts_row_as_a_full_run_has_it()
    {
        await using var engine = await EmptiedDistrictAsync("Sqlite", "emptied-warm", keepWarm: true);

        var warm = await WarmRowsAsync(engine, "XA1,2020S2,MEDIATION_SUCCESSES,10,\n");
        warm.Children.Should().Contain(r => r.TargetCode == "KPI-MEDIATION" && r.AreaCode == "D2" && r.Status == AreaStatus.NotApplicable);

        // The committee's KPIs with mediation raised to 90%: D2 is not applicable on both sides, its 6 of 10 shown, and P has no own row.
        var whatIf = await WhatIfOfCarriedAloneAsync(engine, null, "KPI-MEDIATION", "D2");
        whatIf.OwnUnits.Should().NotContain(r => r.Target == "KPI-MEDIATION" && r.SubjectCode == "P", "every count of P's is in D1's or D2's row");
    }

    /// <summary>
    /// P has an agency of its own (CQP) and a third district, D3, with an agency (CQ3) and a commune (C4, unit XA4); every
    /// unit of KPI-COMPLAINTS's population receives 10 complaints a half and resolves 9, but CQ3 resolved 6 of 10 in
    /// 2020S1 and reported nothing after. The year 2020 evaluated (D3 falls short), then D3 dissolved into P on 1 July
    /// (lineage D3 → P, as the 2025 reform's are written): C4 is P's from 1/7, CQ3 closed on 30/9, and the year evaluated
    /// again. CQ3's first half is D3's, carried into no unit left to judge; P's own units are CQP alone.
    /// </summary>
    private static async Task<Engine> DissolvedDistrictAsync(string provider, string name, bool keepWarm = false)
    {
        var engine = await (provider == "Postgres"
            ? Engine.PostgresAsync(name, keepWarm: keepWarm, configure: s => s.AddQcdcDecisions())
            : Engine.SqliteAsync(keepWarm: keepWarm, configure: s => s.AddQcdcDecisions())).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Areas, "d3.csv", "code,name,level,parent_code,valid_from,valid_to\nD3,Huyện Ba,District,P,,\nC4,Xã Bốn,Commune,D3,,\n");
        await engine.ImportAsync(ImportKind.Units, "d3.csv", Province.UnitsHeader
            + "CQP,Văn phòng UBND tỉnh,StateAgency,P,true,40,,,\nCQ3,Phòng Tư pháp huyện Ba,StateAgency,D3,true,10,,,\nXA4,UBND Xã Bốn,Commune,C4,true,20,,,\n");
        var values = string.Concat(new[] { "XA1", "XA2", "XA3", "CQ1", "CQP", "XA4" }.SelectMany(_ => new[] { "2020S1", "2020S2" }, (u, half) =>
                         $"{u},{half},COMPLAINTS_RECEIVED,10,\n{u},{half},COMPLAINTS_RESOLVED,9,\n"))
                     + "CQ3,2020S1,COMPLAINTS_RECEIVED,10,\nCQ3,2020S1,COMPLAINTS_RESOLVED,6,\n";
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + values);
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);
        (await engine.Findings.ListAsync(new FindingFilter("2020") { Target = "KPI-COMPLAINTS" })).Should().Contain(f => f.SubjectCode == "D3",
            "D3 falls short of the year before it is dissolved");

        await engine.ImportAsync(ImportKind.Areas, "dissolved.csv",
            "code,name,level,parent_code,valid_from,valid_to\nD3,Huyện Ba,District,P,,2020-06-30\nC4,Xã Bốn,Commune,D3,,2020-06-30\nC4,Xã Bốn,Commune,P,2020-07-01,\n");
        await engine.ImportAsync(ImportKind.Lineage, "lineage.csv", "predecessor_code,successor_code,effective_from\nD3,P,2020-07-01\n");
        await engine.ImportAsync(ImportKind.Units, "closed.csv", Province.UnitsHeader + "CQ3,Phòng Tư pháp huyện Ba,StateAgency,D3,true,10,,,2020-09-30\n");
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);
        return engine;
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_district_dissolved_into_its_province_on_1_July_keeps_its_carried_counts_on_its_own_row_not_the_provinces_own_units(string provider)
    {
        await using var engine = await DissolvedDistrictAsync(provider, "dissolved");

        var province = await engine.Services.GetRequiredService<ComplianceQueries>().ForAreaAsync("2020", "P");

        RowsAddUp(province);
        var d3 = province.Children.Should().ContainSingle(r => r.TargetCode == "KPI-COMPLAINTS" && r.AreaCode == "D3", "CQ3's carried counts are D3's").Which;
        (d3.PopulationUnits, d3.Numerator, d3.Denominator, d3.Status).Should().Be((0, 6L, 10L, AreaStatus.NotApplicable),
            "CQ3's first half, 6 of 10, over no unit left to judge: not applicable, never met");
        province.Children.Should().ContainSingle(r => r.TargetCode == "KPI-COMPLAINTS" && r.AreaCode == "C4").Which.Should().Match<ComplianceRow>(r =>
            r.PopulationUnits == 1 && r.Numerator == 18 && r.Denominator == 20, "C4 is P's commune from 1/7: XA4's year");
        province.OwnUnits.Should().ContainSingle(r => r.TargetCode == "KPI-COMPLAINTS").Which.Should().Match<ComplianceRow>(r =>
            r.PopulationUnits == 1 && r.Numerator == 18 && r.Denominator == 20, "P's own row holds CQP alone, none of D3's counts");

        var (period, scopes) = await engine.Evaluations.ResolveAsync("2020", null, CancellationToken.None);
        var (facts, _) = await engine.Evaluations.LoadFactsAsync(period, scopes.Single(), CancellationToken.None);
        facts.Carried.Should().ContainSingle().Which.Unit.Path.Select(a => a.Code).Should().Equal(["D3", "P"], "CQ3 sat in D3 on 30/6");
        var rules = engine.Services.GetRequiredService<RuleEngine>();
        foreach (var outcome in new[] { rules.Evaluate(facts), rules.EvaluateInParts(facts, 3, fromReports: 0) })
        {
            var row = outcome.Areas.Single(a => a.Target.Code == "KPI-COMPLAINTS" && a.Area.Code == "D3");
            (row.Population, row.Numerator, row.Denominator).Should().Be((0, 6, 10), "a run in parts adds CQ3's counts to D3 once, as a run in one");
        }

        var overviews = ActivatorUtilities.CreateInstance<OverviewQueries>(engine.Services);
        var report = await ActivatorUtilities.CreateInstance<ReviewReportQueries>(engine.Services, overviews).LoadAsync("2020", "P");
        (report.ChildFigures.Single(c => c.AreaCode == "D3").Sum("COMPLAINTS_RESOLVED"), report.ChildFigures.Single(c => c.AreaCode == "D3").Sum("COMPLAINTS_RECEIVED"))
            .Should().Be((6, 10), "the report's row of D3 holds CQ3's first half");
        (report.OwnFigures!.Sum("COMPLAINTS_RESOLVED"), report.OwnFigures.Sum("COMPLAINTS_RECEIVED")).Should().Be((18, 20), "the report's own units are CQP alone");

        var resolved = (await engine.Findings.ListAsync(new FindingFilter("2020") { Target = "KPI-COMPLAINTS", State = FindingState.Resolved }))
            .Should().ContainSingle(f => f.SubjectCode == "D3").Which;
        resolved.Resolution.Should().Be(FindingResolution.NoLongerEvaluated, "nothing of D3 was put right: it has no unit left to judge");
        FindingExplanation.State(resolved, vietnamese: true).Should().Be("Không còn được đánh giá: chỉ tiêu không còn áp dụng");
    }

    [Fact]
    public async Task A_warm_update_and_a_what_if_keep_the_dissolved_districts_row_as_a_full_run_has_it()
    {
        await using var engine = await DissolvedDistrictAsync("Sqlite", "dissolved-warm", keepWarm: true);

        var warm = await WarmRowsAsync(engine, "XA1,2020S2,COMPLAINTS_RESOLVED,10,\n");
        warm.Children.Should().Contain(r => r.TargetCode == "KPI-COMPLAINTS" && r.AreaCode == "D3" && r.Status == AreaStatus.NotApplicable);

        var whatIf = await WhatIfOfCarriedAloneAsync(engine, "P", "KPI-COMPLAINTS", "D3");
        var own = whatIf.OwnUnits.Should().ContainSingle(r => r.Target == "KPI-COMPLAINTS" && r.SubjectCode == "P", "CQP is P's own unit").Which;
        (own.ProposedFigures!.Numerator, own.ProposedFigures.Denominator).Should().Be((36L, 40L),
            "CQP's 18 of 20 and XA4's (C4, a commune, has no row of a target measured over districts), none of D3's 6 of 10");
    }

    private const string MovesHeader = "code,name,kind,area_code,has_trade_union,headcount,contact_email,active_from,active_to,changed_on\n";

    /// <summary>
    /// CQ8, an agency of D1 on 30/6/2020 moved to C3 (in D2) from 1/8 and closed on 30/11, and CQ7, of D2 on 30/6 moved to
    /// D1 from 1/8 and still active: each received 4 complaints in 2020S1 and resolved 1; the year 2020 evaluated.
    /// </summary>
    private static async Task<Engine> MovedAgenciesAsync()
    {
        var engine = await Engine.SqliteAsync(configure: s => s.AddQcdcDecisions()).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Units, "units.csv", Province.UnitsHeader + "CQ8,Thanh tra huyện,StateAgency,D1,true,10,,,\nCQ7,Phòng Tư pháp,StateAgency,D2,true,10,,,\n");
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader
            + "CQ8,2020S1,COMPLAINTS_RECEIVED,4,\nCQ8,2020S1,COMPLAINTS_RESOLVED,1,\nCQ7,2020S1,COMPLAINTS_RECEIVED,4,\nCQ7,2020S1,COMPLAINTS_RESOLVED,1,\n");
        await engine.ImportAsync(ImportKind.Units, "moves.csv", MovesHeader
            + "CQ8,Thanh tra huyện,StateAgency,C3,true,10,,,,2020-08-01\nCQ7,Phòng Tư pháp,StateAgency,D1,true,10,,,,2020-08-01\n");
        await engine.ImportAsync(ImportKind.Units, "closed.csv", MovesHeader + "CQ8,Thanh tra huyện,StateAgency,C3,true,10,,,2020-11-30,\n");
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);
        return engine;
    }

    [Fact]
    public async Task A_signed_off_year_locks_the_first_half_of_a_unit_moved_then_closed_where_the_year_carries_it_not_where_it_closed()
    {
        await using var engine = await MovedAgenciesAsync();
        var (period, scopes) = await engine.Evaluations.ResolveAsync("2020", null, CancellationToken.None);
        (await engine.Evaluations.LoadFactsAsync(period, scopes.Single(), CancellationToken.None)).Facts.Carried.Should().ContainSingle()
            .Which.Unit.Path.Select(a => a.Code).Should().Equal(["D1", "P"], "CQ8's first half counts in D1's year, where it sat on 30/6");
        var signOffs = engine.Services.GetRequiredService<SignOffService>();
        var fix = () => engine.ImportAsync(ImportKind.Values, "fix.csv", Province.ValuesHeader + "CQ8,2020S1,COMPLAINTS_RESOLVED,4,\n");

        await signOffs.SignOffAsync("2020", "D1", "Năm đã rà soát", "committee@D1");
        var before = await engine.CountsAsync();
        (await fix.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle()
            .Which.Message.Should().Contain("2020 of D1 was signed off by committee@D1").And.Contain("values of unit CQ8 for 2020S1 that the year 2020 sums are locked (COMPLAINTS_RESOLVED:");
        (await engine.CountsAsync()).Should().Be(before, "nothing of the file is stored");

        // D2's year, where CQ8 sat when it closed, does not read its first half: its sign-off leaves the value free.
        await signOffs.ReopenAsync("2020", "D1", "Sửa số liệu", "committee@D1");
        await signOffs.SignOffAsync("2020", "D2", "Năm đã rà soát", "committee@D2");
        (await fix()).Updated.Should().Be(1);
    }

    [Fact]
    public async Task Closing_a_unit_moved_after_the_first_half_is_refused_when_the_year_of_the_area_it_sat_in_then_is_signed_off()
    {
        await using var engine = await MovedAgenciesAsync();
        await engine.Services.GetRequiredService<SignOffService>().SignOffAsync("2020", "D2", "Năm đã rà soát", "committee@D2");

        // Closed on 31/10, CQ7 leaves D1's year, and its first half (in D2 on 30/6) would join D2's signed year.
        var close = () => engine.ImportAsync(ImportKind.Units, "close.csv", MovesHeader + "CQ7,Phòng Tư pháp,StateAgency,D1,true,10,,,2020-10-31,\n");
        var problem = (await close.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle().Which;
        problem.Column.Should().Be("active_to");
        problem.Message.Should().StartWith("unit CQ7 would leave the units of 2020").And.Contain("2020 of D2 was signed off by committee@D2");
        ImportWording.Vietnamese(problem).Should().StartWith("đơn vị CQ7 sẽ bị bỏ khỏi các đơn vị của");

        // Closed after the year, it changes nothing D2 signed.
        (await engine.ImportAsync(ImportKind.Units, "later.csv", MovesHeader + "CQ7,Phòng Tư pháp,StateAgency,D1,true,10,,,2021-01-31,\n")).Updated.Should().Be(1);
    }

    /// <summary>
    /// D3 and D4, districts of P, dissolved on 1/7/2020 onto nothing (no lineage): CQ3, D3's agency, reported 6 of 10
    /// complaints resolved in 2020S1 and closed on 30/9. The year carries its first half on D3's own row, D3 kept above P
    /// (<see cref="AreaTree.PathKeptOn"/>): the province's year sign-off locks it there, as the run places it.
    /// </summary>
    [Fact]
    public async Task A_provinces_signed_year_locks_the_first_half_of_a_district_dissolved_on_1_July_where_the_run_carries_it()
    {
        await using var engine = await Engine.SqliteAsync(configure: s => s.AddQcdcDecisions()).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Areas, "d34.csv", "code,name,level,parent_code,valid_from,valid_to\nD3,Huyện Ba,District,P,,\nD4,Huyện Bốn,District,P,,\n");
        await engine.ImportAsync(ImportKind.Units, "cq3.csv", Province.UnitsHeader + "CQ3,Phòng Tư pháp huyện Ba,StateAgency,D3,true,10,,,\n");
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + "CQ3,2020S1,COMPLAINTS_RECEIVED,10,\nCQ3,2020S1,COMPLAINTS_RESOLVED,6,\n");
        await engine.ImportAsync(ImportKind.Areas, "dissolved.csv",
            "code,name,level,parent_code,valid_from,valid_to\nD3,Huyện Ba,District,P,,2020-06-30\nD4,Huyện Bốn,District,P,,2020-06-30\n");
        await engine.ImportAsync(ImportKind.Units, "closed.csv", Province.UnitsHeader + "CQ3,Phòng Tư pháp huyện Ba,StateAgency,D3,true,10,,,2020-09-30\n");
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);
        var (period, scopes) = await engine.Evaluations.ResolveAsync("2020", null, CancellationToken.None);
        (await engine.Evaluations.LoadFactsAsync(period, scopes.Single(), CancellationToken.None)).Facts.Carried.Should().ContainSingle()
            .Which.Unit.Path.Select(a => a.Code).Should().Equal(["D3", "P"], "CQ3's first half stays D3's, D3 kept above P");
        await engine.Services.GetRequiredService<SignOffService>().SignOffAsync("2020", "P", "Năm đã rà soát", "committee@P");
        var before = await engine.CountsAsync();

        // Its first half's counts, which the year sums, are locked by the province's year.
        var fix = () => engine.ImportAsync(ImportKind.Values, "fix.csv", Province.ValuesHeader + "CQ3,2020S1,COMPLAINTS_RESOLVED,8,\n");
        (await fix.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle()
            .Which.Message.Should().Contain("2020 of P was signed off by committee@P").And.Contain("values of unit CQ3 for 2020S1 that the year 2020 sums are locked");

        // Moved back to D4 from before the first half ended, CQ3 would take its counts from D3's row of the signed year to D4's.
        var move = () => engine.ImportAsync(ImportKind.Units, "move.csv", MovesHeader + "CQ3,Phòng Tư pháp huyện Ba,StateAgency,D4,true,10,,,2020-09-30,2020-01-01\n");
        (await move.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle()
            .Which.Message.Should().StartWith("the change of unit CQ3").And.Contain("2020 of P was signed off by committee@P");
        (await engine.CountsAsync()).Should().Be(before, "nothing of either file is stored");
    }
}
