using System.Text.Json;
using QcdcCompliance.Findings;

namespace QcdcCompliance.Host.Cli;

public static class FindingsVerb
{
    public static Command Create()
    {
        var period = new Option<string>("--period") { Description = "Period code", Required = true };
        var target = new Option<string?>("--target") { Description = "Only this target (e.g. NQ02-6b)" };
        var area = new Option<string?>("--area") { Description = "Only findings on this area and the units and areas below it" };
        var state = new Option<FindingState?>("--state") { Description = "New, Persisting or Resolved" };
        var format = new Option<string>("--format") { Description = "table, csv or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var command = new Command("findings", "List the current findings of a period, sorted by target then subject code.") { period, target, area, state, format };
        command.SetServicesAction(async (parse, services, ct) =>
        {
            var findings = await services.GetRequiredService<FindingQueries>().ListAsync(new FindingFilter(parse.GetValue(period)!)
            {
                Target = parse.GetValue(target),
                Area = parse.GetValue(area),
                State = parse.GetValue(state),
            }, ct);
            switch (parse.GetValue(format))
            {
                case "csv":
                    Console.Out.Write(FindingCsv.Write(findings));
                    break;
                case "json":
                    Console.Out.WriteLine(JsonSerializer.Serialize(findings.Select(f => new
                    {
                        f.Id, f.Period, target = f.TargetCode, subjectType = f.SubjectType.ToString(), subjectCode = f.SubjectCode, subjectName = f.SubjectName,
                        state = f.State.ToString(), outcome = FindingCsv.Outcome(f.Measurement.Outcome), measured = FindingCsv.Measured(f),
                        f.Measurement.Numerator, f.Measurement.Denominator, threshold = FindingCsv.Threshold(f),
                        @operator = Threshold.SymbolOf(f.Measurement.Operator), severity = f.Severity.ToString(), gap = f.Measurement.Gap, evidence = JsonDocument.Parse(f.Evidence).RootElement,
                    }), FindingBuilder.Json));
                    break;
                default:
                    var table = new TextTable("target", "type", "subject", "name", "state", "outcome", "measured", "num", "den", "threshold", "severity", "gap");
                    foreach (var f in findings)
                    {
                        table.Add(f.TargetCode, f.SubjectType, f.SubjectCode, f.SubjectName, f.State, FindingCsv.Outcome(f.Measurement.Outcome), FindingCsv.Measured(f),
                            f.Measurement.Numerator, f.Measurement.Denominator, $"{Threshold.SymbolOf(f.Measurement.Operator)} {FindingCsv.Threshold(f)}", f.Severity, f.Measurement.Gap);
                    }

                    Console.Write(table);
                    Console.WriteLine($"{findings.Count} finding(s).");
                    break;
            }

            return 0;
        });
        return command;
    }
}
