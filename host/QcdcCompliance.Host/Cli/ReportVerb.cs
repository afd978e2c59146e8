using QcdcCompliance.Reports;

namespace QcdcCompliance.Host.Cli;

public static class ReportVerb
{
    public static Command Create()
    {
        var asked = new PeriodAreaOptions("Period code: 2020S1 (sơ kết), 2020 (tổng kết)", "Area code: the province, a district or a commune");
        var format = new Option<string>("--format") { Description = "docx, xlsx or html", DefaultValueFactory = _ => "docx" };
        format.AcceptOnlyFromAmong("docx", "xlsx", "html");
        var output = new Option<string?>("--out") { Description = "File to write (default: bao-cao-qcdc-AREA-PERIOD.FORMAT in the working folder)" };
        var language = new Option<string>("--lang") { Description = "vi (default) or en", DefaultValueFactory = _ => "vi" };
        language.AcceptOnlyFromAmong("vi", "en");
        var proposed = new Option<FileInfo?>("--whatif-targets")
        {
            Description = "A proposed target set (JSON, as qcdc import targets takes; next year's in a tổng kết): append what it would have meant for this period (a what-if; nothing stored)",
        };
        var command = new Command("report", "Write the review report (sơ kết / tổng kết) of a period for an area, from the latest evaluation.")
        {
            asked.Period, asked.Area, format, output, language, proposed,
        };
        command.SetAction(async (parse, ct) =>
        {
            var targets = parse.GetValue(proposed);
            var outputPath = parse.GetValue(output) is { } named ? CliFiles.Output(named) : null;
            if (targets is not null)
                CliFiles.Input(targets, "--whatif-targets");
            await using var services = CliServices.Create(parse);
            ReviewReports.TryParseFormat(parse.GetValue(format), out var kind);
            var proposal = targets is null ? null : new ReportProposal(targets.Name, await File.ReadAllBytesAsync(targets.FullName, ct), CliServices.Operator);
            var (period, area) = asked.Read(parse);
            var file = await services.GetRequiredService<ReviewReports>().WriteAsync(period, area, kind,
                ReviewReports.ParseLanguage(parse.GetValue(language)), ct, proposal);
            var path = outputPath ?? CliFiles.Output(file.FileName);
            await CliFiles.WriteAsync(path, stream => stream.WriteAsync(file.Content, ct).AsTask());
            Console.WriteLine($"Wrote {path} ({file.Content.Length / 1024.0:0.0} KB).");
            return 0;
        });
        return command;
    }
}
