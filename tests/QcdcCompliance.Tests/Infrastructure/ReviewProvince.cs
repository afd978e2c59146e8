using QcdcCompliance.Demo;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;

namespace QcdcCompliance.Tests.Infrastructure;

/// <summary>
/// A generated province small enough to build in seconds (3 districts, 12 communes, about 170 units), imported through
/// the product's own import path and evaluated for four periods, so that reports and pages have previous periods,
/// short areas, flagged units and units that did not report. Shared by the report and dashboard tests.
/// </summary>
public sealed class ReviewProvince : IAsyncLifetime
{
    public const string Code = "TT";
    public const string Period = "2020S1";

    public static readonly ProvinceProfile Profile = new(Code, "Tỉnh Thử Nghiệm", ["Thành phố Đông", "Huyện Nam Sơn", "Huyện Bắc Hà"],
        Communes: 12, VillagesPerCommune: 2, Agencies: 12, PublicServiceUnits: 24, StateEnterprises: 4, NonStateEnterprises: 90,
        TradeUnionShare: 0.4, ArmedForces: 3);

    public static readonly IReadOnlyList<string> Periods = ["2019S2", "2020S1", "2020S2", "2020"];

    public Engine Engine { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Engine = await Engine.SqliteAsync();
        await LoadAsync(Engine);
    }

    public async Task DisposeAsync() => await Engine.DisposeAsync();

    public static async Task LoadAsync(Engine engine)
    {
        var generator = new ProvinceGenerator(Profile, 2017) { SilentUnitsPerPeriod = 3, PartialUnitsPerPeriod = 3 };
        var set = new DemoDataSet();
        generator.GenerateStructure(set);
        generator.GenerateValues(set, Periods);
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", set.AreasCsv());
        await engine.ImportAsync(ImportKind.Lineage, "lineage.csv", set.LineageCsv());
        await engine.ImportAsync(ImportKind.Units, "units.csv", set.UnitsCsv());
        await engine.ImportAsync(ImportKind.Values, "values.csv", set.ValuesCsv());
        await engine.LoadTargetSetsAsync();
        foreach (var period in Periods)
            await engine.Evaluations.EvaluateAsync(period, Code, RunTrigger.Manual);
    }
}

[CollectionDefinition(Name)]
public sealed class ReviewProvinceCollection : ICollectionFixture<ReviewProvince>
{
    public const string Name = "review province";
}
