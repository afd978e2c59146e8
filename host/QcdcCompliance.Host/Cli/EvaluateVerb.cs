using QcdcCompliance.Runs;

namespace QcdcCompliance.Host.Cli;

public static class EvaluateVerb
{
    public const int FindingsExitCode = 3;

    public static Command Create()
    {
        var period = new Option<string>("--period") { Description = "Period code: 2020, 2020S1, 2020S2", Required = true };
        var area = new Option<string?>("--area") { Description = "Evaluate the province of this area, and summarise this area (default: every province)" };
        var failOnFindings = new Option<bool>("--fail-on-findings")
        {
            Description = $"Exit {FindingsExitCode} when anything falls short: in the area asked with --area (its units and areas), else in any province",
        };
        var command = new Command("evaluate", "Evaluate the targets for a period, store the run and its findings, and print a summary per target.")
        {
            period, area, failOnFindings,
        };
        command.SetServicesAction(async (parse, services, ct) =>
        {
            // Each scope under the lock the evaluation job takes (EvaluationTurns): never beside a job or another evaluate of it.
            var turns = new EvaluationTurns(new QcdcCompliance.Jobs.ScopeLocks(services.GetRequiredService<StorageOptions>()));
            IReadOnlyList<ScopeEvaluation> evaluations;
            try
            {
                evaluations = await services.GetRequiredService<EvaluationService>().EvaluateAsync(parse.GetValue(period)!, parse.GetValue(area), RunTrigger.Manual, ct,
                    turns.TakeAsync);
            }
            catch (ScopeBusyException e)
            {
                Console.Error.WriteLine($"lỗi: {e.SentenceVi}");
                Console.Error.WriteLine($"error: {e.Message}");
                return QcdcCli.FailedExitCode;
            }

            // With --area the run is the province's; what is said of the area, and the exit code, are the area's own findings.
            var inArea = parse.GetValue(area) is { } code && evaluations.Count > 0
                ? await AreaFindings.CountAsync(services, evaluations[0].Period.Code, code, ct)
                : null;
            foreach (var evaluation in evaluations)
                Console.Write(Summary(evaluation, parse.GetValue(area), inArea));
            var open = inArea?.Open ?? evaluations.Sum(e => e.Run.FindingsOpen);
            return parse.GetValue(failOnFindings) && open > 0 ? FindingsExitCode : 0;
        });
        return command;
    }

    /// <summary>
    /// Per target: units in the population, met, short (those not reported included, as the API and the dashboard count
    /// them) and of them not reported, the share against the threshold (over the units that reported), for the area asked.
    /// </summary>
    public static string Summary(ScopeEvaluation evaluation, string? areaCode, AreaFindings? inArea = null)
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

            // A level the target is not judged at (a commune's share of NQ02-6b): its figures, no verdict, as no finding is made of it.
            var status = target.JudgedAt(row.AreaLevel) ? row.Status : AreaStatus.NotJudged;
            table.Add(target.Code, row.PopulationUnits, row.MetUnits, row.PopulationUnits - row.MetUnits, row.MissingUnits,
                row.Denominator > 0 ? Shares.Percent(row.Numerator, row.Denominator, target.Threshold, 2) + "%" : "",
                target.Threshold.ToString(),
                status switch { AreaStatus.Met => "met", AreaStatus.Short => "SHORT", AreaStatus.Incomplete => "INCOMPLETE", AreaStatus.NotJudged => "not judged here", _ => "n/a" });
        }

        var province = $"{run.UnitsEvaluated} units; {run.FindingsOpen} open findings ({run.NewCount} new, {run.PersistingCount} persisting), {run.ResolvedCount} resolved";
        // The run's counts are its province's: an area's line names them as such, and gives the area's own findings.
        var header = inArea is null || inArea.AreaId == evaluation.Scope.Id
            ? $"{areaName}; {province}"
            : $"{inArea.AreaCode} {inArea.AreaName}: {inArea.Open} open findings ({inArea.New} new, {inArea.Persisting} persisting), {inArea.Resolved} resolved; "
              + $"the run of the province {evaluation.Scope.Code} {evaluation.Scope.Name}: {province}";
        return $"""
            Run #{run.Id}: {evaluation.Period.Code}, {header}; rule set {run.RuleSetVersion[..12]}
            {table}

            """;
    }
}

/// <summary>The current findings of a period on an area and what lies below it, by state (as <c>qcdc findings --area</c> lists them).</summary>
public sealed record AreaFindings(int AreaId, string AreaCode, string AreaName, int New, int Persisting, int Resolved)
{
    public int Open => New + Persisting;

    public static async Task<AreaFindings> CountAsync(IServiceProvider services, string period, string area, CancellationToken ct)
    {
        var queries = services.GetRequiredService<Findings.FindingQueries>();
        await using var db = await services.GetRequiredService<IDbContextFactory<QcdcDbContext>>().CreateDbContextAsync(ct);
        async Task<int> Count(FindingState state) =>
            await (await queries.CurrentAsync(db, new Findings.FindingFilter(period) { Area = area, State = state }, ct)).CountAsync(ct);
        var asked = (await db.LoadAreaTreeAsync(ct)).Find(area) ?? throw new UnknownAreaException(area);
        return new AreaFindings(asked.Id, asked.Code, asked.Name, await Count(FindingState.New), await Count(FindingState.Persisting), await Count(FindingState.Resolved));
    }
}
