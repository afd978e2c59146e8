using QcdcCompliance.Demo;

namespace QcdcCompliance.Host.Cli;

public static class DemoDataVerb
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write areas.csv, lineage.csv, units.csv and values.csv to", Required = true };
        var command = new Command("demo-data", "Write the demo province (modelled on Hà Tĩnh, fixed seed) as the CSV files the imports read.") { output };
        command.SetAction(parse =>
        {
            var set = HaTinhDemo.Generate();
            var folder = CliFiles.OutputFolder(parse.GetValue(output)!);
            IReadOnlyList<string> files;
            try
            {
                files = set.WriteCsv(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new Settings.CliException($"cannot write the demo files into {folder}: {e.Message}");
            }

            foreach (var file in files)
                Console.WriteLine(file);
            Console.WriteLine($"{set.Areas.Count} area rows, {set.Units.Count} units, {set.Values.Count} values.");
            return 0;
        });
        return command;
    }
}
