using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;

namespace QcdcCompliance.Host.Api;

/// <summary>
/// The HTTP API under <c>/api</c>: one static class per resource, authentication required on the whole group, a rate
/// limit per principal, ProblemDetails for every error, an OpenAPI document at <c>/openapi/v1.json</c> and its
/// reference page at <c>/scalar/v1</c>.
/// </summary>
public static class QcdcApi
{
    public static WebApplicationBuilder AddQcdcApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOpenApi(o => o.AddDocumentTransformer<OpenApiSecurity>().AddOperationTransformer<OpenApiAlternativeAnswers>().AddOperationTransformer<OpenApiParameterValues>()
            .AddDocumentTransformer<OpenApiNullableEnums>());
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            // Vietnamese names and ">=" readable in curl output: the API serves JSON, never JSON inlined in HTML.
            o.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            // Numbers are numbers: the web defaults also read "12" as 12, which the OpenAPI document then types every
            // integer as "integer or string" and generated clients make strings of. No request body of the API has a number
            // a client could have sent quoted; the query and the route are read as text either way.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.TryAddScoped(sp => sp.GetRequiredService<IDbContextFactory<QcdcDbContext>>().CreateDbContext());
        services.AddBindingProblems();
        // After the host's own customisation (the errors' names), the problem's words in the request's language.
        services.Configure<ProblemDetailsOptions>(o =>
        {
            var before = o.CustomizeProblemDetails;
            o.CustomizeProblemDetails = context =>
            {
                before?.Invoke(context);
                ProblemLanguage.Localize(context);
            };
        });
        // After the framework's writer (AddProblemDetails): the problems of a client that accepts only CSV, in its language too.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProblemDetailsWriter, AnyAcceptProblemWriter>());
        builder.AddQcdcImports();
        return builder;
    }

    public static WebApplication MapQcdcApi(this WebApplication app)
    {
        // The document and its reference page describe the API; they hold no data, so they need no key.
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(o => o.WithTitle("QcdcCompliance API")).AllowAnonymous();

        // Errors the framework answers without a body (a malformed JSON body, an unknown route) get a ProblemDetails too.
        app.UseWhen(context => ApiProblem.IsApi(context.Request), api => api.UseStatusCodePages(ApiProblem.WriteStatusAsync));

        var api = app.MapGroup("/api")
            .RequireAuthorization()
            .RequireRateLimiting(QcdcPolicies.RateLimit)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapPeriodsApi();
        api.MapAreasApi();
        api.MapUnitsApi();
        api.MapTargetsApi();
        api.MapRunsApi();
        api.MapFindingsApi();
        api.MapComplianceApi();
        api.MapCompletenessApi();
        api.MapTemplatesApi();
        api.MapImportsApi();
        api.MapEvaluationsApi();
        api.MapWhatIfApi();
        api.MapSignOffsApi();
        api.MapTrendApi();
        api.MapAuditApi();
        return app;
    }
}
