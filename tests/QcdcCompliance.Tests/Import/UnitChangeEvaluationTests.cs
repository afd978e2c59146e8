using System.Net;
using System.Text;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Import;

/// <summary>
/// A units import touches the ended periods whose units it changes (README, Jobs: "An import re-evaluates whatever period
/// it touched that has ended"): a unit closed, opened, moved or of another union on a period's last day changes that
/// period's population, as a value changes its figures.
/// </summary>
public sealed class UnitChangeEvaluationTests
{
    [Fact]
    public async Task Closing_a_unit_back_inside_an_ended_half_year_touches_the_half_and_its_year_while_a_headcount_touches_nothing()
    {
        await using var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());

        var headcount = await engine.ImportAsync(ImportKind.Units, "headcount.csv", Province.UnitsHeader + "XA3,UBND Xã Ba,Commune,C3,true,21,,,\n");
        var closed = await engine.ImportAsync(ImportKind.Units, "close.csv", Province.UnitsHeader + "XA3,UBND Xã Ba,Commune,C3,,,,,2020-05-31\n");
        var opened = await engine.ImportAsync(ImportKind.Units, "open.csv", Province.UnitsHeader + "SN9,Trường Chín,PublicServiceUnit,C2,false,9,,2019-01-01,\n");

        headcount.TouchedScopes.Should().BeEmpty("the headcount places the unit in no population");
        closed.TouchedScopes.Should().Equal([("2020", "P"), ("2020S1", "P")], "XA3 leaves 2020S1's units, and the year reads its halves");
        opened.TouchedScopes.Should().Equal([("2020", "P"), ("2020S1", "P")], "a unit active since 2019 joins 2020S1's units");
    }

    [Fact]
    public async Task A_unit_closed_through_the_api_inside_an_ended_period_is_re_evaluated_and_its_finding_resolved_as_closed()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var open = await bed.FindingAsync("NQ02-1", "XA3");
        open.State.Should().Be(FindingState.New);

        var response = await bed.As(await bed.KeyAsync(Role.Reporter, "C3")).PostAsync("/api/imports/units?file=close.csv",
            new StringContent(Province.UnitsHeader + "XA3,UBND Xã Ba,Commune,C3,,,,,2020-05-31\n", Encoding.UTF8, "text/csv"));
        var result = await response.ReadAsync<Host.Api.ImportResultDto>(HttpStatusCode.OK);
        result.Touched.Should().Contain(new Host.Api.TouchedScopeDto("2020S1", "P"));

        // No one evaluates by hand: the evaluation the import queued resolves XA3's finding, as the unit leaving.
        var auditor = await bed.AsAsync(Role.Auditor, "P");
        var resolved = await Eventually.WaitAsync(
            async () => (await (await auditor.GetAsync("/api/units/XA3/findings")).ReadAsync<List<Host.Api.FindingDto>>()).Single(f => f.Period == "2020S1" && f.Target == "NQ02-1"),
            f => f.State == FindingState.Resolved, "XA3's 2020S1 finding resolved by the evaluation the units import queued");
        (resolved.Resolution, resolved.UnitClosedOn).Should().Be((FindingResolution.UnitClosed, new DateOnly(2020, 5, 31)));
    }
}
