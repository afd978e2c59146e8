using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Host.Security;
using QcdcCompliance.Runs;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Reliability;

/// <summary>
/// The role-by-area matrix over every endpoint the host serves (<see cref="AccessMatrixTests"/> holds the first
/// rows: the things in D1 that D2 may not see; these are the rest: things inside D2, unknown ids, the CSV form, the
/// import kinds the API does not take, routing, the anonymous pages and the dashboard), with every log line, span,
/// metric and response captured and scanned for key material; and revocation taking effect at once under load.
/// </summary>
public sealed partial class ApiSecurityTests
{
    private static readonly string[] Principals = ["anonymous", "auditor@P", "committee@P", "reporter@P", "admin@P", "auditor@D2", "committee@D2", "reporter@D2", "admin@D2"];

    private sealed record Call(string Method, string Url, int[] Expected, Func<HttpContent?>? Body = null, string? Accept = null);

    // Shorthands for the rows: who may read outcomes, who reads reference data, and the rest.
    private static readonly int[] Everyone = [200, 200, 200, 200, 200, 200, 200, 200, 200];
    private static readonly int[] Reference = [401, 200, 200, 200, 200, 200, 200, 200, 200];
    private static readonly int[] Readers = [401, 200, 200, 403, 200, 200, 200, 403, 200];
    private static readonly int[] ReadersOfD1 = [401, 200, 200, 403, 200, 404, 404, 403, 404];
    private static readonly int[] Committee = [401, 403, 200, 403, 403, 403, 200, 403, 403];
    private static readonly int[] Importers = [401, 403, 403, 200, 200, 403, 403, 200, 200];
    private static readonly int[] Evaluators = [401, 403, 202, 403, 202, 403, 202, 403, 202];
    private static readonly int[] Pages = [302, 200, 200, 403, 200, 200, 200, 403, 200];
    private static readonly int[] PagesOfP = [302, 200, 200, 403, 200, 403, 403, 403, 403];

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Every_endpoint_answers_each_role_and_area_as_designed_and_no_secret_reaches_logs_telemetry_or_bodies(string provider)
    {
        using var telemetry = new TelemetryCapture();
        var jwtSecret = Convert.ToBase64String(Encoding.UTF8.GetBytes("jwt-signing-secret-" + Guid.NewGuid().ToString("N")));
        var databasePassword = "db-password-" + Guid.NewGuid().ToString("N");
        var scheduler = new RecordingScheduler();
        await using var bed = await ApiTestbed.StartAsync(
            await ApiTestbed.ProvinceAsync(provider == "Sqlite" ? () => Engine.SqliteAsync() : () => Engine.PostgresAsync("leaks", password: databasePassword)),
            new Dictionary<string, string?>
            {
                ["Authentication:Jwt:SigningKey"] = jwtSecret, ["Authentication:Jwt:Issuer"] = "https://idp.example.vn", ["Authentication:Jwt:Audience"] = "qcdc",
                ["Logging:LogLevel:Default"] = "Trace",
            },
            b => b.Services.AddSingleton<IEvaluationScheduler>(scheduler));
        var inD2 = await bed.FindingAsync("NQ02-1", "XA3");
        var reason = () => JsonContent.Create(new { reason = "Đã làm việc với UBND xã Ba" });
        var calls = new[]
        {
            new Call("GET", "/api/targets?period=2020S1", Reference),
            new Call("GET", "/api/areas/D1?on=2020-03-01", [401, 200, 200, 200, 200, 404, 404, 404, 404]),
            new Call("GET", "/api/areas/D2", Reference),
            new Call("GET", "/api/areas/P", [401, 200, 200, 200, 200, 404, 404, 404, 404]),
            new Call("GET", "/api/areas/NOWHERE", [401, 404, 404, 404, 404, 404, 404, 404, 404]),
            new Call("GET", "/api/units/XA3", Reference),
            new Call("GET", "/api/units/NOBODY", [401, 404, 404, 404, 404, 404, 404, 404, 404]),
            new Call("GET", "/api/units/XA3/findings", Readers),
            new Call("GET", "/api/runs?period=2020S1&area=D2", Readers),
            new Call("GET", "/api/runs?period=2020S1&area=D1", ReadersOfD1),
            new Call("GET", "/api/runs/99999999", [401, 404, 404, 403, 404, 404, 404, 403, 404]),
            new Call("GET", "/api/findings?period=2020S1", Readers),
            new Call("GET", "/api/findings?period=2020S1", Readers, Accept: "text/csv"),
            new Call("GET", "/api/findings?period=2020S1&area=D1", ReadersOfD1, Accept: "text/csv"),
            new Call("GET", "/api/findings?period=2020S1&area=D2", Readers),
            new Call("GET", $"/api/findings/{inD2.Id}", Readers),
            new Call("GET", "/api/findings/99999999", [401, 404, 404, 403, 404, 404, 404, 403, 404]),
            new Call("GET", "/api/compliance?period=2020S1", Readers),
            new Call("GET", "/api/compliance?period=2020S1&area=D2", Readers),
            new Call("GET", "/api/audit/verify?from=1", Readers),
            new Call("POST", $"/api/findings/{inD2.Id}/acknowledge", Committee, reason),
            new Call("POST", $"/api/findings/{inD2.Id}/waive", Committee, reason),
            new Call("POST", "/api/findings/99999999/acknowledge", [401, 403, 404, 403, 403, 403, 404, 403, 403], reason),
            new Call("POST", "/api/imports/values", Importers, () => Csv(Province.ValuesHeader + "XA3,2020S1,REGULATION_ISSUED,true,\n")),
            new Call("POST", "/api/imports/units", Importers, () => Csv(Province.UnitsHeader + "DN9,Công ty Chín,NonStateEnterprise,C3,true,12,,,\n")),
            new Call("POST", "/api/imports/lineage", [401, 403, 403, 404, 404, 403, 403, 404, 404], () => Csv("predecessor_code,successor_code,effective_from\nC9,C3,2020-01-01\n")),
            new Call("POST", "/api/imports/targets", [401, 403, 403, 404, 404, 403, 403, 404, 404], () => Csv("{}")),
            new Call("POST", "/api/evaluations", Evaluators, () => JsonContent.Create(new { period = "2020S1", area = "D2" })),
            new Call("POST", "/api/evaluations", Evaluators, () => JsonContent.Create(new { period = "2020S1" })),
            // A route that does not exist is no endpoint, so it asks for no key; the routes are public in /openapi/v1.json anyway.
            new Call("GET", "/api/no-such-thing", [404, 404, 404, 404, 404, 404, 404, 404, 404]),
            new Call("GET", "/api/no-such-thing", [404, 404, 404, 404, 404, 404, 404, 404, 404], Accept: "text/csv"),
            new Call("GET", "/api/findings/99999999", [401, 404, 404, 403, 404, 404, 404, 403, 404], Accept: "text/csv"),
            new Call("DELETE", $"/api/findings/{inD2.Id}", [405, 405, 405, 405, 405, 405, 405, 405, 405], Accept: "text/csv"),
            new Call("GET", "/health", Everyone),
            new Call("GET", "/openapi/v1.json", Everyone),
            new Call("GET", "/signin", Everyone),
            new Call("GET", "/hangfire", [302, 403, 403, 403, 200, 403, 403, 403, 200]),
            new Call("GET", "/?period=2020S1", Pages),
            new Call("GET", "/?period=2020S1&area=D1", [302, 200, 200, 403, 200, 403, 403, 403, 403]),
            new Call("GET", "/targets/NQ02-1?period=2020S1&area=P", PagesOfP),
            new Call("GET", "/units/XA2", [302, 200, 200, 403, 200, 404, 404, 403, 404]),
            new Call("GET", "/units/XA3", Pages),
            new Call("GET", "/runs", Pages),
            new Call("GET", $"/runs/{inD2.RunId}", Pages),
            new Call("GET", "/report?period=2020S1&area=D2&format=html", Pages),
            new Call("GET", "/report?period=2020S1&area=P&format=html", PagesOfP),
        };

        var clients = new List<HttpClient> { bed.Anonymous() };
        foreach (var area in new[] { "P", "D2" })
        {
            foreach (var role in new[] { Role.Auditor, Role.Committee, Role.Reporter, Role.Admin })
                clients.Add(await bed.AsAsync(role, area));
        }

        var wrong = new List<string>();
        var bodies = new List<string>();
        foreach (var call in calls)
        {
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

        // Keys presented the ways a client can get them wrong: a guessed secret, a revoked key, a key as a bearer token, in the sign-in form.
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
            bodies.Add(await SignInAsync(bed, key));

        wrong.Should().BeEmpty(string.Join("\n", wrong));
        scheduler.Requests.Where(r => r.Trigger == RunTrigger.Manual).Should().HaveCount(8, "the committees and administrators asked twice each (imports queue theirs too)");

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

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_revoked_key_is_refused_by_every_request_that_starts_after_the_revocation_returns(string provider)
    {
        var engine = await ApiTestbed.ProvinceAsync(provider == "Sqlite" ? () => Engine.SqliteAsync() : () => Engine.PostgresAsync("revoke"));
        if (provider == "Sqlite")
            await engine.UseWriteAheadLogAsync();
        await using var bed = await ApiTestbed.StartAsync(engine,
            new Dictionary<string, string?> { ["Api:RateLimit:PermitsPerMinute"] = "100000" });
        var key = await bed.KeyAsync(Role.Auditor, "P");
        var clock = Stopwatch.StartNew();
        var answers = new ConcurrentBag<(TimeSpan Started, HttpStatusCode Status)>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var client = bed.As(key);
            while (!stop.IsCancellationRequested)
            {
                var started = clock.Elapsed;
                using var response = await client.GetAsync("/api/findings?period=2020S1&limit=5");
                answers.Add((started, response.StatusCode));
            }
        })).ToList();

