using System.Net;
using System.Net.Sockets;
using QcdcCompliance.Host.Hosting;
using QcdcCompliance.Host.Settings;

namespace QcdcCompliance.Host.Cli;

public static class ServeVerb
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen", DefaultValueFactory = _ => "http://localhost:5080" };
        var command = new Command("serve", "Run the web host: API, dashboard, jobs.") { urls };
        command.SetAction(async (parse, ct) =>
        {
            var settings = CliServices.Configuration(parse);
            var storage = QcdcConfiguration.Storage(settings);
            CliDatabase.Check(storage, readsExistingDatabase: false);
            var addresses = parse.GetValue(urls)!;
            CheckAddresses(addresses);
            await DatabaseMigrator.MigrateAsync(storage, ct);
            var app = QcdcWebHost.Build(["--urls", addresses], settings);
            try
            {
                await app.RunAsync(ct);
            }
            catch (IOException e)
            {
                // Kestrel's AddressInUseException and the other failures to bind: another program (or qcdc serve) holds it.
                throw new CliException($"cannot listen on {addresses}: {e.Message.TrimEnd('.')}; stop what listens there or choose another with --urls");
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// The addresses, checked before the database is migrated and the host built: each must read as Kestrel reads it,
    /// and its port must be free (a second <c>qcdc serve</c>, another program). Kestrel's own failure to bind, should the
    /// port be taken in between, is still told in a line; it comes after the host's log record of it.
    /// </summary>
    public static void CheckAddresses(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(url);
            }
            catch (FormatException)
            {
                throw new CliException($"--urls {url} is not an address to listen on; write it as http://HOST:PORT (http://localhost:5080), several separated by ';'");
            }

            var host = address.Host.Trim('[', ']');
            var ip = host == "localhost" ? IPAddress.Loopback
                : host is "*" or "+" ? IPAddress.Any
                : IPAddress.TryParse(host, out var parsed) ? parsed : null;
            if (ip is null || address.Port == 0 || address.IsNamedPipe || address.IsUnixPipe)
                continue;
            try
            {
                var listener = new TcpListener(ip, address.Port);
                listener.Start();
                listener.Stop();
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied or SocketError.AddressNotAvailable)
            {
                throw new CliException($"cannot listen on {url}: {e.Message}; stop what listens there or choose another with --urls");
            }
        }
    }
}
