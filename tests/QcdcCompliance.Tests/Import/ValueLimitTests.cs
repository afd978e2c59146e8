using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Reports;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Import;

/// <summary>
/// A value is at most <see cref="DataValue.MaxValue"/>: above it no real count lies, and an evaluation, which packs values
/// in 56 bits and sums a year's two halves, could not hold it. The import refuses it; a value stored before the import
/// checked it fails its scope's evaluation with the unit, period and indicator named, never with an exception of the engine.
/// </summary>
public sealed class ValueLimitTests
{
    [Fact]
    public void The_largest_value_fits_the_evaluations_packing_summed_over_a_year_and_as_a_double()
    {
        // UnitReport packs a value in the low 56 bits; a year reads a half-year count as the sum of its two halves.
        (DataValue.MaxValue * 2).Should().BeLessThan(1L << 56);
        ((long)(double)DataValue.MaxValue).Should().Be(DataValue.MaxValue, "shares are computed in doubles");
        (DataValue.MaxValue * 2).Should().BeLessThan(1L << 53, "a year's sum as a double is exact too");
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task A_count_above_the_largest_accepted_is_refused_naming_the_maximum_and_the_largest_is_stored(StorageProvider provider)
    {
        await using var engine = await (provider == StorageProvider.Sqlite ? Engine.SqliteAsync() : Engine.PostgresAsync("toolarge")).WithProvinceAsync();

        var problems = await engine.RefusedAsync(ImportKind.Values, "values.csv", Province.ValuesHeader +
            """
            XA1,2020S1,MEDIATION_CASES,72057594037927936,
            XA2,2020S1,MEDIATION_CASES,1000000000000,
            XA3,2020S1,MEDIATION_CASES,1e20,
            XA1,2020S2,MEDIATION_CASES,1E+20,
            XA2,2020S2,MEDIATION_CASES,99999999999999999999999999999999,
            XA3,2020S2,MEDIATION_CASES,36028797018963968,
            """);

        problems.Select(p => p.ToString()).Should().Equal(
            "values.csv:2:value: '72057594037927936' is too large: at most 999,999,999,999 is accepted; check the figure",
            "values.csv:3:value: '1000000000000' is too large: at most 999,999,999,999 is accepted; check the figure",
            "values.csv:4:value: '1e20' is too large: at most 999,999,999,999 is accepted; check the figure",
            "values.csv:5:value: '1E+20' is too large: at most 999,999,999,999 is accepted; check the figure",
            "values.csv:6:value: '99999999999999999999999999999999' is too large: at most 999,999,999,999 is accepted; check the figure",
            "values.csv:7:value: '36028797018963968' is too large: at most 999,999,999,999 is accepted; check the figure");
        ImportWording.Vietnamese(problems[2]).Should().Be("'1e20' quá lớn: tối đa 999.999.999.999; kiểm tra lại số liệu");

        // The largest in both halves: the year sums them and evaluates.
        await engine.ImportAsync(ImportKind.Values, "values.csv",
            Province.ValuesHeader + "XA1,2020S1,MEDIATION_CASES,999999999999,\nXA1,2020S2,MEDIATION_CASES,999.999.999.999,\n");
        await engine.LoadTargetSetsAsync();
        var year = await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);
        year.Single().Run.Status.Should().Be(RunStatus.Completed);
    }

    [Theory]
    [InlineData("2020S1", "2020S1")]
    [InlineData("2020", "2020S?")]
    public async Task A_value_stored_above_the_largest_before_imports_checked_it_fails_the_scope_naming_unit_period_and_indicator(string evaluated, string stored)
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        // An old database: the two halves each under 2^56 but together above it (the year), or one value above it.
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + "XA1,2020S1,MEDIATION_CASES,5,\nXA1,2020S2,MEDIATION_CASES,6,\n");
        await using (var db = engine.Db())
        {
            var huge = evaluated == "2020" ? 1L << 55 : 1L << 56;
            await db.DataValues.ExecuteUpdateAsync(s => s.SetProperty(v => v.Value, huge));
        }

        var evaluate = () => engine.Evaluations.EvaluateAsync(evaluated, null, RunTrigger.Manual);

        var huge56 = evaluated == "2020" ? "36028797018963968" : "72057594037927936";
        await evaluate.Should().ThrowExactlyAsync<EvaluationRequestException>().WithMessage(
            $"unit XA1, period {stored}, indicator MEDIATION_CASES: the stored value {huge56} is above 999,999,999,999, the largest a value may be "
            + "(stored before imports refused it); import the unit's right figure with 'qcdc import values', then evaluate again");
    }
}
