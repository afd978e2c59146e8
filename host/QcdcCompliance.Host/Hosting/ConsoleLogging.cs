using Microsoft.Extensions.Logging.Console;

namespace QcdcCompliance.Host.Hosting;

/// <summary>Where the console's log records go, for every verb and <c>serve</c> alike.</summary>
public static class ConsoleLogging
{
    /// <summary>
    /// Log records go to standard error, whatever their level: standard output is a verb's answer, often data (CSV, JSON)
    /// piped into another program, and a service's standard error is where its operator looks for its errors.
    /// </summary>
    public static ILoggingBuilder ToStandardError(this ILoggingBuilder logging)
    {
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        return logging;
    }
}
