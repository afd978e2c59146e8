using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace QcdcCompliance.Host.Jobs;

/// <summary>
/// Hangfire's log provider is process-wide while loggers belong to a host. This one writes to the host's loggers and
/// goes quiet once that host is disposed, instead of throwing from inside Hangfire (it creates loggers in places such
/// as a retry attribute's constructor): a process that runs several hosts, one after another or side by side (the
/// tests do), keeps working when one of them stops.
/// </summary>
public sealed class HostLogProvider(ILoggerFactory factory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(factory);

    public ILog GetLogger(string name)
    {
        try
        {
            return new Guarded(_inner.GetLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return Quiet.Instance;
        }
    }

    private sealed class Guarded(ILog inner) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                return inner.Log(logLevel, messageFunc, exception);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }

    private sealed class Quiet : ILog
    {
        public static readonly Quiet Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
