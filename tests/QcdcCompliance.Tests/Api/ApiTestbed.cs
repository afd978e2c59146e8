using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Security;
using QcdcCompliance.Import;
using QcdcCompliance.Runs;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Api;

/// <summary>
/// The test province evaluated for 2020S1 on a real database, served by the real web host on the test server, with
/// API keys made through the same store as <c>qcdc keys create</c> and every log line captured.
/// </summary>
public sealed class ApiTestbed : IAsyncDisposable
{
    public const string Period = "2020S1";

    public const string Values = Province.SomeValues2020S1 + "DN2,2020S1,REGULATION_ISSUED,true,\n";

    private readonly Dictionary<string, string> _keys = [];

    private ApiTestbed(Engine engine, TestWebHost host, LogCapture logs)
    {
        Engine = engine;
        Host = host;
        Logs = logs;
    }

    public Engine Engine { get; }
    public TestWebHost Host { get; }
    public LogCapture Logs { get; }
    public IEnumerable<string> KeysGiven => _keys.Values;

    /// <summary>The province with its target sets and values, evaluated for <see cref="Period"/>.</summary>
    public static async Task<Engine> ProvinceAsync(Func<Task<Engine>> create)
    {
        var engine = await create().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Values);
        await engine.Evaluations.EvaluateAsync(Period, null, RunTrigger.Manual);
        return engine;
    }

    public static async Task<ApiTestbed> StartAsync(Engine engine, IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var logs = new LogCapture();
        var host = await TestWebHost.StartAsync(engine.Storage, settings, builder =>
        {
            builder.Logging.AddProvider(logs);
            configure?.Invoke(builder);
        });
        return new ApiTestbed(engine, host, logs);
    }

    public async Task<string> KeyAsync(Role role, string area, string? name = null)
    {
        var id = $"{role}@{area}";
        if (name is null && _keys.TryGetValue(id, out var known))
            return known;
        var created = await Host.Services.GetRequiredService<ApiKeyStore>().CreateAsync(name ?? $"test {id}", role, area);
        return _keys[name is null ? id : $"{id}:{name}"] = created.Key;
    }

    public HttpClient Anonymous() => Host.Client();

    public HttpClient As(string key)
    {
        var client = Host.Client();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, key);
        return client;
    }

    public async Task<HttpClient> AsAsync(Role role, string area) => As(await KeyAsync(role, area));

    /// <summary>The current finding of a target on a subject.</summary>
    public async Task<Finding> FindingAsync(string target, string subject)
    {
        await using var db = Engine.Db();
        return await db.Findings.AsNoTracking().SingleAsync(f => f.TargetCode == target && f.SubjectCode == subject && f.SupersededByRunId == null);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Engine.DisposeAsync();
    }
}

/// <summary>Every line logged by the host, formatted, for assertions on what was (and was never) written.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
    }
}

/// <summary>Takes evaluation requests instead of running them, to see what the API asked of the scheduler.</summary>
public sealed class RecordingScheduler : IEvaluationScheduler
{
    public ConcurrentQueue<(string Period, string Province, RunTrigger Trigger)> Requests { get; } = new();

    /// <summary>The units asked for by each request that named them, by (period, province).</summary>
    public ConcurrentDictionary<(string Period, string Province), IReadOnlyList<int>> Units { get; } = new();

    public Task<string> EnqueueAsync(string period, string provinceCode, RunTrigger trigger, CancellationToken ct = default)
    {
        Requests.Enqueue((period, provinceCode, trigger));
        return Task.FromResult($"recorded-{Requests.Count}");
    }

    public Task<string> EnqueueUnitsAsync(string period, string provinceCode, IReadOnlyList<int> unitIds, RunTrigger trigger, CancellationToken ct = default)
    {
        Units[(period, provinceCode)] = unitIds;
        return EnqueueAsync(period, provinceCode, trigger, ct);
    }
}

public static class HttpAssertions
{
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue($"the call should succeed, but answered {(int)response.StatusCode}: {body}");
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    /// <summary>The body of an answer expected to have exactly <paramref name="status"/> (a refusal's ProblemDetails, say).</summary>
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, System.Net.HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, body);
        return System.Text.Json.JsonSerializer.Deserialize<T>(body, Json)!;
    }

    public static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}
