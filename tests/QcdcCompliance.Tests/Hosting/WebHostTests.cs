using System.Net;
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
}
