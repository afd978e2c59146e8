using System.Net;
using System.Text;
using MimeKit;
using netDumbster.smtp;
using QcdcCompliance.Alerts;

namespace QcdcCompliance.Tests.Infrastructure;

/// <summary>
/// A real SMTP server (netDumbster) on a free loopback port, that keeps what it receives. The port can be chosen
/// before the server starts, so a test can deliver while nothing listens there ("SMTP down") and start it later.
/// </summary>
public sealed class LoopbackSmtp : IDisposable
{
    private readonly List<MimeMessage> _beforeRestart = [];
    private SimpleSmtpServer? _server;

    public LoopbackSmtp(bool start = true)
    {
        Port = Loopback.FreePort();
        if (start)
            Start();
    }

    public int Port { get; }

    /// <summary>Settings that point MailKit at this server: plain SMTP on loopback, no login.</summary>
    public SmtpOptions Options => new() { Host = "127.0.0.1", Port = Port, Security = MailKit.Security.SecureSocketOptions.None, Timeout = TimeSpan.FromSeconds(10) };

    public void Start() => _server = Configuration.Configure().WithAddress(IPAddress.Loopback).WithPort(Port).Build();

    public void Stop()
    {
        _beforeRestart.AddRange(Current());
        _server?.Stop();
        _server = null;
    }

    /// <summary>Every message received so far (across restarts), parsed.</summary>
    public IReadOnlyList<MimeMessage> Received() => [.. _beforeRestart, .. Current()];

    /// <summary>
    /// The DATA of every message received since the server last started, as the recipient has it: the server's own
    /// Received: header on top, and the SMTP dot-stuffing undone (RFC 5321, 4.5.2), which netDumbster leaves in.
    /// </summary>
    public IReadOnlyList<string> ReceivedData() => _server?.ReceivedEmail.Select(m => m.Data.Replace("\r\n..", "\r\n.", StringComparison.Ordinal)).ToList() ?? [];

    private IEnumerable<MimeMessage> Current() =>
        _server?.ReceivedEmail.Select(m => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(m.Data)))) ?? [];

    public void Dispose() => Stop();
}
