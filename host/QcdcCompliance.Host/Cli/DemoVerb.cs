using System.Diagnostics;
using System.Globalization;
using QcdcCompliance.Alerts;
using QcdcCompliance.Demo;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Rules;
using QcdcCompliance.Runs;

namespace QcdcCompliance.Host.Cli;

/// <summary>
/// The main job end to end on the embedded default: migrate the SQLite database, load the demo province through the
/// product's own import path and the shipped target sets, evaluate every period of the demo, and show where the
/// province stands in the latest half-year. The alerts the runs queued are delivered to the pickup folder, never by
/// SMTP: the demo's addresses are made up.
/// </summary>
public static class DemoVerb
{
    public const string Folder = "qcdc-demo";

    public static Command Create()
    {
        var command = new Command("demo", "Migrate the database, load the demo province (modelled on Hà Tĩnh) and the target sets, evaluate every period, print the results.");
        command.SetAction(async (parse, ct) =>
        {
            var clock = Stopwatch.StartNew();
            await using var services = CliServices.Create(parse, readsExistingDatabase: false);
            var storage = services.GetRequiredService<StorageOptions>();
            await DatabaseMigrator.MigrateAsync(storage, ct);

            var set = HaTinhDemo.Generate();
            var files = set.WriteCsv(Path.Combine(Folder, "data"));
            var imports = services.GetRequiredService<ImportService>();
            var context = new ImportContext("demo", services.GetRequiredService<TimeProvider>());
            foreach (var (kind, file) in new[] { ImportKind.Areas, ImportKind.Lineage, ImportKind.Units }.Zip(files))
            {
                var step = Stopwatch.StartNew();
                var summary = await imports.ImportFileAsync(kind, file, context, ct);
                Console.WriteLine($"Imported {kind.ToString().ToLowerInvariant(),-7} {summary} ({step.Elapsed.TotalSeconds:0.0} s)");
            }

            // Each period's values as the province received them, stamped before (or, for a few units, after) its deadline.
            foreach (var submission in DemoSubmissions.Of(set, services.GetRequiredService<PeriodCalendar>()))
            {
                var step = Stopwatch.StartNew();
                var file = Path.Combine(Folder, "data", submission.FileName);
                await File.WriteAllBytesAsync(file, submission.Csv(), ct);
                var summary = await imports.ImportFileAsync(ImportKind.Values, file, context with { Clock = new DemoSubmissions.At(submission.At) }, ct);
                Console.WriteLine($"Imported values  {summary}, sent {submission.At:dd/MM/yyyy}{(submission.Late ? " (after the deadline)" : "")} ({step.Elapsed.TotalSeconds:0.0} s)");
            }

            foreach (var (name, content) in QcdcRules.TargetSets())
                Console.WriteLine($"Imported targets {await imports.ImportAsync(ImportKind.Targets, name, content, context, ct)}");

            Console.WriteLine($"Demo data ({set.Units.Count} units, {set.Values.Count} values) loaded in {clock.Elapsed.TotalSeconds:0.0} s.");
            Console.WriteLine(Reform(set));
            Console.WriteLine();

            var evaluations = services.GetRequiredService<EvaluationService>();
            ScopeEvaluation? latest = null;
            foreach (var period in HaTinhDemo.Periods)
            {
                var step = Stopwatch.StartNew();
                var run = (await evaluations.EvaluateAsync(period, HaTinhDemo.ProvinceCode, RunTrigger.Demo, ct)).Single();
                Console.WriteLine($"Evaluated {period,-6}: run #{run.Run.Id}, {run.Run.UnitsEvaluated} units, {run.Run.FindingsOpen} open findings "
                    + $"({run.Run.NewCount} new, {run.Run.PersistingCount} persisting, {run.Run.ResolvedCount} resolved) in {step.Elapsed.TotalSeconds:0.0} s");
                if (period.Contains('S', StringComparison.Ordinal))
                    latest = run;
            }

            Console.WriteLine();
            Console.Write(EvaluateVerb.Summary(latest!, null));
            Console.Write(DistrictTable(latest!));
            Console.Write(await SeedFiguresAsync(services, ct));
            var findings = await services.GetRequiredService<FindingQueries>().ListAsync(new FindingFilter(latest!.Period.Code), ct);
            var units = findings.Where(f => f.SubjectType == SubjectType.Unit).ToList();
            Console.WriteLine($"Flagged units in {latest.Period.Code}: first 20 of {units.Count} (all findings: {findings.Count})");
            var flagged = new TextTable("target", "unit", "name", "measured", "threshold", "state");
            foreach (var f in units.Take(20))
                flagged.Add(f.TargetCode, f.SubjectCode, f.SubjectName, FindingCsv.Measured(f) is { Length: > 0 } m ? m : "not reported", $"{Threshold.SymbolOf(f.Measurement.Operator)} {FindingCsv.Threshold(f)}", f.State);
            Console.Write(flagged);

            var exports = Path.GetFullPath(Folder);
            foreach (var period in HaTinhDemo.Periods)
            {
                var all = await services.GetRequiredService<FindingQueries>().ListAsync(new FindingFilter(period), ct);
                await File.WriteAllTextAsync(Path.Combine(exports, $"findings-{period}.csv"), FindingCsv.Write(all), ct);
            }

            var (sent, mail) = await DeliverToPickupAsync(services, ct);

            Console.WriteLine();
            Console.WriteLine($"Database:        {MigrateVerb.Describe(storage)}");
            Console.WriteLine($"Imported CSVs:   {Path.Combine(exports, "data")}");
            Console.WriteLine($"Findings CSVs:   {exports}/findings-<period>.csv");
            Console.WriteLine($"Alert e-mails:   {mail} ({sent} written now; {Describe(mail)})");
            // Two commands, one a line: a '|' between them would read as a shell pipe when pasted.
            Console.WriteLine($"Next: qcdc findings --period {latest.Period.Code} --target NQ02-1");
            Console.WriteLine($"      qcdc explain --period {latest.Period.Code} --target {units.FirstOrDefault()?.TargetCode ?? "NQ02-1"} --subject {units.FirstOrDefault()?.SubjectCode ?? "HT"}");
            return 0;
        });
        return command;
    }

