using System.CommandLine;
using System.Diagnostics;
using QcdcCompliance.Demo;
using QcdcCompliance.Import;
using QcdcCompliance.Rules;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Host.Cli;

/// <summary>
/// The main job end to end on the embedded default: migrate the SQLite database, load the demo province through the
/// product's own import path, load the shipped target sets.
/// </summary>
public static class DemoVerb
{
    public const string Folder = "qcdc-demo";

    public static Command Create()
    {
        var command = new Command("demo", "Migrate the database, load the demo province (modelled on Hà Tĩnh) and the target sets.");
        command.SetAction(async (parse, ct) =>
        {
            var clock = Stopwatch.StartNew();
            await using var services = CliServices.Create(parse);
            var storage = services.GetRequiredService<StorageOptions>();
            await DatabaseMigrator.MigrateAsync(storage, ct);
            Console.WriteLine($"Database: {MigrateVerb.Describe(storage)}");

            var set = HaTinhDemo.Generate();
            var files = set.WriteCsv(Path.Combine(Folder, "data"));
            var imports = services.GetRequiredService<ImportService>();
            var context = new ImportContext("demo", services.GetRequiredService<TimeProvider>());
            foreach (var (kind, file) in new[] { ImportKind.Areas, ImportKind.Lineage, ImportKind.Units, ImportKind.Values }.Zip(files))
            {
                var step = Stopwatch.StartNew();
                var summary = await imports.ImportFileAsync(kind, file, context, ct);
                Console.WriteLine($"Imported {kind.ToString().ToLowerInvariant(),-7} {summary} ({step.Elapsed.TotalSeconds:0.0} s)");
            }

            foreach (var (name, content) in QcdcRules.TargetSets())
                Console.WriteLine($"Imported targets {await imports.ImportAsync(ImportKind.Targets, name, content, context, ct)}");

            Console.WriteLine($"Demo data ({set.Units.Count} units, {set.Values.Count} values) is in {Path.GetFullPath(Path.Combine(Folder, "data"))}; loaded in {clock.Elapsed.TotalSeconds:0.0} s.");
            return 0;
        });
        return command;
    }
}
