using System.Text.Json.Nodes;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using static QcdcCompliance.Tests.Rules.RuleSession;

namespace QcdcCompliance.Tests.Rules;

/// <summary>
/// What a unit owes, and what an area's figure means while some of its units have not reported, through a compiled
/// session: a unit is "not reported" only for what the targets in force read of it and the regime requires of its
/// kind; an area's share or ratio is never met while units of its population are missing.
/// </summary>
public sealed class DutiesAndCompletenessRuleTests
{
    private static RuleSession HalfYearTargets() =>
        new RuleSession().Target("NQ02-1").Target("NQ02-3").Target("NQ02-4").Target("QD11-CITIZEN-RECEPTION").Target("REPORTED");

    [Fact]
    public void A_village_and_a_non_union_enterprise_that_reported_what_the_targets_read_have_no_REPORTED_finding()
    {
        var s = HalfYearTargets();
        s.Unit("TH1", UnitKind.Village, InCommune1);
        s.Unit("DN1", UnitKind.NonStateEnterprise, InCommune1, union: false,
            values: [(Indicators.RegulationIssued, 1), (Indicators.PeopleInformed, 40), (Indicators.PeopleToInform, 40)]);

        var result = s.Fire();

        result.Flagged("REPORTED").Should().BeEmpty("no target in force in 2020 reads anything of a village, and a non-union enterprise owes neither disclosure nor the front's figures");
    }

