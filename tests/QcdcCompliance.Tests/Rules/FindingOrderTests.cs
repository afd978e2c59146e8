using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Findings;
using static QcdcCompliance.Tests.Rules.RuleSession;

namespace QcdcCompliance.Tests.Rules;

/// <summary>
/// A run's findings come out of the build in the order they are stored, chained and listed (target code, then subject
/// code, then unit before area), whatever order the units were stored in: the unit findings are put in order by the
/// ranks of their codes, the area findings apart, and the two merged.
/// </summary>
public sealed class FindingOrderTests
{
    [Fact]
    public void Findings_are_in_target_then_subject_code_order_when_unit_ids_do_not_follow_their_codes()
    {
        var s = new RuleSession().Target("NQ02-1").Target("NQ02-5");
        // Stored (ids, reports) in an order that is not their codes' order; the areas' codes (D1, D2, P) fall among the units'.
        foreach (var code in new[] { "XA9", "DZ2", "CQ7", "XA1", "CZ1", "DA3", "C0" })
            s.Unit(code, code.StartsWith("DA", StringComparison.Ordinal) || code.StartsWith("DZ", StringComparison.Ordinal) ? UnitKind.StateAgency : UnitKind.Commune,
                code.EndsWith('1') ? InCommune1 : code.EndsWith('2') ? InCommune2 : InCommune3, values: (Indicators.RegulationIssued, 0));

        var findings = s.Fire().Findings;

        findings.Should().Contain(f => f.SubjectType == SubjectType.Unit).And.Contain(f => f.SubjectType == SubjectType.Area);
        findings.Select(f => f.TargetCode).Distinct().Should().HaveCountGreaterThan(1);
        findings.Should().BeInAscendingOrder(Comparer<FindingDraft>.Create(FindingBuilder.Compare));
        var nq021 = findings.Where(f => f.TargetCode == "NQ02-1").Select(f => f.SubjectCode).ToList();
        nq021.Should().Equal(nq021.Order(StringComparer.Ordinal), "units and areas of a target interleave by code");
        nq021.Should().Equal(["C0", "CQ7", "CZ1", "D1", "D2", "DA3", "DZ2", "P", "XA1", "XA9"], "each unit short, and the districts and province it measures, in code order");
    }
}
