using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Host.Security;
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

    [Fact]
    public async Task A_key_named_with_emoji_imports_and_acknowledges_on_PostgreSQL_and_is_recorded_by_its_name_as_written()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.PostgresAsync("who")));
        // 61 characters as keys create counts them, 20 of them emoji: written as \uXXXX pairs the principal outgrew varchar(256).
        var name = "Tổ tổng hợp số liệu QCDC huyện Nghi Xuân " + string.Concat(Enumerable.Repeat("📊", 20));
        var reporter = bed.As(await bed.KeyAsync(Role.Reporter, "D1", name));
        var committee = bed.As(await bed.KeyAsync(Role.Committee, "D1", "Ban chỉ đạo huyện Nghi Xuân " + string.Concat(Enumerable.Repeat("📈", 20)) + "\\ kiểm tra"));
        var finding = await bed.FindingAsync("NQ02-1", "XA2");

        var import = await reporter.PostAsync("/api/imports/values?file=emoji.csv",
            new StringContent(Province.ValuesHeader + "XA2,2020S1,REGULATION_ISSUED,true,\n", Encoding.UTF8, "text/csv"));
        var acknowledge = await committee.PostAsync($"/api/findings/{finding.Id}/acknowledge", System.Net.Http.Json.JsonContent.Create(new { reason = "đã xem" }));

        import.StatusCode.Should().Be(HttpStatusCode.OK, await import.Content.ReadAsStringAsync());
        acknowledge.StatusCode.Should().Be(HttpStatusCode.OK, await acknowledge.Content.ReadAsStringAsync());
        await using var db = bed.Engine.Db();
        var changedBy = (await db.DataValueAudits.SingleAsync(a => a.Source == "emoji.csv")).ChangedBy;
        changedBy.Should().MatchRegex("^apikey:[0-9]+ \"").And.EndWith($"\"{name}\" reporter@D1", "the name reads as its holder wrote it").And.NotContain("\\u");
        var by = (await db.FindingActions.SingleAsync(a => a.FindingId == finding.Id)).By;
        by.Should().StartWith("apikey:").And.EndWith($"\"Ban chỉ đạo huyện Nghi Xuân {string.Concat(Enumerable.Repeat("📈", 20))}\\ kiểm tra\" committee@D1");
    }

    [Fact]
    public void A_principal_too_long_for_the_records_is_cut_in_its_name_and_keeps_its_key_and_area()
    {
        var area = new string('A', 64);
        var user = new System.Security.Claims.ClaimsPrincipal(QcdcClaims.Identity(new string('n', 190) + "😀😀😀😀😀", Role.Reporter, 1, area, "ApiKey"));
        ((System.Security.Claims.ClaimsIdentity)user.Identity!).AddClaim(new System.Security.Claims.Claim(QcdcClaims.PrincipalId, "apikey:123456"));

        var who = user.Describe();

        who.Length.Should().BeLessThanOrEqualTo(QcdcClaims.MaxDescriptionLength);
        who.Should().StartWith("apikey:123456 \"nnnn").And.EndWith($"…\" reporter@{area}");
        user.Describe().Should().Be(who);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_problems_of_a_refused_file_and_the_415_of_JSON_posts()
    {
        await using var bed = await ApiTestbed.StartAsync(await Engine.SqliteAsync());
        var document = System.Text.Json.Nodes.JsonNode.Parse(await bed.Anonymous().GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject();
        System.Text.Json.Nodes.JsonNode Operation(string path, string method) => paths.Single(p => p.Key.TrimEnd('/') == path).Value![method]!;

        foreach (var (path, method) in new[] { ("/api/imports/{kind}", "post"), ("/api/whatif", "post") })
        {
            var schema = Operation(path, method)["responses"]!["422"]!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>();
            var refusal = document["components"]!["schemas"]![schema.Split('/')[^1]]!["properties"]!.AsObject();
            refusal.Select(p => p.Key).Should().Contain(["title", "detail", "problems", "problemsNotListed"], path);
            var item = refusal["problems"]!["items"]!["$ref"]!.GetValue<string>().Split('/')[^1];
            document["components"]!["schemas"]![item]!["properties"]!.AsObject().Select(p => p.Key)
                .Should().Contain(["file", "row", "column", "message", "text", "cell", "unit", "indicator", "messageVi", "whereVi"]);
        }

        foreach (var (path, method) in new[] { ("/api/evaluations", "post"), ("/api/findings/{id}/acknowledge", "post"), ("/api/signoffs", "post") })
            Operation(path, method)["responses"]!["415"].Should().NotBeNull($"{path} answers 415 to a body that is not JSON");
    }
}
