using System.Globalization;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using RulesEngine.Models;

namespace QcdcCompliance.Benchmarks;

/// <summary>
/// The per-unit targets as a Microsoft RulesEngine 6 workflow: one lambda expression per target that is true when a
/// unit of its population falls short, over a flat record of the unit's values (-1 when not reported). Benchmark only.
/// </summary>
public sealed class RulesEnginePeer
{
    private const string Workflow = "unit-targets";
    private readonly RulesEngine.RulesEngine _engine;

    public RulesEnginePeer(IEnumerable<TargetFact> targets)
    {
        Targets = targets.Where(t => t.MeasuresUnits).ToList();
        var rules = Targets.Select(t => new Rule
        {
            RuleName = t.Code,
            RuleExpressionType = RuleExpressionType.LambdaExpression,
            Expression = $"({Population(t.Population)}) && ({FallsShort(t)})",
        }).ToList();
        _engine = new RulesEngine.RulesEngine([new Workflow { WorkflowName = Workflow, Rules = rules }], new ReSettings { CustomTypes = [typeof(UnitInput)] });
    }

    public IReadOnlyList<TargetFact> Targets { get; }

    /// <summary>Shortfalls per target code over the reports.</summary>
    public async Task<Dictionary<string, int>> EvaluateAsync(IEnumerable<UnitReport> reports)
    {
        var counts = Targets.ToDictionary(t => t.Code, _ => 0);
        foreach (var report in reports)
        {
            var results = await _engine.ExecuteAllRulesAsync(Workflow, new RuleParameter("u", UnitInput.From(report)));
            foreach (var result in results)
            {
                if (result.IsSuccess)
                    counts[result.Rule.RuleName]++;
            }
        }

        return counts;
    }

    private static string Population(Population population) =>
        string.Join(" || ", Enum.GetValues<UnitKind>()
            .Where(population.Mentions)
            .Select(kind => population.Includes(kind, hasTradeUnion: false) ? $"u.Kind == {(int)kind}" : $"(u.Kind == {(int)kind} && u.Union)"));

    private static string FallsShort(TargetFact target)
    {
        string V(Indicator i) => $"u.V{i.Id}";
        var minimum = target.Minimum?.ToString(CultureInfo.InvariantCulture);
        var threshold = target.Threshold.Millionths.ToString(CultureInfo.InvariantCulture);
        var shortOfShare = target.Threshold.Operator == ComparisonOperator.MoreThan ? "<=" : "<";
        return target.Code switch
        {
            "REPORTED" => "u.Missing > 0",
            "NQ02-3" => Ratio(Indicators.PeopleInformed, Indicators.PeopleToInform),
            "NQ02-7a" => $"{V(Indicators.WorkerConferenceHeld)} != 1 || {V(Indicators.WorkplaceDialogues)} < {minimum}",
            _ when target.Rule.NeedsMinimum => $"{V(target.Reads[0])} < {minimum}",
            _ => $"{V(target.Reads[0])} != 1",
        };

        string Ratio(Indicator numerator, Indicator denominator) =>
            $"{V(numerator)} < 0 || {V(denominator)} < 0 || ({V(denominator)} > 0 && {V(numerator)} * 1000000 {shortOfShare} {threshold} * {V(denominator)})";
    }
}

/// <summary>A unit as RulesEngine reads it: kind, union, one property per indicator id, the count of missing indicators.</summary>
public sealed class UnitInput
{
    public int Kind { get; set; }
    public bool Union { get; set; }
    public int Missing { get; set; }
#pragma warning disable CA1707
    public long V1 { get; set; } public long V2 { get; set; } public long V3 { get; set; } public long V4 { get; set; } public long V5 { get; set; }
    public long V6 { get; set; } public long V7 { get; set; } public long V8 { get; set; } public long V9 { get; set; } public long V10 { get; set; }
    public long V11 { get; set; } public long V12 { get; set; } public long V13 { get; set; } public long V14 { get; set; } public long V15 { get; set; }
    public long V16 { get; set; } public long V17 { get; set; } public long V18 { get; set; } public long V19 { get; set; } public long V20 { get; set; }
    public long V21 { get; set; } public long V22 { get; set; } public long V23 { get; set; } public long V24 { get; set; } public long V25 { get; set; }
    public long V26 { get; set; }
#pragma warning restore CA1707

    private static readonly System.Reflection.PropertyInfo[] Slots =
        Enumerable.Range(0, Indicators.Slots).Select(i => typeof(UnitInput).GetProperty($"V{i}")).ToArray()!;

    public static UnitInput From(UnitReport report)
    {
        var input = new UnitInput { Kind = (int)report.Unit.Kind, Union = report.Unit.HasTradeUnion, Missing = report.Missing.Count };
        foreach (var indicator in IndicatorCatalogue.All)
            Slots[indicator.Id].SetValue(input, report[indicator] ?? -1L);
        return input;
    }
}
