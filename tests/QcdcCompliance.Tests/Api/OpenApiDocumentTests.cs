using System.Text.Json.Nodes;
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
}