    /// <summary>Delivers the whole outbox as .eml files to the pickup folder of the settings.</summary>
    private static async Task<(int Sent, string Folder)> DeliverToPickupAsync(ServiceProvider services, CancellationToken ct)
    {
        var options = services.GetRequiredService<AlertOptions>();
        var pickup = new PickupFolderTransport(Path.GetFullPath(options.PickupFolder));
        var delivery = new OutboxDelivery(services.GetRequiredService<IDbContextFactory<QcdcDbContext>>(), pickup, options,
            services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<OutboxDelivery>>());
        var sent = 0;
        while (true)
        {
            var round = await delivery.DeliverDueAsync(ct);
            sent += round.Sent;
            if (round.Sent == 0 || round.Failed > 0)
                return (sent, pickup.Destination);
        }
    }

    /// <summary>"612 messages: 598 unit alerts, 14 committee digests" from the files' names.</summary>
    private static string Describe(string folder)
    {
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml") : [];
        var byKind = Enum.GetValues<MessageKind>()
            .Select(k => (Kind: k, Count: files.Count(f => Path.GetFileName(f).Contains($"-{k}-", StringComparison.Ordinal))))
            .Where(x => x.Count > 0)
            .Select(x => $"{x.Count} {x.Kind}");
        return $"{files.Length} .eml files in the folder: {string.Join(", ", byKind)}";
    }

