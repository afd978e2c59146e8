using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace QcdcCompliance.Telemetry;

/// <summary>The one ActivitySource and the one Meter of the product, both named <c>QcdcCompliance</c>.</summary>
public static class QcdcTelemetry
{
    public const string Name = "QcdcCompliance";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Histogram<double> EvaluationDuration = Meter.CreateHistogram<double>("qcdc.evaluation.duration", "s", "Duration of an evaluation run of one period and scope");
    public static readonly Counter<long> UnitsEvaluated = Meter.CreateCounter<long>("qcdc.units.evaluated", "{unit}", "Units evaluated by runs");
    public static readonly Counter<long> Findings = Meter.CreateCounter<long>("qcdc.findings", "{finding}", "Findings recorded by runs, by target and state");
    public static readonly Counter<long> AlertsSent = Meter.CreateCounter<long>("qcdc.alerts.sent", "{message}", "E-mails delivered");
    public static readonly Counter<long> AlertsFailed = Meter.CreateCounter<long>("qcdc.alerts.failed", "{message}", "E-mail delivery attempts that failed");
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>("qcdc.retries", "{retry}", "Operations tried again within a call, by concern and error");
    public static readonly Counter<long> ImportRows = Meter.CreateCounter<long>("qcdc.import.rows", "{row}", "Rows imported, by kind");
}
