using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Evaluation;

/// <summary>
/// A run that keeps no session shares a large scope's reports among sessions fired side by side (issue 16): their
/// shortfalls together and their roll-ups added up per (target, area) must be exactly what one session over every
/// report yields, however the reports are shared (the province's and districts' areas span every share).
/// </summary>
public sealed class SessionPartsTests
{
    [Theory]
    [InlineData("2020S1")]
    [InlineData("2020")]
    public async Task Sessions_over_shares_of_the_reports_yield_what_one_session_yields(string periodCode)
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.SomeValues2020S1);
        var (period, scopes) = await engine.Evaluations.ResolveAsync(periodCode, null, CancellationToken.None);
        var (facts, _) = await engine.Evaluations.LoadFactsAsync(period, scopes.Single(), CancellationToken.None);
        var rules = engine.Services.GetRequiredService<RuleEngine>();
        var one = rules.Evaluate(facts);
        one.Shortfalls.Should().NotBeEmpty();
        one.Areas.Should().Contain(a => a.Area.Level == AreaLevel.Province);

        foreach (var parts in new[] { 2, 3, 7 })
        {
            var shared = rules.EvaluateInParts(facts, parts, fromReports: 0);
            Shortfalls(shared).Should().Equal(Shortfalls(one), $"{parts} sessions");
            shared.Shortfalls.Select(s => s.Target.Code).Should().BeInAscendingOrder(StringComparer.Ordinal, "grouped by target as one sink gives them");
            shared.Areas.Should().HaveCount(one.Areas.Count, "one roll-up per (target, area)");
            Areas(shared).Should().Equal(Areas(one), $"{parts} sessions");
        }

        // Below the size from which it shares them: one session, as Evaluate.
        Shortfalls(rules.EvaluateInParts(facts, 2)).Should().Equal(Shortfalls(one));
    }

    /// <summary>Every shortfall, in one order whatever order the sessions gave them in.</summary>
    private static List<(string Target, int Unit, Measured Measured)> Shortfalls(SessionOutcome outcome) =>
        outcome.Shortfalls.Select(s => (s.Target.Code, s.Report.Unit.Id, s.Measured)).OrderBy(s => s.Code, StringComparer.Ordinal).ThenBy(s => s.Id).ToList();

    private static List<(string Target, int Area, int Population, int Met, int Missing, long Numerator, long Denominator, AreaStatus Status)> Areas(SessionOutcome outcome) =>
        outcome.Areas.Select(a => (a.Target.Code, a.Area.Id, a.Population, a.Met, a.Missing, a.Numerator, a.Denominator, a.Status))
            .OrderBy(a => a.Code, StringComparer.Ordinal).ThenBy(a => a.Id).ToList();
}
