using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using QcdcCompliance.Alerts;

namespace QcdcCompliance.Tests.Infrastructure;

/// <summary>What the proxy does to one SMTP connection.</summary>
public enum SmtpFault
{
    /// <summary>Relays the conversation as it is.</summary>
    None,

    /// <summary>Greets with <c>421</c> (service not available) and hangs up, as a relay that is shutting down or overloaded.</summary>
    RefuseConnection,

    /// <summary>Accepts the connection and never says a word: the client's timeout must end it.</summary>
    Silent,

    /// <summary>Hangs up (TCP reset) in the middle of the message's DATA: the server never gets the message whole.</summary>
    DropInData,

    /// <summary>Relays the whole DATA and lets the server accept it, then hangs up before its <c>250</c> reaches the client.</summary>
    DropAfterData,

    /// <summary>Relays the whole DATA and lets the server accept it, then relays its <c>250</c> <see cref="SmtpFaultProxy.SlowReply"/> later.</summary>
    SlowAfterData,

    /// <summary>Relays the whole DATA and lets the server accept it, then never relays its <c>250</c>: the client times out.</summary>
    SilentAfterData,
}

/// <summary>
/// A TCP proxy in front of a <see cref="LoopbackSmtp"/> that breaks SMTP conversations on purpose: each new connection
/// takes the next fault of <see cref="Plan"/> (then <see cref="SmtpFault.None"/>), and recipients can be refused with a
/// reply code on every connection. It tells the client it cannot pipeline or chunk, so that every command waits for
/// its reply and a reply it makes up stays in order. What it struck is kept in <see cref="Struck"/>, with the
/// Message-ID of the message it broke.
/// </summary>
public sealed class SmtpFaultProxy : IAsyncDisposable
{
    private readonly LoopbackSmtp _upstream;
    private readonly TcpListener _listener;
    private readonly ConcurrentQueue<SmtpFault> _plan = new();
    private readonly ConcurrentDictionary<string, int> _refusedRecipients = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<(SmtpFault Fault, string? MessageId)> _struck = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;

    public SmtpFaultProxy(LoopbackSmtp upstream)
    {
        _upstream = upstream;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Settings that point MailKit at the proxy, with a short timeout (a silent server is given up on after it).</summary>
    public SmtpOptions Options(TimeSpan timeout) =>
        new() { Host = "127.0.0.1", Port = Port, Security = MailKit.Security.SecureSocketOptions.None, Timeout = timeout };

    /// <summary>The faults of the next connections, in order.</summary>
    public void Plan(params SmtpFault[] faults)
    {
        foreach (var fault in faults)
            _plan.Enqueue(fault);
    }

    /// <summary>Answers <c>RCPT TO</c> for this address with the code (e.g. 450 mailbox busy, 550 no such user), on every connection.</summary>
    public void RefuseRecipient(string address, int code) => _refusedRecipients[address] = code;

    /// <summary>Relays <c>RCPT TO</c> for this address again (the mailbox is fixed).</summary>
    public void AcceptRecipient(string address) => _refusedRecipients.TryRemove(address, out _);

    public IReadOnlyList<(SmtpFault Fault, string? MessageId)> Struck => [.. _struck];

    /// <summary>How long <see cref="SmtpFault.SlowAfterData"/> holds the server's answer to a message it has taken.</summary>
    public TimeSpan SlowReply { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Completes when a <see cref="SmtpFault.SlowAfterData"/> message is with the server and its answer held.</summary>
    public Task SlowReplyHeld => _slowReplyHeld.Task;

    private readonly TaskCompletionSource _slowReplyHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var fault = _plan.TryDequeue(out var next) ? next : SmtpFault.None;
            lock (_connections)
                _connections.Add(Task.Run(() => ServeAsync(client, fault)));
        }
    }

    private async Task ServeAsync(Socket client, SmtpFault fault)
    {
        using var clientStream = new NetworkStream(client, ownsSocket: true);
        try
        {
            switch (fault)
            {
                case SmtpFault.RefuseConnection:
                    _struck.Enqueue((fault, null));
                    await WriteAsync(clientStream, "421 4.3.2 Service not available, closing transmission channel");
                    return;
                case SmtpFault.Silent:
                    _struck.Enqueue((fault, null));
                    // Read and ignore until the client gives up and closes.
                    var sink = new byte[1024];
                    while (await clientStream.ReadAsync(sink, _stop.Token) > 0)
                    {
                    }

                    return;
            }

            using var server = new TcpClient();
            await server.ConnectAsync(IPAddress.Loopback, _upstream.Port, _stop.Token);
            await using var serverStream = server.GetStream();
            var conversation = new Conversation(this, fault, client, clientStream, serverStream);
            await Task.WhenAny(conversation.ClientToServerAsync(_stop.Token), conversation.ServerToClientAsync(_stop.Token));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Either side hung up: so does the proxy.
        }
    }

    private static Task WriteAsync(Stream stream, string line) => stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n")).AsTask();

