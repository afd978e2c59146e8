using QcdcCompliance.Host.Jobs;
using QcdcCompliance.Host.Settings;
using QcdcCompliance.Import;

namespace QcdcCompliance.Host.Cli;

public static class ImportVerb
{
    public static Command Create()
    {
        var command = new Command("import", "Import a file, all or nothing: a bad file is refused with every problem listed and nothing stored.");
        var noEvaluate = new Option<bool>("--no-evaluate")
        {
            Description = "Do not evaluate the scopes whose values changed (by default: queued for qcdc serve on PostgreSQL/SQL Server, evaluated here on SQLite)",
            Recursive = true,
        };
        command.Options.Add(noEvaluate);
        foreach (var (kind, help) in new (ImportKind, string)[]
                 {
                     (ImportKind.Areas, "code,name,level,parent_code,valid_from,valid_to"),
                     (ImportKind.Lineage, "predecessor_code,successor_code,effective_from (merged areas)"),
                     (ImportKind.Units, "code,name,kind,area_code,has_trade_union,headcount,contact_email,active_from,active_to[,changed_on] (a change of area, kind or union from changed_on, by default today)"),
                     (ImportKind.Values, "unit_code,period,indicator,value,comment"),
                     (ImportKind.Targets, "a target set as JSON (see rules/QcdcCompliance.Rules/TargetSets)"),
                 })
        {
            var file = new Argument<FileInfo>("file") { Description = "CSV (UTF-8), XLSX or JSON file" };
            var sub = new Command(kind.ToString().ToLowerInvariant(), $"Import {kind.ToString().ToLowerInvariant()}: {help}") { file };
            var scope = new Option<string?>("--scope")
            {
                Description = "The area the target set binds, instead of the file's own \"scope\" (a province adopting a shipped set): an area code, or national",
            };
            if (kind == ImportKind.Targets)
                sub.Options.Add(scope);
            sub.SetAction(async (parse, ct) =>
            {
                // A file that is not there is the import's own refusal (exit 1, as every problem of the file); a folder is a mistake in the command.
                if (Directory.Exists(parse.GetValue(file)!.FullName))
                    throw new CliException($"{parse.GetValue(file)!.FullName} is a folder; give the file to import");
                await using var services = CliServices.Create(parse);
                var imports = services.GetRequiredService<ImportService>();
                var context = new ImportContext(CliServices.Operator, services.GetRequiredService<TimeProvider>())
                {
                    Scope = kind == ImportKind.Targets ? parse.GetValue(scope) : null,
                };
                var summary = await imports.ImportFileAsync(kind, parse.GetValue(file)!.FullName, context, ct);
                Console.WriteLine(summary);
                var settings = CliServices.Configuration(parse);
                var scheduler = parse.GetValue(noEvaluate) ? null : CliJobs.Scheduler(services, settings);
                foreach (var (period, touched) in summary.TouchedScopes)
                {
                    // A year is listed when a value of its halves changed: it reads them (a count summed, a state as its S2 value).
                    var halves = summary.TouchedScopes.Where(s => s.Scope == touched && s.Period.Length > period.Length && s.Period.StartsWith(period + "S", StringComparison.Ordinal))
                        .Select(s => s.Period).ToList();
                    var scope = halves.Count == 0 ? touched : $"{touched} (the year reads {string.Join(" and ", halves)})";
                    if (scheduler is null)
                    {
                        Console.WriteLine($"  changed: {period} in {scope} (evaluate with: qcdc evaluate --period {period} --area {touched})");
                        continue;
                    }

                    var calendar = services.GetRequiredService<PeriodCalendar>();
                    if (!calendar.Create(period).HasEnded(services.GetRequiredService<TimeProvider>()))
                    {
                        Console.WriteLine($"  changed: {period} in {scope}: not evaluated, the period has not ended (the schedule evaluates it once it is over)");
                        continue;
                    }

                    // Each scope's evaluation in this process starts from a heap given back to the system: after the import and
                    // a first evaluation, a province's second (its 2020S1 after its 2020) peaked 250 MB above the same
                    // evaluation alone.
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    var id = await scheduler.EnqueueAsync(period, touched, RunTrigger.Import, ct);
                    Console.WriteLine(JobStorages.IsShared(QcdcConfiguration.Storage(settings))
                        ? $"  changed: {period} in {scope}: evaluation queued as job {id} for qcdc serve"
                        : $"  changed: {period} in {scope}: evaluated, {id}");
                }

                return 0;
            });
            command.Subcommands.Add(sub);
        }

        return command;
    }
}
