using System.CommandLine;
using System.Diagnostics;

namespace QcdcCompliance.Host.Cli;

/// <summary>
/// <c>qcdc bench</c>: runs the benchmark program (tests/QcdcCompliance.Benchmarks) in Release. Its LINQ and RulesEngine
/// baselines live only there, never in the product, so the verb starts it from the source tree it was built from.
/// </summary>
public static class BenchVerb
{
    public static Command Create()
    {
        var units = new Option<int>("--units") { Description = "Units in the generated country (34 provinces)", DefaultValueFactory = _ => 100_000 };
        var provider = new Option<string>("--provider") { Description = "sqlite, postgres or all", DefaultValueFactory = _ => "all" };
        var changes = new Option<int>("--changes") { Description = "Values changed one at a time for the incremental figures", DefaultValueFactory = _ => 100 };
        var peerUnits = new Option<int?>("--peer-units") { Description = "Units for the RulesEngine comparison (default: all)" };
        var output = new Option<string?>("--out") { Description = "JSON file for the figures (default bench-<units>.json)" };
        var endToEndOnly = new Option<bool>("--e2e-only") { Description = "Only the database phases (end to end, incremental, import), not the in-memory engine and peer" };
        var seed = new Option<string?>("--sqlite-seed") { Description = "A SQLite file of the imported country: reused when it exists, written after the set-up when not" };
        var command = new Command("bench", "Measure the engine at national scale against its baselines; prints a table and writes JSON.")
        {
            units, provider, changes, peerUnits, output, endToEndOnly, seed,
        };
        command.SetAction(async (parse, ct) =>
        {
            var project = FindBenchmarks() ?? throw new Settings.CliException(
                "the benchmark runs from the source tree: run it from a clone, e.g. dotnet run --project host/QcdcCompliance.Host -- bench");
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
            foreach (var arg in new[] { "run", "-c", "Release", "--project", project, "--", "--units", parse.GetValue(units).ToString(System.Globalization.CultureInfo.InvariantCulture),
                         "--provider", parse.GetValue(provider)!, "--changes", parse.GetValue(changes).ToString(System.Globalization.CultureInfo.InvariantCulture) })
                start.ArgumentList.Add(arg);
            if (parse.GetValue(peerUnits) is { } peer)
            {
                start.ArgumentList.Add("--peer-units");
                start.ArgumentList.Add(peer.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            if (parse.GetValue(output) is { } file)
            {
                start.ArgumentList.Add("--out");
                start.ArgumentList.Add(Path.GetFullPath(file));
            }

            if (parse.GetValue(endToEndOnly))
                start.ArgumentList.Add("--e2e-only");
            if (parse.GetValue(seed) is { } seedFile)
            {
                start.ArgumentList.Add("--sqlite-seed");
                start.ArgumentList.Add(Path.GetFullPath(seedFile));
            }

            using var process = Process.Start(start)!;
            await process.WaitForExitAsync(ct);
            return process.ExitCode;
        });
        return command;
    }

    /// <summary>The benchmark project of the clone this program runs from (or the working folder's).</summary>
    private static string? FindBenchmarks()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var project = Path.Combine(folder.FullName, "tests", "QcdcCompliance.Benchmarks", "QcdcCompliance.Benchmarks.csproj");
                if (File.Exists(project))
                    return project;
            }
        }

        return null;
    }
}
