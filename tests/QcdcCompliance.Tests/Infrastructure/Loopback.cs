using System.Net;
using System.Net.Sockets;

namespace QcdcCompliance.Tests.Infrastructure;

public static class Loopback
{
    /// <summary>A port nothing listens on right now, from binding port 0 on 127.0.0.1.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
