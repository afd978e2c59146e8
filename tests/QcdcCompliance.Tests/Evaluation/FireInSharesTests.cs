using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Evaluation;

/// <summary>
/// Issue 16: a large scope that is not kept warm fires a session per core, each over a share of the reports, and merges
/// what they yield. The merged outcome must be the single session's: every shortfall once, and every area's figures the
/// sums over all its units, whichever share each unit fell in.
/// </summary>
public sealed class FireInSharesTests
{
    private const string Values = Province.SomeValues2020S1;

    [Theory]
    [InlineData("2020S1", 2)]
    [InlineData("2020S1", 3)]
    [InlineData("2020", 2)]
    public async Task Sessions_over_shares_of_the_reports_yield_what_one_session_yields(string periodCode, int parts)
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Values);
        var (period, scopes) = await engine.Evaluations.ResolveAsync(periodCode, null, CancellationToken.None);
        var (facts, _) = await engine.Evaluations.LoadFactsAsync(period, scopes.Single(), CancellationToken.None);
        var rules = engine.Services.GetRequiredService<RuleEngine>();

        var whole = rules.Evaluate(facts);
        var shared = rules.Evaluate(facts, parts);

        // Areas count units of several shares (the engine's shares: the reports in order, cut in equal parts), so a share
        // lost or counted twice changes their figures.
        var shares = facts.Reports.Chunk((facts.Reports.Count + parts - 1) / parts).ToList();
        shares.Should().HaveCount(parts);
        var counted = shares.SelectMany(share => rules.Evaluate(facts with { Reports = share }).Areas.Where(a => a.Population > 0).Select(a => (a.Target.Code, a.Area.Id)));
        counted.GroupBy(k => k).Count(g => g.Count() > 1).Should().BeGreaterThan(0, "some areas count units of more than one share");
        Shortfalls(shared).Should().Equal(Shortfalls(whole));
        Areas(shared).Should().Equal(Areas(whole));

        var (findings, areas) = FindingBuilder.Build(facts, shared);
        var (expected, expectedAreas) = FindingBuilder.Build(facts, whole);
        findings.Select(f => (f.TargetCode, f.SubjectCode, f.Evidence)).Should().Equal(expected.Select(f => (f.TargetCode, f.SubjectCode, f.Evidence)));
        areas.Should().Equal(expectedAreas);
    }

    [Fact]
    public async Task Merging_shares_sums_an_area_s_figures_and_keeps_an_area_only_one_share_counted()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        var (period, scopes) = await engine.Evaluations.ResolveAsync("2020S1", null, CancellationToken.None);
        var (facts, _) = await engine.Evaluations.LoadFactsAsync(period, scopes.Single(), CancellationToken.None);
        var target = facts.Targets[0];
        AreaRef province = new(1, "P", "Tỉnh", Domain.AreaLevel.Province), commune = new(2, "X", "Xã", Domain.AreaLevel.Commune);
        var one = new SessionOutcome([], [new AreaOutcome(target, province, 3, 1, 1, 5, 9), new AreaOutcome(target, commune, 2, 1, 0, 4, 6)]);
        var two = new SessionOutcome([], [new AreaOutcome(target, province, 4, 2, 1, 7, 11)]);

        Areas(SessionOutcome.Merge([one, two])).Should().Equal(Areas(new SessionOutcome([],
        [
            new AreaOutcome(target, province, 7, 3, 2, 12, 20),
            new AreaOutcome(target, commune, 2, 1, 0, 4, 6),
        ])));
    }

    // In key order, each key once: a share's outcome lost, or read twice, does not compare equal.
    private static List<(string Target, int Unit, Measured Measured)> Shortfalls(SessionOutcome outcome) =>
        [.. outcome.Shortfalls.Select(s => (s.Target.Code, s.Report.Unit.Id, s.Measured)).OrderBy(s => s.Code, StringComparer.Ordinal).ThenBy(s => s.Id)];

    private static List<(string Target, int Area, int Population, int Met, int Missing, long Numerator, long Denominator)> Areas(SessionOutcome outcome) =>
        [.. outcome.Areas.Select(a => (a.Target.Code, a.Area.Id, a.Population, a.Met, a.Missing, a.Numerator, a.Denominator)).OrderBy(a => a.Code, StringComparer.Ordinal).ThenBy(a => a.Id)];
}
