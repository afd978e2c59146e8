using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Host.Security;
using QcdcCompliance.Import;
using QcdcCompliance.Runs;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Security;

/// <summary>
/// The one access matrix: every endpoint the host maps, called by anonymous, each role bound to the province P and to
/// its district D2, and a national administrator, on SQLite and PostgreSQL. Each cell is the status designed for it
/// (401/403/404/405/302, 4xx for bad input, or success); an endpoint the host maps that no row calls fails the test, so a
/// new endpoint must join the table. Every log line, span, metric and answer is scanned for key material on the way.
/// A second province Q (district QD, commune QC, unit QU1) stands for everything outside P.
/// </summary>
public sealed class AccessMatrixTests
{
    public static readonly string[] Principals =
        ["anonymous", "auditor@P", "committee@P", "reporter@P", "admin@P", "auditor@D2", "committee@D2", "reporter@D2", "admin@D2", "nationaladmin@P"];

    /// <summary>One call: the route pattern it exercises (as the host maps it), the request, and the status for each principal in order.</summary>
    /// <param name="Before">Run once before the call is made (what a queued job would have done by then).</param>
    private sealed record Call(string Route, string Method, string Url, int[] Expected, Func<HttpContent?>? Body = null, string? Accept = null, Func<Task>? Before = null);

    private static readonly int[] Everyone = [200, 200, 200, 200, 200, 200, 200, 200, 200, 200];
    private static readonly int[] Reference = [401, 200, 200, 200, 200, 200, 200, 200, 200, 200];
    private static readonly int[] ReferenceOfD1 = [401, 200, 200, 200, 200, 404, 404, 404, 404, 200];
    private static readonly int[] Readers = [401, 200, 200, 403, 200, 200, 200, 403, 200, 200];
    private static readonly int[] ReadersOfD1 = [401, 200, 200, 403, 200, 404, 404, 403, 404, 200];
    private static readonly int[] Workspace = [401, 403, 200, 200, 200, 403, 200, 200, 200, 200];
    private static readonly int[] WorkspaceOfD1 = [401, 403, 200, 200, 200, 403, 404, 404, 404, 200];
    private static readonly int[] WorkspacePages = [302, 403, 200, 200, 200, 403, 200, 200, 200, 200];
    private static readonly int[] WorkspacePagesOfD1 = [302, 403, 200, 200, 200, 403, 404, 404, 404, 200];
    // Storing values through the workspace is an import: committee members read the workspace but are refused its forms.
    private static readonly int[] WorkspaceUploadPage = [302, 403, 403, 200, 200, 403, 403, 200, 200, 200];
    private static readonly int[] WorkspaceForms = [302, 403, 403, 400, 400, 403, 403, 400, 400, 400];
    private static readonly int[] NotFoundForAll = [401, 404, 404, 404, 404, 404, 404, 404, 404, 404];
    private static readonly int[] NotFoundForReaders = [401, 404, 404, 403, 404, 404, 404, 403, 404, 404];
    private static readonly int[] Committee = [401, 403, 200, 403, 403, 403, 200, 403, 403, 403];
    private static readonly int[] Importers = [401, 403, 403, 200, 200, 403, 403, 200, 200, 200];
    private static readonly int[] ImportersOfD1 = [401, 403, 403, 200, 200, 403, 403, 422, 422, 200];
    private static readonly int[] Evaluators = [401, 403, 202, 403, 202, 403, 202, 403, 202, 202];
    private static readonly int[] ProvinceAdmins = [401, 403, 403, 403, 200, 403, 403, 403, 403, 200];
    private static readonly int[] Pages = [302, 200, 200, 403, 200, 200, 200, 403, 200, 200];
    private static readonly int[] PagesOfD1 = [302, 200, 200, 403, 200, 404, 404, 403, 404, 200];
    private static readonly int[] PagesOutside = [302, 404, 404, 403, 404, 404, 404, 403, 404, 200];

