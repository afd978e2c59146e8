using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace QcdcCompliance.Host.Api;

/// <summary>Tells readers of the OpenAPI document how to authenticate: an API key header, or a bearer token.</summary>
internal sealed class OpenApiSecurity(Settings.HostingSettings hosting) : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        // The servers come from the settings (Hosting:PublicUrls), never from the request's Host header, which any client sets.
        document.Servers = hosting.PublicUrls.Select(url => new OpenApiServer { Url = url }).ToList();
        document.Info.Title = "QcdcCompliance API";
        document.Info.Description = "Runs, findings with their evidence, compliance per area, imports and the audit chain of the grassroots-democracy "
                                    + "compliance tracker. Every call needs an API key (X-Api-Key or Authorization: Bearer) or a bearer token; "
                                    + "each principal sees only the subtree of its area.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["ApiKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = Security.ApiKeyAuthenticationHandler.Header,
            Description = "A key from 'qcdc keys create'",
        };
        document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "The same key as a bearer token, or a JWT from the configured issuer",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKey", document)] = [] });
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] });
        return Task.CompletedTask;
    }
}
