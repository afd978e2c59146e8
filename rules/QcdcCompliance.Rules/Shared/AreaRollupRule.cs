using NRules.Fluent.Dsl;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Rules.Shared;

/// <summary>
/// Rolls every target up over the areas on its population's paths (commune, district while districts existed,
/// province), inside the session: the reports are folded by an incremental aggregator, so an updated report moves
/// only its own areas' figures, and one outcome per (target, area) is yielded and kept current. The population is
/// filtered by the measure, not by a join condition: a condition on the target would make NRules keep a partial match
/// for every (target, report) pair.
/// </summary>
[Name("AREA-ROLLUP")]
[Description("Tổng hợp tỷ lệ đạt của từng chỉ tiêu theo xã, huyện và tỉnh")]
[Tag("Shared")]
public sealed class AreaRollupRule : Rule
{
    public override void Define()
    {
        TargetFact target = default!;
        AreaTally tally = default!;

        When()
            .Match(() => target)
            .Query(() => tally, q => q
                .Match<UnitReport>()
                .TallyByArea(_ => target));
        Then()
            .Yield(_ => new AreaOutcome(target, tally.Area, tally.Population, tally.Met, tally.Missing, tally.Numerator, tally.Denominator));
    }
}
