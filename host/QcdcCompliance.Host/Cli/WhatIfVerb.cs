using System.Text.Json;
using QcdcCompliance.Decisions;

namespace QcdcCompliance.Host.Cli;

/// <summary><c>qcdc whatif</c>: what a proposed target set would have meant for a period's stored data; stores nothing.</summary>
public static class WhatIfVerb
{
    public static Command Create()
    {
        var period = new Option<string>("--period") { Description = "Period code whose stored data to evaluate: 2020, 2020S1, 2020S2", Required = true };
        var targets = new Option<FileInfo>("--targets") { Description = "The proposed target set, as JSON (the format of qcdc import targets)", Required = true };
        var area = new Option<string?>("--area") { Description = "Only this area and what lies below it (default: every province)" };
        var scope = new Option<string?>("--scope") { Description = "The area the set binds instead of its own \"scope\" (as qcdc import targets --scope)" };
        var format = new Option<string>("--format") { Description = "table, csv or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var command = new Command("whatif",
            "Evaluate a proposed target set on the stored data of a period with the same rules and engine, and compare each target and subject with the stored evaluation. Stores nothing.")
        {
            period, targets, area, scope, format,
        };
        command.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(targets)!;
            CliFiles.Input(file, "--targets");
            await using var services = CliServices.Create(parse);
            var result = await services.GetRequiredService<WhatIfService>().EvaluateAsync(
                new WhatIfRequest(parse.GetValue(period)!, file.Name, await File.ReadAllBytesAsync(file.FullName, ct), parse.GetValue(area), CliServices.Operator)
                {
                    Scope = parse.GetValue(scope),
                }, ct);
            Console.Out.Write(parse.GetValue(format) switch
            {
                "csv" => WhatIfCsv.Write(result),
                "json" => JsonSerializer.Serialize(Api.WhatIfJson.Of(result), Api.WhatIfJson.Options) + "\n",
                _ => Table(result),
            });
            return 0;
        });
        return command;
    }

    public static string Table(WhatIfResult result)
    {
        var table = new TextTable("target", "type", "subject", "name", "now", "proposed", "share now", "share proposed", "test proposed", "gap proposed");
        foreach (var r in result.Rows)
        {
            table.Add(r.Target, r.SubjectType, r.SubjectCode, r.SubjectName, Standings.Text(r.Now), Standings.Text(r.Proposed), r.NowFigures?.Share,
                r.ProposedFigures?.Share, r.ProposedFigures?.Test, r.ProposedFigures?.Gap);
        }

        var changes = result.Changes.Count == 0
            ? "Nothing would change."
            : string.Join("\n", result.Changes.Select(c => $"  {c.SubjectType} {Standings.Text(c.Now)} -> {Standings.Text(c.Proposed)}: {c.Count}"));
        var asIf = result.AppliedAsIfInForce is { } v
            ? $"{result.Set} is not in force in {result.Period} ({Validity(v)}): applied as if it were, each target by its first setting after the period.\n"
              + string.Concat(v.NeverInForce.Select(n => $"Set aside: the setting of {n.Target} until {n.To:yyyy-MM-dd} ends before it starts ({n.From:yyyy-MM-dd}), so it is never in force.\n"))
            : "";
        var moves = string.Concat(result.Added.Select(a => $"Target added: {a.Target}, {a.Subjects} result(s) now judged (not counted as changes).\n"))
                    + string.Concat(result.Dropped.Select(d => $"Target dropped: {d.Target}, {d.Subjects} result(s) no longer judged (only those falling short count as changes).\n"));
        return $"""
            What-if of {result.Set} (scope {result.SetScope}) on {result.Period}, {result.Area ?? string.Join(", ", result.Provinces)}: targets {string.Join(", ", result.Targets)}
            {asIf}{table}
            {result.Rows.Count} row(s); {result.Changed} would change:
            {changes}
            {moves}Nothing was stored.

            """;
    }

    private static string Validity(ProposalValidity v) => (v.From, v.To) switch
    {
        ({ } from, { } to) => $"in force from {from:yyyy-MM-dd} to {to:yyyy-MM-dd}",
        ({ } from, null) => $"in force from {from:yyyy-MM-dd}",
        (null, { } to) => $"in force until {to:yyyy-MM-dd}",
        _ => "its targets' settings are dated outside it",
    };
}
