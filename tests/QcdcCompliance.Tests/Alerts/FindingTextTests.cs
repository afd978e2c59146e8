using QcdcCompliance.Alerts;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Tests.Alerts;

/// <summary>
/// How an area's figure reads in an e-mail: one denominator a reader can account for. A share of units counts the units
/// that reported, and says so with the units left out; a ratio of counts says besides how many units met it.
/// </summary>
public sealed class FindingTextTests
{
    [Fact]
    public void A_share_of_units_names_its_denominator_and_the_units_left_out()
    {
        var text = FindingText.Measured(Area(3_408, 3_416, """{"metUnits":3408,"populationUnits":3425,"missingUnits":9}"""));

        text.Should().Be("tỷ lệ 99,8% (3.408/3.416 cơ sở đã báo cáo); 9 cơ sở chưa báo cáo, chưa tính vào tỷ lệ",
            "3,408 of the 3,416 units that reported met it; the 9 others of the 3,425 have not reported");
    }

    [Fact]
    public void A_share_of_units_all_reported_gives_one_figure()
    {
        FindingText.Measured(Area(7, 10, """{"metUnits":7,"populationUnits":10,"missingUnits":0}""")).Should().Be("tỷ lệ 70,0% (7/10)");
    }

    [Fact]
    public void A_ratio_of_counts_states_the_ratio_then_the_units_that_met_it()
    {
        FindingText.Measured(Area(1_233, 1_374, """{"metUnits":135,"populationUnits":190,"missingUnits":2}"""))
            .Should().Be("tỷ lệ 89,7% (1.233/1.374); 135/190 cơ sở đạt, 2 cơ sở chưa báo cáo");
    }

    private static AlertFinding Area(long numerator, long denominator, string evidence) => new("NQ02-6b", SubjectType.Area, 1, "D1", "Huyện Một", Severity.High,
        new Measurement(FindingOutcome.Short, numerator, denominator, null, ComparisonOperator.MoreThan, 999_000, null), CompactText.Evidence.Pack(evidence));
}
