using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Api;

public sealed class ImportsApiTests
{
    [Fact]
    public async Task A_bad_import_body_is_refused_with_422_listing_every_problem_and_stores_nothing()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var reporter = await bed.AsAsync(Role.Reporter, "D1");
        var before = await bed.Engine.CountsAsync();
        var body = Province.ValuesHeader + "XA1,2020S2,REGULATION_ISSUED,true,\nXA2,2020S2,REGULATION_ISSUED,maybe,\nXA3,2020S2,REGULATION_ISSUED,true,\n";

        var response = await reporter.PostAsync("/api/imports/values?file=bao-cao.csv", new StringContent(body, Encoding.UTF8, "text/csv"));
        var json = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problems = JsonDocument.Parse(json).RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("text").GetString()).ToList();
        problems.Should().HaveCount(2);
        problems[0].Should().StartWith("bao-cao.csv:3:value: 'maybe'");
        problems[1].Should().StartWith("bao-cao.csv:4:unit_code: unknown unit XA3, or outside your area");
        (await bed.Engine.CountsAsync()).Should().Be(before, "a refused file stores nothing, not even its good row");
    }

    [Fact]
    public async Task A_reporter_imports_its_own_units_values_as_JSON_and_they_are_stored_as_by_the_CLI()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var reporter = await bed.AsAsync(Role.Reporter, "D1");
        var body = """
            [{"unit_code":"XA2","period":"2020S1","indicator":"REGULATION_ISSUED","value":"có","comment":"đã ban hành"},
             {"unit_code":"XA2","period":"2020S1","indicator":"INSPECTION_SUPERVISIONS","value":4}]
            """;

        var result = await (await reporter.PostAsync("/api/imports/values", new StringContent(body, Encoding.UTF8, "application/json"))).ReadAsync<ImportResultDto>();

        (result.File, result.Rows, result.Updated, result.Inserted).Should().Be(("values.json", 2, 1, 1));
        result.Touched.Should().Equal([new TouchedScopeDto("2020", "P"), new TouchedScopeDto("2020S1", "P")],
            "the year 2020 sums the half-years' supervisions, so it is re-evaluated with its first half");
        await using var db = bed.Engine.Db();
        var audits = await db.DataValueAudits.Where(a => a.Source == "values.json").OrderBy(a => a.Id).ToListAsync();
        audits.Select(a => (a.OldValue, a.NewValue)).Should().Equal([((long?)0, (long?)1), (null, 4)], "the change keeps the old value; the first value has none");
        audits.Should().OnlyContain(a => a.ChangedBy.Contains("reporter@D1") && a.ChangedBy.StartsWith("apikey:"));
        var unit = await (await reporter.GetAsync("/api/units/XA2")).ReadAsync<UnitDto>();
        unit.History.Should().ContainSingle(h => h.Indicator == "REGULATION_ISSUED" && h.OldValue == 0 && h.NewValue == 1 && h.Source == "values.json");
        unit.History.Should().ContainSingle(h => h.Indicator == "INSPECTION_SUPERVISIONS" && h.OldValue == null && h.NewValue == 4 && h.Source == "values.json");
    }
}
