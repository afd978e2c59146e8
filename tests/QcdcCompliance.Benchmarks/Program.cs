using System.Diagnostics;
using NRules;
using QcdcCompliance.Benchmarks;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;

var units = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
var sw = Stopwatch.StartNew();
var targets = InMemoryFacts.AllTargets();
var all = new List<List<UnitReport>>();
foreach (var (profile, data) in InMemoryFacts.Country(units, "2026S1", "2026"))
    all.Add(InMemoryFacts.Reports(data, new DateOnly(2026, 12, 31)));
Console.WriteLine($"generated {all.Sum(a => a.Count)} reports in {sw.Elapsed.TotalSeconds:0.0}s; largest province {all.Max(a => a.Count)}");
GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
var before = GC.GetTotalMemory(true);
var mode = args.Length > 1 ? args[1] : "all";
var repo = new NRules.Fluent.RuleRepository();
repo.Load(x => x.From(InMemoryFacts.Catalogue.RuleTypes.Where(t => mode == "all" || (mode == "units" ? t.Name != "AreaRollupRule" : t.Name == "AreaRollupRule"))));
var engine = (Sessions: repo.Compile(), 0);
sw.Restart();
long shortfalls = 0, areas = 0;
var sessions = new List<NRules.ISession>();
foreach (var reports in all)
{
    var session = engine.Sessions.CreateSession();
    session.InsertAll(targets);
    foreach (var batch in reports.Chunk(10000)) session.InsertAll(batch);
    session.Fire();
    sessions.Add(session);
}
var fire = sw.Elapsed.TotalSeconds;
var after = GC.GetTotalMemory(true);
foreach (var s in sessions) { shortfalls += s.Query<UnitShortfall>().Count(); areas += s.Query<AreaOutcome>().Count(); }
Console.WriteLine($"total heap {after / (double)all.Sum(a => a.Count):0} B/unit");
Console.WriteLine($"NRules: {fire:0.00}s insert+fire; {shortfalls} shortfalls, {areas} area outcomes; session heap {(after - before) / (double)all.Sum(a => a.Count):0} B/unit; peak WS {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:0} MB");
sw.Restart();
long linq = 0;
foreach (var reports in all)
    foreach (var t in targets)
        foreach (var r in reports)
            if (t.Includes(r) && t.MeasuresUnits && t.Measure(r).FallsShort) linq++;
Console.WriteLine($"LINQ-ish unit shortfalls {linq} in {sw.Elapsed.TotalSeconds:0.00}s");
GC.KeepAlive(sessions);