    [Fact]
    public void REPORTED_lists_exactly_what_was_owed_and_is_missing()
    {
        var s = HalfYearTargets();
        s.Unit("DN1", UnitKind.NonStateEnterprise, InCommune1, union: false, values: [(Indicators.RegulationIssued, 1), (Indicators.PeopleInformed, 40)]);
        s.Unit("DN2", UnitKind.NonStateEnterprise, InCommune1, union: true, values: [(Indicators.RegulationIssued, 1), (Indicators.PeopleInformed, 40), (Indicators.PeopleToInform, 40)]);
        s.Unit("MT1", UnitKind.FrontAndMassOrganisations, InCommune1, values: (IndicatorCatalogue.Get("PROPAGANDA_SESSIONS"), 3));

        var result = s.Fire();

        Evidence(result, "REPORTED", "DN1")["missing"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal("PEOPLE_TO_INFORM");
        Evidence(result, "REPORTED", "DN2")["missing"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal(["DISCLOSURE_POSTED"],
            "an enterprise with a union must post its disclosures (NQ02-4)");
        Evidence(result, "REPORTED", "MT1")["missing"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal(["PROPAGANDA_ATTENDEES"],
            "the front reports the propaganda figures under the reporting regime");
    }

    [Fact]
    public void A_commune_owes_the_regimes_statistics_but_no_unit_owes_the_front_figures_unless_it_is_the_front()
    {
        var duties = HalfYearTargets().Duties;
        var commune = new UnitFact(1, "XA1", "XA1", UnitKind.Commune, true, InCommune1, null);
        var village = new UnitFact(2, "TH1", "TH1", UnitKind.Village, false, InCommune1, null);
        var front = new UnitFact(3, "MT1", "MT1", UnitKind.FrontAndMassOrganisations, false, InCommune1, null);

        duties.Owed(commune).Select(i => i.Code).Should().Contain(["MEDIATION_CASES", "INSPECTION_SUPERVISIONS", "CITIZEN_RECEPTION_DAYS", "REGULATION_ISSUED"])
            .And.NotContain(["PROPAGANDA_SESSIONS", "MODELS_REGISTERED"]);
        duties.Owed(village).Should().BeEmpty();
        duties.Owed(front).Select(i => i.Code).Should().Equal("PROPAGANDA_SESSIONS", "PROPAGANDA_ATTENDEES");
    }

    [Theory]
    [InlineData("NQ02-1")]
    [InlineData("NQ02-3")]
    public void A_district_with_one_unit_of_ten_not_reported_is_incomplete_never_met(string target)
    {
        var s = new RuleSession().Target(target);
        for (var i = 1; i <= 9; i++)
            s.Unit($"CQ{i}", UnitKind.StateAgency, InCommune1, values: [(Indicators.RegulationIssued, 1), (Indicators.PeopleInformed, 10), (Indicators.PeopleToInform, 10)]);
        s.Unit("CQ10", UnitKind.StateAgency, InCommune2);
        s.Unit("XA3", UnitKind.Commune, InCommune3, values: [(Indicators.RegulationIssued, 1), (Indicators.PeopleInformed, 10), (Indicators.PeopleToInform, 10)]);

        var result = s.Fire();

        result.Area(target, District1)!.Status.Should().Be(AreaStatus.Incomplete, "everyone who reported complies, but a unit of ten has not reported");
        result.Area(target, District2)!.Status.Should().Be(AreaStatus.Met);
        var evidence = Evidence(result, target, "D1");
        ((int)evidence["reportedUnits"]!, (int)evidence["populationUnits"]!).Should().Be((9, 10));
        evidence["share"]!.GetValue<string>().Should().Be("1.0000", "the figure so far, over the units that reported");
        evidence["unitsNotReported"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal("CQ10");
        result.Findings.Single(f => f.SubjectCode == "D1").Measurement.Outcome.Should().Be(FindingOutcome.Incomplete);
    }

    [Fact]
    public void An_area_short_whatever_its_missing_units_report_is_short_not_incomplete_but_a_ratio_never_is()
    {
        var s = new RuleSession().Target("NQ02-1").Target("NQ02-3");
        s.Unit("CQ1", UnitKind.StateAgency, InCommune1, values: [(Indicators.RegulationIssued, 0), (Indicators.PeopleInformed, 1), (Indicators.PeopleToInform, 10)]);
        s.Unit("CQ2", UnitKind.StateAgency, InCommune1, values: (Indicators.RegulationIssued, 1));
        s.Unit("CQ3", UnitKind.StateAgency, InCommune2);

        var result = s.Fire();

        result.Area("NQ02-1", District1)!.Status.Should().Be(AreaStatus.Short, "1 of 3 can reach at most 2 of 3, never 100%");
        result.Area("NQ02-3", District1)!.Status.Should().Be(AreaStatus.Incomplete, "the missing units' counts could be anything");
    }

    [Fact]
    public void Under_a_cap_the_units_counted_fall_short_and_an_area_is_short_only_if_no_answer_of_its_missing_units_can_meet_it()
    {
        // "At most 50% of units": the units answering yes are those that must change.
        var s = new RuleSession().Target("NQ02-1", t => t.Threshold = new Threshold(ComparisonOperator.AtMost, 500_000));
        s.Unit("CQ1", UnitKind.StateAgency, InCommune1, values: (Indicators.RegulationIssued, 1));
        s.Unit("CQ2", UnitKind.StateAgency, InCommune1, values: (Indicators.RegulationIssued, 0));
        s.Unit("CQ3", UnitKind.StateAgency, InCommune1, values: (Indicators.RegulationIssued, 0));
        s.Unit("CQ4", UnitKind.StateAgency, InCommune2, values: (Indicators.RegulationIssued, 1));
        s.Unit("CQ8", UnitKind.StateAgency, InCommune2);
        var commune4 = new AreaRef(7, "C4", "Xã 4", AreaLevel.Commune);
        s.Unit("CQ9", UnitKind.StateAgency, [commune4, District1, Province]);
        s.Unit("CQ5", UnitKind.StateAgency, InCommune3, values: (Indicators.RegulationIssued, 1));
        s.Unit("CQ6", UnitKind.StateAgency, InCommune3, values: (Indicators.RegulationIssued, 1));
        s.Unit("CQ7", UnitKind.StateAgency, InCommune3);

        var result = s.Fire();

        result.Area("NQ02-1", Commune1)!.Status.Should().Be(AreaStatus.Met, "1 of 3 is at most 50%");
        result.Area("NQ02-1", Commune2)!.Status.Should().Be(AreaStatus.Incomplete, "1 of 2 is 50% if CQ8 answers no: it must report");
        result.Area("NQ02-1", commune4)!.Status.Should().Be(AreaStatus.Incomplete, "nobody has reported: not short");
        result.Area("NQ02-1", District1)!.Status.Should().Be(AreaStatus.Incomplete, "2 of 6 if CQ8 and CQ9 answer no");
        result.Area("NQ02-1", District2)!.Status.Should().Be(AreaStatus.Short, "2 of 3 even if CQ7 answers no");
        result.Flagged("NQ02-1").Should().Equal(["CQ1", "CQ4", "CQ5", "CQ6", "CQ7", "CQ8", "CQ9"], "those that answered no meet the cap");

        // The gap counts the units not reported as counted until they report: 4 of 6 must come down to 3.
        var d1 = result.Findings.Single(f => f.TargetCode == "NQ02-1" && f.SubjectCode == "D1");
        (d1.Measurement.Outcome, d1.Measurement.Gap).Should().Be((FindingOutcome.Incomplete, 1L));
        var gap = Evidence(result, "NQ02-1", "D1")["gap"]!;
        gap["candidates"]!.AsArray().Select(c => c!["unit"]!.GetValue<string>()).Should().Equal("CQ1", "CQ4", "CQ8", "CQ9");
        gap["vi"]!.GetValue<string>().Should().StartWith("cần giảm 1 đơn vị ");
        gap["en"]!.GetValue<string>().Should().StartWith("1 fewer unit answering yes: ");
        result.Findings.Single(f => f.TargetCode == "NQ02-1" && f.SubjectCode == "D2").Measurement.Gap.Should().Be(2, "two of CQ5, CQ6 and CQ7 must answer no");
    }

    [Fact]
    public void A_coverage_threshold_set_by_the_target_lets_a_nearly_complete_area_be_judged()
    {
        var s = new RuleSession().Target("NQ02-1", t => t.CoverageMillionths = 900_000);
        for (var i = 1; i <= 9; i++)
            s.Unit($"CQ{i}", UnitKind.StateAgency, InCommune1, values: (Indicators.RegulationIssued, 1));
        s.Unit("CQ10", UnitKind.StateAgency, InCommune2);

        var result = s.Fire();

        result.Area("NQ02-1", District1)!.Status.Should().Be(AreaStatus.Met, "9 of 10 reported reaches the 90% coverage, and all 9 comply");
        result.Flagged("NQ02-1").Should().Equal(["CQ10"], "the unit that did not report still falls short itself");
    }

    [Fact]
    public void A_target_bound_to_a_district_measures_only_its_subtree_and_rolls_up_no_higher()
    {
        var s = new RuleSession().Target("NQ02-1", bound: District1);
        s.Unit("CQ1", UnitKind.StateAgency, InCommune1, values: (Indicators.RegulationIssued, 0));
        s.Unit("CQ3", UnitKind.StateAgency, InCommune3, values: (Indicators.RegulationIssued, 0));

        var result = s.Fire();

        result.Flagged("NQ02-1").Should().Equal("CQ1");
        result.Area("NQ02-1", District1)!.Status.Should().Be(AreaStatus.Short);
        result.Area("NQ02-1", District2).Should().BeNull();
        result.Area("NQ02-1", Province).Should().BeNull("a district's set says nothing of the province");
    }

    [Fact]
    public void A_provinces_target_reusing_a_shipped_rule_by_name_gives_the_same_findings_as_the_rules_own_target()
    {
        var own = new RuleSession("2020").Target("NQ02-6b");
        var (set, shipped) = ShippedTarget("NQ02-6b", own.Period);
        var reused = new RuleSession("2020").Target(set, new Target
        {
            Code = "QB-6", RuleName = "NQ02-6b", Indicators = "", Population = shipped.Population, Threshold = shipped.Threshold,
            MeasuredOver = shipped.MeasuredOver, Periods = shipped.Periods, Severity = shipped.Severity, TextVi = "Tỉnh khác dùng lại chỉ tiêu 6b",
        });
        foreach (var s in new[] { own, reused })
        {
            for (var i = 0; i < 10; i++)
                s.Unit($"DN{i}", UnitKind.NonStateEnterprise, i < 6 ? InCommune1 : InCommune3, union: true, values: (Indicators.CollectiveAgreementSigned, i % 3 == 0 ? 0 : 1));
        }

        var (a, b) = (own.Fire().Findings, reused.Fire().Findings);

        b.Should().NotBeEmpty();
        b.Select(f => (f.SubjectType, f.SubjectCode, f.Measurement)).Should().Equal(a.Select(f => (f.SubjectType, f.SubjectCode, f.Measurement)));
        b.Should().OnlyContain(f => f.TargetCode == "QB-6");
    }

    private static JsonNode Evidence(Result result, string target, string subject) =>
        JsonNode.Parse(result.Findings.Single(f => f.TargetCode == target && f.SubjectCode == subject).Evidence)!;
}
