using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Storage;

/// <summary>
/// The area trees of the databases a process uses, each kept under its database and <see cref="DataVersion.Areas"/>
/// stamp: every API call, import and evaluation needs the tree, and reading 10,000 rows of areas and links each time
/// cost 15-30 ms at national scale where checking the stamp costs one indexed read. Area and lineage imports change the
/// stamp in their transaction (<see cref="AreaTreeLoader.AreasChangedAsync"/>), so any process sees the change at once.
/// A cache of its own, bounded by the rows its trees hold, so that its limit binds no other user of a memory cache.
/// </summary>
public sealed class AreaTreeCache(long rowLimit = AreaTreeCache.DefaultRowLimit) : IDisposable
{
    /// <summary>Rows (areas, links, lineages) kept at most: the country's tree is about 10,000; a tree above the limit is read each time.</summary>
    public const long DefaultRowLimit = 500_000;

    // A tree whose stamp changed is never asked for again: it leaves once unused for this long.
    private static readonly TimeSpan Unused = TimeSpan.FromMinutes(10);

    private readonly MemoryCache _trees = new(new MemoryCacheOptions { SizeLimit = rowLimit });

    public async Task<AreaTree> LoadAsync(QcdcDbContext db, CancellationToken ct)
    {
        var version = await AreaTreeLoader.AreasVersionAsync(db, ct);
        var key = new TreeKey(db.Database.GetConnectionString() ?? "", version);
        if (_trees.TryGetValue(key, out AreaTree? kept))
            return kept!;

        var (tree, rows) = await AreaTreeLoader.ReadAsync(db, ct);
        // Kept only if no area import committed while it was read: then the tree is exactly that version's.
        if (await AreaTreeLoader.AreasVersionAsync(db, ct) == version)
            _trees.Set(key, tree, new MemoryCacheEntryOptions { Size = rows, SlidingExpiration = Unused });
        return tree;
    }

    public void Dispose() => _trees.Dispose();

    private readonly record struct TreeKey(string Database, long Version);
}
