using System.Collections.Concurrent;
using System.Net;
using System.Text;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Alerts;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Telemetry;

/// <summary>
/// The verbs of the command line, run as an operator runs them (the program as a process of its own), export the
/// engine's spans and metrics as <c>serve</c> does: to an OTLP collector when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set,
/// to standard error when <c>Telemetry:Console</c> is true, flushed before the process ends; standard output stays the
/// verb's answer.
/// </summary>
public sealed class CommandTelemetryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_import_run_from_the_command_line_sends_its_and_its_evaluations_spans_and_metrics_to_the_otlp_collector()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        var file = Path.Combine(TestFolders.NewFolder("cli-telemetry"), "values.csv");
        await File.WriteAllTextAsync(file, AlertScenario.Values);
        using var collector = new OtlpCollector();

        var run = await HostProcess.RunToExitAsync(engine.Storage, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address, ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        }, "import", "values", file);
        output.WriteLine($"exit {run.ExitCode}\n--- stdout\n{run.Output}\n--- stderr\n{run.Error}\n--- collector\n{string.Join("\n", collector.Paths)}");

        run.ExitCode.Should().Be(0);
        run.Output.Should().Contain("2020S1", "the import evaluated the period it changed");
        // The process has ended: what it exported was flushed before it did.
        var traces = collector.Received("/v1/traces");
        traces.Should().Contain("qcdc.import.store").And.Contain("qcdc.evaluate").And.Contain("qcdc.evaluate.persist");
        collector.Received("/v1/metrics").Should().Contain("qcdc.import.rows").And.Contain("qcdc.evaluation.duration");
    }

    [Fact]
    public async Task An_evaluation_with_the_console_exporter_writes_its_spans_and_its_database_commands_to_standard_error_and_its_summary_alone_to_standard_output()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", AlertScenario.Values);

        var run = await HostProcess.RunToExitAsync(engine.Storage, new Dictionary<string, string> { ["Telemetry__Console"] = "true" },
            "evaluate", "--period", "2020S1");
        output.WriteLine($"exit {run.ExitCode}\n--- stdout\n{run.Output}\n--- stderr\n{run.Error}");

        run.ExitCode.Should().Be(0);
        run.Error.Should().Contain("span qcdc.evaluate ").And.Contain("qcdc.period=2020S1").And.Contain("metric qcdc.evaluation.duration");
        run.Output.Should().StartWith("Run #").And.NotContain("span ").And.NotContain("metric ");

        var spans = run.Error.Split('\n').Where(l => l.StartsWith("span ", StringComparison.Ordinal)).ToList();
        var evaluate = System.Text.RegularExpressions.Regex.Match(spans.First(l => l.StartsWith("span qcdc.evaluate ", StringComparison.Ordinal)), @" trace=(\w+) ").Groups[1].Value;
        spans.Should().Contain(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"\bdb\.system(\.name)?=sqlite\b") && l.Contains($" trace={evaluate} ", StringComparison.Ordinal)
                && l.Contains(" parent=", StringComparison.Ordinal),
            "EF Core's commands on SQLite are spans of the evaluation's trace, as serve exports them");
    }

    /// <summary>An OTLP/HTTP collector on the loopback: every request's body, by path (protobuf, whose strings are UTF-8).</summary>
    private sealed class OtlpCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<(string Path, byte[] Body)> _requests = new();
        private readonly Task _serving;

        public OtlpCollector()
        {
            var port = Loopback.FreePort();
            Address = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Address + "/");
            _listener.Start();
            _serving = Task.Run(ServeAsync);
        }

        public string Address { get; }

        public IEnumerable<string> Paths => _requests.Select(r => $"{r.Path} {r.Body.Length} bytes");

        public string Received(string path) =>
            string.Concat(_requests.Where(r => r.Path == path).Select(r => Encoding.UTF8.GetString(r.Body)));

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                _requests.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
