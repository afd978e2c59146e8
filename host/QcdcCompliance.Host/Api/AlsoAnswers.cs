using Microsoft.AspNetCore.OpenApi;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace QcdcCompliance.Host.Api;

/// <summary>
/// Endpoint metadata: besides its JSON answer (or instead of one), the endpoint answers 200 as these content types, a
/// text or a file. ASP.NET Core's response metadata keeps one type per status code, so a CSV alternative declared that
/// way replaced the JSON answer in the OpenAPI document (<see cref="OpenApiAlternativeAnswers"/> adds it beside).
/// </summary>
public sealed record AlsoAnswers(bool Binary, params string[] ContentTypes);

/// <summary>Adds each <see cref="AlsoAnswers"/> content type to its operation's 200 answer, beside what is documented already.</summary>
internal sealed class OpenApiAlternativeAnswers : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var also in context.Description.ActionDescriptor.EndpointMetadata.OfType<AlsoAnswers>())
        {
            operation.Responses ??= new OpenApiResponses();
            if (!operation.Responses.TryGetValue("200", out var existing) || existing is not OpenApiResponse ok)
            {
                ok = new OpenApiResponse { Description = "OK" };
                operation.Responses["200"] = ok;
            }

            ok.Content ??= new Dictionary<string, OpenApiMediaType>();
            foreach (var type in also.ContentTypes)
                ok.Content[type] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = also.Binary ? "binary" : null } };
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// Endpoint metadata: the route or query parameter <paramref name="Parameter"/> takes only these values. The handler binds
/// it as a string to answer an unknown value with its own problem (a 404 for an import's kind, a 400 naming a filter), so
/// without this the OpenAPI document would say any string.
/// </summary>
public sealed record ParameterValues(string Parameter, params string[] Values);

/// <summary>Writes each <see cref="ParameterValues"/> as its parameter's schema enum.</summary>
internal sealed class OpenApiParameterValues : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var values in context.Description.ActionDescriptor.EndpointMetadata.OfType<ParameterValues>())
        {
            var parameter = operation.Parameters?.FirstOrDefault(p => p.In is ParameterLocation.Path or ParameterLocation.Query && p.Name == values.Parameter);
            if (parameter?.Schema is OpenApiSchema schema)
                schema.Enum = values.Values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
        }

        return Task.CompletedTask;
    }
}
