using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;
using static QcdcCompliance.Tests.Rules.RuleSession;

namespace QcdcCompliance.Tests.Rules;

/// <summary>Target set 2 (Law 10/2022 minimums), the committee KPIs and REPORTED, through a compiled session.</summary>
public sealed class StatutoryAndKpiRuleTests
{
    [Fact]
    public void L10_dialogue_staff_conference_inspection_board_and_convention_flag_each_unit_that_falls_short()
    {
        var s = new RuleSession().Target("L10-DIALOGUE").Target("L10-STAFF-CONF").Target("L10-INSPECTION-BOARD").Target("L10-CONVENTION");
        s.Unit("XA1", UnitKind.Commune, InCommune1, values: [(Indicators.DialogueConferences, 0), (Indicators.InspectionBoardConstituted, 1)]);
        s.Unit("XA2", UnitKind.Commune, InCommune2, values: [(Indicators.DialogueConferences, 1), (Indicators.InspectionBoardConstituted, 0)]);
        s.Unit("CQ1", UnitKind.StateAgency, InCommune1, values: [(Indicators.StaffConferenceHeld, 0), (Indicators.InspectionBoardConstituted, 1)]);
        s.Unit("DN1", UnitKind.NonStateEnterprise, InCommune1);
        s.Unit("TH1", UnitKind.Village, InCommune1, values: (Indicators.VillageConventionRecognised, 0));
        s.Unit("TH2", UnitKind.Village, InCommune2, values: (Indicators.VillageConventionRecognised, 1));

        var result = s.Fire();

        result.Flagged("L10-DIALOGUE").Should().Equal("XA1");
        result.Flagged("L10-STAFF-CONF").Should().Equal("CQ1");
        result.Flagged("L10-INSPECTION-BOARD").Should().Equal("XA2");
        result.Flagged("L10-CONVENTION").Should().Equal("TH1");
    }

    [Fact]
    public void L10_workplace_dialogue_applies_to_enterprises_with_or_without_a_union()
    {
        var s = new RuleSession().Target("L10-WORKPLACE-DIALOGUE");
        s.Unit("DN-NO", UnitKind.NonStateEnterprise, InCommune1, union: false, values: (Indicators.WorkplaceDialogues, 0));
        s.Unit("DN-CD", UnitKind.NonStateEnterprise, InCommune1, union: true, values: (Indicators.WorkplaceDialogues, 1));
        s.Unit("DNNN", UnitKind.StateEnterprise, InCommune1, union: true);

        s.Fire().Flagged("L10-WORKPLACE-DIALOGUE").Should().Equal("DN-NO", "DNNN");
    }

    [Fact]
    public void QD11_citizen_reception_needs_twelve_days_a_half_year()
    {
        var s = new RuleSession().Target("QD11-CITIZEN-RECEPTION");
        s.Unit("XA1", UnitKind.Commune, InCommune1, values: (Indicators.CitizenReceptionDays, 12));
        s.Unit("XA2", UnitKind.Commune, InCommune2, values: (Indicators.CitizenReceptionDays, 11));

        s.Fire().Flagged("QD11-CITIZEN-RECEPTION").Should().Equal("XA2");
    }

    [Fact]
    public void KPI_mediation_is_the_sum_of_settled_over_the_sum_of_cases_not_an_average_of_rates()
    {
        var s = new RuleSession().Target("KPI-MEDIATION");
        s.Unit("XA1", UnitKind.Commune, InCommune1, values: [(Indicators.MediationSuccesses, 1), (Indicators.MediationCases, 1)]);
        s.Unit("XA2", UnitKind.Commune, InCommune2, values: [(Indicators.MediationSuccesses, 6), (Indicators.MediationCases, 10)]);
        s.Unit("XA3", UnitKind.Commune, InCommune3, values: [(Indicators.MediationSuccesses, 0), (Indicators.MediationCases, 0)]);

        var result = s.Fire();

        // Average of rates would be (100% + 60%) / 2 = 80%, which meets 70%; 7 of 11 cases is 63.6%, which does not.
        var district = result.Area("KPI-MEDIATION", District1)!;
        (district.Numerator, district.Denominator, district.Status).Should().Be((7L, 11L, AreaStatus.Short));
        result.Area("KPI-MEDIATION", District2).Should().Match<AreaOutcome?>(a => a == null || a.Status == AreaStatus.NotApplicable, "no case at all: nothing to measure");
        result.Flagged("KPI-MEDIATION").Should().BeEmpty("committee KPIs are measured per area");
        result.Findings.Select(f => f.SubjectCode).Should().Equal("D1", "P");
    }

