using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;
using QcdcCompliance.Tests.Security;

namespace QcdcCompliance.Tests.Import;

/// <summary>
/// An areas or lineage import that moves an area inside an ended period touches that period (README, Jobs: the same rule
/// as units, <c>Import/TouchedScopes.cs</c>) and queues its evaluation, so that its area results follow the tree; and who
/// changed the area, when, from what to what, is recorded (table <c>AreaAudits</c>) and read on the API and the area's page.
/// </summary>
public sealed class AreaChangeTests
{
    private const string AreasHeader = "code,name,level,parent_code,valid_from,valid_to\n";

    /// <summary>C3 (and its XA3, short of NQ02-1 in 2020S1) moved from D2 to D1 from 1 March 2020, inside the ended 2020S1.</summary>
    private const string C3IntoD1 = AreasHeader + "C3,Xã Ba,Commune,D2,,2020-02-29\nC3,Xã Ba,Commune,D1,2020-03-01,2025-06-30\nC3,Xã Ba,Commune,P,2025-07-01,\n";

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_commune_re_parented_inside_an_ended_half_year_through_the_api_is_re_evaluated_there_and_who_moved_it_is_recorded(string provider)
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => provider == "Postgres" ? Engine.PostgresAsync("area_moved") : Engine.SqliteAsync()));
        var auditor = await bed.AsAsync(Role.Auditor, "P");
        var d1Before = await PopulationAsync(auditor, "D1");
        (await PopulationAsync(auditor, "D2")).Should().Be(1, "XA3 is D2's one commune unit in 2020S1");

        var started = DateTime.UtcNow.AddSeconds(-1);
        var response = await bed.As(await bed.KeyAsync(Role.Admin, "P", "Quản trị tỉnh P")).PostAsync("/api/imports/areas?file=move-c3.csv",
            new StringContent(C3IntoD1, Encoding.UTF8, "text/csv"));
        var result = await response.ReadAsync<ImportResultDto>(HttpStatusCode.OK);
        result.Touched.Should().Equal([new TouchedScopeDto("2020", "P"), new TouchedScopeDto("2020S1", "P")],
            "XA3's commune sits under D1 on 30/06/2020, no longer D2, and the year reads its halves");

        // No one evaluates by hand: the evaluation the import queued counts XA3's shortfall of NQ02-1 in D1, no longer in D2.
        await Eventually.WaitAsync(() => PopulationAsync(auditor, "D1"), population => population == d1Before + 1,
            "D1's NQ02-1 population takes XA3 in the run the areas import queued");
        (await PopulationAsync(auditor, "D2")).Should().Be(0, "D2 holds no commune unit on 30/06/2020 any more");

        var area = await (await auditor.GetAsync("/api/areas/C3")).ReadAsync<AreaDto>(HttpStatusCode.OK);
        area.Changes.Should().HaveCount(2);
        (area.Changes[0].Field, area.Changes[0].NewValue, area.Changes[0].ChangedBy).Should().Be((AreaAudit.Created, "D2 ..2025-06-30; P 2025-07-01..", "test"),
            "the province's areas were first stored by the test's import");
        var change = area.Changes[1];
        (change.Field, change.OldValue, change.NewValue, change.From).Should().Be(("parent_code", "D2 ..2025-06-30; P 2025-07-01..",
            "D2 ..2020-02-29; D1 2020-03-01..2025-06-30; P 2025-07-01..", new DateOnly(2020, 3, 1)));
        change.ChangedBy.Should().Contain("\"Quản trị tỉnh P\"").And.Contain("admin@P");
        change.ChangedAt.Should().BeOnOrAfter(started).And.BeOnOrBefore(DateTime.UtcNow);
        change.ChangedAt.Kind.Should().Be(DateTimeKind.Utc);
        change.Source.Should().Be("move-c3.csv");

        // The area's page reads the same row, its time in Viet Nam.
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Auditor, "P"), returnUrl: "");
        var page = WebUtility.HtmlDecode(await (await browser.GetAsync("/?period=2020S1&area=C3")).Content.ReadAsStringAsync());
        var row = Regex.Match(page, "<tr data-field=\"parent_code\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
        var cells = Regex.Matches(row, "<td[^>]*>([^<]*)</td>").Select(m => m.Groups[1].Value.Trim()).ToList();
        cells.Should().Equal(change.ChangedAt.AddHours(7).ToString("HH:mm dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture), change.ChangedBy,
            "Địa bàn cấp trên", "D2 đến 30/06/2025; P từ 01/07/2025", "D2 đến 29/02/2020; D1 từ 01/03/2020 đến 30/06/2025; P từ 01/07/2025", "01/03/2020", "move-c3.csv");
    }

    [Fact]
    public async Task A_commune_moved_to_another_province_touches_both_and_a_rename_touches_nothing_but_is_recorded()
    {
        await using var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());

        var renamed = await engine.ImportAsync(ImportKind.Areas, "rename.csv", AreasHeader + "C3,Xã Ba Mới,Commune,D2,,2025-06-30\nC3,Xã Ba Mới,Commune,P,2025-07-01,\n", by: "cán bộ A");
        var moved = await engine.ImportAsync(ImportKind.Areas, "q.csv", AreasHeader + "Q,Tỉnh Khác,Province,,,\nC3,Xã Ba Mới,Commune,Q,,\n", by: "cán bộ B");

        renamed.TouchedScopes.Should().BeEmpty("a name places no unit elsewhere");
        moved.TouchedScopes.Should().Equal([("2020", "P"), ("2020", "Q"), ("2020S1", "P"), ("2020S1", "Q")],
            "XA3 leaves P's 2020S1 for Q's: both provinces' runs count otherwise");

        await using var db = engine.Db();
        var c3 = db.Areas.Single(a => a.Code == "C3").Id;
        var q = db.Areas.Single(a => a.Code == "Q").Id;
        db.AreaAudits.Where(a => a.AreaId == c3).OrderBy(a => a.Id).AsEnumerable().Select(a => (a.Field, a.OldValue, a.NewValue, a.EffectiveFrom, a.ChangedBy, a.Source))
            .Should().Equal((AreaAudit.Created, null, "D2 ..2025-06-30; P 2025-07-01..", (DateOnly?)null, "test", "areas.csv"),
                ("name", "Xã Ba", "Xã Ba Mới", null, "cán bộ A", "rename.csv"),
                ("parent_code", "D2 ..2025-06-30; P 2025-07-01..", "Q ..", null, "cán bộ B", "q.csv"));
        db.AreaAudits.Where(a => a.AreaId == q).Select(a => new { a.Field, a.NewValue }).Single().Should().Be(new { Field = AreaAudit.Created, NewValue = (string?)"- .." });
    }

    [Fact]
    public async Task A_merger_dated_back_into_an_ended_half_year_touches_it_and_is_recorded_on_both_areas()
    {
        await using var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());
        // C3 closed on 31/03/2020: XA3 counts nowhere on 30/06/2020.
        var closed = await engine.ImportAsync(ImportKind.Areas, "close.csv", AreasHeader + "C3,Xã Ba,Commune,D2,,2020-03-31\n");
        closed.TouchedScopes.Should().Equal([("2020", "P"), ("2020S1", "P")], "XA3's commune no longer exists on 2020S1's last day");

        var merged = await engine.ImportAsync(ImportKind.Lineage, "merge.csv", "predecessor_code,successor_code,effective_from\nC3,C2,2020-04-01\n", by: "cán bộ C");
        merged.TouchedScopes.Should().Equal([("2020", "P"), ("2020S1", "P")], "XA3 rolls up through C2 into D1 from 1/4/2020");

        await using var db = engine.Db();
        var (c2, c3) = (db.Areas.Single(a => a.Code == "C2").Id, db.Areas.Single(a => a.Code == "C3").Id);
        db.AreaAudits.Where(a => a.Source == "merge.csv").OrderBy(a => a.Id).AsEnumerable().Select(a => (a.AreaId, a.Field, a.OldValue, a.NewValue, a.EffectiveFrom, a.ChangedBy))
            .Should().Equal((c3, AreaAudit.Successor, (string?)null, "C2 2020-04-01", (DateOnly?)new DateOnly(2020, 4, 1), "cán bộ C"),
                (c2, AreaAudit.Predecessor, null, "C3 2020-04-01", new DateOnly(2020, 4, 1), "cán bộ C"));
        db.AreaAudits.Where(a => a.Source == "close.csv").Select(a => a.Field).ToList().Should().BeEquivalentTo(["valid_to", "parent_code"]);
    }

    /// <summary>The population of NQ02-1 in the area's row of 2020S1, as the latest run counted it (0 when it has none).</summary>
    private static async Task<int> PopulationAsync(HttpClient client, string area)
    {
        var compliance = await (await client.GetAsync($"/api/compliance?period=2020S1&area={area}")).ReadAsync<ComplianceDto>(HttpStatusCode.OK);
        return compliance.Targets.SingleOrDefault(t => t.Code == "NQ02-1")?.Area?.Population ?? 0;
    }
}
