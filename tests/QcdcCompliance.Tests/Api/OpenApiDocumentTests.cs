using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using QcdcCompliance.Domain;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Api;

public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task Integers_are_typed_integer_not_integer_or_string()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var document = JsonNode.Parse(await bed.Anonymous().GetStringAsync("/openapi/v1.json"))!;
        var schemas = document["components"]!["schemas"]!;

        // Every schema of the document, wherever it sits: none may let a number be written as a string.
        var mixed = new List<string>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    if (o["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "string")
                        && types.Any(t => t?.GetValue<string>() is "integer" or "number"))
                        mixed.Add(o.GetPath());
                    foreach (var (_, child) in o)
                        Walk(child);
                    break;
                case JsonArray a:
                    foreach (var child in a)
                        Walk(child);
                    break;
            }
        }

        Walk(document);
        mixed.Should().BeEmpty("the server writes numbers, and a generated client must read them as numbers");
        schemas["FindingDto"]!["properties"]!["id"]!["type"]!.GetValue<string>().Should().Be("integer");
        schemas["RunDto"]!["properties"]!["id"]!["type"]!.GetValue<string>().Should().Be("integer");
        var limit = document["paths"]!["/api/findings"]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "limit")!["schema"]!;
        limit["type"]!.GetValue<string>().Should().Be("integer");
        var id = document["paths"]!["/api/findings/{id}"]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "id")!["schema"]!;
        (id["type"]!.GetValue<string>(), id["format"]!.GetValue<string>()).Should().Be(("integer", "int64"));

        // The API still reads the numbers a client sends, and writes numbers.
        var auditor = await bed.AsAsync(QcdcCompliance.Domain.Role.Auditor, "P");
        var page = JsonNode.Parse(await auditor.GetStringAsync("/api/findings?period=2020S1&limit=2"))!;
        page["limit"]!.GetValueKind().Should().Be(System.Text.Json.JsonValueKind.Number);
        page["items"]![0]!["id"]!.GetValueKind().Should().Be(System.Text.Json.JsonValueKind.Number);
    }

    /// <summary>
    /// The schema the document gives an answer (<paramref name="path"/> as the document names it, its 200 JSON), with the
    /// document's named schemas beside it, as a JSON Schema 2020-12 validator reads it (OpenAPI 3.1's schemas are that dialect).
    /// </summary>
    private static JsonSchema AnswerSchema(JsonNode document, string path)
    {
        var schema = document["paths"]![path]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!.DeepClone().AsObject();
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        schema["$defs"] = document["components"]!["schemas"]!.DeepClone();
        var text = schema.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text, new BuildOptions(), new Uri($"https://qcdc.test/{Guid.NewGuid():N}"));
    }

    private static async Task<List<string>> ErrorsAsync(JsonSchema schema, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        using var answer = JsonDocument.Parse(body);
        var result = schema.Evaluate(answer.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid ? [] : (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key} {e.Value}")).DefaultIfEmpty("invalid").ToList();
    }

    [Fact]
    public async Task Unresolved_findings_validate_against_the_document_and_its_filters_are_the_values_they_take()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var document = JsonNode.Parse(await bed.Anonymous().GetStringAsync("/openapi/v1.json"))!;
        var auditor = await bed.AsAsync(Role.Auditor, "P");

        var list = await auditor.GetAsync("/api/findings?period=2020S1&limit=1000");
        var items = JsonNode.Parse(await list.Content.ReadAsStringAsync())!["items"]!.AsArray();
        items.Should().Contain(i => i!["resolution"] == null, "findings still open say resolution: null");
        var unit = items.First(i => i!["subjectType"]!.GetValue<string>() == "Unit")!;
        var run = JsonNode.Parse(await auditor.GetStringAsync("/api/runs"))!["items"]![0]!["id"]!.GetValue<long>();

        // The commonest answer of each read that lists findings (the list, a run's, one finding, a unit's) is valid against its schema.
        (await ErrorsAsync(AnswerSchema(document, "/api/findings"), list)).Should().BeEmpty();
        (await ErrorsAsync(AnswerSchema(document, "/api/findings"), await auditor.GetAsync($"/api/findings?run={run}&limit=1000"))).Should().BeEmpty();
        (await ErrorsAsync(AnswerSchema(document, "/api/findings/{id}"), await auditor.GetAsync($"/api/findings/{unit["id"]}"))).Should().BeEmpty();
        (await ErrorsAsync(AnswerSchema(document, "/api/units/{code}/findings"), await auditor.GetAsync($"/api/units/{unit["subjectCode"]}/findings"))).Should().BeEmpty();

        // The filters of the list take fixed values, and the document says which; another format is refused, not answered as JSON.
        var parameters = document["paths"]!["/api/findings"]!["get"]!["parameters"]!.AsArray();
        string[] Values(string name) => parameters.Single(p => p!["name"]!.GetValue<string>() == name)!["schema"]!["enum"]?.AsArray().Select(v => v!.GetValue<string>()).ToArray() ?? [];
        Values("state").Should().Equal("New", "Persisting", "Resolved");
        Values("severity").Should().Equal("Low", "Medium", "High");
        Values("format").Should().Equal("json", "csv");
        var xml = await auditor.GetAsync("/api/findings?period=2020S1&format=xml");
        xml.StatusCode.Should().Be(HttpStatusCode.BadRequest, await xml.Content.ReadAsStringAsync());
        JsonNode.Parse(await xml.Content.ReadAsStringAsync())!["errors"]!["format"]![0]!.GetValue<string>()
            .Should().Be("format 'xml' is not json or csv (or leave it out, and send Accept: text/csv for the CSV)");
        (await auditor.GetAsync("/api/findings?period=2020S1&format=CSV")).Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
    }
}
