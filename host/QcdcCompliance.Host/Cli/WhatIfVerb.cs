using System.Text.Json;
using QcdcCompliance.Decisions;
using QcdcCompliance.Reports;

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
        // The set, the targets added and dropped and a proposal not in force named in words, in Vietnamese then English, as
        // explain says a finding and the what-if page and the report's appendix word them (ReportWording); codes stay in the table.
        var (vi, en) = (ReportWording.Vietnamese, ReportWording.English);
        var words = new List<string>();
        if (vi.AsIfInForce(result, vi.PeriodName(result.Period)) is { } asIfVi)
            words.AddRange([asIfVi, en.AsIfInForce(result, en.PeriodName(result.Period))!]);
        foreach (var a in result.Added)
            words.AddRange([vi.TargetAdded(result, a), en.TargetAdded(result, a)]);
        foreach (var d in result.Dropped)
            words.AddRange([vi.TargetDropped(result, d), en.TargetDropped(result, d)]);
        var where = result.Area ?? string.Join(", ", result.Provinces);
        return $"""
            Thử bộ chỉ tiêu theo {result.SetName} ({result.Set}, phạm vi {result.SetScope}) trên số liệu {vi.PeriodName(result.Period)}, {where}: chỉ tiêu {string.Join(", ", result.Targets)}
            What-if of the target set of {result.SetName} ({result.Set}, scope {result.SetScope}) on {en.PeriodName(result.Period)}, {where}: targets {string.Join(", ", result.Targets)}
            {string.Concat(words.Select(w => w + "\n"))}{table}
            {result.Rows.Count} row(s); {result.Changed} would change:
            {changes}
            Không có gì được lưu. Nothing was stored.

            """;
    }
}
