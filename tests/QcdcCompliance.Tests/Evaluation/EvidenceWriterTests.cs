using QcdcCompliance.Domain;
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
    private const string Values = Province.ValuesHeader +
        """
        XA1,2020S1,DIALOGUE_CONFERENCES,1,
        XA2,2020S1,DIALOGUE_CONFERENCES,0,
        XA1,2020S1,REGULATION_ISSUED,true,
        XA2,2020S1,REGULATION_ISSUED,false,
        CQ1,2020S1,REGULATION_ISSUED,true,
        DN1,2020S1,REGULATION_ISSUED,true,

        """;

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
}
