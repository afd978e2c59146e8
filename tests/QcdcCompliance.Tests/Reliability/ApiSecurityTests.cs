using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Security;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Reliability;

/// <summary>
/// Revocation taking effect at once under load, and the jobs dashboard from any address. The role-by-area matrix over
/// every endpoint, with the scan for key material, is <see cref="Security.AccessMatrixTests"/>.
/// </summary>
public sealed class ApiSecurityTests
{
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
            foreach (var (role, area) in new[] { (Role.Auditor, "P"), (Role.Committee, "P"), (Role.Reporter, "P"), (Role.Admin, "P"), (Role.Admin, "D2"), (Role.NationalAdmin, "P") })
                answers.Add($"{path} {role}@{area} {await StatusAsync(path, await bed.KeyAsync(role, area))}");
        }

        answers.Where(a => a.Contains(" anonymous ", StringComparison.Ordinal)).Should().OnlyContain(a => a.EndsWith(" 302", StringComparison.Ordinal) || a.EndsWith(" 401", StringComparison.Ordinal),
            "no one gets in without signing in, the machine itself included");
        answers.Where(a => a.Contains("NationalAdmin@", StringComparison.Ordinal)).Should().OnlyContain(a => a.EndsWith(" 200", StringComparison.Ordinal));
        answers.Where(a => !a.Contains("NationalAdmin@", StringComparison.Ordinal) && !a.Contains(" anonymous ", StringComparison.Ordinal))
            .Should().OnlyContain(a => a.EndsWith(" 403", StringComparison.Ordinal), "only national administrators see the jobs (every province's)");
    }
}
