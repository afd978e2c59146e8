using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Hosting;
using QcdcCompliance.Host.Security;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Tests.Infrastructure;

/// <summary>
/// The real web host of <c>qcdc serve</c> over a test database, signed in with real API keys: on Kestrel at a free loopback
/// port for a browser, or on the test server for plain HTTP checks.
/// </summary>
public sealed class DashboardHost : IAsyncDisposable
{
    private DashboardHost(WebApplication app, IReadOnlyList<TestKey> keys)
    {
        App = app;
        Keys = keys;
    }

    public WebApplication App { get; }
    public IReadOnlyList<TestKey> Keys { get; }

    public string BaseUrl => App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>
    /// Real API keys (through the store behind <c>qcdc keys create</c>) for a committee member of the province
    /// (<c>committee-key</c>), one of a district (<c>district-key</c>), an auditor and a reporting officer.
    /// </summary>
    public static async Task<IReadOnlyList<TestKey>> KeysAsync(StorageOptions storage, string province, string district)
    {
        var store = new ApiKeyStore(new PooledDbContextFactory<QcdcDbContext>(
            new DbContextOptionsBuilder<QcdcDbContext>().UseQcdcStorage(storage).Options), TimeProvider.System);
        var keys = new List<TestKey>();
        foreach (var (handle, name, role, area) in new[]
                 {
                     ("committee-key", "Ban Chỉ đạo tỉnh", Role.Committee, province), ("district-key", "Ban Chỉ đạo huyện", Role.Committee, district),
                     ("auditor-key", "Kiểm toán viên", Role.Auditor, province), ("reporter-key", "Cán bộ báo cáo", Role.Reporter, province),
                 })
        {
            var created = await store.CreateAsync(name, role, area);
            keys.Add(new TestKey(handle, created.Key, name, role, created.AreaCode));
        }

        return keys;
    }

    public static async Task<DashboardHost> StartAsync(StorageOptions storage, IReadOnlyList<TestKey> keys, bool realSocket, IDictionary<string, string?>? more = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = storage.Provider.ToString(),
            ["Storage:Database"] = storage.Database,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
            values[key] = value;
        var settings = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var app = QcdcWebHost.Build(realSocket ? ["--urls", "http://127.0.0.1:0"] : [], settings, builder =>
        {
            if (!realSocket)
                builder.WebHost.UseTestServer();
        });
        await app.StartAsync();
        return new DashboardHost(app, keys);
    }

    /// <summary>The key handed out under a handle such as <c>committee-key</c>.</summary>
    public string KeyFor(string handle) => Keys.Single(k => k.Handle == handle).Key;

    /// <summary>A client of the test server that sends the key of a handle (as an API client does), not following redirects.</summary>
    public HttpClient Client(string? handle)
    {
        var server = App.GetTestServer();
        var client = new HttpClient(new KeyHandler(handle is null ? null : KeyFor(handle)) { InnerHandler = server.CreateHandler() }) { BaseAddress = server.BaseAddress };
        // The API's problems in the words the endpoints write them (see TestWebHost.Client); the pages read ?lang= only.
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    private sealed class KeyHandler(string? key) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (key is not null)
                request.Headers.Add(ApiKeyAuthenticationHandler.Header, key);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>A key the test hands out under a handle, and who it stands for.</summary>
public sealed record TestKey(string Handle, string Key, string Name, Role Role, string AreaCode);
