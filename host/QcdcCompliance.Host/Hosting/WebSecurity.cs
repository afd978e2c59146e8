using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using QcdcCompliance.Host.Settings;

namespace QcdcCompliance.Host.Hosting;

/// <summary>
/// What every answer of the web host carries for the browser's safety, and what the host believes of the network in
/// front of it: Content-Security-Policy (no inline script, no framing), nosniff, Referrer-Policy, no caching of pages and
/// data, HSTS over HTTPS; forwarded headers only from the configured proxies; one key ring for every node.
/// </summary>
public static class WebSecurity
{
    /// <summary>The dashboard, the sign-in pages and the API: scripts from nowhere, styles from the stylesheet (and style attributes), images inline.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'none'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    /// <summary>The review report as one self-contained HTML page: its own &lt;style&gt;, still no script.</summary>
    public const string ReportPolicy =
        "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    /// <summary>Hangfire's dashboard and the API reference page run their own scripts; they are still never framed.</summary>
    public const string ToolPolicy = "frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'";

    public static WebApplicationBuilder AddQcdcWebSecurity(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("Hosting").Get<HostingSettings>() ?? new HostingSettings();
        builder.Services.AddSingleton(settings);
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the proxies named in the settings: by default none is believed, not even loopback.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in settings.KnownProxies)
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in settings.KnownNetworks)
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(settings.HstsMaxAgeDays);
            o.ExcludedHosts.Clear();
        });

        var protection = builder.Configuration.GetSection("DataProtection").Get<DataProtectionSettings>() ?? new DataProtectionSettings();
        var ring = builder.Services.AddDataProtection().SetApplicationName(protection.ApplicationName);
        if (!string.IsNullOrWhiteSpace(protection.KeyRingPath))
            ring.PersistKeysToFileSystem(new DirectoryInfo(protection.KeyRingPath));
        return builder;
    }

    public static WebApplication UseQcdcWebSecurity(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<HostingSettings>();
        if (settings.KnownProxies.Count > 0 || settings.KnownNetworks.Count > 0)
            app.UseForwardedHeaders();
        app.UseHsts();
        app.Use(HeadersAsync);
        return app;
    }

    private static Task HeadersAsync(HttpContext context, RequestDelegate next)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            var path = context.Request.Path;
            var tool = path.StartsWithSegments(Jobs.JobsHosting.DashboardPath) || path.StartsWithSegments("/scalar");
            headers.ContentSecurityPolicy = tool ? ToolPolicy : path.StartsWithSegments("/report") ? ReportPolicy : ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            // Pages, data and reports are the principal's alone: never kept by the browser or a proxy. The stylesheet
            // and Hangfire's own files set their caching themselves.
            if (!headers.ContainsKey("Cache-Control") || !IsStatic(context))
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }

    private static bool IsStatic(HttpContext context) =>
        context.Request.Path.Equals("/dashboard.css") || (context.Request.Path.StartsWithSegments(Jobs.JobsHosting.DashboardPath)
                                                           && (context.Request.Path.Value?.Contains("/js", StringComparison.Ordinal) == true
                                                               || context.Request.Path.Value?.Contains("/css", StringComparison.Ordinal) == true
                                                               || context.Request.Path.Value?.Contains("/fonts", StringComparison.Ordinal) == true))
        || context.Request.Path.StartsWithSegments("/scalar") && context.Request.Path.Value?.EndsWith(".js", StringComparison.Ordinal) == true;
}
