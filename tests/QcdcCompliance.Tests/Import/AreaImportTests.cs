using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Import;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Import;

public sealed class AreaImportTests
{
    [Fact]
    public async Task A_commune_rolls_up_through_its_district_before_July_2025_and_straight_to_the_province_after()
    {
        await using var engine = await Engine.SqliteAsync();
        var summary = await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);

        summary.Inserted.Should().Be(7);
        await using var db = engine.Db();
        var tree = await db.LoadAreaTreeAsync();
        var c1 = tree.Find("C1")!;
        tree.PathOn(c1.Id, new DateOnly(2020, 6, 30)).Select(a => a.Code).Should().Equal("C1", "D1", "P");
        tree.PathOn(c1.Id, new DateOnly(2026, 6, 30)).Select(a => a.Code).Should().Equal("C1", "P");
        tree.Find("D1")!.ValidTo.Should().Be(new DateOnly(2025, 6, 30));
    }

    [Fact]
    public async Task A_parent_cycle_is_refused_and_named()
    {
        await using var engine = await Engine.SqliteAsync();
        var problems = await engine.RefusedAsync(ImportKind.Areas, "areas.csv",
            """
            code,name,level,parent_code,valid_from,valid_to
            P,Tỉnh,Province,,,
            A,Xã A,Commune,B,,
            B,Xã B,Commune,A,,
            """);

        problems.Should().Contain(p => p.Message.Contains("parent cycle") && p.Message.Contains("A → B → A") && p.Row == 3 && p.Column == "parent_code");
        problems.Select(p => p.ToString()).Should().Contain(s => s.StartsWith("areas.csv:3:parent_code: parent cycle"));
    }

    [Fact]
    public async Task An_unknown_parent_is_refused()
    {
        await using var engine = await Engine.SqliteAsync();
        var problems = await engine.RefusedAsync(ImportKind.Areas, "areas.csv",
            "code,name,level,parent_code,valid_from,valid_to\nP,Tỉnh,Province,,,\nC1,Xã,Commune,NOWHERE,,\n");

        problems.Should().ContainSingle().Which.ToString().Should().Be("areas.csv:3:parent_code: unknown area NOWHERE; import it first or add a row for it in this file");
    }

    [Fact]
    public async Task A_duplicate_row_and_two_parents_at_once_are_refused()
    {
        await using var engine = await Engine.SqliteAsync();
        var problems = await engine.RefusedAsync(ImportKind.Areas, "areas.csv",
            """
            code,name,level,parent_code,valid_from,valid_to
            P,Tỉnh,Province,,,
            D1,Huyện 1,District,P,,
            D2,Huyện 2,District,P,,
            C1,Xã,Commune,D1,,
            C1,Xã,Commune,D1,,
            C2,Xã 2,Commune,D1,,2025-06-30
            C2,Xã 2,Commune,D2,2025-01-01,
            """);

        problems.Should().Contain(p => p.Row == 6 && p.Message.StartsWith("duplicate row"));
        problems.Should().Contain(p => p.Row == 8 && p.Message.Contains("two parents at once"));
    }

    [Fact]
    public async Task A_missing_or_an_extra_column_is_refused_before_any_row_is_read()
    {
        await using var engine = await Engine.SqliteAsync();
        var missing = await engine.RefusedAsync(ImportKind.Areas, "areas.csv", "code,name,level,parent_code,valid_from\nP,Tỉnh,Province,,\n");
        missing.Should().ContainSingle().Which.Message.Should().StartWith("column 'valid_to' is missing");

        var extra = await engine.RefusedAsync(ImportKind.Areas, "areas.csv", "code,name,level,parent_code,valid_from,valid_to,population\nP,Tỉnh,Province,,,,100\n");
        extra.Should().ContainSingle().Which.Message.Should().StartWith("unexpected column 'population'");
    }

    [Fact]
    public async Task A_link_outside_its_parents_life_and_a_wrong_level_are_refused()
    {
        await using var engine = await Engine.SqliteAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);
        var problems = await engine.RefusedAsync(ImportKind.Areas, "more.csv",
            """
            code,name,level,parent_code,valid_from,valid_to
            C7,Xã Bảy,Commune,D1,2026-01-01,
            D7,Huyện Bảy,District,C1,,
            """);

        problems.Should().Contain(p => p.Row == 2 && p.Message.Contains("parent D1 exists only from the start to 2025-06-30"));
        problems.Should().Contain(p => p.Row == 3 && p.Message.Contains("C1 is a Commune and cannot hold a District"));
    }

    [Fact]
    public async Task Reimporting_the_same_file_changes_nothing()
    {
        await using var engine = await Engine.SqliteAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);
        var again = await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);

        again.Inserted.Should().Be(0);
        again.Updated.Should().Be(0);
        again.Unchanged.Should().Be(7);
        await using var db = engine.Db();
        (await db.AreaLinks.CountAsync()).Should().Be(10);
    }
}
