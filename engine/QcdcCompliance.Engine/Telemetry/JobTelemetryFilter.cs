using System.Diagnostics;
using Hangfire.Client;
using Hangfire.Server;

namespace QcdcCompliance.Telemetry;

/// <summary>
/// A span around every Hangfire job (no instrumentation package for Hangfire is served here), named for the job class
/// and tagged with its id and arguments (codes and ids only, never personal data). The trace of whatever queued the job
/// (an import request, the nightly fan-out) is carried in a job parameter, so the job's span continues that trace.
/// </summary>
public sealed class JobTelemetryFilter : IClientFilter, IServerFilter
{
    private const string TraceParent = "qcdc.traceparent";
    private const string ActivityItem = "qcdc.activity";

    public void OnCreating(CreatingContext context)
    {
        if (Activity.Current?.Id is { } id)
            context.SetJobParameter(TraceParent, id);
    }

    public void OnCreated(CreatedContext context)
    {
    }

    public void OnPerforming(PerformingContext context)
    {
        var job = context.BackgroundJob.Job;
        var parent = context.GetJobParameter<string>(TraceParent, allowStale: true);
        var parentContext = ActivityContext.TryParse(parent, null, out var parsed) ? parsed : default;
        var activity = QcdcTelemetry.Source.StartActivity($"qcdc.job {job.Type.Name}", ActivityKind.Consumer, parentContext);
        if (activity is null)
            return;
        activity.SetTag("qcdc.job.id", context.BackgroundJob.Id);
        activity.SetTag("qcdc.job.method", $"{job.Type.Name}.{job.Method.Name}");
        activity.SetTag("qcdc.job.args", string.Join(",", job.Args.Where(a => a is not CancellationToken).Select(Describe)));
        context.Items[ActivityItem] = activity;
    }

    /// <summary>An argument as a tag: a list of ids by its count, so that a tag stays short.</summary>
    private static string? Describe(object? argument) => argument switch
    {
        System.Collections.ICollection list => $"{list.Count} ids",
        _ => argument?.ToString(),
    };

    public void OnPerformed(PerformedContext context)
    {
        if (!context.Items.TryGetValue(ActivityItem, out var item) || item is not Activity activity)
            return;
        if (context.Exception is { } e && !context.ExceptionHandled)
        {
            var error = e.InnerException ?? e;
            activity.SetStatus(ActivityStatusCode.Error, error.Message);
            activity.SetTag("error.type", error.GetType().FullName);
        }

        activity.Dispose();
    }
}
