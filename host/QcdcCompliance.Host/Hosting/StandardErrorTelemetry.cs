using System.Diagnostics;
using System.Globalization;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace QcdcCompliance.Host.Hosting;

/// <summary>
/// The console exporter of <c>Telemetry:Console</c>: each span as it ends, and the metrics every
/// <see cref="MetricInterval"/> and when the process ends, one line each, on standard error. Standard output is a
/// verb's answer (a CSV, a JSON document), and OpenTelemetry's own console exporter writes there only.
/// </summary>
public static class StandardErrorTelemetry
{
    public const int MetricInterval = 10_000;

    public static BaseProcessor<Activity> Spans() => new SimpleActivityExportProcessor(new SpanLines());

    public static MetricReader Metrics() =>
        new PeriodicExportingMetricReader(new MetricLines(), MetricInterval) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative };

    private static void Write(string line) => Console.Error.WriteLine(line);

    private static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    private sealed class SpanLines : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var activity in batch)
            {
                var line = new StringBuilder().Append(CultureInfo.InvariantCulture, $"span {activity.DisplayName} {activity.Duration.TotalMilliseconds:0.#} ms");
                line.Append(CultureInfo.InvariantCulture, $" trace={activity.TraceId} span={activity.SpanId}");
                if (activity.ParentSpanId != default)
                    line.Append(CultureInfo.InvariantCulture, $" parent={activity.ParentSpanId}");
                foreach (var (key, value) in activity.TagObjects)
                    line.Append(CultureInfo.InvariantCulture, $" {key}={Text(value)}");
                if (activity.Status == ActivityStatusCode.Error)
                    line.Append(CultureInfo.InvariantCulture, $" error={activity.StatusDescription}");
                Write(line.ToString());
            }

            return ExportResult.Success;
        }
    }

    private sealed class MetricLines : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch)
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var value = metric.MetricType switch
                    {
                        MetricType.LongSum or MetricType.LongSumNonMonotonic => Text(point.GetSumLong()),
                        MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => Text(point.GetSumDouble()),
                        MetricType.LongGauge => Text(point.GetGaugeLastValueLong()),
                        MetricType.DoubleGauge => Text(point.GetGaugeLastValueDouble()),
                        MetricType.Histogram or MetricType.ExponentialHistogram =>
                            $"count={Text(point.GetHistogramCount())} sum={Text(point.GetHistogramSum())}",
                        _ => "",
                    };
                    var line = new StringBuilder($"metric {metric.Name} {value}");
                    foreach (var tag in point.Tags)
                        line.Append(CultureInfo.InvariantCulture, $" {tag.Key}={Text(tag.Value)}");
                    Write(line.ToString());
                }
            }

            return ExportResult.Success;
        }
    }
}