    /// <summary>A proposed target set for P: the committee's KPIs with the mediation threshold raised.</summary>
    private static HttpContent WhatIfProposal()
    {
        var set = System.Text.Json.Nodes.JsonNode.Parse(QcdcCompliance.Rules.QcdcRules.TargetSets().Single(s => s.Name.Contains("committee", StringComparison.Ordinal)).Content)!;
        set["scope"] = "P";
        set["targets"]![0]!["threshold"] = 0.9;
        return new StringContent(set.ToJsonString(), Encoding.UTF8, "application/json");
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Every_mapped_endpoint_answers_each_principal_as_designed_and_no_secret_reaches_logs_telemetry_or_bodies(string provider)
    {
        using var telemetry = new TelemetryCapture();
        var jwtSecret = Convert.ToBase64String(Encoding.UTF8.GetBytes("jwt-signing-secret-" + Guid.NewGuid().ToString("N")));
        var databasePassword = "db-password-" + Guid.NewGuid().ToString("N");
        var scheduler = new RecordingScheduler();
        var engine = await ApiTestbed.ProvinceAsync(provider == "Sqlite" ? () => Engine.SqliteAsync() : () => Engine.PostgresAsync("matrix", password: databasePassword));
        await OtherProvince.AddAsync(engine);
        await using var bed = await ApiTestbed.StartAsync(engine,
            new Dictionary<string, string?>
            {
                ["Authentication:Jwt:SigningKey"] = jwtSecret, ["Authentication:Jwt:Issuer"] = "https://idp.example.vn", ["Authentication:Jwt:Audience"] = "qcdc",
                ["Logging:LogLevel:Default"] = "Trace", ["Api:RateLimit:PermitsPerMinute"] = "100000", ["Dashboard:ReportsPerMinute"] = "1000",
            },
            b => b.Services.AddSingleton<IEvaluationScheduler>(scheduler));
        var inD1 = await bed.FindingAsync("NQ02-1", "XA2");
        var inD2 = await bed.FindingAsync("NQ02-1", "XA3");
        var reason = () => JsonContent.Create(new { reason = "Đã làm việc với UBND xã" });
        var calls = new[]
        {
            // Reference data.
            new Call("/api/periods/", "GET", "/api/periods", Reference),
            new Call("/api/targets/", "GET", "/api/targets", Reference),
            new Call("/api/targets/", "GET", "/api/targets?period=2020S1", Reference),
            new Call("/api/areas/{code}", "GET", "/api/areas/D1", ReferenceOfD1),
            new Call("/api/areas/{code}", "GET", "/api/areas/D1?on=2020-03-01", ReferenceOfD1),
            new Call("/api/areas/{code}", "GET", "/api/areas/D2", Reference),
            new Call("/api/areas/{code}", "GET", "/api/areas/D2?on=0001-01-01", [401, 400, 400, 400, 400, 400, 400, 400, 400, 400]),
            new Call("/api/areas/{code}", "GET", "/api/areas/D2?on=9999-12-31", [401, 400, 400, 400, 400, 400, 400, 400, 400, 400]),
            new Call("/api/areas/{code}", "GET", "/api/areas/P", ReferenceOfD1),
            new Call("/api/areas/{code}", "GET", "/api/areas/QD", [401, 404, 404, 404, 404, 404, 404, 404, 404, 200]),
            new Call("/api/areas/{code}", "GET", "/api/areas/NOWHERE", NotFoundForAll),
            new Call("/api/units/{code}", "GET", "/api/units/XA2", ReferenceOfD1),
            new Call("/api/units/{code}", "GET", "/api/units/XA3", Reference),
            new Call("/api/units/{code}", "GET", "/api/units/QU1", [401, 404, 404, 404, 404, 404, 404, 404, 404, 200]),
            new Call("/api/units/{code}", "GET", "/api/units/NOBODY", NotFoundForAll),
            new Call("/api/units/{code}/findings", "GET", "/api/units/XA2/findings", ReadersOfD1),
            new Call("/api/units/{code}/findings", "GET", "/api/units/XA3/findings", Readers),

            // Outcomes.
            new Call("/api/runs/", "GET", "/api/runs?period=2020S1", Readers),
            new Call("/api/runs/", "GET", "/api/runs?period=2020S1&area=D2", Readers),
            new Call("/api/runs/", "GET", "/api/runs?period=2020S1&area=D1", ReadersOfD1),
            new Call("/api/runs/", "GET", "/api/runs?to=9999-12-31", [401, 400, 400, 403, 400, 400, 400, 403, 400, 400]),
            new Call("/api/runs/{id}", "GET", $"/api/runs/{inD1.RunId}", Readers),
            new Call("/api/runs/{id}", "GET", "/api/runs/99999999", NotFoundForReaders),
            new Call("/api/findings/", "GET", "/api/findings?period=2020S1", Readers),
            new Call("/api/findings/", "GET", "/api/findings?period=2020S1", Readers, Accept: "text/csv"),
            new Call("/api/findings/", "GET", "/api/findings?period=2020S1&area=D1", ReadersOfD1),
            new Call("/api/findings/", "GET", "/api/findings?period=2020S1&area=D1", ReadersOfD1, Accept: "text/csv"),
            new Call("/api/findings/", "GET", "/api/findings?period=2020S1&area=D2", Readers),
            new Call("/api/findings/", "GET", "/api/findings?period=2020S1&unit=XA2", ReadersOfD1),
            new Call("/api/findings/", "GET", $"/api/findings?run={inD1.RunId}", Readers),
            new Call("/api/findings/", "GET", "/api/findings?run=99999999", NotFoundForReaders),
            new Call("/api/findings/{id}", "GET", $"/api/findings/{inD1.Id}", ReadersOfD1),
            new Call("/api/findings/{id}", "GET", $"/api/findings/{inD2.Id}", Readers),
            new Call("/api/findings/{id}", "GET", "/api/findings/99999999", NotFoundForReaders),
            new Call("/api/findings/{id}", "GET", "/api/findings/99999999", NotFoundForReaders, Accept: "text/csv"),
            new Call("/api/completeness/", "GET", "/api/completeness?period=2020S1", Reference),
            new Call("/api/completeness/", "GET", "/api/completeness?period=2020S1&area=D1", ReferenceOfD1),
            new Call("/api/completeness/", "GET", "/api/completeness?period=2020S1&area=NOWHERE", NotFoundForAll),
            new Call("/api/templates/", "GET", "/api/templates?period=2020S1", Workspace),
            new Call("/api/templates/", "GET", "/api/templates?period=2020S1&area=D1&format=csv", WorkspaceOfD1),
            new Call("/api/templates/", "GET", "/api/templates?period=2020S1&area=NOWHERE", [401, 403, 404, 404, 404, 403, 404, 404, 404, 404]),
            new Call("/api/templates/", "GET", "/api/templates?period=2020S1&format=pdf", [401, 403, 400, 400, 400, 403, 400, 400, 400, 400]),
            new Call("/api/compliance/", "GET", "/api/compliance?period=2020S1", Readers),
            new Call("/api/compliance/", "GET", "/api/compliance?period=2020S1&area=D1", ReadersOfD1),
            new Call("/api/compliance/", "GET", "/api/compliance?period=2020S1&area=D2", Readers),
            new Call("/api/audit/verify", "GET", "/api/audit/verify", Readers),
            new Call("/api/audit/verify", "GET", "/api/audit/verify?from=1", Readers),
            new Call("/api/audit/verify", "GET", "/api/audit/verify?to=9999-12-31", [401, 400, 400, 403, 400, 400, 400, 403, 400, 400]),

            // Writes.
            new Call("/api/findings/{id}/acknowledge", "POST", $"/api/findings/{inD1.Id}/acknowledge", [401, 403, 200, 403, 403, 403, 404, 403, 403, 403], reason),
            new Call("/api/findings/{id}/waive", "POST", $"/api/findings/{inD1.Id}/waive", [401, 403, 200, 403, 403, 403, 404, 403, 403, 403], reason),
            new Call("/api/findings/{id}/acknowledge", "POST", $"/api/findings/{inD2.Id}/acknowledge", Committee, reason),
            new Call("/api/findings/{id}/waive", "POST", $"/api/findings/{inD2.Id}/waive", Committee, reason),
            new Call("/api/findings/{id}/acknowledge", "POST", "/api/findings/99999999/acknowledge", [401, 403, 404, 403, 403, 403, 404, 403, 403, 403], reason),
            new Call("/api/imports/{kind}", "POST", "/api/imports/values", ImportersOfD1, () => Csv(Province.ValuesHeader + "XA2,2020S1,REGULATION_ISSUED,false,\n")),
            new Call("/api/imports/{kind}", "POST", "/api/imports/values", Importers, () => Csv(Province.ValuesHeader + "XA3,2020S1,REGULATION_ISSUED,true,\n")),
            new Call("/api/imports/{kind}", "POST", "/api/imports/values", [401, 403, 403, 422, 422, 403, 403, 422, 422, 200],
                () => Csv(Province.ValuesHeader + "QU1,2020S1,REGULATION_ISSUED,true,\n")),
            new Call("/api/imports/{kind}", "POST", "/api/imports/units", ImportersOfD1, () => Csv(Province.UnitsHeader + "DN7,Công ty Bảy,NonStateEnterprise,C2,true,12,,,\n")),
            // A unit's record is judged where it sits today: C3 has been the province's since D2 ended on 30/6/2025 (review 52, security 2).
            new Call("/api/imports/{kind}", "POST", "/api/imports/units", [401, 403, 403, 200, 200, 403, 403, 422, 422, 200],
                () => Csv(Province.UnitsHeader + "DN9,Công ty Chín,NonStateEnterprise,C3,true,12,,,\n")),
            new Call("/api/imports/{kind}", "POST", "/api/imports/areas", ProvinceAdmins, () => Csv(Province.Areas)),
            // The province's administrator may not give another province's district a one-day link under P (issue 18, item 1).
            new Call("/api/imports/{kind}", "POST", "/api/imports/areas", [401, 403, 403, 403, 422, 403, 403, 403, 403, 200], () => Csv(OtherProvince.OneDayUnderP)),
            new Call("/api/imports/{kind}", "POST", "/api/imports/lineage", ProvinceAdmins, () => Csv("predecessor_code,successor_code,effective_from\nC9,C3,2020-01-01\n")),
            new Call("/api/imports/{kind}", "POST", "/api/imports/lineage", [401, 403, 403, 403, 422, 403, 403, 403, 403, 200],
                () => Csv("predecessor_code,successor_code,effective_from\nQC,QD,2026-01-01\n")),
            new Call("/api/imports/{kind}", "POST", "/api/imports/targets", [401, 403, 403, 404, 404, 403, 403, 404, 404, 404], () => Csv("{}")),
            new Call("/api/evaluations/", "POST", "/api/evaluations", [401, 403, 202, 403, 202, 403, 404, 403, 404, 202], () => JsonContent.Create(new { period = "2020S1", area = "D1" })),
            new Call("/api/evaluations/", "POST", "/api/evaluations", Evaluators, () => JsonContent.Create(new { period = "2020S1", area = "D2" })),
            new Call("/api/evaluations/", "POST", "/api/evaluations", Evaluators, () => JsonContent.Create(new { period = "2020S1" })),
            new Call("/api/evaluations/", "POST", "/api/evaluations", [401, 403, 400, 403, 400, 403, 400, 403, 400, 400], () => JsonContent.Create(new { period = "2099S2" })),
            new Call("/api/whatif/", "POST", "/api/whatif?period=2020S1", [401, 403, 200, 403, 200, 403, 200, 403, 200, 200], WhatIfProposal),
            new Call("/api/whatif/", "POST", "/api/whatif?period=2020S1&area=D1", [401, 403, 200, 403, 200, 403, 404, 403, 404, 200], WhatIfProposal),
            new Call("/api/whatif/", "POST", "/api/whatif?period=2020S1&area=QD", [401, 403, 404, 403, 404, 403, 404, 403, 404, 200], WhatIfProposal),
            new Call("/api/signoffs/", "POST", "/api/signoffs", [401, 403, 404, 403, 403, 403, 404, 403, 403, 403],
                () => JsonContent.Create(new { period = "2020S1", area = "QD", reason = "Đã rà soát" })),
            // committee@P signs D2 off; committee@D2 then finds it signed already (409), and the reopening the other way round.
            // The values imported above were evaluated by no job (the scheduler only records them): evaluated first, as the
            // queued job would, since a sign-off refuses a run older than the values it locks.
            new Call("/api/signoffs/", "POST", "/api/signoffs", [401, 403, 200, 403, 403, 403, 409, 403, 403, 403],
                () => JsonContent.Create(new { period = "2020S1", area = "D2", reason = "Đã rà soát" }),
                Before: () => engine.Evaluations.EvaluateAsync("2020S1", "P", RunTrigger.Manual)),
            new Call("/api/signoffs/", "GET", "/api/signoffs?period=2020S1", Readers),
            new Call("/api/compliance/trend", "GET", "/api/compliance/trend?target=NQ02-1", Readers),
            new Call("/api/compliance/trend", "GET", "/api/compliance/trend?target=NQ02-1&area=D1", ReadersOfD1),
            new Call("/api/compliance/trend", "GET", "/api/compliance/trend?target=NQ02-1&area=QD", [401, 404, 404, 403, 404, 404, 404, 403, 404, 200]),
            new Call("/api/signoffs/", "GET", "/api/signoffs?period=2020S1&area=D1", ReadersOfD1),
            new Call("/api/signoffs/reopen", "POST", "/api/signoffs/reopen", [401, 403, 200, 403, 403, 403, 409, 403, 403, 403],
                () => JsonContent.Create(new { period = "2020S1", area = "D2", reason = "Bổ sung số liệu" })),

            // After the national administrator's one-day link, P's keys still see nothing of Q (scope judged on the days that matter).
            new Call("/api/units/{code}", "GET", "/api/units/QU1", [401, 404, 404, 404, 404, 404, 404, 404, 404, 200]),
            new Call("/api/areas/{code}", "GET", "/api/areas/QD", [401, 404, 404, 404, 404, 404, 404, 404, 404, 200]),

            // Routing and the anonymous pages.
            new Call("(none)", "GET", "/api/no-such-thing", [404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
            new Call("(none)", "GET", "/api/no-such-thing", [404, 404, 404, 404, 404, 404, 404, 404, 404, 404], Accept: "text/csv"),
            new Call("/api/findings/{id}", "DELETE", $"/api/findings/{inD2.Id}", [405, 405, 405, 405, 405, 405, 405, 405, 405, 405], Accept: "text/csv"),
            new Call("/health", "GET", "/health", Everyone),
            new Call("/openapi/{documentName}.json", "GET", "/openapi/v1.json", Everyone),
            new Call("/scalar/{documentName?}", "GET", "/scalar/v1", Everyone),
            new Call("/scalar/scalar.js", "GET", "/scalar/scalar.js", Everyone),
            new Call("/scalar/scalar.aspnetcore.js", "GET", "/scalar/scalar.aspnetcore.js", Everyone),
            new Call("/scalar/favicon.svg", "GET", "/scalar/favicon.svg", Everyone),
            new Call("/signin", "GET", "/signin", Everyone),
            new Call("/signin", "POST", "/signin", [400, 400, 400, 400, 400, 400, 400, 400, 400, 400], () => new FormUrlEncodedContent([new("key", "x")])),
            new Call("/signout", "GET", "/signout", Everyone),
            new Call("/signout", "POST", "/signout", [400, 400, 400, 400, 400, 400, 400, 400, 400, 400], () => new FormUrlEncodedContent([new("x", "y")])),
            new Call("/dashboard.css", "GET", "/dashboard.css", Everyone),
            new Call("/favicon.ico", "GET", "/favicon.ico", Everyone),

            // The jobs dashboard: national administrators only.
            new Call("/hangfire/{**path}", "GET", "/hangfire", [302, 403, 403, 403, 403, 403, 403, 403, 403, 200]),
            new Call("/hangfire/{**path}", "GET", "/hangfire/recurring", [302, 403, 403, 403, 403, 403, 403, 403, 403, 200]),

            // The dashboard: an area, unit or run unknown or outside answers 404 alike.
            new Call("/", "GET", "/?period=2020S1", Pages),
            new Call("/", "GET", "/?period=2020S1&area=D1", PagesOfD1),
            new Call("/", "GET", "/?period=2020S1&area=QD", PagesOutside),
            new Call("/", "GET", "/?period=2020S1&area=NOWHERE", [302, 404, 404, 403, 404, 404, 404, 403, 404, 404]),
            new Call("/targets/{code}", "GET", "/targets/NQ02-1?period=2020S1&area=P", PagesOfD1),
            new Call("/targets/{code}", "GET", "/targets/NQ02-1?period=2020S1&area=D2", Pages),
            new Call("/units/{code}", "GET", "/units/XA2", PagesOfD1),
            new Call("/units/{code}", "GET", "/units/XA3", Pages),
            new Call("/units/{code}", "GET", "/units/QU1", PagesOutside),
            new Call("/runs", "GET", "/runs", Pages),
            new Call("/runs/{id}", "GET", $"/runs/{inD2.RunId}", Pages),
            new Call("/report", "GET", "/report?period=2020S1&area=D2&format=html", Pages),
            new Call("/report", "GET", "/report?period=2020S1&area=P&format=html", PagesOfD1),
            // The sign-off forms: committee members only, and never without the page's antiforgery token.
            new Call("/signoffs", "POST", "/signoffs", [302, 403, 400, 403, 403, 403, 400, 403, 403, 403],
                () => new FormUrlEncodedContent([new("period", "2020S1"), new("area", "D2"), new("reason", "x")])),
            new Call("/signoffs/reopen", "POST", "/signoffs/reopen", [302, 403, 400, 403, 403, 403, 400, 403, 403, 403],
                () => new FormUrlEncodedContent([new("period", "2020S1"), new("area", "D2"), new("reason", "x")])),
            // The what-if page: committee members and administrators (as POST /api/whatif), in their area; never without the page's token.
            new Call("/whatif", "GET", "/whatif", [302, 403, 200, 403, 200, 403, 200, 403, 200, 200]),
            new Call("/whatif", "GET", "/whatif?period=2020S1&area=D1", [302, 403, 200, 403, 200, 403, 404, 403, 404, 200]),
            new Call("/whatif", "POST", "/whatif", [302, 403, 400, 403, 400, 403, 400, 403, 400, 400],
                () => new FormUrlEncodedContent([new("period", "2020S1"), new("targets", "{}")])),

            // The what-if page: committee members and administrators; its form is refused without the page's antiforgery token.
            new Call("/whatif", "GET", "/whatif?period=2020S1", [302, 403, 200, 403, 200, 403, 200, 403, 200, 200]),
            new Call("/whatif", "GET", "/whatif?period=2020S1&area=QD", [302, 403, 404, 403, 404, 403, 404, 403, 404, 200]),
            new Call("/whatif", "POST", "/whatif", [302, 403, 400, 403, 400, 403, 400, 403, 400, 400],
                () => new FormUrlEncodedContent([new("period", "2020S1"), new("area", "D2"), new("targets", "{}")])),

            // The reporting officers' workspace: reporters, committees, administrators; its forms store values: not
            // committees (as the API's imports); a form without its token is refused.
            new Call("/workspace", "GET", "/workspace?period=2020S1", WorkspacePages),
            new Call("/workspace", "GET", "/workspace?period=2020S1&area=D1", WorkspacePagesOfD1),
            new Call("/workspace", "GET", "/workspace?period=2020S1&area=QD", [302, 403, 404, 404, 404, 403, 404, 404, 404, 200]),
            new Call("/workspace/template", "GET", "/workspace/template?period=2020S1", WorkspacePages),
            new Call("/workspace/template", "GET", "/workspace/template?period=2020S1&unit=XA2&format=csv", WorkspacePagesOfD1),
            new Call("/workspace/template", "GET", "/workspace/template?period=2020S1&area=D1", WorkspacePagesOfD1),
            new Call("/workspace/upload", "GET", "/workspace/upload?period=2020S1", WorkspaceUploadPage),
            new Call("/workspace/upload", "POST", "/workspace/upload", WorkspaceForms, () => new FormUrlEncodedContent([new("period", "2020S1")])),
            new Call("/workspace/units/{code}", "GET", "/workspace/units/XA3?period=2020S1", WorkspacePages),
            new Call("/workspace/units/{code}", "GET", "/workspace/units/XA2?period=2020S1", WorkspacePagesOfD1),
            new Call("/workspace/units/{code}", "GET", "/workspace/units/QU1?period=2020S1", [302, 403, 404, 404, 404, 403, 404, 404, 404, 200]),
            new Call("/workspace/units/{code}", "POST", "/workspace/units/XA3", WorkspaceForms, () => new FormUrlEncodedContent([new("period", "2020S1"), new("INSPECTION_SUPERVISIONS", "9")])),
        };

        TableCoversEveryEndpoint(bed, calls);

        var clients = new List<HttpClient> { bed.Anonymous() };
        foreach (var area in new[] { "P", "D2" })
        {
            foreach (var role in new[] { Role.Auditor, Role.Committee, Role.Reporter, Role.Admin })
                clients.Add(await bed.AsAsync(role, area));
        }

        clients.Add(await bed.AsAsync(Role.NationalAdmin, "P"));
        clients.Should().HaveCount(Principals.Length);

        var wrong = new List<string>();
        var bodies = new List<string>();
        foreach (var call in calls)
        {
            call.Expected.Should().HaveCount(Principals.Length, $"{call.Method} {call.Url} has a status for each principal");
            if (call.Before is not null)
                await call.Before();
            for (var who = 0; who < Principals.Length; who++)
            {
                using var request = new HttpRequestMessage(new HttpMethod(call.Method), call.Url) { Content = call.Body?.Invoke() };
                if (call.Accept is not null)
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(call.Accept));
                using var response = await clients[who].SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                bodies.Add($"{call.Method} {call.Url} as {Principals[who]}: {(int)response.StatusCode} {response.Headers} {response.Content.Headers} {body}");
                if ((int)response.StatusCode != call.Expected[who] || response.StatusCode == HttpStatusCode.InternalServerError)
                    wrong.Add($"{call.Method} {call.Url} as {Principals[who]}: {(int)response.StatusCode}, expected {call.Expected[who]}: {body[..Math.Min(body.Length, 300)]}");
                else if (call.Url.StartsWith("/api/", StringComparison.Ordinal) && response.StatusCode >= HttpStatusCode.BadRequest
                         && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    wrong.Add($"{call.Method} {call.Url} as {Principals[who]}: {(int)response.StatusCode} without a ProblemDetails body");
                else if (call.Accept == "text/csv" && response.IsSuccessStatusCode && !body.StartsWith(FindingCsv.Header, StringComparison.Ordinal))
                    wrong.Add($"{call.Method} {call.Url} as {Principals[who]}: not the findings CSV");
            }
        }

        // Keys presented the ways a client can get them wrong: a guessed secret, a revoked key, a key as a bearer token.
        var guessed = "qcdc_" + bed.KeysGiven.First()[5..^6] + "abcdef";
        var revoked = await bed.KeyAsync(Role.Auditor, "P", "to be revoked");
        await bed.Host.Services.GetRequiredService<ApiKeyStore>().RevokeAsync(revoked.Split('_')[1]);
        foreach (var key in new[] { guessed, revoked })
        {
            var refused = await bed.As(key).GetAsync("/api/findings?period=2020S1");
            bodies.Add(await refused.Content.ReadAsStringAsync() + refused.Headers);
            refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        var bearer = bed.Anonymous();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", revoked);
        var bearerRefused = await bearer.GetAsync("/api/periods");
        bodies.Add(await bearerRefused.Content.ReadAsStringAsync() + bearerRefused.Headers);
        bearerRefused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        foreach (var key in new[] { guessed, revoked, await bed.KeyAsync(Role.Committee, "D2") })
            bodies.Add((await Browser.SignInAsync(bed.Host, key)).Text);

        wrong.Should().BeEmpty(string.Join("\n", wrong));
        var queued = calls.Where(c => c.Url == "/api/evaluations").Sum(c => c.Expected.Count(s => s == 202));
        scheduler.Requests.Where(r => r.Trigger == RunTrigger.Manual).Should().HaveCount(queued, "each 202 queued one evaluation");

        // A key is qcdc_<prefix>_<secret>; the secret may itself hold '_'.
        var secrets = bed.KeysGiven.Concat([guessed, revoked]).SelectMany(k => new[] { k, k[(k.IndexOf('_', 5) + 1)..], k[..17] })
            .Append(jwtSecret).Append(databasePassword).Distinct().ToList();
        secrets.Should().OnlyContain(s => s.Length >= 17);
        var places = new (string Where, IReadOnlyList<string> Text)[]
        {
            ("log lines", bed.Logs.Lines), ("spans and metrics", telemetry.Lines), ("response headers and bodies", bodies),
        };
        bed.Logs.Lines.Should().HaveCountGreaterThan(100, "the host logged at Trace level");
        telemetry.Lines.Should().Contain(l => l.Contains("/api/findings", StringComparison.Ordinal), "the request spans were captured");
        if (provider == "Postgres")
            telemetry.Lines.Should().Contain(l => l.StartsWith("Npgsql", StringComparison.Ordinal), "the database client's spans and metrics were captured");
        foreach (var (where, lines) in places)
        {
            foreach (var secret in secrets)
                lines.Where(l => l.Contains(secret, StringComparison.Ordinal)).Should().BeEmpty($"no secret ({secret[..8]}…) in the {where}");
        }
    }

    [Fact]
    public async Task A_principal_of_one_district_lists_only_the_findings_of_its_district()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));

        var province = await (await (await bed.AsAsync(Role.Auditor, "P")).GetAsync("/api/findings?period=2020S1&limit=1000")).ReadAsync<FindingPage>();
        var district = await (await (await bed.AsAsync(Role.Auditor, "D2")).GetAsync("/api/findings?period=2020S1&limit=1000")).ReadAsync<FindingPage>();

        province.Items.Select(f => f.SubjectCode).Should().Contain(["XA2", "XA3", "D1", "P"]);
        district.Items.Should().NotBeEmpty();
        district.Items.Select(f => f.SubjectCode).Should().OnlyContain(code => code == "XA3" || code == "D2" || code == "C3",
            "D2 holds commune C3 and its unit XA3; P, D1 and D1's units are someone else's");
        district.Items.Select(f => f.Id).Should().BeSubsetOf(province.Items.Select(f => f.Id));
    }

    /// <summary>Every endpoint the host maps (method and route pattern) is called by some row: a new endpoint cannot be forgotten.</summary>
    private static void TableCoversEveryEndpoint(ApiTestbed bed, IEnumerable<Call> calls)
    {
        var mapped = ((IEndpointRouteBuilder)bed.Host.App).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => $"{m} {Normalise(e.RoutePattern.RawText)}"))
            .Where(e => !e.StartsWith("HEAD ", StringComparison.Ordinal))
            .ToHashSet();
        var called = calls.Select(c => $"{c.Method} {Normalise(c.Route)}").ToHashSet();
        mapped.Should().NotBeEmpty();
        mapped.Except(called).Should().BeEmpty("every endpoint the host maps needs a row in the access matrix (mapped: " + string.Join(", ", mapped.Order()) + ")");
    }

    private static string Normalise(string? pattern) => "/" + (pattern ?? "").Trim('/');

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    /// <summary>Every span (name, tags, events, status) and every metric measurement (instrument, tags) the process emits while it lives.</summary>
    private sealed class TelemetryCapture : IDisposable
    {
        private readonly ConcurrentQueue<string> _lines = new();
        private readonly ActivityListener _spans;
        private readonly MeterListener _metrics = new();

        public TelemetryCapture()
        {
            _spans = new ActivityListener
            {
                ShouldListenTo = _ => true,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a => _lines.Enqueue(
                    $"{a.Source.Name} {a.OperationName} {a.DisplayName} {a.StatusDescription} {string.Join(" ", a.TagObjects.Select(t => $"{t.Key}={t.Value}"))} "
                    + $"{string.Join(" ", a.Events.Select(e => e.Name + " " + string.Join(" ", e.Tags.Select(t => $"{t.Key}={t.Value}"))))} {string.Join(" ", a.Baggage)}"),
            };
            ActivitySource.AddActivityListener(_spans);
            _metrics.InstrumentPublished = (instrument, listener) => listener.EnableMeasurementEvents(instrument);
            _metrics.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, tags));
            _metrics.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, tags));
            _metrics.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, tags));
            _metrics.Start();
        }

        public IReadOnlyList<string> Lines => _lines.ToList();

        private void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var text = new StringBuilder(instrument.Meter.Name).Append(' ').Append(instrument.Name);
            foreach (var tag in tags)
                text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
            _lines.Enqueue(text.ToString());
        }

        public void Dispose()
        {
            _spans.Dispose();
            _metrics.Dispose();
        }
    }
}

/// <summary>A second province beside the test province P: Q, its district QD, commune QC and unit QU1, which nobody bound to P may see.</summary>
public static class OtherProvince
{
    public const string Areas =
        """
        code,name,level,parent_code,valid_from,valid_to
        Q,Tỉnh Khác,Province,,,
        QD,Huyện Khác,District,Q,,
        QC,Xã Khác,Commune,QD,,

        """;

    public const string Units = Province.UnitsHeader + "QU1,UBND Xã Khác,Commune,QC,true,10,qu1@example.vn,,\n";

    /// <summary>QD under P for one day in the past, under Q before and after: the takeover of issue 18, item 1.</summary>
    public const string OneDayUnderP =
        """
        code,name,level,parent_code,valid_from,valid_to
        QD,Huyện Khác,District,Q,,2019-03-04
        QD,Huyện Khác,District,P,2019-03-05,2019-03-05
        QD,Huyện Khác,District,Q,2019-03-06,

        """;

    public static async Task AddAsync(Engine engine)
    {
        await engine.ImportAsync(ImportKind.Areas, "q-areas.csv", Areas);
        await engine.ImportAsync(ImportKind.Units, "q-units.csv", Units);
    }
}
