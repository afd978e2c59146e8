using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server for the whole test run, from Debian's packages (scripts/test.sh installs them):
/// initdb into a temporary folder, started with pg_ctl on a free loopback port, stopped when the run ends. Tests that
/// need it fail, never skip, when it cannot start. Each caller gets its own database.
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);
    private static int _databases;

    private readonly string _bin;
    private readonly string _data;
    private readonly bool _asPostgresUser;

    private PostgresServer(string bin, string data, int port, bool asPostgresUser)
    {
        _bin = bin;
        _data = data;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false;Timeout=30";

    public static Task<PostgresServer> InstanceAsync() => Shared.Value;

    /// <summary>A new empty database; with <paramref name="migrate"/>, at the current schema.</summary>
    public async Task<StorageOptions> CreateDatabaseAsync(string prefix, bool migrate = true)
    {
        var name = $"{prefix.ToLowerInvariant()}_{Interlocked.Increment(ref _databases)}_{Environment.ProcessId}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0", connection);
            await command.ExecuteNonQueryAsync();
        }

        var storage = new StorageOptions
        {
            Provider = StorageProvider.Postgres,
            Database = $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Timeout=30;Command Timeout=120",
        };
        if (migrate)
            await DatabaseMigrator.MigrateAsync(storage);
        return storage;
    }

    /// <summary>
    /// A new database that starts as a copy of another (PostgreSQL's <c>CREATE DATABASE ... TEMPLATE</c>, a file copy):
    /// a loaded database made once and copied for a test and its control. The source must have no open session; this
    /// process's idle pooled connections to it are closed first.
    /// </summary>
    public async Task<StorageOptions> CopyDatabaseAsync(StorageOptions source, string prefix)
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(source.Database));
        // The product's connections carry its own options (JIT off): they are pooled under that connection string.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(source.ConnectionString));
        var from = new NpgsqlConnectionStringBuilder(source.Database).Database!;
        var name = $"{prefix.ToLowerInvariant()}_{Interlocked.Increment(ref _databases)}_{Environment.ProcessId}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{from}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new StorageOptions { Provider = StorageProvider.Postgres, Database = new NpgsqlConnectionStringBuilder(source.Database) { Database = name }.ConnectionString };
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        if (bin is null)
            throw new InvalidOperationException("PostgreSQL is not installed: run the tests through scripts/test.sh, which installs Debian's postgresql package.");

        var asRoot = Environment.UserName == "root";
        await RemoveLeftoversAsync(bin, asRoot);
        var data = Path.Combine(Path.GetTempPath(), $"qcdc-pg-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(data);
        if (asRoot)
            await RunAsync("chown", ["postgres:postgres", data]);

        var port = FreePort();
        var server = new PostgresServer(bin, data, port, asRoot);
        await server.PgAsync("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]);
        await server.PgAsync("pg_ctl", ["start", "-w", "-t", "60", "-D", data, "-l", Path.Combine(data, "server.log"), "-o",
            $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={data} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        await server.WatchAsync();
        return server;
    }

    /// <summary>
    /// A watchdog outside the test host's process tree (<c>setsid -f</c>) stops the server and removes its folder once
    /// this process is gone, however it ends: a test host that the runner ends before its exit handlers run left its
    /// server running after passing runs (twice on 06/12), until the next run removed it.
    /// </summary>
    private async Task WatchAsync()
    {
        const string watchdog = """
            exec </dev/null >/dev/null 2>&1
            pid=$1; data=$2; shift 2
            while kill -0 "$pid"; do sleep 1; done
            "$@"; rm -rf "$data"
            """;
        await RunAsync("setsid", ["-f", "sh", "-c", watchdog, "qcdc-pg-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), _data,
            .. PgCommand("pg_ctl", ["stop", "-m", "immediate", "-D", _data])]);
    }

    private void Stop()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            PgAsync("pg_ctl", ["stop", "-m", "immediate", "-D", _data]).GetAwaiter().GetResult();
            Directory.Delete(_data, recursive: true);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"PostgreSQL test server in {_data} did not stop cleanly: {e.Message}");
        }
    }

    private Task PgAsync(string tool, string[] args)
    {
        var command = PgCommand(tool, args);
        return RunAsync(command[0], command[1..]);
    }

    /// <summary>A PostgreSQL tool's command line, run as the postgres user when the tests run as root (initdb refuses root).</summary>
    private string[] PgCommand(string tool, string[] args) =>
        _asPostgresUser ? ["runuser", "-u", "postgres", "--", Path.Combine(_bin, tool), .. args] : [Path.Combine(_bin, tool), .. args];

    private static async Task RunAsync(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await error}{await output}");
    }

    /// <summary>
    /// Servers and data folders of earlier runs whose process is gone: a test host that the runner ends before its exit
    /// handlers run leaves its server running (one was found on 06/12 after a run had ended); it is stopped, then its
    /// folder removed.
    /// </summary>
    private static async Task RemoveLeftoversAsync(string bin, bool asRoot)
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), "qcdc-pg-*"))
        {
            var parts = Path.GetFileName(folder).Split('-');
            if (parts.Length < 3 || !int.TryParse(parts[2], out var pid) || Directory.Exists($"/proc/{pid}"))
                continue;
            try
            {
                if (File.Exists(Path.Combine(folder, "postmaster.pid")))
                    await new PostgresServer(bin, folder, 0, asRoot).PgAsync("pg_ctl", ["stop", "-m", "immediate", "-D", folder]);
            }
            catch (InvalidOperationException)
            {
                // Not running any more (a stale pid file), or another user's: the folder is removed if it can be.
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another user's leftover: not ours to remove.
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
