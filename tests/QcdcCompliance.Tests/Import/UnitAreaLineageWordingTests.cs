using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Reports;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Import;

/// <summary>
/// A reporter importing units, or an administrator importing areas or mergers, reads the refusal in Vietnamese (the
/// workspace's upload page, the API's <c>messageVi</c>): every message those imports write, their cells' and their
/// files', has its Vietnamese.
/// </summary>
public sealed class UnitAreaLineageWordingTests
{
    private const string AreasHeader = "code,name,level,parent_code,valid_from,valid_to\n";
    private const string LineageHeader = "predecessor_code,successor_code,effective_from\n";

    [Fact]
    public async Task Every_refusal_of_units_areas_and_lineage_is_worded_in_Vietnamese()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        int d1;
        await using (var db = engine.Db())
            d1 = (await db.Areas.SingleAsync(a => a.Code == "D1")).Id;

        var problems = new List<ImportProblem>();
        async Task Refused(ImportKind kind, string file, string content, int? restrictTo = null) =>
            problems.AddRange((await FluentActions.Awaiting(() => engine.ImportAsync(kind, file, content, restrictToArea: restrictTo))
                .Should().ThrowAsync<ImportRejectedException>()).Which.Problems);

        await Refused(ImportKind.Units, "units.csv", Province.UnitsHeader +
            $"""
            U1,Một,Commune,NOWHERE,true,1,,,
            U2,Hai,Commune,C1,true,1,,,
            U2,Hai lần,Commune,C1,true,1,,,
            U3,Ba,Factory,C1,true,1,,,
            U4,Bốn,StateAgency,D1,true,1,not-an-address,,
            U5,Năm,StateAgency,D1,có,-3,,,
            U6,,StateAgency,D1,maybe,many,,2020-13-45,
            U7,Bảy,StateAgency,D1,,99999999999,,2021-01-01,2020-01-01
            N1,Mới,Commune,C9,false,1,,2021-01-01,
            ,Tám,Commune,C1,,,,,
            U#9,Chín,Commune,C1,,,,,
            U10,{new string('x', 300)},Commune,C1,,,,,
            """);
        await Refused(ImportKind.Units, "units.csv", Province.UnitsHeader + "U1,Một,Commune,C3,true,1,,,\n", restrictTo: d1);
        await Refused(ImportKind.Units, "units.csv", Province.UnitsHeader + "XA3,Xã Ba,Commune,D1,true,1,,,\n", restrictTo: d1);

        await Refused(ImportKind.Areas, "areas.csv", AreasHeader +
            """
            A1,Một,Region,P,,
            A2,Hai,District,P,2021-01-01,2020-01-01
            """);
        await Refused(ImportKind.Areas, "areas.csv", AreasHeader +
            """
            A3,Ba,District,P,,
            A3,Ba khác,District,P,2020-01-01,
            A4,Bốn,District,P,,
            A4,Bốn,District,P,,
            A5,Năm,Commune,,,
            A6,Sáu,Province,P,,
            A7,Bảy,Commune,NOWHERE,,
            A8,Tám,Commune,A8,,
            A9,Chín,District,C1,,
            A10,Mười,Commune,C9,2021-01-01,
            B1,Bê Một,District,B2,,
            B2,Bê Hai,District,B1,,
            """);
        await Refused(ImportKind.Areas, "areas.csv", AreasHeader + "C3,Xã Ba,Commune,D1,,\nQ,Tỉnh Mới,Province,,,\nX1,Xã Mới,Commune,D2,,\n", restrictTo: d1);

        await Refused(ImportKind.Lineage, "lineage.csv", LineageHeader +
            """
            C1,C1,2025-07-01
            C2,C3,2025-07-01
            C2,C3,2025-07-01
            C1,C9,2025-07-01
            NOWHERE,C1,2025-07-01
            C2,C1,
            C3,C1,someday
            """);
        await Refused(ImportKind.Lineage, "lineage.csv", LineageHeader + "C3,C1,2025-07-01\n", restrictTo: d1);

        // The files' own problems, whichever of the three reads them.
        await Refused(ImportKind.Units, "units.csv", "");
        await Refused(ImportKind.Units, "units.csv", Province.UnitsHeader.TrimEnd() + ",code,colour\n");
        await Refused(ImportKind.Areas, "areas.csv", AreasHeader + "A1,\"Một,Commune,P,,\n");
        await Refused(ImportKind.Areas, "areas.csv", AreasHeader + "A1,Một,Commune,P,,,stray\n");
        await Refused(ImportKind.Lineage, "lineage.csv", "p\0r\0e\0d\0");
        problems.AddRange((await FluentActions.Awaiting(() => engine.ImportAsync(ImportKind.Lineage, "lineage.csv", [0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8, 0x0A]))
            .Should().ThrowAsync<ImportRejectedException>()).Which.Problems);
        problems.AddRange((await FluentActions.Awaiting(() => engine.ImportAsync(ImportKind.Units, "units.xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]]))
            .Should().ThrowAsync<ImportRejectedException>()).Which.Problems);
        await Refused(ImportKind.Units, "units.json", "[{\"code\": \"U1\\u0000\", \"code \": \"U1\", \"colour\": \"red\"}]");

        problems.Select(p => p.Message).Distinct().Should().HaveCountGreaterThanOrEqualTo(61, "each line above refuses for its own reason");
        foreach (var problem in problems)
            ImportWording.Vietnamese(problem).Should().NotBe(problem.Message, $"'{problem}' is worded in Vietnamese");
        problems.Select(ImportWording.Vietnamese).Should().Contain(
            "không có địa bàn C3, hoặc địa bàn không thuộc phạm vi của bạn; chỉ nhập đơn vị thuộc địa bàn mình",
            "cấp trên C9 chỉ tồn tại từ đầu đến 2019-12-31, không phủ hết thời gian của dòng này (từ 2021-01-01 đến nay); sửa ngày",
            "địa bàn kế thừa C9 không tồn tại vào ngày 2025-07-01; sửa ngày hiệu lực (effective_from) hoặc thời gian hiệu lực của địa bàn");
    }
}
