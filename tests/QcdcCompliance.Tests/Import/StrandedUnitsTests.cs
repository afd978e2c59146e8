using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Decisions;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Import;

/// <summary>
/// An areas or lineage import that would leave active units in an area that lies in no province (ended with no successor,
/// cut from its province) is refused whole, naming the area, how many units and which, and the ways out (README, Imports
/// are all or nothing): accepted, the next evaluation dropped them from every population, a unit that never moved read as
/// "moved out" and its district's shortfall as remedied. Moved or closed first, or given a successor first, the same change
/// goes through.
/// </summary>
public sealed class StrandedUnitsTests(ITestOutputHelper output)
{
    private const string AreasHeader = "code,name,level,parent_code,valid_from,valid_to\n";
    private const string LineageHeader = "predecessor_code,successor_code,effective_from\n";
    private const string UnitsWithChange = "code,name,kind,area_code,has_trade_union,headcount,contact_email,active_from,active_to,changed_on\n";

    /// <summary>C3 (XA3's commune, in D2) ended on 30/09/2020, no successor given: XA3, active, would sit nowhere on 31/12/2020.</summary>
    private const string CloseC3 = AreasHeader + "C3,Xã Ba,Commune,D2,,2020-09-30\n";

    private const string ClosedC3Refusal =
        "areas.csv:2:code: area C3 (Xã Ba) would lie in no province on 2020-12-31, a period's last day: it ends on 2020-09-30 and no lineage gives it a successor then; "
        + "1 active unit still sits in it then (XA3), and would drop out of every figure of that period as if moved out; nothing of this file was stored. "
        + "Move or close those units first (qcdc import units: a new area_code with changed_on, or active_to), "
        + "or give C3 its successor first (qcdc import lineage: predecessor_code,successor_code,effective_from), then import this file again";

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Closing_a_commune_that_still_holds_an_active_unit_with_no_successor_is_refused_whole_and_nothing_changes(string provider)
    {
        await using var engine = await ApiTestbed.ProvinceAsync(() => provider == "Postgres" ? Engine.PostgresAsync("stranded_units") : Engine.SqliteAsync());
        await engine.Evaluations.EvaluateAsync("2020S2", null, RunTrigger.Manual);
        var before = await DatabaseAsync(engine);

        var problems = await engine.RefusedAsync(ImportKind.Areas, "areas.csv", CloseC3);

        problems.Select(p => p.ToString()).Should().Equal(ClosedC3Refusal);
        output.WriteLine(ImportWording.Vietnamese(problems[0]));
        ImportWording.Vietnamese(problems[0]).Should().Be(
            "địa bàn C3 (Xã Ba) sẽ không thuộc tỉnh nào vào ngày 31/12/2020 (ngày cuối kỳ): địa bàn hết hiệu lực sau ngày 30/09/2020 và khi đó không có địa bàn kế thừa (sáp nhập) nào; "
            + "nhưng vẫn còn 1 đơn vị đang hoạt động thuộc địa bàn này khi đó (XA3), các đơn vị này sẽ bị loại khỏi mọi số liệu của kỳ đó như thể đã chuyển đi; "
            + "không có gì được lưu. Hãy chuyển các đơn vị đó sang địa bàn khác hoặc ghi ngày ngừng hoạt động trước "
            + "(qcdc import units: area_code mới kèm changed_on, hoặc active_to), hoặc nhập địa bàn kế thừa của C3 trước "
            + "(qcdc import lineage: predecessor_code,successor_code,effective_from), rồi nhập lại tệp này");
        (await DatabaseAsync(engine)).Should().Be(before, "a refused file changes no area, link, merger, audit row, run or finding");
    }

