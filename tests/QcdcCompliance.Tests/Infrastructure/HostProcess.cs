using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using QcdcCompliance.Host.Security;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Tests.Infrastructure;

/// <summary>
/// The <c>qcdc</c> program as a separate process (the host built beside the tests, run with <c>dotnet qcdc.dll</c>), for
/// what only a process shows: a host killed with SIGKILL and restarted, two hosts on one database. Its output is kept
/// for the test's messages; disposing it kills it.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private HostProcess(Process process, ConcurrentQueue<string> output, Uri address)
    {
        _process = process;
        _output = output;
        Address = address;
    }

    public Uri Address { get; }
    public int Pid => _process.Id;
    public string Output => string.Join("\n", _output);

    /// <summary>Runs a verb to its end (e.g. <c>keys create ...</c>); its standard output. Throws on a non-zero exit.</summary>
    public static async Task<string> RunAsync(StorageOptions storage, params string[] args)
    {
        var run = await RunToExitAsync(storage, args);
        if (run.ExitCode != 0)
            throw new InvalidOperationException($"qcdc {string.Join(' ', args)} exited {run.ExitCode}: {run.Output}{run.Error}");
        return run.Output;
    }

    /// <summary>Runs a verb to its end, whatever its exit code: for a verb expected to refuse, what it exited with and wrote where.</summary>
    public static Task<CliRun> RunToExitAsync(StorageOptions storage, params string[] args) => RunToExitAsync(storage, new Dictionary<string, string>(), args);

    /// <summary>The same with environment variables set (<c>Logging__LogLevel__Default</c>: the program's own log levels, not the tests' quieter ones).</summary>
    public static async Task<CliRun> RunToExitAsync(StorageOptions storage, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var error = new ConcurrentQueue<string>();
        using var process = Start(storage, args, error, TestFolders.NewFolder("cli"), redirectError: false, environment);
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliRun(process.ExitCode, stdout.Trim(), string.Join("\n", error).Trim());
    }

    /// <summary>
    /// Runs a verb and asks it to stop (SIGTERM, as Ctrl+C or a service manager does) once <paramref name="stopWhen"/>
    /// completes; then waits for its end, whatever its exit code.
    /// </summary>
    public static async Task<CliRun> RunAndStopAsync(StorageOptions storage, IReadOnlyDictionary<string, string> environment, Task stopWhen, params string[] args)
    {
        var error = new ConcurrentQueue<string>();
        using var process = Start(storage, args, error, TestFolders.NewFolder("cli"), redirectError: false, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        await stopWhen.WaitAsync(TimeSpan.FromMinutes(1));
        if (Kill(process.Id, SigTerm) != 0)
            throw new InvalidOperationException($"could not signal process {process.Id}: errno {Marshal.GetLastPInvokeError()}");
        await process.WaitForExitAsync();
        return new CliRun(process.ExitCode, (await stdout).Trim(), string.Join("\n", error).Trim());
    }

    private const int SigTerm = 15;

    /// <summary>Starts <c>qcdc serve</c> on a free loopback port and waits until <c>/health</c> answers.</summary>
    public static async Task<HostProcess> ServeAsync(StorageOptions storage, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var output = new ConcurrentQueue<string>();
        var process = Start(storage, ["serve", "--urls", $"http://127.0.0.1:{port}"], output, TestFolders.NewFolder("serve"), redirectError: true, environment);
        var host = new HostProcess(process, output, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"qcdc serve exited {process.ExitCode}: {host.Output}");
            try
            {
                if ((await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK)
                    return host;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                await host.DisposeAsync();
                throw new TimeoutException($"qcdc serve did not answer /health within 90 s: {host.Output}");
            }

            await Task.Delay(100);
        }
    }

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, key);
        // The API's problems in the words the endpoints write them (see TestWebHost.Client).
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        return client;
    }

    /// <summary>
    /// SIGSTOP: the process stops where it is, sending nothing more (no COMMIT), until it is killed. Lets a test check
    /// what the process left open at the very moment it strikes, then kill it.
    /// </summary>
    public void Freeze()
    {
        if (Kill(_process.Id, SigStop) != 0)
            throw new InvalidOperationException($"could not stop process {_process.Id}: errno {Marshal.GetLastPInvokeError()}");
    }

    private const int SigStop = 19;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>SIGKILL, as the kernel's OOM killer or a pulled plug would: no shutdown code runs. Waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private static Process Start(StorageOptions storage, string[] args, ConcurrentQueue<string> output, string workingFolder, bool redirectError,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingFolder,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "qcdc.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.ArgumentList.Add("--provider");
        start.ArgumentList.Add(storage.Provider.ToString());
        start.ArgumentList.Add("--db");
        start.ArgumentList.Add(storage.Database!);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet qcdc.dll");
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.BeginErrorReadLine();
        if (redirectError)
        {
            process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
            process.BeginOutputReadLine();
        }

        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A verb run to its end: its exit code, standard output and standard error.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error);
