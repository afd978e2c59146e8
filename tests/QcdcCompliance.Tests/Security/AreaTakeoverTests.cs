using System.Net;
using System.Text;
using System.Text.Json;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Security;

/// <summary>
/// Issue 18, item 1: an administrator bound to a province changes only areas that lie wholly inside it, at every date;
/// merges across provinces are a national administrator's; and a key's scope is judged on the days that matter, so a
/// link that held for one day in the past hands nobody another province's units.
/// </summary>
public sealed class AreaTakeoverTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_province_administrator_cannot_give_another_provinces_district_a_one_day_link_and_its_keys_still_see_nothing_of_it(string provider)
    {
        await using var bed = await StartAsync(provider, "takeover");
        var admin = await bed.AsAsync(Role.Admin, "P");
        var auditor = await bed.AsAsync(Role.Auditor, "P");
        var before = await bed.Engine.CountsAsync();

        // The probe's file: QD under P for one day in the past, its links to Q around it.
        var withLinks = await PostAsync(admin, "areas", OtherProvince.OneDayUnderP);
        // Only the one-day link, the stored link to Q left as it is.
        var alone = await PostAsync(admin, "areas", "code,name,level,parent_code,valid_from,valid_to\nQD,Huyện Khác,District,P,2019-03-05,2019-03-05\n");
        // A new commune of P under Q's district, and one of Q's communes moved into P.
        var newUnder = await PostAsync(admin, "areas", "code,name,level,parent_code,valid_from,valid_to\nC7,Xã Bảy,Commune,QD,,\n");
        var moved = await PostAsync(admin, "areas", "code,name,level,parent_code,valid_from,valid_to\nQC,Xã Khác,Commune,D1,,\n");

        foreach (var refused in new[] { withLinks, alone, newUnder, moved })
            refused.Status.Should().Be(HttpStatusCode.UnprocessableEntity, refused.Body);
        withLinks.Problems.Should().Contain(p => p.StartsWith("areas.csv:2:code: area QD is outside your area P", StringComparison.Ordinal));
        (await bed.Engine.CountsAsync()).Should().Be(before, "a refused file stores nothing");
        (await auditor.GetAsync("/api/units/QU1")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await auditor.GetAsync("/api/areas/QD")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        // A parent outside answers exactly as a parent that does not exist.
        var unknownParent = await PostAsync(admin, "areas", "code,name,level,parent_code,valid_from,valid_to\nC7,Xã Bảy,Commune,ZZ,,\n");
        newUnder.Problems.Should().Equal(unknownParent.Problems.Select(p => p.Replace("ZZ", "QD", StringComparison.Ordinal)));

        // The province's own areas stay the administrator's to change.
        var own = await PostAsync(admin, "areas", "code,name,level,parent_code,valid_from,valid_to\nC7,Xã Bảy,Commune,D1,,2025-06-30\nC7,Xã Bảy,Commune,P,2025-07-01,\n");
        own.Status.Should().Be(HttpStatusCode.OK, own.Body);
    }

    [Fact]
    public async Task A_province_administrator_cannot_close_rename_or_merge_away_its_own_province_and_its_findings_stay()
    {
        await using var bed = await StartAsync("Sqlite", "own");
        var admin = await bed.AsAsync(Role.Admin, "P");
        var national = await bed.AsAsync(Role.NationalAdmin, "P");
        var before = await bed.Engine.CountsAsync();
        const string header = "code,name,level,parent_code,valid_from,valid_to\n";

        var closed = await PostAsync(admin, "areas", header + "P,Tỉnh Thử,Province,,,2019-01-01\n");
        var renamed = await PostAsync(admin, "areas", header + "P,Tỉnh Đổi Tên,Province,,,\n");
        var merged = await PostAsync(admin, "lineage", "predecessor_code,successor_code,effective_from\nP,D1,2019-01-01\n");

        foreach (var refused in new[] { closed, renamed, merged })
            refused.Status.Should().Be(HttpStatusCode.UnprocessableEntity, refused.Body);
        closed.Problems.Should().Equal("areas.csv:2:code: area P is your own area: only a national administrator changes its name, level, dates or links; "
                                       + "leave its row out of the file, or write it as stored");
        merged.Problems.Should().Equal("lineage.csv:2:predecessor_code: area P is your own area: only a national administrator merges it into another");
        (await bed.Engine.CountsAsync()).Should().Be(before, "a refused file stores nothing");

        // Its row written as stored stands in a whole-province file; a national administrator may still change it.
        (await PostAsync(admin, "areas", header + "P,Tỉnh Thử,Province,,,\nC7,Xã Bảy,Commune,P,2025-07-01,\n")).Status.Should().Be(HttpStatusCode.OK);
        (await PostAsync(national, "areas", header + "P,Tỉnh Thử Mới,Province,,,\n")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_merge_across_provinces_and_a_lineage_row_pointing_out_of_the_province_are_refused_without_a_national_administrator(string provider)
    {
        await using var bed = await StartAsync(provider, "lineage");
        var admin = await bed.AsAsync(Role.Admin, "P");
        var national = await bed.AsAsync(Role.NationalAdmin, "P");
        var before = await bed.Engine.CountsAsync();

        var into = await PostAsync(admin, "lineage", "predecessor_code,successor_code,effective_from\nQC,C3,2026-01-01\n");
        var outOf = await PostAsync(admin, "lineage", "predecessor_code,successor_code,effective_from\nC3,QC,2026-01-01\n");
        var unknown = await PostAsync(admin, "lineage", "predecessor_code,successor_code,effective_from\nZZ,C3,2026-01-01\n");
        var reporter = await (await bed.AsAsync(Role.Reporter, "P")).PostAsync("/api/imports/lineage", Csv("predecessor_code,successor_code,effective_from\nC9,C3,2020-01-01\n"));

        into.Status.Should().Be(HttpStatusCode.UnprocessableEntity, into.Body);
        outOf.Status.Should().Be(HttpStatusCode.UnprocessableEntity, outOf.Body);
        into.Problems.Should().Equal(unknown.Problems.Select(p => p.Replace("ZZ", "QC", StringComparison.Ordinal)), "an area outside reads as one that does not exist");
        outOf.Problems.Should().ContainSingle().Which.Should().Contain("unknown area QC, or outside your area");
        reporter.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await bed.Engine.CountsAsync()).Should().Be(before);

        var merged = await PostAsync(national, "lineage", "predecessor_code,successor_code,effective_from\nQC,C3,2026-01-01\n");
        merged.Status.Should().Be(HttpStatusCode.OK, merged.Body);
        var own = await PostAsync(admin, "lineage", "predecessor_code,successor_code,effective_from\nC9,C3,2020-01-01\n");
        own.Status.Should().Be(HttpStatusCode.OK, own.Body);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_past_one_day_link_made_by_a_national_administrator_widens_no_key_of_the_province(string provider)
    {
        await using var bed = await StartAsync(provider, "oneday");
        var national = await bed.AsAsync(Role.NationalAdmin, "P");
        var linked = await PostAsync(national, "areas", OtherProvince.OneDayUnderP);
        linked.Status.Should().Be(HttpStatusCode.OK, linked.Body);
        await bed.Engine.ImportAsync(ImportKind.Values, "q.csv", Province.ValuesHeader + "QU1,2020S1,REGULATION_ISSUED,true,\n");

        foreach (var role in new[] { Role.Auditor, Role.Committee, Role.Reporter, Role.Admin })
        {
            var key = await bed.AsAsync(role, "P");
            (await key.GetAsync("/api/units/QU1")).StatusCode.Should().Be(HttpStatusCode.NotFound, $"{role}@P reads nothing of Q's unit");
            (await key.GetAsync("/api/areas/QD")).StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await key.GetAsync("/api/areas/QD?on=2019-03-05")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        var reporter = await bed.AsAsync(Role.Reporter, "P");
        var write = await reporter.PostAsync("/api/imports/values", Csv(Province.ValuesHeader + "QU1,2020S1,REGULATION_ISSUED,false,\n"));
        write.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, "P's reporter writes no value of Q's unit");
        (await national.GetAsync("/api/units/QU1")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_area_on_the_day_of_a_past_one_day_link_lists_no_child_outside_the_keys_area()
    {
        await using var bed = await StartAsync("Sqlite", "children");
        var national = await bed.AsAsync(Role.NationalAdmin, "P");
        (await PostAsync(national, "areas", OtherProvince.OneDayUnderP)).Status.Should().Be(HttpStatusCode.OK);
        var auditor = await bed.AsAsync(Role.Auditor, "P");

        var seen = await auditor.GetAsync("/api/areas/P?on=2019-03-05");
        var everyone = await national.GetAsync("/api/areas/P?on=2019-03-05");

        seen.StatusCode.Should().Be(HttpStatusCode.OK);
        Children(await seen.Content.ReadAsStringAsync()).Should().Contain(["D1", "D2"]).And.NotContain("QD", "Q's district is outside P's keys, on that day too");
        Children(await everyone.Content.ReadAsStringAsync()).Should().Contain("QD", "the link held on that day");
        (await auditor.GetAsync("/api/areas/QD?on=2019-03-05")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private static List<string> Children(string area) =>
        JsonDocument.Parse(area).RootElement.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("code").GetString()!).ToList();

    [Fact]
    public async Task A_national_administrator_is_a_role_of_its_own_that_sees_and_imports_every_province()
    {
        await using var bed = await StartAsync("Sqlite", "national");
        var national = await bed.AsAsync(Role.NationalAdmin, "P");
        var values = await PostAsync(national, "values", Province.ValuesHeader + "QU1,2020S1,REGULATION_ISSUED,true,\nXA3,2020S1,REGULATION_ISSUED,true,\n");
        values.Status.Should().Be(HttpStatusCode.OK, values.Body);
        (await national.GetAsync("/api/units/QU1")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static async Task<ApiTestbed> StartAsync(string provider, string name)
    {
        var engine = await ApiTestbed.ProvinceAsync(provider == "Sqlite" ? () => Engine.SqliteAsync() : () => Engine.PostgresAsync(name));
        await OtherProvince.AddAsync(engine);
        return await ApiTestbed.StartAsync(engine);
    }

    internal static async Task<(HttpStatusCode Status, string Body, IReadOnlyList<string> Problems)> PostAsync(HttpClient client, string kind, string csv)
    {
        var response = await client.PostAsync($"/api/imports/{kind}?file={kind}.csv", Csv(csv));
        var body = await response.Content.ReadAsStringAsync();
        var problems = response.StatusCode == HttpStatusCode.UnprocessableEntity
            ? JsonDocument.Parse(body).RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("text").GetString()!).ToList()
            : [];
        return (response.StatusCode, body, problems);
    }

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");
}
