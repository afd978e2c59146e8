using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Storage;

/// <summary>The area tree is kept per database and read again as soon as an area or lineage import commits, from any process.</summary>
public sealed class AreaTreeCacheTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_kept_tree_serves_until_an_area_or_lineage_import_commits_and_then_the_new_tree_is_read(bool postgres)
    {
        await using var engine = await (postgres ? Engine.PostgresAsync("tree_cache") : Engine.SqliteAsync()).WithProvinceAsync();

        AreaTree first, again;
        await using (var db = engine.Db())
            first = await db.LoadAreaTreeAsync();
        await using (var db = engine.Db())
            again = await db.LoadAreaTreeAsync();
        again.Should().BeSameAs(first, "nothing changed, so the tree is not read again");
        first.Find("C2")!.Name.Should().Be("Xã Hai");

        // Another process renames a commune through the import path: only the database can tell this one.
        var file = Path.Combine(TestFolders.NewFolder("areas"), "areas.csv");
        await File.WriteAllTextAsync(file, Province.Areas.Replace("C2,Xã Hai,", "C2,Xã Hai Mới,", StringComparison.Ordinal));
        await HostProcess.RunAsync(engine.Storage, "import", "areas", file);

        AreaTree afterRename;
        await using (var db = engine.Db())
            afterRename = await db.LoadAreaTreeAsync();
        afterRename.Should().NotBeSameAs(first);
        afterRename.Find("C2")!.Name.Should().Be("Xã Hai Mới");

        await engine.ImportAsync(ImportKind.Lineage, "lineage.csv", "predecessor_code,successor_code,effective_from\nD2,C3,2025-07-01\n");
        await using (var db = engine.Db())
        {
            var afterLineage = await db.LoadAreaTreeAsync();
            afterLineage.Should().NotBeSameAs(afterRename);
            afterRename.Current(afterRename.Find("D2")!.Id, new DateOnly(2026, 6, 30)).Should().BeNull("D2 ended and had no successor");
            afterLineage.Current(afterLineage.Find("D2")!.Id, new DateOnly(2026, 6, 30))?.Code.Should().Be("C3");
        }
    }
}
