using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Submissions;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace QcdcCompliance.Tests.Evaluation;

/// <summary>
/// How a year reads its halves and which units it counts, on the edges a review finds: a half not reported, a unit
/// opened in the second half or closed during the year, a half-year minimum over a year's sum, and a year figure each
/// half must collect.
/// </summary>
public sealed class YearReadingTests
{
    private static async Task<Engine> ProvinceAsync(string values, string? moreUnits = null)
    {
        var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        if (moreUnits is not null)
            await engine.ImportAsync(ImportKind.Units, "more.csv", Province.UnitsHeader + moreUnits);
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + values);
        return engine;
    }

    [Fact]
    public async Task A_half_not_reported_leaves_the_years_sum_missing_never_counted_as_zero()
    {
        // XA1 held no dialogue in S1 and reported nothing for S2; XA2 reported 1 + 0; XA3 0 + 0.
        await using var engine = await ProvinceAsync("""
            XA1,2020S1,DIALOGUE_CONFERENCES,0,
            XA2,2020S1,DIALOGUE_CONFERENCES,1,
            XA2,2020S2,DIALOGUE_CONFERENCES,0,
            XA3,2020S1,DIALOGUE_CONFERENCES,0,
            XA3,2020S2,DIALOGUE_CONFERENCES,0,

            """);

        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);

        var findings = (await engine.Findings.ListAsync(new FindingFilter("2020") { Target = "NQ02-2" }))
            .Where(f => f.SubjectType == SubjectType.Unit).ToDictionary(f => f.SubjectCode, f => f.Measurement.Outcome);
        findings.Should().BeEquivalentTo(new Dictionary<string, FindingOutcome>
        {
            ["XA1"] = FindingOutcome.Missing,
            ["XA3"] = FindingOutcome.Short,
        }, "XA1's S2 is unknown, so its year is not known to be short; XA2 held one in S1");
        var reported = await engine.Findings.ListAsync(new FindingFilter("2020") { Target = ReportingTarget.Code, Unit = "XA1" });
        reported.Should().ContainSingle().Which.Evidence.Should().Contain("DIALOGUE_CONFERENCES");
    }

    [Fact]
    public async Task A_ratio_of_the_years_counts_with_a_half_unknown_is_incomplete_not_met()
    {
        // Every commune reported S1 (8 of 10 settled, above 70%); XA3 reported nothing for S2.
        var values = string.Concat(new[] { "XA1", "XA2", "XA3" }.Select(u =>
            $"{u},2020S1,MEDIATION_CASES,10,\n{u},2020S1,MEDIATION_SUCCESSES,8,\n"))
            + "XA1,2020S2,MEDIATION_CASES,10,\nXA1,2020S2,MEDIATION_SUCCESSES,8,\nXA2,2020S2,MEDIATION_CASES,10,\nXA2,2020S2,MEDIATION_SUCCESSES,8,\n";
        await using var engine = await ProvinceAsync(values);

        var run = (await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual)).Single();

        var province = run.Areas.Single(a => a.TargetCode == "KPI-MEDIATION" && a.AreaCode == "P");
        province.Status.Should().Be(AreaStatus.Incomplete, "XA3's second half could hold any number of cases");
        province.MissingUnits.Should().Be(1);
    }

    [Fact]
    public async Task A_unit_opened_in_the_second_half_sums_that_half_alone()
    {
        await using var engine = await ProvinceAsync("""
            XA1,2020S1,DIALOGUE_CONFERENCES,1,
            XA1,2020S2,DIALOGUE_CONFERENCES,0,
            XA2,2020S1,DIALOGUE_CONFERENCES,1,
            XA2,2020S2,DIALOGUE_CONFERENCES,0,
            XA3,2020S1,DIALOGUE_CONFERENCES,1,
            XA3,2020S2,DIALOGUE_CONFERENCES,0,
            XA4,2020S2,DIALOGUE_CONFERENCES,1,

            """, "XA4,UBND Xã Bốn,Commune,C3,false,10,,2020-08-01,\n");

        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);

        var findings = await engine.Findings.ListAsync(new FindingFilter("2020") { Target = "NQ02-2" });
        findings.Should().NotContain(f => f.SubjectType == SubjectType.Unit, "XA4 opened on 1/8 and held its dialogue in the half it was in");
    }

    [Fact]
    public async Task A_unit_closed_during_the_year_is_not_one_of_the_years_units()
    {
        // XA5 merged away on 30/6/2020: it reported its first half, and the year counts the units at its end.
        await using var engine = await ProvinceAsync("""
            XA1,2020S1,DIALOGUE_CONFERENCES,1,
            XA1,2020S2,DIALOGUE_CONFERENCES,0,
            XA5,2020S1,DIALOGUE_CONFERENCES,1,
            XA5,2020S1,REGULATION_ISSUED,true,

            """, "XA5,UBND Xã Năm,Commune,C3,false,10,,,2020-06-30\n");

        var year = (await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual)).Single();
        var half = (await engine.Evaluations.EvaluateAsync("2020S2", null, RunTrigger.Manual)).Single();

        var findings = (await engine.Findings.ListAsync(new FindingFilter("2020"))).Concat(await engine.Findings.ListAsync(new FindingFilter("2020S2")));
        findings.Should().NotContain(f => f.SubjectCode == "XA5");
        year.Areas.Single(a => a.TargetCode == "NQ02-2" && a.AreaCode == "P").PopulationUnits.Should().Be(3, "XA1, XA2 and XA3; not XA5");
        year.Areas.Where(a => a.AreaCode == "P" && a.TargetCode == "NQ02-1").Should().OnlyContain(a => a.PopulationUnits == half.Areas
            .Single(h => h.AreaCode == "P" && h.TargetCode == "NQ02-1").PopulationUnits, "the year's end-of-year readings count the units of its second half");
    }

    [Fact]
    public async Task A_half_year_minimum_is_doubled_over_a_years_sum_of_its_halves()
    {
        // QĐ 11: at least 12 days a half-year (2 a month). XA2 received citizens 12 + 9 = 21 days in 2020: below 24.
        await using var engine = await ProvinceAsync("""
            XA1,2020S1,CITIZEN_RECEPTION_DAYS,12,
            XA1,2020S2,CITIZEN_RECEPTION_DAYS,12,
            XA2,2020S1,CITIZEN_RECEPTION_DAYS,12,
            XA2,2020S2,CITIZEN_RECEPTION_DAYS,9,
            XA3,2020S1,CITIZEN_RECEPTION_DAYS,15,
            XA3,2020S2,CITIZEN_RECEPTION_DAYS,10,

            """);

        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);

        var (_, _, totals, _) = await engine.Services.GetRequiredService<ComplianceQueries>().ForAreaAsync("2020", "P");
        var province = totals.Single(t => t.TargetCode == "QD11-CITIZEN-RECEPTION");
        (province.PopulationUnits, province.MetUnits).Should().Be((3, 2), "XA1 (24) and XA3 (25) received citizens 24 days; XA2 (21) did not");

        // QĐ 11 binds each commune's secretary (measured over units): the year restates it over the districts and the
        // province, so the province's shortfall the review states is a finding an auditor lists, and no unit is flagged again.
        var findings = await engine.Findings.ListAsync(new FindingFilter("2020") { Target = "QD11-CITIZEN-RECEPTION" });
        findings.Should().NotContain(f => f.SubjectType == SubjectType.Unit, "XA2 was flagged and told in its half-year");
        findings.Should().Contain(f => f.SubjectType == SubjectType.Area && f.SubjectCode == "P" && f.Measurement.Outcome == FindingOutcome.Short);
    }

    [Fact]
    public async Task A_unit_opened_in_the_second_half_owes_one_halfs_minimum_over_the_year()
    {
        // XA4 opened on 1/8/2020 (a commune made by a merger) and received citizens 12 days in the half it was in: 2 a
        // month, as QĐ 11 asks. XA5, opened the same day, received 9. XA3 was in both halves and received 12 + 9.
        await using var engine = await ProvinceAsync("""
            XA3,2020S1,CITIZEN_RECEPTION_DAYS,12,
            XA3,2020S2,CITIZEN_RECEPTION_DAYS,9,
            XA4,2020S2,CITIZEN_RECEPTION_DAYS,12,
            XA5,2020S2,CITIZEN_RECEPTION_DAYS,9,

            """, "XA4,UBND Xã Bốn,Commune,C3,false,10,,2020-08-01,\nXA5,UBND Xã Năm,Commune,C3,false,10,,2020-08-01,\n");

        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);

        var (_, _, totals, _) = await engine.Services.GetRequiredService<ComplianceQueries>().ForAreaAsync("2020", "C3");
        var commune = totals.Single(t => t.TargetCode == "QD11-CITIZEN-RECEPTION");
        (commune.PopulationUnits, commune.MetUnits).Should().Be((3, 1), "XA4's 12 days in its one half meet 12 a half-year; XA5's 9 do not, nor XA3's 21 over two halves");
    }

    [Fact]
    public async Task A_year_target_over_a_half_year_count_is_owed_and_asked_in_each_half()
    {
        // NQ02-2 (a year target) reads the communes' dialogues of each half: XA3 did not report its S1 figure.
        await using var engine = await ProvinceAsync("""
            XA1,2020S1,DIALOGUE_CONFERENCES,1,
            XA2,2020S1,DIALOGUE_CONFERENCES,0,

            """);

        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        var missing = await engine.Findings.ListAsync(new FindingFilter("2020S1") { Target = ReportingTarget.Code });
        missing.Single(f => f.SubjectCode == "XA3").Evidence.Should().Contain("DIALOGUE_CONFERENCES");
        missing.Where(f => f.SubjectCode is "XA1" or "XA2").Should().OnlyContain(f => !f.Evidence.Contains("DIALOGUE_CONFERENCES"));
        var template = await engine.Services.GetRequiredService<ReportingTemplates>().ForAreaAsync("2020S1", "P");
        template.Columns.Select(i => i.Code).Should().Contain("DIALOGUE_CONFERENCES");
    }

    [Fact]
    public async Task A_finding_cites_the_legal_basis_in_force_on_its_periods_last_day()
    {
        // Decree 60/2013 (a workplace dialogue every three months) ended on 31/1/2021; the Labour Code 2019 is in force from 1/1/2021.
        await using var engine = await ProvinceAsync("""
            XA2,2020S2,REGULATION_ISSUED,false,
            XA2,2021S1,REGULATION_ISSUED,false,

            """);
        await engine.Evaluations.EvaluateAsync("2020S2", null, RunTrigger.Manual);
        await engine.Evaluations.EvaluateAsync("2021S1", null, RunTrigger.Manual);

        async Task<string> BasisAsync(string period)
        {
            var finding = (await engine.Findings.ListAsync(new FindingFilter(period) { Target = "NQ02-1", Unit = "XA2" })).Single();
            return string.Join(" | ", System.Text.Json.Nodes.JsonNode.Parse(finding.Evidence)!["legalBasis"]!.AsArray().Select(t => t!.GetValue<string>()));
        }

        (await BasisAsync("2020S2")).Should().Contain("Nghị định số 60/2013").And.NotContain("Bộ luật Lao động năm 2019");
        (await BasisAsync("2021S1")).Should().Contain("Bộ luật Lao động năm 2019").And.NotContain("Nghị định số 60/2013");
    }
}