    /// <summary>One relayed connection: commands go up, replies come down, and the fault is applied on the way.</summary>
    private sealed class Conversation(SmtpFaultProxy proxy, SmtpFault fault, Socket client, NetworkStream clientStream, NetworkStream serverStream)
    {
        private readonly SemaphoreSlim _toClient = new(1, 1);
        private bool _inData;
        private bool _awaitingDataReply;
        private int _dataLines;
        private string? _messageId;
        private volatile bool _swallowReplies;
        private volatile bool _dropOnNextReply;
        private volatile bool _delayNextReply;

        public async Task ClientToServerAsync(CancellationToken ct)
        {
            var reader = new LineReader(clientStream);
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                var text = Encoding.ASCII.GetString(line).TrimEnd('\r', '\n');
                if (_inData)
                {
                    _dataLines++;
                    if (text.StartsWith("Message-Id:", StringComparison.OrdinalIgnoreCase))
                        _messageId = text["Message-Id:".Length..].Trim().Trim('<', '>');
                    if (text == ".")
                    {
                        _inData = false;
                        if (fault is SmtpFault.DropAfterData or SmtpFault.SilentAfterData or SmtpFault.SlowAfterData)
                        {
                            proxy._struck.Enqueue((fault, _messageId));
                            if (fault == SmtpFault.DropAfterData)
                                _dropOnNextReply = true;
                            else if (fault == SmtpFault.SlowAfterData)
                                _delayNextReply = true;
                            else
                                _swallowReplies = true;
                        }
                    }
                    else if (fault == SmtpFault.DropInData && _dataLines == 8)
                    {
                        // Half a message: the headers and not the body. A reset, not a polite close.
                        proxy._struck.Enqueue((fault, _messageId));
                        client.LingerState = new LingerOption(true, 0);
                        client.Close();
                        return;
                    }

                    await serverStream.WriteAsync(line, ct);
                    continue;
                }

                if (text.StartsWith("RCPT TO:", StringComparison.OrdinalIgnoreCase))
                {
                    var address = text["RCPT TO:".Length..].Trim().Split(' ')[0].Trim('<', '>');
                    if (proxy._refusedRecipients.TryGetValue(address, out var code))
                    {
                        await ReplyAsync($"{code} {(code >= 500 ? "5.1.1 No such user here" : "4.2.1 Mailbox busy, try again later")}", ct);
                        continue;
                    }
                }

                if (text.Equals("DATA", StringComparison.OrdinalIgnoreCase))
                    _awaitingDataReply = true;
                await serverStream.WriteAsync(line, ct);
            }
        }

        public async Task ServerToClientAsync(CancellationToken ct)
        {
            var reader = new LineReader(serverStream);
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                var text = Encoding.ASCII.GetString(line).TrimEnd('\r', '\n');
                if (_swallowReplies)
                    continue;
                if (_dropOnNextReply)
                {
                    client.LingerState = new LingerOption(true, 0);
                    client.Close();
                    return;
                }

                if (_delayNextReply)
                {
                    _delayNextReply = false;
                    proxy._slowReplyHeld.TrySetResult();
                    await Task.Delay(proxy.SlowReply, ct);
                }

                if (_awaitingDataReply && text.StartsWith("354", StringComparison.Ordinal))
                {
                    _awaitingDataReply = false;
                    _inData = true;
                    _dataLines = 0;
                    _messageId = null;
                }

                // One command per reply, so that a reply the proxy makes up stays in order.
                if (text.Length > 4 && text[..4] is "250-" or "250 " && text[4..].Trim() is { } capability
                    && (capability.StartsWith("PIPELINING", StringComparison.OrdinalIgnoreCase) || capability.StartsWith("CHUNKING", StringComparison.OrdinalIgnoreCase)))
                    line = Encoding.ASCII.GetBytes($"{text[..4]}X-NOTHING\r\n");
                await _toClient.WaitAsync(ct);
                try
                {
                    await clientStream.WriteAsync(line, ct);
                }
                finally
                {
                    _toClient.Release();
                }
            }
        }

        private async Task ReplyAsync(string reply, CancellationToken ct)
        {
            await _toClient.WaitAsync(ct);
            try
            {
                await WriteAsync(clientStream, reply);
            }
            finally
            {
                _toClient.Release();
            }
        }
    }

    /// <summary>Lines as bytes, CRLF kept, so that a message's 8-bit text is relayed untouched.</summary>
    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[8192];
        private int _start;
        private int _end;

        public async Task<byte[]?> ReadLineAsync(CancellationToken ct)
        {
            var line = new List<byte>();
            while (true)
            {
                if (_start == _end)
                {
                    _start = 0;
                    _end = await stream.ReadAsync(_buffer, ct);
                    if (_end == 0)
                        return line.Count > 0 ? [.. line] : null;
                }

                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline < 0)
                {
                    line.AddRange(_buffer.AsSpan(_start, _end - _start));
                    _start = _end;
                    continue;
                }

                line.AddRange(_buffer.AsSpan(_start, newline + 1 - _start));
                _start = newline + 1;
                return [.. line];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_connections)
            connections = [.. _connections];
        await Task.WhenAll(connections);
        _stop.Dispose();
    }
}
