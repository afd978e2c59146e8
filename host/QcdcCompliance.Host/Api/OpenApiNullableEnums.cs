using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace QcdcCompliance.Host.Api;

/// <summary>
/// A named enum of the document (<c>FindingResolution</c>) lists its values only. The generator wrote <c>null</c> into the
/// enum of one made from a nullable type, while every use of it already says <c>oneOf: [{type: null}, {$ref}]</c>: a
/// null then matched both choices of that <c>oneOf</c>, and every unresolved finding (<c>"resolution": null</c>) was
/// invalid against the document. Whether null is allowed is said where the enum is used.
/// </summary>
internal sealed class OpenApiNullableEnums : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var schema in document.Components?.Schemas?.Values.OfType<OpenApiSchema>() ?? [])
        {
            if (schema.Enum is not { Count: > 0 } values || !values.Any(IsNull))
                continue;
            schema.Enum = values.Where(v => !IsNull(v)).ToList();
            if (schema.Type is { } type)
                schema.Type = type & ~JsonSchemaType.Null;
        }

        return Task.CompletedTask;
    }

    private static bool IsNull(System.Text.Json.Nodes.JsonNode? value) => value is null || value.GetValueKind() == JsonValueKind.Null;
}
