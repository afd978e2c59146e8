using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Evaluation;

/// <summary>
/// Issue 16: a unit finding's evidence is written straight as UTF-8, with what every finding of a target repeats
/// written once. It must be the same bytes as the evidence built as JSON nodes, for every shortfall of a province with
/// Vietnamese names, values reported and missing, yes/no and count targets, and the reporting target.
/// </summary>
public sealed class EvidenceWriterTests
{
    private const string Values = Province.SomeValues2020S1;

    [Theory]
    [InlineData("2020S1")]
    [InlineData("2020")]
    public async Task A_unit_evidence_written_directly_is_the_evidence_built_as_nodes(string periodCode)
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Values);
        var (period, scopes) = await engine.Evaluations.ResolveAsync(periodCode, null, CancellationToken.None);
        var (facts, _) = await engine.Evaluations.LoadFactsAsync(period, scopes.Single(), CancellationToken.None);
        var (_, outcome) = engine.Evaluations.Fire(facts);

        outcome.Shortfalls.Select(s => s.Target.Code).Distinct().Count().Should().BeGreaterThan(2, "several targets fall short");
        outcome.Shortfalls.Should().Contain(s => s.Target.Code == "REPORTED");
        foreach (var shortfall in outcome.Shortfalls)
        {
            var draft = FindingBuilder.UnitDraft(facts, shortfall);
            draft.Evidence.Should().Be(FindingBuilder.UnitEvidenceAsNodes(facts, shortfall), $"{shortfall.Target.Code} of {shortfall.Report.Unit.Code}");
            draft.SubjectType.Should().Be(SubjectType.Unit);
        }
    }

    [Theory]
    [InlineData("2020S1")]
    [InlineData("2020")]
    public async Task An_area_evidence_written_directly_is_the_evidence_built_as_nodes(string periodCode)
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Values);
        var (period, scopes) = await engine.Evaluations.ResolveAsync(periodCode, null, CancellationToken.None);
        var (loaded, _) = await engine.Evaluations.LoadFactsAsync(period, scopes.Single(), CancellationToken.None);
        // Measured before the deadline, so that area findings carry their early warning too.
        var facts = loaded with { EvaluatedAt = period.Deadline.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) };
        var (_, outcome) = engine.Evaluations.Fire(facts);
        var (findings, _) = FindingBuilder.Build(facts, outcome);

        var shortAreas = outcome.Areas.Where(a => a.FallsShort && FindingBuilder.MeasuredAt(a)).ToList();
        shortAreas.Should().NotBeEmpty();
        findings.Where(f => f.SubjectType == SubjectType.Area).Should().HaveCount(shortAreas.Count);
        var withWarning = 0;
        foreach (var area in shortAreas)
        {
            // The units of the area's population, measured one by one: what the build's single walk over the reports must find.
            var units = area.Target.UnitsShort(facts.Reports.Where(r => area.Target.AreasOf(r.Unit.Path).Any(a => a.Id == area.Area.Id)));
            var expected = FindingBuilder.AreaEvidenceAsNodes(facts, area, units);
            var built = findings.Single(f => f.SubjectType == SubjectType.Area && f.TargetCode == area.Target.Code && f.SubjectId == area.Area.Id);
            built.Evidence.Should().Be(expected, $"{area.Target.Code} over {area.Area.Code}");
            withWarning += expected.Contains("\"earlyWarning\"", StringComparison.Ordinal) ? 1 : 0;

            // The candidates in the order the evidence states: reported first, largest effect first, then by code.
            var missing = units.Missing.ToHashSet(StringComparer.Ordinal);
            var ordered = units.Short
                .Select(code => (Unit: code, Effect: area.Target.Rule.IsRatio ? units.Effects.TryGetValue(code, out var e) ? e : (long?)null : 1L, Reported: !missing.Contains(code)))
                .OrderByDescending(c => c.Reported).ThenByDescending(c => c.Effect ?? -1).ThenBy(c => c.Unit, StringComparer.Ordinal)
                .Select(c => (c.Unit, c.Effect)).ToList();
            units.Candidates(area.Target).Should().Equal(ordered);
        }

        // A ratio's candidates over many units with random effects, some not reported.
        var ratio = facts.Targets.First(t => t.Rule.IsRatio);
        var random = new Random(16);
        var many = AreaUnits.None;
        var codes = Enumerable.Range(0, 400).Select(i => "DN-" + random.Next(100_000).ToString("00000", System.Globalization.CultureInfo.InvariantCulture)).Distinct()
            .Order(StringComparer.Ordinal).ToList();
        foreach (var code in codes)
            many.Add(ratio, code, random.Next(4) == 0 ? Measured.Missing : new Measured(MeasureStatus.Short, random.Next(5), 5 + random.Next(3)));
        var notReported = many.Missing.ToHashSet(StringComparer.Ordinal);
        many.Candidates(ratio).Should().HaveCount(codes.Count).And.Equal(many.Short
            .Select(code => (Unit: code, Effect: many.Effects.TryGetValue(code, out var e) ? e : (long?)null, Reported: !notReported.Contains(code)))
            .OrderByDescending(c => c.Reported).ThenByDescending(c => c.Effect ?? -1).ThenBy(c => c.Unit, StringComparer.Ordinal)
            .Select(c => (c.Unit, c.Effect)));

        withWarning.Should().BeGreaterThan(0, "some area findings carry an early warning");
    }
}
