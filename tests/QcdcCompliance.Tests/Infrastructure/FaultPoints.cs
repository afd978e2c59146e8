using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Findings;
using QcdcCompliance.Storage;
using QcdcCompliance.Telemetry;

namespace QcdcCompliance.Tests.Infrastructure;

/// <summary>
/// A place where a test holds a real component still, strikes (kills a connection, commits an import), then lets it
/// go: <see cref="Reached"/> completes when the component gets there, <see cref="Release"/> lets it continue. Armed
/// once: the next component to get there waits, later ones pass.
/// </summary>
public abstract class FaultPoint
{
    private TaskCompletionSource<int?> _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _armed;

    /// <summary>Completes with the PostgreSQL backend pid of the held connection (null on SQLite).</summary>
    public Task<int?> Reached => _reached.Task;

    public void Arm()
    {
        _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _armed, 1);
    }

    public void Release() => _release.TrySetResult();

    /// <summary>Holds the calling thread itself (no connection to name) until released.</summary>
    protected void Hold()
    {
        if (Interlocked.Exchange(ref _armed, 0) == 0)
            return;
        _reached.TrySetResult(null);
        if (!_release.Task.Wait(TimeSpan.FromMinutes(2)))
            throw new TimeoutException("the test never released the point");
    }

    protected async Task HoldAsync(DbConnection connection, CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _armed, 0) == 0)
            return;
        _reached.TrySetResult((connection as Npgsql.NpgsqlConnection)?.ProcessID);
        await _release.Task.WaitAsync(TimeSpan.FromMinutes(2), ct);
    }
}

/// <summary>Holds a run inside <see cref="RunRecorder"/>'s transaction: after its rows are written, before they commit.</summary>
public sealed class RunTransactionPoint : FaultPoint, IRunContributor
{
    public Task ContributeAsync(QcdcDbContext db, RecordedRun run, object? prepared, CancellationToken ct) => HoldAsync(db.Database.GetDbConnection(), ct);

    public static Action<IServiceCollection> Register(RunTransactionPoint point) => services => services.AddSingleton<IRunContributor>(point);
}

/// <summary>
/// Holds the component at the start of the first span of that name (one of the product's OpenTelemetry activities)
/// that it starts inside <see cref="Watch"/>, so that only the component under test stops, not the test's own work nor a
/// racing import. A span marks places no EF command shows (SQLite's rows are read through its C API). The component's
/// thread waits there, so <see cref="Watch"/> runs it on a thread of its own.
/// </summary>
public sealed class SpanPoint : FaultPoint, IDisposable
{
    private static readonly AsyncLocal<SpanPoint?> Watching = new();
    private readonly ActivityListener _listener;

    public SpanPoint(string name)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == QcdcTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = activity =>
            {
                if (activity.OperationName == name && Watching.Value == this)
                    Hold();
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Runs the component with this point watching its spans, on a thread of the pool.</summary>
    public Task<T> Watch<T>(Func<Task<T>> component) => Task.Run(() =>
    {
        Watching.Value = this;
        return component();
    });

    public void Dispose() => _listener.Dispose();
}
