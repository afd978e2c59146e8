using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using QcdcCompliance.Host.Hosting;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Tests.Infrastructure;

/// <summary>
/// The real web host of <c>qcdc serve</c> on the ASP.NET test server, over a real database: requests go through the
/// whole pipeline (authentication, endpoints, serialisation) without a socket.
/// </summary>
public sealed class TestWebHost : IAsyncDisposable
{
    private TestWebHost(WebApplication app) => App = app;

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<TestWebHost> StartAsync(StorageOptions storage, IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = storage.Provider.ToString(),
            ["Storage:Database"] = storage.Database,
            // Alerts delivered by the host's jobs land in a folder of the test run, not beside the test binaries.
            ["Alerts:PickupFolder"] = TestFolders.NewFolder("pickup"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var app = QcdcWebHost.Build([], configuration, builder =>
        {
            builder.WebHost.UseTestServer();
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        return new TestWebHost(app);
    }

    /// <summary>
    /// A client of the test server. It asks for English (<c>Accept-Language: en</c>): the tests read the API's problems in
    /// the words the endpoints write them; a client that asks for nothing gets them in Vietnamese (<c>ProblemLanguageTests</c>).
    /// </summary>
    public HttpClient Client()
    {
        var client = App.GetTestClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
