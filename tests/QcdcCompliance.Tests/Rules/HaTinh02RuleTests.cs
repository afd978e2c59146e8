using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using static QcdcCompliance.Tests.Rules.RuleSession;

namespace QcdcCompliance.Tests.Rules;

/// <summary>Target set 1: Hà Tĩnh resolution 02-NQ/TU, through a compiled session.</summary>
public sealed class HaTinh02RuleTests
{
    [Fact]
    public void NQ02_1_flags_each_unit_without_its_regulation_and_the_districts_short_of_100_percent()
    {
        var s = new RuleSession().Target("NQ02-1");
        s.Unit("XA1", UnitKind.Commune, InCommune1, values: (Indicators.RegulationIssued, 1));
        s.Unit("CQ1", UnitKind.StateAgency, InCommune1, values: (Indicators.RegulationIssued, 0));
        s.Unit("DN1", UnitKind.NonStateEnterprise, InCommune3, values: (Indicators.RegulationIssued, 1));
        s.Unit("LL1", UnitKind.ArmedForces, InCommune3);
        s.Unit("TH1", UnitKind.Village, InCommune3);

        var result = s.Fire();

        result.Flagged("NQ02-1").Should().Equal("CQ1", "LL1");
        result.Area("NQ02-1", District1)!.Should().Match<AreaOutcome>(a => a.Population == 2 && a.Met == 1 && a.Status == AreaStatus.Short);
        result.Area("NQ02-1", District2)!.Should().Match<AreaOutcome>(a => a.Population == 2 && a.Met == 1 && a.Missing == 1 && a.Status == AreaStatus.Incomplete,
            "LL1 has not reported: the district cannot be judged, and is never met");
        result.Area("NQ02-1", Province)!.Should().Match<AreaOutcome>(a => a.Population == 4 && a.Met == 2);
        result.Findings.Where(f => f.SubjectType == SubjectType.Area).Select(f => f.SubjectCode).Should().Equal("D1", "D2", "P");
    }

    [Fact]
    public void NQ02_1_an_area_that_holds_only_villages_is_not_applicable_never_flagged()
    {
        var s = new RuleSession().Target("NQ02-1");
        s.Unit("XA1", UnitKind.Commune, InCommune1, values: (Indicators.RegulationIssued, 1));
        s.Unit("TH3", UnitKind.Village, InCommune3);

        var result = s.Fire();

        result.Area("NQ02-1", District2).Should().BeNull("no unit of the population is in it");
        result.Findings.Should().NotContain(f => f.SubjectCode == "D2" || f.SubjectCode == "C3");
        result.Area("NQ02-1", Province)!.Status.Should().Be(AreaStatus.Met);
    }

    [Fact]
    public void NQ02_2_flags_a_commune_without_a_dialogue_and_reads_its_minimum_from_the_target()
    {
        var s = new RuleSession().Target("NQ02-2");
        s.Unit("XA1", UnitKind.Commune, InCommune1, values: (Indicators.DialogueConferences, 1));
        s.Unit("XA2", UnitKind.Commune, InCommune2, values: (Indicators.DialogueConferences, 0));
        s.Unit("XA3", UnitKind.Commune, InCommune3, values: (Indicators.DialogueConferences, 2));
        s.Fire().Flagged("NQ02-2").Should().Equal("XA2");

        var stricter = new RuleSession().Target("NQ02-2", t => t.Minimum = 2);
        stricter.Unit("XA1", UnitKind.Commune, InCommune1, values: (Indicators.DialogueConferences, 1));
        stricter.Unit("XA3", UnitKind.Commune, InCommune3, values: (Indicators.DialogueConferences, 2));
        stricter.Fire().Flagged("NQ02-2").Should().Equal("XA1");
    }