    [Fact]
    public async Task The_same_closing_goes_through_once_the_unit_has_a_successor_area_or_was_moved_or_closed_first()
    {
        // A successor given first (lineage): XA3 follows C3 into C1, and so under D1, on 31/12/2020.
        await using (var engine = await Engine.SqliteAsync().WithProvinceAsync())
        {
            await engine.ImportAsync(ImportKind.Lineage, "lineage.csv", LineageHeader + "C3,C1,2020-10-01\n");
            (await engine.ImportAsync(ImportKind.Areas, "areas.csv", CloseC3)).Updated.Should().Be(1);
            (await PathOfAsync(engine, "XA3", new DateOnly(2020, 12, 31))).Should().Be("C1 < D1 < P");
            (await PathOfAsync(engine, "XA3", new DateOnly(2020, 6, 30))).Should().Be("C3 < D2 < P");
        }

        // Moved first, from the day after C3's last.
        await using (var engine = await Engine.SqliteAsync().WithProvinceAsync())
        {
            await engine.ImportAsync(ImportKind.Units, "units.csv", UnitsWithChange + "XA3,UBND Xã Ba,Commune,C2,true,20,,,,2020-10-01\n");
            (await engine.ImportAsync(ImportKind.Areas, "areas.csv", CloseC3)).Updated.Should().Be(1);
            (await PathOfAsync(engine, "XA3", new DateOnly(2020, 12, 31))).Should().Be("C2 < D1 < P");
        }

        // Closed first, before the period ends (30/11/2020): no active unit is left in it on a period's last day.
        await using (var engine = await Engine.SqliteAsync().WithProvinceAsync())
        {
            await engine.ImportAsync(ImportKind.Units, "units.csv", Province.UnitsHeader + "XA3,UBND Xã Ba,Commune,C3,true,20,,,2020-11-30\n");
            (await engine.ImportAsync(ImportKind.Areas, "areas.csv", CloseC3)).Updated.Should().Be(1);
        }
    }

    [Fact]
    public async Task A_merger_re_dated_later_than_the_day_after_its_area_ended_is_refused_for_the_days_its_units_would_sit_nowhere()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.ImportAsync(ImportKind.Lineage, "lineage.csv", LineageHeader + "C3,C1,2020-10-01\n");
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", CloseC3);
        var before = await DatabaseAsync(engine);

        var problems = await engine.RefusedAsync(ImportKind.Lineage, "lineage.csv", LineageHeader + "C3,C1,2021-01-01\n");