        // Revoked once the key has been served (a cold host on a loaded machine can take longer than any fixed wait).
        await Eventually.WaitAsync(() => Task.FromResult(answers.Count(a => a.Status == HttpStatusCode.OK)), served => served > 0, "a request served with the key");
        await bed.Host.Services.GetRequiredService<ApiKeyStore>().RevokeAsync(key.Split('_')[1]);
        var revokedAt = clock.Elapsed;
        await Task.Delay(500);
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        answers.Where(a => a.Started < revokedAt).Should().Contain(a => a.Status == HttpStatusCode.OK, "the key worked before");
        answers.Where(a => a.Started > revokedAt).Should().NotBeEmpty().And.OnlyContain(a => a.Status == HttpStatusCode.Unauthorized,
            "no request that starts after the revocation is served");
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("203.0.113.7")]
    [InlineData("10.1.2.3")]
    public async Task The_Hangfire_dashboard_refuses_anonymous_and_non_admin_callers_from_any_address(string address)
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var server = bed.Host.App.GetTestServer();
        async Task<int> StatusAsync(string path, string? key)
        {
            var context = await server.SendAsync(c =>
            {
                c.Request.Method = "GET";
                c.Request.Path = path;
                c.Connection.RemoteIpAddress = IPAddress.Parse(address);
                if (key is not null)
                    c.Request.Headers[ApiKeyAuthenticationHandler.Header] = key;
            });
            return context.Response.StatusCode;
        }

        var answers = new List<string>();
        foreach (var path in new[] { "/hangfire", "/hangfire/jobs/enqueued", "/hangfire/recurring" })
        {
            answers.Add($"{path} anonymous {await StatusAsync(path, null)}");
            foreach (var (role, area) in new[] { (Role.Auditor, "P"), (Role.Committee, "P"), (Role.Reporter, "P"), (Role.Admin, "P"), (Role.Admin, "D2") })
                answers.Add($"{path} {role}@{area} {await StatusAsync(path, await bed.KeyAsync(role, area))}");
        }

        answers.Where(a => a.Contains(" anonymous ", StringComparison.Ordinal)).Should().OnlyContain(a => a.EndsWith(" 302", StringComparison.Ordinal) || a.EndsWith(" 401", StringComparison.Ordinal),
            "no one gets in without signing in, the machine itself included");
        answers.Where(a => a.Contains("Admin@", StringComparison.Ordinal)).Should().OnlyContain(a => a.EndsWith(" 200", StringComparison.Ordinal));
        answers.Where(a => !a.Contains("Admin@", StringComparison.Ordinal) && !a.Contains(" anonymous ", StringComparison.Ordinal))
            .Should().OnlyContain(a => a.EndsWith(" 403", StringComparison.Ordinal), "only administrators see the jobs");
    }

    /// <summary>Posts the sign-in form with a key; the whole answer (headers and page), to scan.</summary>
    private static async Task<string> SignInAsync(ApiTestbed bed, string key)
    {
        var client = bed.Anonymous();
        var form = await client.GetAsync("/signin");
        var html = await form.Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(html);
        var post = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value), ["key"] = key, ["returnUrl"] = "/",
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        var response = await client.SendAsync(post);
        return $"{(int)response.StatusCode} {response.Headers} {await response.Content.ReadAsStringAsync()}";
    }

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    [GeneratedRegex("""<input type="hidden" name="([^"]+)" value="([^"]+)">""")]
    private static partial Regex AntiforgeryField();

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
