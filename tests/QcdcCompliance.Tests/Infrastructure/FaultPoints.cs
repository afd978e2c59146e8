using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Findings;
using QcdcCompliance.Storage;

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
    public Task ContributeAsync(QcdcDbContext db, RecordedRun run, CancellationToken ct) => HoldAsync(db.Database.GetDbConnection(), ct);

    public static Action<IServiceCollection> Register(RunTransactionPoint point) => services => services.AddSingleton<IRunContributor>(point);
}

/// <summary>
/// Holds the first command that matches, issued from code running inside <see cref="Watch"/> (so that only the
/// component under test stops, not the test's own queries nor a racing import).
/// </summary>
public sealed class CommandPoint(Func<string, bool> matches) : FaultPoint
{
    private static readonly AsyncLocal<CommandPoint?> Watching = new();

    public static Action<IServiceCollection> Register(CommandPoint point) =>
        services => services.ConfigureDbContext<QcdcDbContext>(o => o.AddInterceptors(new Interceptor(point)));

    /// <summary>Runs the component with this point watching its commands.</summary>
    public async Task<T> Watch<T>(Func<Task<T>> component)
    {
        Watching.Value = this;
        try
        {
            return await component();
        }
        finally
        {
            Watching.Value = null;
        }
    }

    private sealed class Interceptor(CommandPoint point) : DbCommandInterceptor
    {
        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (Watching.Value == point && point.Matches(command.CommandText))
                await point.HoldAsync(command.Connection!, cancellationToken);
            return result;
        }
    }

    private bool Matches(string sql) => matches(sql);
}
