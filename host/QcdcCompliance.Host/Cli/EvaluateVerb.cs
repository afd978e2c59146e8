using QcdcCompliance.Runs;

namespace QcdcCompliance.Host.Cli;

public static class EvaluateVerb
{
    public const int FindingsExitCode = 3;

    public static Command Create()
    {
        var period = new Option<string>("--period") { Description = "Period code: 2020, 2020S1, 2020S2", Required = true };
        var area = new Option<string?>("--area") { Description = "Evaluate the province of this area, and summarise this area (default: every province)" };
        var failOnFindings = new Option<bool>("--fail-on-findings") { Description = $"Exit {FindingsExitCode} when anything falls short" };
        var command = new Command("evaluate", "Evaluate the targets for a period, store the run and its findings, and print a summary per target.")
        {
            period, area, failOnFindings,
        };
        command.SetServicesAction(async (parse, services, ct) =>
        {
            var evaluations = await services.GetRequiredService<EvaluationService>().EvaluateAsync(parse.GetValue(period)!, parse.GetValue(area), RunTrigger.Manual, ct);
            foreach (var evaluation in evaluations)
                Console.Write(Summary(evaluation, parse.GetValue(area)));
            var open = evaluations.Sum(e => e.Run.FindingsOpen);
            return parse.GetValue(failOnFindings) && open > 0 ? FindingsExitCode : 0;
        });
        return command;
    }

    /// <summary>
    /// Per target: units in the population, met, short (those not reported included, as the API and the dashboard count
    /// them) and of them not reported, the share against the threshold (over the units that reported), for the area asked.
    /// </summary>
    public static string Summary(ScopeEvaluation evaluation, string? areaCode)
    {
        var run = evaluation.Run;
        var area = evaluation.Areas.FirstOrDefault(a => string.Equals(a.AreaCode, areaCode, StringComparison.OrdinalIgnoreCase));
        var areaId = area?.AreaId ?? evaluation.Scope.Id;
        var areaName = area is null ? $"{evaluation.Scope.Code} {evaluation.Scope.Name}" : $"{area.AreaCode} {area.AreaName}";
        var table = new TextTable("target", "population", "met", "short", "not reported", "share", "threshold", "status");
        foreach (var target in evaluation.Targets)
        {
            var row = evaluation.Areas.FirstOrDefault(a => a.TargetCode == target.Code && a.AreaId == areaId);
            if (row is null)
            {
                table.Add(target.Code, 0, 0, 0, 0, "", target.Threshold.ToString(), "n/a");
                continue;
            }

            table.Add(target.Code, row.PopulationUnits, row.MetUnits, row.PopulationUnits - row.MetUnits, row.MissingUnits,
                row.Denominator > 0 ? Shares.Percent(row.Numerator, row.Denominator, 2) + "%" : "",
                target.Threshold.ToString(), row.Status switch { AreaStatus.Met => "met", AreaStatus.Short => "SHORT", AreaStatus.Incomplete => "INCOMPLETE", _ => "n/a" });
        }

        return $"""
            Run #{run.Id}: {evaluation.Period.Code}, {areaName}; {run.UnitsEvaluated} units; {run.FindingsOpen} open findings ({run.NewCount} new, {run.PersistingCount} persisting), {run.ResolvedCount} resolved; rule set {run.RuleSetVersion[..12]}
            {table}

            """;
    }
}