        problems.Select(p => p.ToString()).Should().Equal(
            "lineage.csv:2:predecessor_code: area C3 (Xã Ba) would lie in no province on 2020-12-31, a period's last day: it ends on 2020-09-30 and no lineage gives it a successor then; "
            + "1 active unit still sits in it then (XA3), and would drop out of every figure of that period as if moved out; nothing of this file was stored. "
            + "Move or close those units first (qcdc import units: a new area_code with changed_on, or active_to), "
            + "or give C3 its successor first (qcdc import lineage: predecessor_code,successor_code,effective_from), then import this file again");
        (await DatabaseAsync(engine)).Should().Be(before);
    }

    [Fact]
    public async Task A_district_ended_while_areas_stay_linked_under_it_is_refused_and_ending_their_links_too_may_not_leave_units_nowhere()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        var before = await DatabaseAsync(engine);

        // D2 ended on 30/09/2020: C3 stays linked to it until 30/06/2025 (C9's link ended in 2019, inside D2's new dates).
        var problems = await engine.RefusedAsync(ImportKind.Areas, "areas.csv", AreasHeader + "D2,Huyện Hai,District,P,,2020-09-30\n");
        problems.Select(p => p.ToString()).Should().Equal(
            "areas.csv:2:valid_to: area D2 would exist only from the start to 2020-09-30, but 1 link of areas stored under it stays beyond that "
            + "(C3 from the start to 2025-06-30); in this file, end those links to D2 (valid_to) or give those areas another parent (a row for each of their links), "
            + "or keep the dates of D2");
        ImportWording.Vietnamese(problems[0]).Should().Be(
            "địa bàn D2 sẽ chỉ tồn tại từ đầu đến 2020-09-30, nhưng 1 quan hệ trực thuộc của các địa bàn cấp dưới đang lưu vẫn kéo dài ngoài khoảng đó "
            + "(C3 từ đầu đến 2025-06-30); trong tệp này, hãy kết thúc các quan hệ đó với D2 (valid_to) hoặc chuyển các địa bàn đó sang cấp trên khác "
            + "(mỗi quan hệ một dòng), hoặc giữ nguyên ngày của D2");

        // C3's link ended with D2's and no other parent until 1/7/2025: XA3 would sit in no province on 31/12/2020.
        problems = await engine.RefusedAsync(ImportKind.Areas, "areas.csv",
            AreasHeader + "D2,Huyện Hai,District,P,,2020-09-30\nC3,Xã Ba,Commune,D2,,2020-09-30\nC3,Xã Ba,Commune,P,2025-07-01,\n");
        problems.Select(p => p.Message).Should().Equal(
            "area C3 (Xã Ba) would lie in no province on 2020-12-31, a period's last day: no link places it in a province then (C3 < nowhere); "
            + "1 active unit still sits in it then (XA3), and would drop out of every figure of that period as if moved out; nothing of this file was stored. "
            + "Move or close those units first (qcdc import units: a new area_code with changed_on, or active_to), "
            + "or give C3 its successor first (qcdc import lineage: predecessor_code,successor_code,effective_from), then import this file again");
        ImportWording.Vietnamese(problems[0]).Should().Contain("khi đó không có quan hệ trực thuộc nào đưa địa bàn vào một tỉnh (C3 < không thuộc đâu)");
        (await DatabaseAsync(engine)).Should().Be(before);

        // C3 moved under D1 in the same file: accepted, XA3 counts in D1.
        (await engine.ImportAsync(ImportKind.Areas, "areas.csv",
            AreasHeader + "D2,Huyện Hai,District,P,,2020-09-30\nC3,Xã Ba,Commune,D2,,2020-09-30\nC3,Xã Ba,Commune,D1,2020-10-01,2025-06-30\nC3,Xã Ba,Commune,P,2025-07-01,\n"))
            .Updated.Should().Be(2);
        (await PathOfAsync(engine, "XA3", new DateOnly(2020, 12, 31))).Should().Be("C3 < D1 < P");
    }

    [Fact]
    public async Task With_the_period_signed_off_the_refusal_lists_the_units_left_nowhere_and_the_locked_move_together()
    {
        await using var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync(configure: s => s.AddQcdcDecisions()));
        await engine.Evaluations.EvaluateAsync("2020S2", null, RunTrigger.Manual);
        await engine.Services.GetRequiredService<SignOffService>().SignOffAsync("2020S2", "D2", "Đã rà soát", "committee@D2");
        var before = await DatabaseAsync(engine);

        var problems = await engine.RefusedAsync(ImportKind.Areas, "areas.csv", CloseC3);

        problems.Should().HaveCount(2);
        problems[0].Message.Should().StartWith("2020S2 of D2 was signed off by committee@D2").And.Contain("this file would move C3 (C3 < D2 < P → nowhere)");
        problems[1].ToString().Should().Be(ClosedC3Refusal);
        (await DatabaseAsync(engine)).Should().Be(before);
    }

    /// <summary>Where the unit counts on the day: the path of the area it sat in then, by the tree and its kept versions.</summary>
    private static async Task<string> PathOfAsync(Engine engine, string unitCode, DateOnly day)
    {
        await using var db = engine.Db();
        var tree = await db.LoadAreaTreeAsync();
        var unit = await db.Units.AsNoTracking().SingleAsync(u => u.Code == unitCode);
        var history = new UnitHistory(await db.UnitVersions.AsNoTracking().ToListAsync());
        return string.Join(" < ", tree.PathOn(history.AreaOn(unit.Id, unit.AreaId, day), day).Select(a => a.Code));
    }

    /// <summary>The rows an areas or lineage import writes or its evaluation would: compared whole before and after a refusal.</summary>
    private static async Task<string> DatabaseAsync(Engine engine)
    {
        await using var db = engine.Db();
        var areas = (await db.Areas.AsNoTracking().ToListAsync()).OrderBy(a => a.Code, StringComparer.Ordinal).Select(a => $"{a.Code} {a.Name} {a.Level} {a.ValidFrom} {a.ValidTo}");
        var links = (await db.AreaLinks.AsNoTracking().ToListAsync()).OrderBy(l => l.Id).Select(l => $"{l.AreaId}<{l.ParentId} {l.ValidFrom} {l.ValidTo}");
        var lineage = (await db.AreaLineages.AsNoTracking().ToListAsync()).OrderBy(l => l.Id).Select(l => $"{l.PredecessorId}>{l.SuccessorId} {l.EffectiveFrom}");
        var audits = (await db.AreaAudits.AsNoTracking().ToListAsync()).OrderBy(a => a.Id).Select(a => $"{a.AreaId} {a.Field} {a.OldValue} {a.NewValue}");
        var units = (await db.Units.AsNoTracking().ToListAsync()).OrderBy(u => u.Id).Select(u => $"{u.Code} {u.AreaId} {u.ActiveFrom} {u.ActiveTo}");
        var runs = await db.EvaluationRuns.CountAsync();
        var findings = (await db.Findings.AsNoTracking().ToListAsync()).OrderBy(f => f.Id).Select(f => $"{f.Id} {f.State} {f.SupersededByRunId}");
        return string.Join("\n", areas.Concat(links).Concat(lineage).Concat(audits).Concat(units).Append($"runs={runs}").Concat(findings));
    }
}
