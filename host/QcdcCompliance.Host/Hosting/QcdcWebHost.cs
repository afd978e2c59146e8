using QcdcCompliance.Host.Api;
using QcdcCompliance.Host.Dashboard;
using QcdcCompliance.Host.Jobs;
using QcdcCompliance.Host.Settings;
using QcdcCompliance.Host.Workspace;

namespace QcdcCompliance.Host.Hosting;

/// <summary>
/// The web host of <c>qcdc serve</c>, built the same way by the tests (which add <c>UseTestServer</c> through
/// the <c>configure</c> argument of <see cref="Build"/>). Each feature wires itself in through one <c>AddXxx</c>/<c>MapXxx</c> pair.
/// </summary>
public static class QcdcWebHost
{
    public static WebApplication Build(string[] args, IConfiguration? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (settings is not null)
            builder.Configuration.AddConfiguration(settings);
        builder.Logging.ToStandardError();
        builder.AddQcdcTelemetry();
        // The web host keeps each scope's session warm, so that an import re-evaluates only the units it changed.
        builder.Services.AddSingleton(new QcdcCompliance.Runs.EvaluationOptions { KeepWarm = builder.Configuration.GetValue("Evaluation:KeepWarm", true) });
        builder.Services.AddQcdcEngine(builder.Configuration);
        // Validation names a property as C# does ("Period"); the API's parameters and fields are camelCase ("period").
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Api.BindingProblems.CamelCaseErrors);
        builder.Services.AddExceptionHandler<DatabaseOutage>();
        builder.Services.AddValidation();
        builder.AddQcdcWebSecurity();
        builder.AddQcdcSecurity();
        builder.AddQcdcApi();
        builder.AddQcdcDashboard();
        builder.AddQcdcJobs();
        configure?.Invoke(builder);

        var app = builder.Build();
        // Codes in the path and the query as stored (NFC) before the endpoint and its route values are chosen.
        app.Use(NfcRequests.NormaliseAsync);
        app.UseRouting();
        app.UseQcdcWebSecurity();
        app.UseExceptionHandler();
        app.UseQcdcSecurity();
        app.MapGet("/health", Health).AllowAnonymous();
        app.MapQcdcSignIn();
        app.MapQcdcApi();
        app.MapQcdcDashboard();
        app.MapQcdcWorkspace();
        app.MapQcdcJobs();
        // Innermost: what an endpoint cannot bind is worded for the API, and left a bare status for the pages around it.
        app.UseBindingProblems();
        return app;
    }

    /// <summary>Up when the database answers.</summary>
    private static async Task<IResult> Health(IDbContextFactory<QcdcDbContext> contexts, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Database.CanConnectAsync(ct) ? Results.Ok(new { status = "up" }) : Results.Problem("database unreachable", statusCode: 503);
    }
}
