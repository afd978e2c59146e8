using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Hosting;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Tests.Infrastructure;

/// <summary>
/// The real web host of <c>qcdc serve</c> over a test database with the test sign-in: on Kestrel at a free loopback
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

    /// <summary>Keys for a committee member of the province, one of a district, an auditor, and a reporting officer.</summary>
    public static async Task<IReadOnlyList<TestKey>> KeysAsync(StorageOptions storage, string province, string district)
    {
        await using var db = StorageRegistration.CreateContext(storage);
        var p = await db.Areas.SingleAsync(a => a.Code == province);
        var d = await db.Areas.SingleAsync(a => a.Code == district);
        return
        [
            new TestKey("committee-key", "Ban Chỉ đạo tỉnh", Role.Committee, p.Id, p.Code),
            new TestKey("district-key", "Ban Chỉ đạo huyện", Role.Committee, d.Id, d.Code),
            new TestKey("auditor-key", "Kiểm toán viên", Role.Auditor, p.Id, p.Code),
            new TestKey("reporter-key", "Cán bộ báo cáo", Role.Reporter, p.Id, p.Code),
        ];
    }

    public static async Task<DashboardHost> StartAsync(StorageOptions storage, IReadOnlyList<TestKey> keys, bool realSocket)
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = storage.Provider.ToString(),
            ["Storage:Database"] = storage.Database,
            ["Logging:LogLevel:Default"] = "Warning",
        }).Build();
        var app = QcdcWebHost.Build(realSocket ? ["--urls", "http://127.0.0.1:0"] : [], settings, builder =>
        {
            if (!realSocket)
                builder.WebHost.UseTestServer();
            TestSignIn.AddTo(builder, keys);
        });
        TestSignIn.MapOn(app);
        await app.StartAsync();
        return new DashboardHost(app, keys);
    }

    /// <summary>A client of the test server signed in with a key (the session cookie set by hand), not following redirects.</summary>
    public HttpClient Client(string? key)
    {
        var server = App.GetTestServer();
        return new HttpClient(new CookieHandler(key) { InnerHandler = server.CreateHandler() }) { BaseAddress = server.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    private sealed class CookieHandler(string? key) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (key is not null)
                request.Headers.Add("Cookie", $"{TestSignIn.Cookie}={WebUtility.UrlEncode(key)}");
            return base.SendAsync(request, cancellationToken);
        }
    }
}
