using System.Data.Common;
using System.Net;
using Microsoft.AspNetCore.Diagnostics;

namespace QcdcCompliance.Host.Hosting;

/// <summary>
/// A request that failed because the database cannot be reached (down, restarting, failing over, out of connections:
/// what <see cref="DatabaseErrors"/> tells from a conflict and from a bug) is answered 503 with <c>Retry-After</c>, as
/// <c>/health</c> answers, instead of a bare 500: a client retries an outage later and reports a bug. The API answers a
/// ProblemDetails, the dashboard a page in Vietnamese and English. Nothing of a write is stored: its transaction never
/// committed.
/// </summary>
internal sealed class DatabaseOutage(ILogger<DatabaseOutage> log) : IExceptionHandler
{
    /// <summary>Seconds a client waits before trying again: a restart or a failover takes about that long.</summary>
    public const int RetryAfterSeconds = 30;

    public const string Detail = "The database cannot be reached (it may be restarting or failing over); nothing of this request was stored. "
                                 + "Try again in a moment.";

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsOutage(exception) || context.Response.HasStarted)
            return false;
        log.LogWarning("{Method} {Path} answered 503: the database cannot be reached ({Error})", context.Request.Method,
            Security.LogText.Escape(context.Request.Path.Value), Security.LogText.Escape(exception.GetBaseException().Message));
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Security.ApiProblem.IsApi(context.Request))
        {
            await Security.ApiProblem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable", Detail);
            return true;
        }

        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "text/html; charset=utf-8";
        // Written whole here: the dashboard's own pages read the database for their frame (the principal's area).
        await context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Tạm thời không truy cập được cơ sở dữ liệu</title><link rel="stylesheet" href="/dashboard.css"></head>
            <body><main><h1>Tạm thời không truy cập được cơ sở dữ liệu</h1>
            <p>Máy chủ cơ sở dữ liệu đang khởi động lại hoặc không kết nối được; thao tác vừa rồi chưa được lưu. Vui lòng thử lại sau {RetryAfterSeconds} giây.</p>
            <p lang="en">{WebUtility.HtmlEncode(Detail)}</p>
            <p><a href="{WebUtility.HtmlEncode(context.Request.PathBase + context.Request.Path + context.Request.QueryString)}">Thử lại / Try again</a></p></main></body></html>
            """, cancellationToken);
        return true;
    }

    /// <summary>
    /// Whether the failure is the database being out of reach: a provider's error (or one EF Core wrapped) that
    /// <see cref="DatabaseErrors.IsTransient"/> calls worth trying later and that is not a conflict between writers.
    /// </summary>
    public static bool IsOutage(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException or DbUpdateException && DatabaseErrors.IsTransient(e) && !DatabaseErrors.IsConflict(e))
                return true;
        }

        return false;
    }
}
