using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Hosting;

public sealed class WebHostTests
{
    [Fact]
    public async Task Health_answers_up_when_the_database_answers()
    {
        await using var database = await SqliteDatabase.CreateAsync();
        await using var host = await TestWebHost.StartAsync(database.Storage);

        var response = await host.Client().GetAsync("/health");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("{\"status\":\"up\"}");
    }
    [Fact]
    public async Task While_the_database_cannot_be_reached_the_API_answers_503_with_Retry_After_and_the_dashboard_a_page()
    {
        await using var engine = await Engine.PostgresAsync("outage");
        // The host's database stops answering (a restart, a failover): its queries go to a port where nothing listens.
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var down = new StorageOptions { Provider = StorageProvider.Postgres, Database = $"Host=127.0.0.1;Port={port};Database=qcdc;Username=postgres;Timeout=3" };
        await using var host = await TestWebHost.StartAsync(engine.Storage, configure: b =>
            b.Services.AddSingleton(new DbContextOptionsBuilder<QcdcDbContext>().UseQcdcStorage(down).Options));
        var client = host.Client();
        client.DefaultRequestHeaders.Add("X-Api-Key", "qcdc_0123456789ab_" + new string('A', 43));

        var health = await client.GetAsync("/health");
        var api = await client.GetAsync("/api/periods");
        var import = await client.PostAsync("/api/imports/values", new StringContent(Province.SomeValues2020S1, System.Text.Encoding.UTF8, "text/csv"));
        var page = await client.GetAsync("/");

        health.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "the host's own database is the one that is down");
        foreach (var answer in new[] { api, import })
        {
            answer.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            answer.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(30));
            answer.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            (await answer.Content.ReadAsStringAsync()).Should().Contain("The database cannot be reached").And.Contain("nothing of this request was stored");
        }

        page.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        page.Headers.RetryAfter.Should().NotBeNull();
        (await page.Content.ReadAsStringAsync()).Should().Contain("Tạm thời không truy cập được cơ sở dữ liệu").And.Contain("thử lại");
        var document = await host.Client().GetStringAsync("/openapi/v1.json");
        System.Text.Json.Nodes.JsonNode.Parse(document)!["paths"]!.AsObject().First(p => p.Key.StartsWith("/api/periods", StringComparison.Ordinal)).Value!["get"]!["responses"]!["503"]
            .Should().NotBeNull("the document lists the answer of an outage");
    }
}
