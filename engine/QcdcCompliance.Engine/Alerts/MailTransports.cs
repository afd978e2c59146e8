using MailKit.Net.Smtp;
using MimeKit;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Alerts;

/// <summary>Where e-mails go: an SMTP relay, or a pickup folder of <c>.eml</c> files when none is set.</summary>
public interface IMailTransport
{
    /// <summary>For messages: <c>smtp://host:port</c> or the pickup folder's path.</summary>
    string Destination { get; }

    /// <summary>Opens a connection for a delivery round; throws when the destination cannot be reached.</summary>
    Task<IMailSession> OpenAsync(CancellationToken ct);
}

public interface IMailSession : IAsyncDisposable
{
    Task SendAsync(OutboxMessage row, MimeMessage message, CancellationToken ct);
}

public static class MailTransport
{
    public static IMailTransport For(AlertOptions options) =>
        options.Smtp.IsConfigured ? new SmtpTransport(options.Smtp) : new PickupFolderTransport(Path.GetFullPath(options.PickupFolder));
}

/// <summary>MailKit over SMTP, with the host, port, TLS mode and credentials of the settings.</summary>
public sealed class SmtpTransport(SmtpOptions smtp) : IMailTransport
{
    public string Destination => $"smtp://{smtp.Host}:{smtp.Port}";

    public async Task<IMailSession> OpenAsync(CancellationToken ct)
    {
        var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.Security, ct);
            if (!string.IsNullOrEmpty(smtp.UserName))
                await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", ct);
            return new Session(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private sealed class Session(SmtpClient client) : IMailSession
    {
        public Task SendAsync(OutboxMessage row, MimeMessage message, CancellationToken ct) => client.SendAsync(message, ct);

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (client.IsConnected)
                    await client.DisconnectAsync(quit: true);
            }
            catch (Exception e) when (e is IOException or MailKit.ProtocolException or MailKit.CommandException or OperationCanceledException)
            {
                // Every message of the round is already marked; a failed QUIT changes nothing.
            }
            finally
            {
                client.Dispose();
            }
        }
    }
}

/// <summary>
/// Writes each message as a <c>.eml</c> file (what a mail client opens, or an SMTP server's pickup directory reads).
/// The file name follows from the key and the file is renamed into place whole, so a message delivered twice is the
/// same file written twice.
/// </summary>
public sealed class PickupFolderTransport(string folder) : IMailTransport
{
    public string Destination => folder;

    public Task<IMailSession> OpenAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        return Task.FromResult<IMailSession>(new Session(folder));
    }

    private sealed class Session(string folder) : IMailSession
    {
        public async Task SendAsync(OutboxMessage row, MimeMessage message, CancellationToken ct)
        {
            var path = Path.Combine(folder, OutboxMail.FileName(row));
            var temporary = path + ".tmp";
            await using (var file = File.Create(temporary))
                await OutboxMail.WriteAsync(message, file, ct);
            File.Move(temporary, path, overwrite: true);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
