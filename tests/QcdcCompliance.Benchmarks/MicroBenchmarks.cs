using System.Text;
using BenchmarkDotNet.Attributes;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Import;
using QcdcCompliance.Import.Files;

namespace QcdcCompliance.Benchmarks;

/// <summary>Micro-level figures with BenchmarkDotNet: one session update, one share test, the CSV reader.</summary>
[MemoryDiagnoser]
public class MicroBenchmarks
{
    private NRules.ISession _session = null!;
    private List<UnitReport> _reports = null!;
    private byte[] _csv = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var province = InMemoryFacts.Country(20_000, "2026S1", "2026").First();
        _reports = InMemoryFacts.Reports(province.Data, new DateOnly(2026, 12, 31));
        var engine = new RuleEngine(InMemoryFacts.Catalogue);
        _session = engine.Start(new ScopeFacts(Domain.PeriodCalendar.Default.Create("2026S1"), new Domain.Area { Code = "P", Name = "P" }, _reports,
            InMemoryFacts.AllTargets(), "micro", [], ReportingDuties.Of(Domain.PeriodCalendar.Default.Create("2026S1"), InMemoryFacts.AllTargets(), [])));
        var text = new StringBuilder("unit_code,period,indicator,value,comment\n");
        foreach (var v in province.Data.Values.Take(100_000))
            text.Append(v.UnitCode).Append(',').Append(v.Period).Append(',').Append(v.Indicator).Append(',').Append(v.Value).Append(",\n");
        _csv = Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>One changed report through a warm 20,000-unit session with every target: Update then Fire.</summary>
    [Benchmark]
    public int UpdateAndFire()
    {
        var report = _reports[_next++ % _reports.Count];
        var indicator = Indicators.RegulationIssued;
        _session.Update(report.With(indicator, report[indicator] == 1 ? 0 : 1));
        var fired = _session.Fire();
        _session.Update(report);
        return fired + _session.Fire();
    }

    [Benchmark]
    public bool ExactShareTest() => new Domain.Threshold(Domain.ComparisonOperator.MoreThan, 700_000).IsMetBy(7001, 10_000);

    /// <summary>Reading 100,000 CSV rows (UTF-8 check, quoting, header matching), before validation.</summary>
    [Benchmark]
    public int ReadCsv100k()
    {
        var table = TableReader.Read("values.csv", _csv, ValueImporter.Schema, new ProblemList("values.csv"));
        return table.Rows.Count();
    }
}
