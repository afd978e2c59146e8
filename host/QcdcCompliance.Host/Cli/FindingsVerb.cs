using System.Text;
using System.Text.Json;
using QcdcCompliance.Findings;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Reports;

namespace QcdcCompliance.Host.Cli;

public static class FindingsVerb
{
    public static Command Create()
    {
        var period = new Option<string?>("--period") { Description = "Period code (may be left out with --run: it is the run's)" };
        var run = new Option<long?>("--run")
        {
            Description = "The findings as this run left them (its id, as evaluate and signoff list print it): those it opened, carried on and resolved",
            CustomParser = r => CliValues.WholeNumber(r, 1),
        };
        var target = new Option<string?>("--target") { Description = "Only this target (e.g. NQ02-6b)" };
        var area = new Option<string?>("--area") { Description = "Only findings on this area and the units and areas below it" };
        var state = new Option<FindingState?>("--state") { Description = "New, Persisting or Resolved", CustomParser = r => CliValues.OneOf<FindingState>(r) };
        var format = new Option<string>("--format") { Description = "table, csv or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var command = new Command("findings", "List the current findings of a period (or those a run left), sorted by target then subject code.") { period, run, target, area, state, format };
        command.Validators.Add(r =>
        {
            if (r.GetResult(period) is null && r.GetResult(run) is null)
                r.AddError("Option '--period' is required, unless --run names the run whose findings to list.");
        });
        command.SetServicesAction(async (parse, services, ct) =>
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<QcdcDbContext>>().CreateDbContextAsync(ct);
            var asOf = parse.GetValue(run);
            var code = asOf is { } id ? await RunPeriodAsync(db, id, parse.GetValue(period), ct) : parse.GetValue(period)!;
            // The API's query (GET /api/findings?run=): the rows the run wrote or kept, with the states it left them in.
            var filter = new FindingFilter(code) { Target = parse.GetValue(target), Area = parse.GetValue(area), State = parse.GetValue(state), Run = asOf };
            var query = await services.GetRequiredService<FindingQueries>().CurrentAsync(db, filter, ct);
            // Written a chunk at a time as read (FindingChunks), as the API's CSV is: a province's findings never held whole.
            var output = Console.Out;
            switch (parse.GetValue(format))
            {
                case "csv":
                {
                    await FindingChunks.WriteCsvAsync(db, query, text => output.WriteAsync(text, ct), ct, asOf);
                    break;
                }

                case "json":
                {
                    // One JSON array, each finding serialised as it is read: the same bytes as the whole list serialised at once.
                    var first = true;
                    await output.WriteAsync('[');
                    await foreach (var chunk in FindingChunks.ReadAsync(db, query, withEvidence: true, ct, asOf))
                    {
                        var text = new StringBuilder();
                        foreach (var f in chunk)
                        {
                            if (!first)
                                text.Append(',');
                            first = false;
                            using var evidence = JsonDocument.Parse(f.Evidence);
                            text.Append(JsonSerializer.Serialize(new
                            {
                                // Every key in camelCase, as jq reads them: .id and .period as .target.
                                id = f.Id, period = f.Period, target = f.TargetCode, subjectType = f.SubjectType.ToString(), subjectCode = f.SubjectCode, subjectName = f.SubjectName,
                                state = f.State.ToString(), outcome = FindingCsv.Outcome(f.Measurement.Outcome), measured = FindingCsv.Measured(f),
                                numerator = f.Measurement.Numerator, denominator = f.Measurement.Denominator, threshold = FindingCsv.Threshold(f),
                                @operator = Threshold.SymbolOf(f.Measurement.Operator), severity = f.Severity.ToString(), gap = f.Measurement.Gap,
                                resolution = f.Resolution?.ToString(), unitClosedOn = f.UnitClosedOn, evidence = evidence.RootElement,
                            }, FindingBuilder.Json));
                        }

                        await output.WriteAsync(text, ct);
                    }

                    await output.WriteLineAsync(']');
                    break;
                }

                default:
                {
                    var table = new TextTable("target", "type", "subject", "name", "state", "outcome", "measured", "num", "den", "threshold", "severity", "gap");
                    var count = 0;
                    await foreach (var chunk in FindingChunks.ReadAsync(db, query, withEvidence: false, ct, asOf))
                    {
                        foreach (var f in chunk)
                        {
                            table.Add(f.TargetCode, f.SubjectType, f.SubjectCode, f.SubjectName, FindingExplanation.State(f, vietnamese: false), FindingCsv.Outcome(f.Measurement.Outcome), FindingCsv.Measured(f),
                                f.Measurement.Numerator, f.Measurement.Denominator, $"{Threshold.SymbolOf(f.Measurement.Operator)} {FindingCsv.Threshold(f)}", f.Severity,
                                f.Measurement.Gap);
                            count++;
                        }
                    }

                    Console.Write(table);
                    Console.WriteLine($"{count} finding(s).");
                    break;
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>The period of the run asked for, refused as the API refuses it: unknown, of another period than the one given, or one that recorded nothing.</summary>
    private static async Task<string> RunPeriodAsync(QcdcDbContext db, long id, string? period, CancellationToken ct)
    {
        var run = await FindingQueries.RunAsOfAsync(db, id, ct)
                  ?? throw RunAsOf.Unknown(id);
        if ((run.NotOf(period, "--period") ?? run.RecordedNothing) is { } refused)
            throw refused;
        return run.Period;
    }
}
