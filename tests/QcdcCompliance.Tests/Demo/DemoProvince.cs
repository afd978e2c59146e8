using QcdcCompliance.Demo;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Demo;

/// <summary>
/// The demo province as <c>qcdc demo</c> loads it (the same generated files, through the import path, with the
/// shipped target sets), plus values for 2026S1 to see the tree the 2025 reform left, on a SQLite file. Evaluated for
/// the periods its tests read.
/// </summary>
public sealed class DemoProvince : IAsyncLifetime
{
    public const string After2025 = "2026S1";

    public static readonly IReadOnlyList<string> Evaluated = ["2019", "2020S1", "2020", After2025];

    public DemoDataSet Data { get; } = HaTinhDemo.Generate(After2025);

    public Engine Engine { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Engine = await Engine.SqliteAsync();
        await Engine.ImportAsync(ImportKind.Areas, "areas.csv", Data.AreasCsv());
        await Engine.ImportAsync(ImportKind.Lineage, "lineage.csv", Data.LineageCsv());
        await Engine.ImportAsync(ImportKind.Units, "units.csv", Data.UnitsCsv());
        await Engine.ImportAsync(ImportKind.Values, "values.csv", Data.ValuesCsv());
        await Engine.LoadTargetSetsAsync();
        foreach (var period in Evaluated)
            await Engine.Evaluations.EvaluateAsync(period, HaTinhDemo.ProvinceCode, RunTrigger.Manual);
    }

    public async Task DisposeAsync() => await Engine.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class DemoProvinceCollection : ICollectionFixture<DemoProvince>
{
    public const string Name = "demo province";
}
