using System.Text;
using QcdcCompliance.Reports;
using QcdcCompliance.Import;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Import;

/// <summary>
/// The people a unit informed are among its people to inform: more informed than people is a data error, and since an
/// area's share sums numerators over denominators, one such unit would hide the others' shortfall. Refused whether the
/// other figure is in the same file or stored; the mediation and complaint pairs are left alone (cases carried over
/// from an earlier period may be settled now).
/// </summary>
public sealed class PeopleInformedTests
{
    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task More_people_informed_than_people_to_inform_is_refused_against_the_file_or_the_stored_figure(StorageProvider provider)
    {
        await using var engine = await (provider == StorageProvider.Sqlite ? Engine.SqliteAsync() : Engine.PostgresAsync("informed")).WithProvinceAsync();
        await engine.ImportAsync(ImportKind.Values, "stored.csv", Province.ValuesHeader +
            "XA1,2020S1,PEOPLE_TO_INFORM,28,\nXA3,2020S1,PEOPLE_INFORMED,20,\nXA3,2020S1,PEOPLE_TO_INFORM,25,\n");

        var problems = await engine.RefusedAsync(ImportKind.Values, "values.csv", Province.ValuesHeader +
            """
            XA1,2020S1,PEOPLE_INFORMED,328,
            XA2,2020S1,PEOPLE_TO_INFORM,10,
            XA2,2020S1,PEOPLE_INFORMED,11,
            XA3,2020S1,PEOPLE_TO_INFORM,15,
            CQ1,2020S1,PEOPLE_INFORMED,12,
            CQ1,2020S1,PEOPLE_TO_INFORM,12,
            XA1,2020S1,MEDIATION_CASES,2,
            XA1,2020S1,MEDIATION_SUCCESSES,5,
            XA1,2020S1,COMPLAINTS_RECEIVED,1,
            XA1,2020S1,COMPLAINTS_RESOLVED,4,
            """);

        const string Fix = "the people informed are among the people to inform: correct one of the two figures";
        problems.Select(p => p.ToString()).Should().Equal(
            $"values.csv:2:value: PEOPLE_INFORMED 328 is more than PEOPLE_TO_INFORM 28 (stored) of unit XA1 in 2020S1; {Fix}",
            $"values.csv:4:value: PEOPLE_INFORMED 11 is more than PEOPLE_TO_INFORM 10 (in this file) of unit XA2 in 2020S1; {Fix}",
            $"values.csv:5:value: PEOPLE_TO_INFORM 15 is less than PEOPLE_INFORMED 20 (stored) of unit XA3 in 2020S1; {Fix}");
        ImportWording.Vietnamese(problems[0]).Should().Be(
            "số người được quán triệt (PEOPLE_INFORMED) 328 lớn hơn tổng số người phải quán triệt (PEOPLE_TO_INFORM) 28 (đã lưu) của đơn vị XA1, 6 tháng đầu năm 2020; "
            + "người được quán triệt nằm trong số người phải quán triệt: sửa một trong hai số");
        ImportWording.Vietnamese(problems[2]).Should().Be(
            "tổng số người phải quán triệt (PEOPLE_TO_INFORM) 15 nhỏ hơn số người được quán triệt (PEOPLE_INFORMED) 20 (đã lưu) của đơn vị XA3, 6 tháng đầu năm 2020; "
            + "người được quán triệt nằm trong số người phải quán triệt: sửa một trong hai số");

        // Both figures corrected together, equal, and the other pairs as they were: accepted.
        var summary = await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader +
            """
            XA1,2020S1,PEOPLE_INFORMED,28,
            XA3,2020S1,PEOPLE_TO_INFORM,15,
            XA3,2020S1,PEOPLE_INFORMED,15,
            XA1,2020S1,MEDIATION_CASES,2,
            XA1,2020S1,MEDIATION_SUCCESSES,5,
            XA1,2020S1,COMPLAINTS_RECEIVED,1,
            XA1,2020S1,COMPLAINTS_RESOLVED,4,
            """);
        (summary.Inserted, summary.Updated).Should().Be((5, 2));
    }

    [Fact]
    public async Task A_filled_template_with_more_informed_than_people_is_refused_at_the_informed_cell()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        var template = "unit_code,unit_name,period,PEOPLE_INFORMED,PEOPLE_TO_INFORM\r\n"
                       + "XA1,UBND Xã Một,2020S1,30,28\r\n"
                       + "XA2,UBND Xã Hai,2020S1,20,28\r\n";

        var problems = await engine.RefusedAsync(ImportKind.Values, "mau.csv", Encoding.UTF8.GetBytes(template));

        problems.Should().ContainSingle().Which.ToString().Should().Be(
            "mau.csv:2:4: XA1, PEOPLE_INFORMED: PEOPLE_INFORMED 30 is more than PEOPLE_TO_INFORM 28 (in this file) of unit XA1 in 2020S1; "
            + "the people informed are among the people to inform: correct one of the two figures");
    }

    [Fact]
    public async Task A_file_with_a_bad_cell_and_more_people_informed_than_people_to_inform_lists_both_at_once()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();

        var problems = await engine.RefusedAsync(ImportKind.Values, "both.csv", Province.ValuesHeader +
            """
            XA1,2020S1,REGULATION_ISSUED,maybe,
            XA2,2020S1,PEOPLE_TO_INFORM,89,
            XA2,2020S1,PEOPLE_INFORMED,1234567,
            """);

        problems.Select(p => p.ToString()).Should().HaveCount(2).And.Satisfy(
            p => p.StartsWith("both.csv:2:value: 'maybe' is not a yes/no value", StringComparison.Ordinal),
            p => p.StartsWith("both.csv:4:value: PEOPLE_INFORMED 1234567 is more than PEOPLE_TO_INFORM 89 (in this file) of unit XA2", StringComparison.Ordinal));
    }
}
