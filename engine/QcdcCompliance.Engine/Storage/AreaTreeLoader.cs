using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Telemetry;

namespace QcdcCompliance.Storage;

/// <summary>
/// The area tree of a database, kept per database while its <see cref="DataVersion.Areas"/> version stays the same:
/// every API call, import and evaluation needs the tree, and reading 10,000 rows of areas and links each time cost
/// 15-30 ms at national scale where checking the version costs one indexed read. Area and lineage imports change the
/// version in their transaction (<see cref="AreasChangedAsync"/>), so any process sees the change at once.
/// </summary>
public static class AreaTreeLoader
{
    private const int MaxDatabases = 16;
    private static readonly ConcurrentDictionary<string, (long Version, AreaTree Tree)> Trees = new();

    public static async Task<AreaTree> LoadAreaTreeAsync(this QcdcDbContext db, CancellationToken ct = default)
    {
        var key = db.Database.GetConnectionString() ?? "";
        var version = await AreasVersionAsync(db, ct);
        if (Trees.TryGetValue(key, out var kept) && kept.Version == version)
            return kept.Tree;

        AreaTree tree;
        using (QcdcTelemetry.Source.StartActivity("qcdc.areas.load"))
        {
            tree = new AreaTree(await db.Areas.AsNoTracking().ToListAsync(ct),
                await db.AreaLinks.AsNoTracking().ToListAsync(ct),
                await db.AreaLineages.AsNoTracking().ToListAsync(ct));
        }

        // Kept only if no area import committed while it was read: then the tree is exactly that version's.
        if (await AreasVersionAsync(db, ct) == version)
        {
            if (Trees.Count >= MaxDatabases)
                Trees.Clear();
            Trees[key] = (version, tree);
        }

        return tree;
    }

    /// <summary>
    /// Gives the areas a new version, in the caller's transaction: every kept tree of this database is out of date once
    /// it commits. A random stamp rather than a count: a database dropped and created again under the same name must
    /// not meet the version of a tree kept from the one before.
    /// </summary>
    public static Task AreasChangedAsync(this QcdcDbContext db, CancellationToken ct)
    {
        var stamp = Random.Shared.NextInt64(1, long.MaxValue);
        return db.DataVersions.Where(v => v.Name == DataVersion.Areas).ExecuteUpdateAsync(s => s.SetProperty(v => v.Version, stamp), ct);
    }

    private static Task<long> AreasVersionAsync(QcdcDbContext db, CancellationToken ct) =>
        db.DataVersions.AsNoTracking().Where(v => v.Name == DataVersion.Areas).Select(v => v.Version).SingleOrDefaultAsync(ct);
}
