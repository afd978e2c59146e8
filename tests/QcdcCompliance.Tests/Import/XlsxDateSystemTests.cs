using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Infrastructure;
using QcdcCompliance.Tests.Security;

namespace QcdcCompliance.Tests.Import;

/// <summary>
/// A typed date cell is the date the spreadsheet shows, whichever date system the workbook counts in: Excel for Mac and
/// Numbers may save serials from 1 January 1904, 1,462 days below the 1900 serial of the same day.
/// </summary>
public sealed class XlsxDateSystemTests
{
    private static readonly string[] UnitsHeader = ["code", "name", "kind", "area_code", "has_trade_union", "headcount", "contact_email", "active_from", "active_to"];
    private static readonly string[] AreasHeader = ["code", "name", "level", "parent_code", "valid_from", "valid_to"];

    // 1 August 2024 and 31 October 2024 as each system counts them.
    private const string August1904 = "44043", October1904 = "44134";
    private const string August1900 = "45505", October1900 = "45596";

    [Fact]
    public async Task A_unit_opened_on_1_August_2024_in_a_1904_workbook_is_stored_as_opened_on_1_August_2024()
    {
        await using var engine = await Engine.SqliteAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);

        await engine.ImportAsync(ImportKind.Units, "units-mac.xlsx", Workbooks.Dated(date1904: true, ["active_from", "active_to"], UnitsHeader,
            ["DN8", "Công ty Tám", "NonStateEnterprise", "C1", "true", "12", "", August1904, October1904]));
        await engine.ImportAsync(ImportKind.Units, "units.xlsx", Workbooks.Dated(date1904: false, ["active_from", "active_to"], UnitsHeader,
            ["DN9", "Công ty Chín", "NonStateEnterprise", "C1", "true", "12", "", August1900, October1900]));

        await using var db = engine.Db();
        var units = await db.Units.Where(u => u.Code == "DN8" || u.Code == "DN9").OrderBy(u => u.Code).ToListAsync();
        units.Select(u => (u.Code, u.ActiveFrom, u.ActiveTo)).Should().Equal(
            ("DN8", new DateOnly(2024, 8, 1), new DateOnly(2024, 10, 31)),
            ("DN9", new DateOnly(2024, 8, 1), new DateOnly(2024, 10, 31)));
    }

    [Fact]
    public async Task A_commune_valid_from_1_August_2024_in_a_1904_workbook_is_stored_valid_from_1_August_2024()
    {
        await using var engine = await Engine.SqliteAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);

        await engine.ImportAsync(ImportKind.Areas, "areas-mac.xlsx", Workbooks.Dated(date1904: true, ["valid_from", "valid_to"], AreasHeader,
            ["C8", "Xã Tám", "Commune", "P", August1904, ""]));

        await using var db = engine.Db();
        (await db.Areas.SingleAsync(a => a.Code == "C8")).ValidFrom.Should().Be(new DateOnly(2024, 8, 1));
    }
}
