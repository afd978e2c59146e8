namespace QcdcCompliance.Host.Settings;

/// <summary>Settings of section <c>Hosting</c>: the proxies whose forwarded headers are believed, HSTS, and the public address.</summary>
public sealed class HostingSettings
{
    /// <summary>Addresses of the reverse proxies (TLS terminators) in front of the host; only their X-Forwarded-For/-Proto are read.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of such proxies, in CIDR form (10.0.0.0/8).</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How long a browser keeps to HTTPS after it saw the site over HTTPS.</summary>
    public int HstsMaxAgeDays { get; set; } = 365;

    /// <summary>The addresses the API is reached at, written as the OpenAPI document's servers (none when empty; never the Host header).</summary>
    public List<string> PublicUrls { get; set; } = [];
}

/// <summary>Settings of section <c>DataProtection</c>: the key ring that signs session cookies and antiforgery tokens.</summary>
public sealed class DataProtectionSettings
{
    /// <summary>A folder the key ring is kept in; give every <c>qcdc serve</c> node the same (shared) folder. Empty: ASP.NET's per-user default.</summary>
    public string? KeyRingPath { get; set; }

    /// <summary>Nodes that share a ring must share this name too.</summary>
    public string ApplicationName { get; set; } = "qcdc";
}
