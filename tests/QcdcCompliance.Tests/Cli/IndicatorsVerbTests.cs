using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Host.Cli;
using QcdcCompliance.Rules;
using QcdcCompliance.Tests.Demo;
using QcdcCompliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Cli;

/// <summary><c>qcdc indicators</c>: who may report each indicator, who must and why, and for whom it is optional.</summary>
[Collection(DemoProvinceCollection.Name)]
public sealed class IndicatorsVerbTests(DemoProvince demo, ITestOutputHelper output)
{
    private static readonly TargetRuleCatalogue Catalogue = new(QcdcRules.Assembly);

    [Fact]
    public async Task On_the_demo_database_the_front_and_the_Ban_Dan_van_must_report_their_figures_and_they_are_optional_for_everyone_else()
    {
        var text = await HostProcess.RunAsync(demo.Engine.Storage, "indicators");
        output.WriteLine(text);
        var rows = text.Split('\n').Select(l => l.TrimEnd()).ToList();
        string Row(string indicator) => rows.First(r => r.StartsWith(indicator + " ", StringComparison.Ordinal));
        string[] Why(string indicator) => rows.SkipWhile(r => r != "Why they must:").Where(r => r.StartsWith(indicator + " ", StringComparison.Ordinal)).ToArray();

        text.Should().Contain("from the 5 sets stored in");
        Row("PROPAGANDA_SESSIONS").Should().Contain(" national: MT ").And.Contain(" XA,CQ,SN,DNNN,DN,LL,TH,DV ");
        Row("MODELS_REGISTERED").Should().Contain(" national: DV ").And.Contain(" XA,CQ,SN,DNNN,DN,LL,TH,MT ").And.Contain(" year ");
        Why("PROPAGANDA_SESSIONS").Should().ContainSingle().Which.Should().MatchRegex(@"^PROPAGANDA_SESSIONS +MT +S1,S2 +national +always +duty of QCDC-BAO-CAO$");
        Row("REGULATION_ISSUED").Should().Contain(" HT: XA,CQ,SN,DNNN,DN,LL ").And.Contain(" nobody ");
        Row("CLA_SIGNED").Should().Contain(" HT: DNNN-CĐ,DN-CĐ ").And.Contain(" DNNN (no union) ");
        Why("WORKPLACE_DIALOGUES").Should().HaveCount(3).And.Contain(r => r.Contains(" national ", StringComparison.Ordinal) && r.Contains("from 01/07/2023", StringComparison.Ordinal));
    }

    [Fact]
    public void For_a_period_only_the_settings_in_force_then_count()
    {
        var sets = IndicatorsVerb.ShippedSets(Catalogue);
        var before = IndicatorsVerb.Requirements(sets, Catalogue, PeriodCalendar.Default.Create("2020"));
        var after = IndicatorsVerb.Requirements(sets, Catalogue, PeriodCalendar.Default.Create("2024"));
        var dialogues = IndicatorCatalogue.Get("WORKPLACE_DIALOGUES");

        // Before Law 10 only the Hà Tĩnh resolution reads workplace dialogues, and of enterprises with a union only.
        before.Where(r => r.Indicator.Id == dialogues.Id).Select(r => r.By).Should().BeEquivalentTo("NQ02-7a (02-NQ/TU)", "NQ02-7b (02-NQ/TU)");
        IndicatorsVerb.OptionalFor(dialogues.Population, before.Where(r => r.Indicator.Id == dialogues.Id).Select(r => r.Who)).Should().Be("DNNN (no union),DN (no union)");
        IndicatorsVerb.OptionalFor(dialogues.Population, after.Where(r => r.Indicator.Id == dialogues.Id).Select(r => r.Who)).Should().Be("nobody");
        after.Should().Contain(r => r.Indicator.Id == dialogues.Id && r.Where == "national" && r.Who == Population.Parse("DNNN,DN"));

        // The village convention binds villages from 1/7/2023 (Law 10), never before.
        var convention = IndicatorCatalogue.Get("VILLAGE_CONVENTION_RECOGNISED");
        before.Should().NotContain(r => r.Indicator.Id == convention.Id);
        after.Where(r => r.Indicator.Id == convention.Id).Should().ContainSingle().Which.Who.Should().Be(Population.Parse("TH"));
    }
}
