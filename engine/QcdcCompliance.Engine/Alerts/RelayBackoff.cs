namespace QcdcCompliance.Alerts;

/// <summary>
/// When this process tries a relay again after it failed (a refused connection, TLS, login, a timeout, a dropped
/// connection): <see cref="AlertOptions.RetryBaseDelay"/> after the first failure, doubling with each failure in a row
/// up to <see cref="AlertOptions.RelayRetryMaxDelay"/>; at once again after the relay answered for a message. A relay's
/// failure is charged to no message (it would kill the outbox during an outage), so this is what keeps a relay that
/// is down from being hammered. Kept in memory: each process finds out for itself, with one connection per round.
/// </summary>
internal sealed class RelayBackoff(AlertOptions options)
{
    private readonly Lock _lock = new();
    private int _failures;
    private DateTime _retryAt = DateTime.MinValue;
    private string? _lastError;

    /// <summary>Why no round reaches the relay before <paramref name="now"/>: a sentence for the round's report, or null when it may be tried.</summary>
    public string? WaitingAt(DateTime now)
    {
        lock (_lock)
            return now < _retryAt ? DescribeHeld() : null;
    }

    /// <summary>Counts a failure of the relay and returns when it is tried again.</summary>
    public DateTime Failed(DateTime now, string error)
    {
        lock (_lock)
        {
            _failures++;
            var delay = TimeSpan.FromTicks((long)Math.Min(options.RetryBaseDelay.Ticks * Math.Pow(2, Math.Min(_failures - 1, 30)), options.RelayRetryMaxDelay.Ticks));
            (_retryAt, _lastError) = (now + delay, error);
            return _retryAt;
        }
    }

    /// <summary>The relay answered for a message (took it, or refused it): it is up.</summary>
    public void Answered()
    {
        lock (_lock)
            (_failures, _retryAt, _lastError) = (0, DateTime.MinValue, null);
    }

    /// <summary>What the report of a round that ended on (or waited for) the relay says.</summary>
    public string Describe()
    {
        lock (_lock)
            return DescribeHeld();
    }

    private string DescribeHeld() =>
        $"the relay failed {_failures} time(s) in a row ({_lastError}); it is tried again from {_retryAt:yyyy-MM-dd HH:mm:ss} UTC, "
        + "and no message used up an attempt";
}