    [Fact]
    public void NQ02_3_compares_each_units_ratio_and_sums_numerators_and_denominators_per_area()
    {
        var s = new RuleSession().Target("NQ02-3");
        s.Unit("XA1", UnitKind.Commune, InCommune1, values: [(Indicators.PeopleInformed, 30), (Indicators.PeopleToInform, 30)]);
        s.Unit("CQ1", UnitKind.StateAgency, InCommune1, values: [(Indicators.PeopleInformed, 1), (Indicators.PeopleToInform, 10)]);
        s.Unit("SN1", UnitKind.PublicServiceUnit, InCommune2, values: [(Indicators.PeopleInformed, 0), (Indicators.PeopleToInform, 0)]);

        var result = s.Fire();

        result.Flagged("NQ02-3").Should().Equal("CQ1");
        var district = result.Area("NQ02-3", District1)!;
        (district.Numerator, district.Denominator).Should().Be((31, 40), "a share is the sum of numerators over the sum of denominators, never an average of shares");
        (district.Population, district.Met).Should().Be((3, 2), "a unit with nobody to inform is not judged itself, but it reported: it is of the population, with nothing short");
    }

    [Fact]
    public void NQ02_4_counts_non_state_enterprises_only_with_a_trade_union()
    {
        var s = new RuleSession().Target("NQ02-4");
        s.Unit("DN-CD", UnitKind.NonStateEnterprise, InCommune1, union: true, values: (Indicators.DisclosurePosted, 0));
        s.Unit("DN-NO", UnitKind.NonStateEnterprise, InCommune1, union: false);
        s.Unit("XA1", UnitKind.Commune, InCommune1, values: (Indicators.DisclosurePosted, 1));

        var result = s.Fire();

        result.Flagged("NQ02-4").Should().Equal("DN-CD");
        result.Area("NQ02-4", Commune1)!.Population.Should().Be(2);
    }

    [Fact]
    public void NQ02_5_flags_agencies_and_public_service_units_without_their_staff_conference()
    {
        var s = new RuleSession().Target("NQ02-5");
        s.Unit("CQ1", UnitKind.StateAgency, InCommune1, values: (Indicators.StaffConferenceHeld, 0));
        s.Unit("SN1", UnitKind.PublicServiceUnit, InCommune1, values: (Indicators.StaffConferenceHeld, 1));
        s.Unit("SN2", UnitKind.PublicServiceUnit, InCommune2);
        s.Unit("XA1", UnitKind.Commune, InCommune1);

        s.Fire().Flagged("NQ02-5").Should().Equal("CQ1", "SN2");
    }

    [Fact]
    public void NQ02_6a_requires_every_state_enterprise_with_a_union_to_have_an_agreement()
    {
        var s = new RuleSession().Target("NQ02-6a");
        s.Unit("DNNN1", UnitKind.StateEnterprise, InCommune1, union: true, values: (Indicators.CollectiveAgreementSigned, 0));
        s.Unit("DNNN2", UnitKind.StateEnterprise, InCommune1, union: true, values: (Indicators.CollectiveAgreementSigned, 1));
        s.Unit("DNNN3", UnitKind.StateEnterprise, InCommune1, union: false, values: (Indicators.CollectiveAgreementSigned, 0));

        s.Fire().Flagged("NQ02-6a").Should().Equal("DNNN1");
    }

    [Fact]
    public void Non_state_share_of_exactly_70_percent_falls_short_of_tren_70_percent()
    {
        var s = new RuleSession().Target("NQ02-6b");
        for (var i = 0; i < 10; i++)
            s.Unit($"DN{i}", UnitKind.NonStateEnterprise, InCommune1, union: true, values: (Indicators.CollectiveAgreementSigned, i < 7 ? 1 : 0));

        var result = s.Fire();

        result.Area("NQ02-6b", District1)!.Should().Match<AreaOutcome>(a => a.Met == 7 && a.Population == 10 && a.Status == AreaStatus.Short);
        result.Flagged("NQ02-6b").Should().BeEmpty("NQ02-6b is measured per district and province, not per enterprise");
        var finding = result.Findings.Single(f => f.SubjectCode == "D1");
        (finding.Measurement.Numerator, finding.Measurement.Denominator, finding.Measurement.Operator).Should().Be((7, 10, ComparisonOperator.MoreThan));
        finding.Evidence.Should().Contain("\"shortUnits\":[\"DN7\",\"DN8\",\"DN9\"]");
    }

    [Fact]
    public void Non_state_share_of_70_01_percent_meets_tren_70_percent()
    {
        var s = new RuleSession().Target("NQ02-6b");
        for (var i = 0; i < 10_000; i++)
            s.Unit($"DN{i:00000}", UnitKind.NonStateEnterprise, InCommune1, union: true, values: (Indicators.CollectiveAgreementSigned, i < 7001 ? 1 : 0));

        var result = s.Fire();

        result.Area("NQ02-6b", District1)!.Should().Match<AreaOutcome>(a => a.Met == 7001 && a.Population == 10_000 && a.Status == AreaStatus.Met);
        result.Findings.Should().BeEmpty();
    }