    /// <summary>The share of each target per district (and the province), a star where it falls short.</summary>
    private static string DistrictTable(ScopeEvaluation evaluation)
    {
        var targets = evaluation.Areas.Select(a => a.TargetCode).Distinct().Order(StringComparer.Ordinal).ToList();
        var table = new TextTable(["area", .. targets]);
        var areas = evaluation.Areas.Where(a => a.AreaLevel is AreaLevel.District or AreaLevel.Province)
            .GroupBy(a => (a.AreaId, a.AreaCode, a.AreaName, a.AreaLevel))
            .OrderBy(g => g.Key.AreaLevel).ThenBy(g => g.Key.AreaCode, StringComparer.Ordinal);
        foreach (var area in areas)
        {
            var cells = targets.Select(t => area.FirstOrDefault(a => a.TargetCode == t) is { Denominator: > 0 } r
                ? Shares.Percent(r.Numerator, r.Denominator, evaluation.Targets.FirstOrDefault(x => x.Code == t)?.Threshold) + (r.Status switch { AreaStatus.Short => "*", AreaStatus.Incomplete => "?", _ => " " })
                : "-");
            table.Add([$"{area.Key.AreaCode} {area.Key.AreaName}", .. cells]);
        }

        return $"Share met per district, {evaluation.Period.Code} (%, * = short of the target, ? = not every unit has reported: not judged)\n{table}\n";
    }

    /// <summary>"From 01/07/2025: 13 districts abolished, 208 communes merged into 69 (HT-D01-X001 → HT-X001, …)".</summary>
    private static string Reform(DemoDataSet set)
    {
        var districts = set.Areas.Count(a => a.Level == "District");
        var merged = set.Lineage.Where(l => set.Areas.Any(a => a.Code == l.SuccessorCode && a.Level == "Commune")).ToList();
        var first = merged.First();
        return $"From {ProvinceGenerator.DistrictsAbolished:dd/MM/yyyy} (the 2025 reform): {districts} districts abolished, {merged.Count} communes merged into "
               + $"{merged.Select(l => l.SuccessorCode).Distinct().Count()} through the lineage ({first.PredecessorCode} → {first.SuccessorCode}, …); the demo's periods are before it.";
    }

    /// <summary>
    /// The seed reports' figures as the stored values restate them, with who reported them: the communes' fronts and
    /// mass organisations (MT) the propaganda, the Ban Dân vận (DV) the "Dân vận khéo" models, nobody else.
    /// </summary>
    private static async Task<string> SeedFiguresAsync(ServiceProvider services, CancellationToken ct)
    {
        string[] codes = ["PROPAGANDA_SESSIONS", "PROPAGANDA_ATTENDEES", "MODELS_REGISTERED", "MODELS_RECOGNISED", "MODELS_EXEMPLARY"];
        var ids = codes.Select(c => IndicatorCatalogue.Get(c).Id).ToList();
        await using var db = await services.GetRequiredService<IDbContextFactory<QcdcDbContext>>().CreateDbContextAsync(ct);
        var rows = await (from v in db.DataValues
                          join u in db.Units on v.UnitId equals u.Id
                          join p in db.Periods on v.PeriodId equals p.Id
                          where (p.Code == "2020S1" || p.Code == "2019") && ids.Contains(v.IndicatorId)
                          group v by new { Period = p.Code, v.IndicatorId, u.Kind } into g
                          select new { g.Key.Period, g.Key.IndicatorId, g.Key.Kind, Units = g.Count(), Total = g.Sum(x => x.Value) }).ToListAsync(ct);
        var table = new TextTable("period", "indicator", "reported by", "units", "total");
        foreach (var row in rows.OrderBy(r => ids.IndexOf(r.IndicatorId)).ThenBy(r => r.Kind))
            table.Add(row.Period, IndicatorCatalogue.All.Single(i => i.Id == row.IndicatorId).Code, Population.TokenOf(row.Kind), row.Units, row.Total.ToString("N0", CultureInfo.InvariantCulture));
        return $"The seed reports' figures, from the stored values and who reported them (MT: fronts and mass organisations, DV: Ban Dân vận)\n{table}\n";
    }
}
