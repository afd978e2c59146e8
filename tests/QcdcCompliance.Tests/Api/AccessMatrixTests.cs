using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Runs;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Api;

/// <summary>
/// Every endpoint called by each role bound to the province, by each role bound to another district (D2, for things
/// in D1), and without credentials: what each may do is allowed, refused by role (403), hidden by area (404) or
/// refused for want of a key (401).
/// </summary>
public sealed class AccessMatrixTests
{
    // Columns: anonymous, then auditor, committee, reporter, admin bound to P, then the same four bound to D2.
    private static readonly string[] Principals = ["anonymous", "auditor@P", "committee@P", "reporter@P", "admin@P", "auditor@D2", "committee@D2", "reporter@D2", "admin@D2"];

    private sealed record Call(string Method, string Url, Func<HttpContent?> Body, int[] Expected);

    [Fact]
    public async Task Every_endpoint_answers_each_role_and_area_as_designed_and_refuses_without_a_key()
    {
        var scheduler = new RecordingScheduler();
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()),
            configure: b => b.Services.AddSingleton<IEvaluationScheduler>(scheduler));
        var finding = await bed.FindingAsync("NQ02-1", "XA2");
        var reason = () => JsonContent.Create(new { reason = "Đã làm việc với UBND xã" });
        var calls = new[]
        {
            new Call("GET", "/api/periods", () => null, [401, 200, 200, 200, 200, 200, 200, 200, 200]),
            new Call("GET", "/api/targets", () => null, [401, 200, 200, 200, 200, 200, 200, 200, 200]),
            new Call("GET", "/api/areas/D1", () => null, [401, 200, 200, 200, 200, 404, 404, 404, 404]),
            new Call("GET", "/api/units/XA2", () => null, [401, 200, 200, 200, 200, 404, 404, 404, 404]),
            new Call("GET", "/api/units/XA2/findings", () => null, [401, 200, 200, 403, 200, 404, 404, 403, 404]),
            new Call("GET", "/api/runs?period=2020S1", () => null, [401, 200, 200, 403, 200, 200, 200, 403, 200]),
            new Call("GET", $"/api/runs/{finding.RunId}", () => null, [401, 200, 200, 403, 200, 200, 200, 403, 200]),
            new Call("GET", "/api/findings?period=2020S1&area=D1", () => null, [401, 200, 200, 403, 200, 404, 404, 403, 404]),
            new Call("GET", "/api/findings?period=2020S1&unit=XA2", () => null, [401, 200, 200, 403, 200, 404, 404, 403, 404]),
            new Call("GET", $"/api/findings/{finding.Id}", () => null, [401, 200, 200, 403, 200, 404, 404, 403, 404]),
            new Call("GET", "/api/compliance?period=2020S1&area=D1", () => null, [401, 200, 200, 403, 200, 404, 404, 403, 404]),
            new Call("POST", $"/api/findings/{finding.Id}/acknowledge", reason, [401, 403, 200, 403, 403, 403, 404, 403, 403]),
            new Call("POST", $"/api/findings/{finding.Id}/waive", reason, [401, 403, 200, 403, 403, 403, 404, 403, 403]),
            new Call("POST", "/api/imports/values", () => Csv(Province.ValuesHeader + "XA2,2020S1,REGULATION_ISSUED,false,\n"),
                [401, 403, 403, 200, 200, 403, 403, 422, 422]),
            new Call("POST", "/api/imports/units", () => Csv(Province.UnitsHeader + "DN7,Công ty Bảy,NonStateEnterprise,C2,true,12,,,\n"),
                [401, 403, 403, 200, 200, 403, 403, 422, 422]),
            new Call("POST", "/api/imports/areas", () => Csv(Province.Areas), [401, 403, 403, 403, 200, 403, 403, 403, 403]),
            new Call("POST", "/api/evaluations", () => JsonContent.Create(new { period = "2020S1", area = "D1" }), [401, 403, 202, 403, 202, 403, 404, 403, 404]),
            new Call("GET", "/api/audit/verify", () => null, [401, 200, 200, 403, 200, 200, 200, 403, 200]),
        };

        var clients = new List<HttpClient> { bed.Anonymous() };
        foreach (var area in new[] { "P", "D2" })
        {
            foreach (var role in new[] { Role.Auditor, Role.Committee, Role.Reporter, Role.Admin })
                clients.Add(await bed.AsAsync(role, area));
        }

        var wrong = new List<string>();
        foreach (var call in calls)
        {
            for (var who = 0; who < Principals.Length; who++)
            {
                using var request = new HttpRequestMessage(new HttpMethod(call.Method), call.Url) { Content = call.Body() };
                using var response = await clients[who].SendAsync(request);
                if ((int)response.StatusCode != call.Expected[who])
                    wrong.Add($"{call.Method} {call.Url} as {Principals[who]}: {(int)response.StatusCode}, expected {call.Expected[who]}: {await response.Content.ReadAsStringAsync()}");
                else if (response.StatusCode >= HttpStatusCode.BadRequest && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    wrong.Add($"{call.Method} {call.Url} as {Principals[who]}: {(int)response.StatusCode} without a ProblemDetails body");
            }
        }

        wrong.Should().BeEmpty();
        scheduler.Requests.Should().Equal([("2020S1", "P", RunTrigger.Manual), ("2020S1", "P", RunTrigger.Manual)],
            "the committee and the administrator of the province asked for the evaluation of D1's province");
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

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");
}