    [Fact]
    public void KPI_complaints_flags_an_area_under_85_percent()
    {
        var s = new RuleSession().Target("KPI-COMPLAINTS");
        s.Unit("XA1", UnitKind.Commune, InCommune1, values: [(Indicators.ComplaintsResolved, 17), (Indicators.ComplaintsReceived, 20)]);
        s.Unit("CQ2", UnitKind.StateAgency, InCommune3, values: [(Indicators.ComplaintsResolved, 8), (Indicators.ComplaintsReceived, 10)]);

        var result = s.Fire();

        result.Area("KPI-COMPLAINTS", District1)!.Status.Should().Be(AreaStatus.Met,"17/20 is exactly 85%, and the KPI is 'at least'");
        result.Area("KPI-COMPLAINTS", District2)!.Status.Should().Be(AreaStatus.Short);
    }

    [Fact]
    public void A_unit_with_no_report_fails_its_targets_and_gets_one_REPORTED_finding_listing_what_is_missing()
    {
        var s = new RuleSession().Target("NQ02-1").Target("NQ02-3").Target("REPORTED");
        var silent = new UnitReport(new UnitFact(99, "XA9", "UBND 9", UnitKind.Commune, true, InCommune1, null), s.NextIndex, new long?[Indicators.Slots],
            ["REGULATION_ISSUED", "PEOPLE_INFORMED", "PEOPLE_TO_INFORM"], owed: 3);
        s.Unit(silent);
        s.Unit("XA1", UnitKind.Commune, InCommune2, values: [(Indicators.RegulationIssued, 1), (Indicators.PeopleInformed, 5), (Indicators.PeopleToInform, 5)]);

        var result = s.Fire();

        result.Flagged("NQ02-1").Should().Equal("XA9");
        result.Flagged("NQ02-3").Should().Equal("XA9");
        var reported = result.Findings.Single(f => f.TargetCode == "REPORTED" && f.SubjectCode == "XA9");
        reported.SubjectCode.Should().Be("XA9");
        reported.Measurement.Value.Should().Be(3);
        reported.Evidence.Should().Contain("\"missing\":[\"REGULATION_ISSUED\",\"PEOPLE_INFORMED\",\"PEOPLE_TO_INFORM\"]");
        result.Findings.Single(f => f.TargetCode == "NQ02-1" && f.SubjectCode == "XA9").Should().Match<QcdcCompliance.Findings.FindingDraft>(f => f.Measurement.Numerator == null && f.Measurement.Value == null && f.Measurement.Outcome == FindingOutcome.Missing);
    }

    [Fact]
    public void An_update_retracts_the_units_shortfall_and_moves_only_its_areas_figures()
    {
        var s = new RuleSession().Target("NQ02-1");
        var late = s.Unit("CQ1", UnitKind.StateAgency, InCommune1, values: (Indicators.RegulationIssued, 0));
        s.Unit("XA3", UnitKind.Commune, InCommune3, values: (Indicators.RegulationIssued, 1));
        var result = s.Fire();
        result.Flagged("NQ02-1").Should().Equal("CQ1");

        result.Update(late.With(Indicators.RegulationIssued, 1));

        result.Flagged("NQ02-1").Should().BeEmpty("the rule's undo removes the shortfall its action set");
        result.Area("NQ02-1", District1)!.Should().Match<AreaOutcome>(a => a.Met == 1 && a.Status == AreaStatus.Met);
        result.Area("NQ02-1", Province)!.Should().Match<AreaOutcome>(a => a.Met == 2 && a.Population == 2);
    }

    [Fact]
    public void A_unit_short_again_is_set_again_with_its_new_measure_and_each_change_is_told()
    {
        var s = new RuleSession().Target("NQ02-1");
        var unit = s.Unit("CQ1", UnitKind.StateAgency, InCommune1, values: (Indicators.RegulationIssued, 0));
        var result = s.Fire();
        var sink = ShortfallSink.Of(result.Session);
        var told = new List<(string Target, int Unit, MeasureStatus? Status)>();
        sink.Changed += (target, id, shortfall) => told.Add((target, id, shortfall?.Measured.Status));

        result.Update(unit.With(Indicators.RegulationIssued, 1));
        result.Update(unit.With(Indicators.RegulationIssued, null));
        result.Update(unit.With(Indicators.RegulationIssued, null).With(Indicators.PeopleInformed, 3));

        result.Outcome.Shortfalls.Should().ContainSingle().Which.Measured.Status.Should().Be(MeasureStatus.Missing, "the regulation is not reported now");
        told.Should().Equal(("NQ02-1", unit.Unit.Id, null), ("NQ02-1", unit.Unit.Id, MeasureStatus.Missing), ("NQ02-1", unit.Unit.Id, MeasureStatus.Missing));
        sink.Count.Should().Be(1);
    }
}
