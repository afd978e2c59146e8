using System.Text;
using QcdcCompliance.Reports;
using QcdcCompliance.Import;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Import;

/// <summary>
/// A value of a unit not active in its period (active on the period's last day: opened by then, not closed before) counts
/// nowhere, so it is refused rather than stored for an officer who believes it reported. The stored unit's dates decide,
/// whichever file brought them; a filled template goes through the same check.
/// </summary>
public sealed class InactiveUnitValueTests
{
    private const string OpenedAndClosed = Province.UnitsHeader +
        """
        XA7,UBND Xã Bảy (đóng),Commune,C1,false,10,,,2025-06-30
        XA8,UBND Xã Tám (mới),Commune,C2,false,10,,2021-01-01,
        XA6,UBND Xã Sáu (mới cuối kỳ),Commune,C2,false,10,,2020-12-31,

        """;

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task A_value_of_a_unit_not_active_on_the_periods_last_day_is_refused_with_its_dates(StorageProvider provider)
    {
        await using var engine = await (provider == StorageProvider.Sqlite ? Engine.SqliteAsync() : Engine.PostgresAsync("inactive")).WithProvinceAsync();
        await engine.ImportAsync(ImportKind.Units, "units.csv", OpenedAndClosed);

        var problems = await engine.RefusedAsync(ImportKind.Values, "values.csv", Province.ValuesHeader +
            """
            XA7,2025S2,REGULATION_ISSUED,true,
            XA8,2019S1,REGULATION_ISSUED,true,
            XA8,2020S2,MEDIATION_CASES,3,
            XA7,2025S1,REGULATION_ISSUED,true,
            XA8,2021S1,REGULATION_ISSUED,true,
            XA6,2020S2,REGULATION_ISSUED,true,
            """);

        problems.Select(p => p.ToString()).Should().Equal(
            "values.csv:2:unit_code: unit XA7 is not active in 2025S2 (active to 30/06/2025); a value counts only for a period on whose last day its unit is active: "
            + "remove the row, or correct the unit's active_from/active_to with 'qcdc import units'",
            "values.csv:3:unit_code: unit XA8 is not active in 2019S1 (active from 01/01/2021); a value counts only for a period on whose last day its unit is active: "
            + "remove the row, or correct the unit's active_from/active_to with 'qcdc import units'",
            "values.csv:4:unit_code: unit XA8 is not active in 2020S2 (active from 01/01/2021); a value counts only for a period on whose last day its unit is active: "
            + "remove the row, or correct the unit's active_from/active_to with 'qcdc import units'");
        ImportWording.Vietnamese(problems[0]).Should().Be(
            "đơn vị XA7 không hoạt động trong kỳ 2025S2 (hoạt động đến 30/06/2025); số liệu chỉ được tính cho kỳ mà đơn vị còn hoạt động vào ngày cuối kỳ: "
            + "xóa dòng này, hoặc sửa ngày hoạt động của đơn vị");

        // Closed on the period's last day, opened on it, or opened before: active.
        var summary = await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader +
            "XA7,2025S1,REGULATION_ISSUED,true,\nXA8,2021S1,REGULATION_ISSUED,true,\nXA6,2020S2,REGULATION_ISSUED,true,\n");
        summary.Inserted.Should().Be(3);
    }

    [Fact]
    public async Task A_filled_template_row_of_a_closed_unit_is_refused_by_its_cell()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.ImportAsync(ImportKind.Units, "units.csv", OpenedAndClosed);
        var template = "Mã đơn vị,Tên đơn vị,Kỳ báo cáo,\"Ban hành quy chế (có / không)\"\r\n"
                       + "unit_code,unit_name,period,REGULATION_ISSUED\r\n"
                       + "XA1,UBND Xã Một,2025S2,có\r\n"
                       + "XA7,UBND Xã Bảy,2025S2,có\r\n";

        var problems = await engine.RefusedAsync(ImportKind.Values, "mau.csv", Encoding.UTF8.GetBytes(template));

        problems.Should().ContainSingle().Which.ToString().Should().Be(
            "mau.csv:4:1: XA7: unit XA7 is not active in 2025S2 (active to 30/06/2025); a value counts only for a period on whose last day its unit is active: "
            + "remove the row, or correct the unit's active_from/active_to with 'qcdc import units'");
    }
}
