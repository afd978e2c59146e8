using System.Diagnostics;
using QcdcCompliance.Host.Settings;
using QcdcCompliance.Submissions;

namespace QcdcCompliance.Host.Cli;

/// <summary><c>qcdc template</c>: the file an area's reporting officers fill, one row per unit, one column per indicator.</summary>
public static class TemplateVerb
{
    public static Command Create()
    {
        var asked = new PeriodAreaOptions("Period code: 2020S1, 2020S2, 2020", "Area code: its units active in the period, one row each");
        var output = new Option<FileInfo?>("--out") { Description = "The file to write (default: qcdc-mau-PERIOD-AREA.xlsx in the current directory)" };
        var format = new Option<string>("--format") { Description = "xlsx (default: grey locked cells, có/không lists, a guide sheet) or csv", DefaultValueFactory = _ => "xlsx" };
        var command = new Command("template", "Write the reporting template of an area and period: the units, what each must report, the values already stored; fill it and import it with 'qcdc import values'.")
        {
            asked.Period, asked.Area, output, format,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (!TemplateWriter.TryParseFormat(parse.GetValue(format), out var kind))
                throw new CliException($"--format {parse.GetValue(format)}: write xlsx or csv");
            var outputPath = parse.GetValue(output) is { } named ? CliFiles.Output(named.FullName) : null;
            await using var services = CliServices.Create(parse);
            var watch = Stopwatch.StartNew();
            var (period, area) = asked.Read(parse);
            var template = await services.GetRequiredService<ReportingTemplates>().ForAreaAsync(period, area, ct);
            var path = outputPath ?? CliFiles.Output(template.FileName(TemplateWriter.Extension(kind)));
            await CliFiles.WriteAsync(path, file =>
            {
                TemplateWriter.Write(template, kind, file);
                return Task.CompletedTask;
            });
            Console.WriteLine($"{path}: {template.Rows.Count} unit(s) of {template.Area.Code} {template.Area.Name}, {template.Columns.Count} indicator(s) of {template.Period.Code} "
                              + $"({string.Join(' ', template.Columns.Select(c => c.Code))}); deadline {template.Period.Deadline:yyyy-MM-dd}; written in {watch.Elapsed.TotalSeconds:0.0} s");
            // The path as it is reached from here: the command can be pasted as it is.
            Console.WriteLine($"Fill it, then: qcdc import values {Path.GetRelativePath(Environment.CurrentDirectory, path)}");
            return 0;
        });
        return command;
    }
}
