using System.Diagnostics;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Jobs;
using QcdcCompliance.Runs;
using QcdcCompliance.Tests.Alerts;
using QcdcCompliance.Tests.Infrastructure;
using QcdcCompliance.Tests.Jobs;

namespace QcdcCompliance.Tests.Telemetry;

/// <summary>The meter and the activity source are process-wide: these tests run alone, so that what they count is theirs.</summary>
[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryCollection;

/// <summary>Spans and metrics as the host wires them, read back with the OpenTelemetry in-memory exporter.</summary>
[Collection(nameof(TelemetryTests))]
public sealed class TelemetryTests
{
    [Fact]
    public async Task An_import_its_evaluation_job_and_the_alert_delivery_are_traced_and_counted()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        var pickup = TestFolders.NewFolder("pickup");
        await using var database = await SqliteDatabase.CreateAsync();
        await using var host = await JobHost.StartAsync(database.Storage, pickup, configure: builder =>
        {
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
            builder.Services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics));
        });
        await host.LoadProvinceAsync();

        // A sampled parent, as an incoming request traced by ASP.NET Core would be.
        using (var request = new Activity("test request") { ActivityTraceFlags = ActivityTraceFlags.Recorded }.SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            await host.ImportAsync(ImportKind.Values, "values.csv", AlertScenario.Values);
            await host.RunsWhereAsync(r => r.Count == 1, "the evaluation queued by the import");
            host.Trigger(DeliverAlertsJob.Id);
            var outbox = await host.OutboxAsync();
            await JobHost.PickupWhereAsync(pickup, f => f.Length == outbox.Count, "the alerts in the pickup folder");
            (await host.Client().GetAsync(new Uri("/nowhere", UriKind.Relative))).StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
            // The recurring delivery job may also run if the test crosses a minute (and end first, having sent nothing): wait
            // for the round that sent the messages, and its job, to end. The exporter adds spans from other threads: the
            // assertions read a copy.
            await Eventually.WaitAsync(() => Task.FromResult(Sent(spans.ToArray(), outbox.Count)), found => found is not null, "the span of the round that sent the alerts, and its job's");
            var (deliver, deliverJob) = Sent(spans.ToArray(), outbox.Count)!.Value;
            await Eventually.WaitAsync(() => Task.FromResult(Ended(spans, "qcdc.job EvaluateScopeJob")), found => found, "the evaluation job's span");
            // The request's span ends after its response is on its way: the client can have the 404 before it is exported.
            await Eventually.WaitAsync(() => Task.FromResult(spans.ToArray().Any(s => s.Source.Name == "Microsoft.AspNetCore" && s.GetTagItem("url.path") as string == "/nowhere")),
                found => found, "the request's span");
            var seen = spans.ToArray();

            var job = Single(seen, "qcdc.job EvaluateScopeJob");
            job.TraceId.Should().Be(request.TraceId, "the job continues the trace of the request that queued it");
            job.ParentSpanId.Should().Be(request.SpanId);
            job.GetTagItem("qcdc.job.args").Should().Be("2020S1,P,5 ids,Import", "the import changed the values of five units");
            var evaluate = Single(seen, "qcdc.evaluate");
            evaluate.ParentSpanId.Should().Be(job.SpanId);
            evaluate.GetTagItem("qcdc.scope").Should().Be("P");
            seen.Where(s => s.ParentSpanId == evaluate.SpanId && s.Source.Name == "QcdcCompliance").Select(s => s.DisplayName).Should()
                .Equal("qcdc.evaluate.load", "qcdc.evaluate.fingerprint", "qcdc.evaluate.fire", "qcdc.evaluate.plan", "qcdc.evaluate.persist");

            deliver.ParentSpanId.Should().Be(deliverJob.SpanId);
            deliver.GetTagItem("qcdc.alerts.sent").Should().Be(outbox.Count);
            seen.Where(s => s.DisplayName == "qcdc.alerts.send" && s.ParentSpanId == deliver.SpanId).Should().HaveCount(outbox.Count);
            seen.Should().Contain(s => s.Source.Name.Contains("EntityFrameworkCore", StringComparison.Ordinal), "EF Core is instrumented");
            seen.Should().Contain(s => s.Source.Name == "Microsoft.AspNetCore" && s.GetTagItem("url.path") as string == "/nowhere", "ASP.NET Core is instrumented");

            host.Services.GetRequiredService<MeterProvider>().ForceFlush();
            Sum(metrics, "qcdc.alerts.sent").Should().Be(outbox.Count);
            Sum(metrics, "qcdc.import.rows", ("qcdc.import.kind", "Values")).Should().Be(5);
            Sum(metrics, "qcdc.units.evaluated").Should().Be(7, "XA1-3, CQ1, DN1-2 and TH1 are active in 2020S1");
            Sum(metrics, "qcdc.findings", ("qcdc.state", "New")).Should().Be((await host.RunsAsync()).Single().NewCount);
            Sum(metrics, "qcdc.findings", ("qcdc.target", "NQ02-1")).Should().BeGreaterThan(0);
            metrics.Should().Contain(m => m.Name == "qcdc.evaluation.duration" && m.MetricType == MetricType.Histogram);
        }
    }

    [Fact]
    public async Task A_job_that_fails_on_a_mistake_is_marked_in_its_span_and_not_retried()
    {
        var spans = new List<Activity>();
        await using var database = await SqliteDatabase.CreateAsync();
        await using var host = await JobHost.StartAsync(database.Storage, TestFolders.NewFolder("pickup"), configure: builder =>
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));

        var id = await host.Services.GetRequiredService<IEvaluationScheduler>().EnqueueAsync("2020S1", "NOWHERE", RunTrigger.Manual);

        var storage = host.Services.GetRequiredService<JobStorage>();
        await Eventually.WaitAsync(() => Task.FromResult(storage.GetConnection().GetStateData(id)?.Name), state => state == FailedState.StateName, "the job to fail");
        await Eventually.WaitAsync(() => Task.FromResult(Ended(spans, "qcdc.job EvaluateScopeJob")), found => found, "the job's span");
        var span = Single(spans.ToArray(), "qcdc.job EvaluateScopeJob");
        span.Status.Should().Be(ActivityStatusCode.Error);
        span.StatusDescription.Should().Contain("unknown area NOWHERE");
        storage.GetMonitoringApi().JobDetails(id).History.Should().NotContain(h => h.StateName == ScheduledState.StateName, "a mistake is not retried");
    }

    [Fact]
    public async Task Spans_go_to_the_OTLP_endpoint_when_one_is_set()
    {
        using var collector = new System.Net.HttpListener();
        var port = Loopback.FreePort();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var paths = new List<string>();
        _ = Task.Run(async () =>
        {
            while (collector.IsListening)
            {
                var context = await collector.GetContextAsync();
                lock (paths)
                    paths.Add(context.Request.Url!.AbsolutePath);
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });
        await using var database = await SqliteDatabase.CreateAsync();
        await using var host = await TestWebHost.StartAsync(database.Storage, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });

        using (QcdcCompliance.Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.test"))
        {
        }

        host.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000).Should().BeTrue();
        await Eventually.WaitAsync(() => Task.FromResult(paths.ToList()), p => p.Contains("/v1/traces"), "a POST of spans to the collector");
        collector.Stop();
    }

    /// <summary>Whether a span of that name has ended, read from a copy (the exporter adds spans as they end, from other threads).</summary>
    private static bool Ended(List<Activity> spans, string name) => spans.ToArray().Any(s => s.DisplayName == name);

    private static Activity Single(Activity[] spans, string name) => spans.Single(s => s.DisplayName == name);

    /// <summary>The delivery round that sent <paramref name="count"/> messages and its job's span, once both have ended.</summary>
    private static (Activity Deliver, Activity Job)? Sent(Activity[] spans, int count) =>
        spans.FirstOrDefault(s => s.DisplayName == "qcdc.alerts.deliver" && Equals(s.GetTagItem("qcdc.alerts.sent"), count)) is { } deliver
        && spans.FirstOrDefault(s => s.DisplayName == "qcdc.job DeliverAlertsJob" && s.SpanId == deliver.ParentSpanId) is { } job
            ? (deliver, job)
            : null;

    /// <summary>The cumulative sum of a counter over the points whose tags match, as of the last export.</summary>
    private static long Sum(List<Metric> metrics, string name, params (string Key, string Value)[] tags)
    {
        var metric = metrics.LastOrDefault(m => m.Name == name);
        if (metric is null)
            return 0;
        long total = 0;
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var pointTags = new Dictionary<string, object?>();
            foreach (var tag in point.Tags)
                pointTags[tag.Key] = tag.Value;
            if (tags.All(t => Equals(pointTags.GetValueOrDefault(t.Key), t.Value)))
                total += point.GetSumLong();
        }

        return total;
    }
}
