using Hangfire.Storage;
using QcdcCompliance.Jobs;

namespace QcdcCompliance.Host.Cli;

/// <summary>
/// The lock of a scope (<see cref="ScopeLocks"/>) that <c>qcdc evaluate</c> takes as the evaluation job does, so that
/// two evaluations of one province never overlap, whoever started them. Free, it is taken at once; held (a job of
/// <c>qcdc serve</c>, another <c>qcdc evaluate</c>), the verb says so on standard error and waits for it as the job
/// does, up to <see cref="ScopeLocks.Wait"/>, then gives up that scope (<see cref="ScopeBusyException"/>). On SQLite the
/// lock is a file beside the database, so another process on the same file (<c>qcdc serve</c>, another <c>qcdc evaluate</c>) is waited for too.
/// </summary>
public sealed class EvaluationTurns(ScopeLocks locks)
{
    /// <summary>
    /// How long the lock is tried before the verb says it waits: a free lock is granted well within it. The same moment
    /// the evaluation takes the scope to wait, and gives back its share of memory meanwhile.
    /// </summary>
    public static readonly TimeSpan AtOnce = Runs.EvaluationService.TurnAtOnce;

    public async Task<IAsyncDisposable> TakeAsync(string period, string province, CancellationToken ct)
    {
        var resource = ScopeLocks.Resource(period, province);
        try
        {
            return await locks.TakeAsync(resource, ct, AtOnce);
        }
        catch (DistributedLockTimeoutException)
        {
            // Held elsewhere: said, then waited for.
        }

        var minutes = (int)ScopeLocks.Wait.TotalMinutes;
        Console.Error.WriteLine($"chờ: {period} {province} đang được đánh giá ở nơi khác (một tác vụ của qcdc serve, hoặc một lệnh qcdc evaluate khác); "
                                + $"lệnh chờ tối đa {minutes} phút để hai lần đánh giá không chồng lên nhau (Ctrl+C để dừng)");
        Console.Error.WriteLine($"waiting: {period} {province} is being evaluated elsewhere (a job of qcdc serve, or another qcdc evaluate); "
                                + $"this waits up to {minutes} minutes so that the two never overlap (Ctrl+C to stop)");
        try
        {
            return await locks.TakeAsync(resource, ct);
        }
        catch (DistributedLockTimeoutException)
        {
            throw new ScopeBusyException(period, province, minutes);
        }
    }
}

/// <summary>The evaluation of a scope running elsewhere did not end within the wait: that scope was not evaluated.</summary>
public sealed class ScopeBusyException(string period, string province, int minutes)
    : Exception($"{period} {province} was still being evaluated elsewhere after {minutes} minutes: it was not evaluated again; "
                + "see what runs it (qcdc serve's jobs at /hangfire, another qcdc evaluate) and run qcdc evaluate again once it has ended")
{
    public string SentenceVi { get; } = $"{period} {province} vẫn đang được đánh giá ở nơi khác sau {minutes} phút: lệnh không đánh giá lại; "
                                       + "xem việc gì đang chạy (các tác vụ của qcdc serve tại /hangfire, một lệnh qcdc evaluate khác) và chạy lại qcdc evaluate khi việc đó xong";
}
