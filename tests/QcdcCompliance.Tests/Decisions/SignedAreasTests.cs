using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Decisions;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Decisions;

/// <summary>
/// A sign-off locks where its units sit on the period's last day: an areas or lineage import that would move an area
/// holding units into, out of or inside a signed-off area then is refused whole; one dated after the period goes through.
/// </summary>
public sealed class SignedAreasTests(ITestOutputHelper output)
{
    private const string AreasHeader = "code,name,level,parent_code,valid_from,valid_to\n";
    private const string LineageHeader = "predecessor_code,successor_code,effective_from\n";

    private static async Task<string?> ParentOfC2Async(Engine engine, DateOnly day)
    {
        await using var db = engine.Db();
        var tree = await db.LoadAreaTreeAsync();
        return tree.ParentOn(tree.Find("C2")!.Id, day)?.Code;
    }

    [Fact]
    public async Task A_move_or_merger_back_into_a_signed_off_period_is_refused_whole_and_one_dated_after_it_goes_through()
    {
        await using var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync(configure: s => s.AddQcdcDecisions()));
        await engine.Services.GetRequiredService<SignOffService>().SignOffAsync("2020S1", "D1", "Các đơn vị còn thiếu đã được nhắc", "committee@D1");
        var before = await engine.CountsAsync();

        // C2 (XA2, DN2) to D2 with no date: it would leave D1 on 30/6/2020.
        var undated = () => engine.ImportAsync(ImportKind.Areas, "areas.csv", AreasHeader + "C2,Xã Hai,Commune,D2,,2025-06-30\nC2,Xã Hai,Commune,P,2025-07-01,\n");
        var problem = (await undated.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle().Which;
        output.WriteLine(problem.ToString());
        output.WriteLine(ImportWording.Vietnamese(problem));
        problem.Message.Should().StartWith("2020S1 of D1 was signed off by committee@D1 on ")
            .And.Contain("so where its units sit on 2020-06-30 is locked: this file would move C2 (C2 < D1 < P → C2 < D2 < P); nothing of this file was stored")
            .And.Contain("qcdc signoff reopen --period 2020S1 --area D1").And.Contain("date the change from 2020-07-01");
        ImportWording.Vietnamese(problem).Should().StartWith("kết quả 6 tháng đầu năm 2020 của Huyện Một đã được ký duyệt bởi committee@D1")
            .And.Contain("tệp này sẽ chuyển C2 (C2 < D1 < P → C2 < D2 < P); không có gì được lưu");
        (await engine.CountsAsync()).Should().Be(before);
        (await ParentOfC2Async(engine, new DateOnly(2020, 6, 30))).Should().Be("D1");

        // The commune closed in 2019 merged into C1 from 1/1/2020: its unit would count in D1 for 2020S1.
        var merger = () => engine.ImportAsync(ImportKind.Lineage, "lineage.csv", LineageHeader + "C9,C1,2020-01-01\n");
        (await merger.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle()
            .Which.Message.Should().Contain("this file would move C9 (nowhere → C1 < D1 < P)");
        (await engine.CountsAsync()).Should().Be(before);

        // Dated after the period, a name, and the same file once reopened, go through.
        (await engine.ImportAsync(ImportKind.Areas, "areas.csv",
            AreasHeader + "C2,Xã Hai,Commune,D1,,2020-06-30\nC2,Xã Hai,Commune,D2,2020-07-01,2025-06-30\nC2,Xã Hai,Commune,P,2025-07-01,\n")).Updated.Should().Be(1);
        (await ParentOfC2Async(engine, new DateOnly(2020, 6, 30))).Should().Be("D1");
        (await ParentOfC2Async(engine, new DateOnly(2020, 12, 31))).Should().Be("D2");
        (await engine.ImportAsync(ImportKind.Lineage, "lineage.csv", LineageHeader + "C9,C1,2020-07-01\n")).Inserted.Should().Be(1);
        (await engine.ImportAsync(ImportKind.Areas, "areas.csv", AreasHeader + "D1,Huyện Một (tên mới),District,P,,2025-06-30\n")).Updated.Should().Be(1);
        await engine.Services.GetRequiredService<SignOffService>().ReopenAsync("2020S1", "D1", "Xã Hai chuyển về Huyện Hai", "committee@D1");
        (await engine.ImportAsync(ImportKind.Areas, "areas.csv", AreasHeader + "C2,Xã Hai,Commune,D2,,2025-06-30\nC2,Xã Hai,Commune,P,2025-07-01,\n")).Updated.Should().Be(1);
        (await ParentOfC2Async(engine, new DateOnly(2020, 6, 30))).Should().Be("D2");
    }
}
