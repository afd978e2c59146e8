using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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
        await using (var db = Context(engine))
            first = await db.LoadAreaTreeAsync();
        await using (var db = Context(engine))
            again = await db.LoadAreaTreeAsync();
        again.Should().BeSameAs(first, "nothing changed, so the tree is not read again");
        first.Find("C2")!.Name.Should().Be("Xã Hai");

        // Another process renames a commune through the import path: only the database can tell this one.
        var file = Path.Combine(TestFolders.NewFolder("areas"), "areas.csv");
        await File.WriteAllTextAsync(file, Province.Areas.Replace("C2,Xã Hai,", "C2,Xã Hai Mới,", StringComparison.Ordinal));
        await HostProcess.RunAsync(engine.Storage, "import", "areas", file);

        AreaTree afterRename;
        await using (var db = Context(engine))
            afterRename = await db.LoadAreaTreeAsync();
        afterRename.Should().NotBeSameAs(first);
        afterRename.Find("C2")!.Name.Should().Be("Xã Hai Mới");

        await engine.ImportAsync(ImportKind.Lineage, "lineage.csv", "predecessor_code,successor_code,effective_from\nD2,C3,2025-07-01\n");
        await using (var db = Context(engine))
        {
            var afterLineage = await db.LoadAreaTreeAsync();
            afterLineage.Should().NotBeSameAs(afterRename);
            afterRename.Current(afterRename.Find("D2")!.Id, new DateOnly(2026, 6, 30)).Should().BeNull("D2 ended and had no successor");
            afterLineage.Current(afterLineage.Find("D2")!.Id, new DateOnly(2026, 6, 30))?.Code.Should().Be("C3");
        }
    }

    [Fact]
    public async Task Each_database_keeps_its_own_tree_and_a_tree_above_the_cache_limit_is_read_each_time()
    {
        await using var one = await Engine.SqliteAsync().WithProvinceAsync();
        await using var two = await Engine.SqliteAsync().WithProvinceAsync();
        await two.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas.Replace("C2,Xã Hai,", "C2,Xã Hai Khác,", StringComparison.Ordinal));
        using var roomy = new AreaTreeCache();
        using var tight = new AreaTreeCache(rowLimit: 5);

        await using var dbOne = one.Db();
        await using var dbTwo = two.Db();
        foreach (var db in new[] { dbOne, dbTwo })
            await db.DataVersions.ExecuteUpdateAsync(s => s.SetProperty(v => v.Version, 42L));
        var (treeOne, treeTwo) = (await roomy.LoadAsync(dbOne, default), await roomy.LoadAsync(dbTwo, default));

        treeOne.Find("C2")!.Name.Should().Be("Xã Hai");
        treeTwo.Find("C2")!.Name.Should().Be("Xã Hai Khác", "the key holds the database, not only its stamp (both are 42)");
        (await roomy.LoadAsync(dbOne, default)).Should().BeSameAs(treeOne);
        (await roomy.LoadAsync(dbTwo, default)).Should().BeSameAs(treeTwo);
        (await tight.LoadAsync(dbOne, default)).Should().NotBeSameAs(await tight.LoadAsync(dbOne, default), "the province's 17 rows exceed a limit of 5");
    }

    [Fact]
    public async Task The_engine_services_keep_one_cache_and_a_context_made_without_them_reads_the_tree()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();

        await using (var db = Context(engine))
            (await db.LoadAreaTreeAsync()).Should().BeSameAs(await engine.Services.GetRequiredService<AreaTreeCache>().LoadAsync(db, default));
        await using (var plain = StorageRegistration.CreateContext(engine.Storage))
            (await plain.LoadAreaTreeAsync()).Should().NotBeSameAs(await plain.LoadAreaTreeAsync());
    }

    /// <summary>A context as the engine's services make one (a host's, the CLI's): it finds the services' cache.</summary>
    private static QcdcDbContext Context(Engine engine) => engine.Services.GetRequiredService<IDbContextFactory<QcdcDbContext>>().CreateDbContext();
}