    [Fact]
    public void NQ02_6b_an_area_with_no_enterprise_with_a_union_is_not_applicable()
    {
        var s = new RuleSession().Target("NQ02-6b");
        s.Unit("DN1", UnitKind.NonStateEnterprise, InCommune1, union: true, values: (Indicators.CollectiveAgreementSigned, 1));
        s.Unit("DN2", UnitKind.NonStateEnterprise, InCommune3, union: false, values: (Indicators.CollectiveAgreementSigned, 0));

        var result = s.Fire();

        result.Area("NQ02-6b", District2).Should().BeNull();
        result.Findings.Should().BeEmpty();
    }

    [Fact]
    public void NQ02_7a_and_7b_need_both_the_workers_conference_and_the_workplace_dialogues_in_force()
    {
        var s = new RuleSession("2022").Target("NQ02-7a").Target("NQ02-7b");
        s.Unit("DNNN1", UnitKind.StateEnterprise, InCommune1, union: true, values: [(Indicators.WorkerConferenceHeld, 1), (Indicators.WorkplaceDialogues, 0)]);
        s.Unit("DNNN2", UnitKind.StateEnterprise, InCommune1, union: true, values: [(Indicators.WorkerConferenceHeld, 1), (Indicators.WorkplaceDialogues, 2)]);
        s.Unit("DN1", UnitKind.NonStateEnterprise, InCommune1, union: true, values: [(Indicators.WorkerConferenceHeld, 1), (Indicators.WorkplaceDialogues, 1)]);
        s.Unit("DN2", UnitKind.NonStateEnterprise, InCommune1, union: true, values: [(Indicators.WorkerConferenceHeld, 0), (Indicators.WorkplaceDialogues, 1)]);
        s.Unit("DN3", UnitKind.NonStateEnterprise, InCommune1, union: true, values: [(Indicators.WorkerConferenceHeld, 1)]);

        var result = s.Fire();

        result.Flagged("NQ02-7a").Should().Equal("DNNN1");
        result.Area("NQ02-7b", District1)!.Should().Match<AreaOutcome>(a => a.Met == 1 && a.Population == 3 && a.Missing == 1 && a.Status == AreaStatus.Short,
            "even if DN3 reported a dialogue, 2 of 3 is not more than 70%: short whatever the missing unit reports");
        var finding = result.Findings.Single(f => f.TargetCode == "NQ02-7a");
        finding.Measurement.Should().Match<Measurement>(m => m.Value == 0 && m.Minimum == 1, "the value shown is the dialogues counted against the minimum, not the conference flag");
    }

    [Theory]
    [InlineData("2019", 4)]
    [InlineData("2020", 4)]
    [InlineData("2021", 1)]
    [InlineData("2022", 1)]
    public void NQ02_7a_needs_the_workplace_dialogues_the_law_required_in_that_year(string year, long minimum)
    {
        var s = new RuleSession(year).Target("NQ02-7a");
        s.Unit("DNNN1", UnitKind.StateEnterprise, InCommune1, union: true, values: [(Indicators.WorkerConferenceHeld, 1), (Indicators.WorkplaceDialogues, minimum - 1)]);
        s.Unit("DNNN2", UnitKind.StateEnterprise, InCommune1, union: true, values: [(Indicators.WorkerConferenceHeld, 1), (Indicators.WorkplaceDialogues, minimum)]);

        var result = s.Fire();

        result.Flagged("NQ02-7a").Should().Equal("DNNN1");
        var evidence = System.Text.Json.Nodes.JsonNode.Parse(result.Findings.Single().Evidence)!["test"]!;
        evidence["minimum"]!.GetValue<long>().Should().Be(minimum);
        evidence["source"]!.GetValue<string>().Should().Be("Law");
        evidence["basis"]!.GetValue<string>().Should().Contain(minimum == 4 ? "Nghị định số 60/2013/NĐ-CP" : "Bộ luật Lao động năm 2019");
    }
}
