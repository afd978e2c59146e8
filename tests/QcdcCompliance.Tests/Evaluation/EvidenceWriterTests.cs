using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
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
        await using var engine = await ProvinceAsync();
        var (facts, outcome) = await FiredAsync(engine, periodCode);

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
        await using var engine = await ProvinceAsync();
        // Measured before the deadline, so that area findings carry their early warning too.
        var (facts, outcome) = await FiredAsync(engine, periodCode, (loaded, period) => loaded with { EvaluatedAt = period.Deadline.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) });
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

            // The candidates in the order the evidence states: reported first, largest effect first, then by code; with a
            // gap of 0 only the units not reported, the only ones that can change the standing.
            var missing = units.Missing.ToHashSet(StringComparer.Ordinal);
            var gap = area.Gap.Gap;
            var ordered = units.Short
                .Select(code => (Unit: code, Effect: area.Target.Rule.IsRatio ? units.Effects.TryGetValue(code, out var e) ? e : (long?)null : 1L, Reported: !missing.Contains(code)))
                .Where(c => gap != 0 || !c.Reported)
                .OrderByDescending(c => c.Reported).ThenByDescending(c => c.Effect ?? -1).ThenBy(c => c.Unit, StringComparer.Ordinal)
                .Select(c => (c.Unit, c.Effect)).ToList();
            units.Candidates(area.Target, gap).Should().Equal(ordered);
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
        many.Candidates(ratio, gap: 3).Should().HaveCount(codes.Count).And.Equal(many.Short
            .Select(code => (Unit: code, Effect: many.Effects.TryGetValue(code, out var e) ? e : (long?)null, Reported: !notReported.Contains(code)))
            .OrderByDescending(c => c.Reported).ThenByDescending(c => c.Effect ?? -1).ThenBy(c => c.Unit, StringComparer.Ordinal)
            .Select(c => (c.Unit, c.Effect)));

        withWarning.Should().BeGreaterThan(0, "some area findings carry an early warning");
    }
    /// <summary>
    /// A first run writes its findings while they are built (<see cref="PlannedFindings"/>): asked for in any order, from
    /// several threads at once while the rest are built on the pool, they are the drafts built one by one, in the
    /// findings' order (target, subject code, units before areas of the same code), each once.
    /// </summary>
    [Theory]
    [InlineData("2020S1")]
    [InlineData("2020")]
    public async Task Findings_asked_for_in_any_order_while_they_are_built_are_the_findings_in_order(string periodCode)
    {
        await using var engine = await ProvinceAsync();
        var (facts, outcome) = await FiredAsync(engine, periodCode);

        var planned = FindingBuilder.Plan(facts, outcome);
        var random = new Random(40);
        var asked = Enumerable.Range(0, planned.Count).OrderBy(_ => random.Next()).ToArray();
        var seen = new FindingDraft[planned.Count];
        var threads = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var k = t; k < asked.Length; k += 4)
                seen[asked[k]] = planned[asked[k]];
        })).Append(planned.Built).ToArray();
        await Task.WhenAll(threads);
        var all = await planned.Built;

        all.Should().HaveCount(outcome.Shortfalls.Count + outcome.Areas.Count(a => a.FallsShort && FindingBuilder.MeasuredAt(a)));
        all.Should().Contain(f => f.SubjectType == SubjectType.Area).And.Contain(f => f.SubjectType == SubjectType.Unit);
        for (var i = 0; i < all.Count; i++)
        {
            all[i].Should().BeSameAs(seen[i], "a finding is built once, whoever asks for it first");
            if (i > 0)
                FindingBuilder.Compare(all[i - 1], all[i]).Should().BeNegative($"{all[i - 1].Key} comes before {all[i].Key}");
        }

        var shortAreas = outcome.Areas.Where(a => a.FallsShort && FindingBuilder.MeasuredAt(a)).ToList();
        foreach (var draft in all)
        {
            FindingDraft expected;
            if (draft.SubjectType == SubjectType.Unit)
                expected = FindingBuilder.UnitDraft(facts, outcome.Shortfalls.Single(s => s.Target.Code == draft.TargetCode && s.Report.Unit.Id == draft.SubjectId));
            else
            {
                var area = shortAreas.Single(a => a.Target.Code == draft.TargetCode && a.Area.Id == draft.SubjectId);
                expected = FindingBuilder.AreaDraft(facts, area, area.Target.UnitsShort(facts.Reports.Where(r => area.Target.AreasOf(r.Unit.Path).Any(a => a.Id == area.Area.Id))));
            }

            draft.Should().Be(expected, $"{draft.Key} is the finding built on its own");
        }
    }

    /// <summary>The test province with its target sets and <see cref="Values"/>.</summary>
    private static async Task<Engine> ProvinceAsync()
    {
        var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Values);
        return engine;
    }

    /// <summary>The province's facts for the period (as <paramref name="adjust"/> makes them) and a session fired over them.</summary>
    private static async Task<(ScopeFacts Facts, SessionOutcome Outcome)> FiredAsync(Engine engine, string periodCode, Func<ScopeFacts, Period, ScopeFacts>? adjust = null)
    {
        var (period, scopes) = await engine.Evaluations.ResolveAsync(periodCode, null, CancellationToken.None);
        var (facts, _) = await engine.Evaluations.LoadFactsAsync(period, scopes.Single(), CancellationToken.None);
        facts = adjust?.Invoke(facts, period) ?? facts;
        return (facts, engine.Evaluations.Fire(facts).Outcome);
    }
}
