using QcdcCompliance.Alerts;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;

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

    [Fact]
    public void A_unit_line_reads_its_values_in_order_unreported_ones_as_such()
    {
        var f = Unit("NQ02-2", new Measurement(FindingOutcome.Short, 0, 1_200, null, ComparisonOperator.AtLeast, 1_000_000, null),
            """{"target":"NQ02-2","unit":{"code":"XA1","values":{"REGULATION_ISSUED":1}},"values":{"PEOPLE_INFORMED":null,"PEOPLE_TO_INFORM":1200},"missing":["PEOPLE_INFORMED"],"test":{"x":[1,{"y":null}]}}""");

        FindingText.MeasuredAndRequired(f).Should().Be((
            "Số người được quán triệt nội dung văn bản về QCDC: chưa báo cáo; Tổng số cán bộ, đảng viên, CCVC, người lao động thuộc đơn vị: 1.200 (tỷ lệ 0,0%)",
            "tỷ lệ ≥\u00a0100%"));
        FindingText.Measured(f).Should().Be(FindingText.MeasuredAndRequired(f).Measured);
        FindingText.Required(f).Should().Be(FindingText.MeasuredAndRequired(f).Required);
    }

    [Fact]
    public void A_yes_no_requirement_is_said_as_what_must_be_done()
    {
        var f = Unit("NQ02-1", new Measurement(FindingOutcome.Short, null, null, 0, ComparisonOperator.AtLeast, 1_000_000, null),
            """{"values":{"REGULATION_ISSUED":0,"DISCLOSURE_POSTED":null},"missing":["DISCLOSURE_POSTED"]}""");

        FindingText.MeasuredAndRequired(f).Should().Be((
            "Ban hành đầy đủ quy chế thực hiện dân chủ ở cơ sở: không; Niêm yết công khai đầy đủ nội dung phải công khai: chưa báo cáo",
            "ban hành đầy đủ quy chế thực hiện dân chủ ở cơ sở; niêm yết công khai đầy đủ nội dung phải công khai"));
    }

    [Fact]
    public void A_requirement_that_begins_with_a_proper_name_keeps_its_capital()
    {
        var f = Unit("NQ02-7", new Measurement(FindingOutcome.Short, null, null, 0, ComparisonOperator.AtLeast, 1_000_000, null),
            """{"values":{"INSPECTION_BOARD_CONSTITUTED":0,"REGULATION_ISSUED":1}}""");

        FindingText.MeasuredAndRequired(f).Required.Should().Be("Ban Thanh tra nhân dân được kiện toàn đúng quy định; ban hành đầy đủ quy chế thực hiện dân chủ ở cơ sở",
            "Ban Thanh tra nhân dân is a body's name; \"Ban hành\" is a verb");
    }

    [Fact]
    public void A_unit_that_has_not_reported_is_told_what_it_owes()
    {
        var f = Unit(ReportingTarget.Code, new Measurement(FindingOutcome.Short, null, null, null, ComparisonOperator.AtLeast, 1_000_000, null),
            """{"values":{},"missing":["REGULATION_ISSUED","UNKNOWN_\u0041","DIALOGUE_CONFERENCES"]}""");

        FindingText.MeasuredAndRequired(f).Should().Be((
            "chưa báo cáo 3 nội dung: Ban hành đầy đủ quy chế thực hiện dân chủ ở cơ sở; UNKNOWN_A; Số hội nghị đối thoại của người đứng đầu cấp ủy, chính quyền với Nhân dân",
            "báo cáo đầy đủ các nội dung áp dụng cho đơn vị, đúng hạn"));
    }

    [Fact]
    public void A_count_below_its_minimum_a_part_given_twice_and_no_values_read_as_a_document_reads_them()
    {
        var minimum = new Measurement(FindingOutcome.Short, null, null, 1, ComparisonOperator.AtLeast, 1_000_000, 2);
        FindingText.MeasuredAndRequired(Unit("NQ02-5", minimum, """{"values":{"DIALOGUE_CONFERENCES":5},"values":{"DIALOGUE_CONFERENCES":1}}"""))
            .Should().Be(("Số hội nghị đối thoại của người đứng đầu cấp ủy, chính quyền với Nhân dân: 1", "ít nhất 2 trong kỳ"), "the last of a part given twice counts");
        FindingText.MeasuredAndRequired(Unit("NQ02-5", minimum, """{"values":{"DIALOGUE_CONFERENCES":5},"values":null}"""))
            .Should().Be(("không có số liệu", "ít nhất 2 trong kỳ"));
        FindingText.MeasuredAndRequired(Unit("NQ02-5", minimum with { Minimum = null }, "[]"))
            .Should().Be(("không có số liệu", "tỷ lệ ≥\u00a0100%"));
    }

    private static AlertFinding Unit(string target, Measurement measurement, string evidence) =>
        new(target, SubjectType.Unit, 7, "XA1", "UBND Xã Một", Severity.Medium, measurement, CompactText.Evidence.Pack(evidence));

    private static AlertFinding Area(long numerator, long denominator, string evidence) => new("NQ02-6b", SubjectType.Area, 1, "D1", "Huyện Một", Severity.High,
        new Measurement(FindingOutcome.Short, numerator, denominator, null, ComparisonOperator.MoreThan, 999_000, null), CompactText.Evidence.Pack(evidence));
}
