using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Telemetry;

namespace QcdcCompliance.Storage;

/// <summary>The area tree of the database a context is connected to, and the stamp that tells when it changed.</summary>
public static class AreaTreeLoader
{
    /// <summary>
    /// The tree, from the <see cref="AreaTreeCache"/> of the services that made the context (a context from
    /// <c>IDbContextFactory</c> in a host, the CLI or the engine's tests); a context made without them (the migrator) reads it.
    /// </summary>
    public static async Task<AreaTree> LoadAreaTreeAsync(this QcdcDbContext db, CancellationToken ct = default) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<AreaTreeCache>() is { } cache
            ? await cache.LoadAsync(db, ct)
            : (await ReadAsync(db, ct)).Tree;

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

    internal static Task<long> AreasVersionAsync(QcdcDbContext db, CancellationToken ct) =>
        db.DataVersions.AsNoTracking().Where(v => v.Name == DataVersion.Areas).Select(v => v.Version).SingleOrDefaultAsync(ct);

    /// <summary>Reads the tree from the database, with the number of rows it holds.</summary>
    internal static async Task<(AreaTree Tree, long Rows)> ReadAsync(QcdcDbContext db, CancellationToken ct)
    {
        using var _ = QcdcTelemetry.Source.StartActivity("qcdc.areas.load");
        var areas = await db.Areas.AsNoTracking().ToListAsync(ct);
        var links = await db.AreaLinks.AsNoTracking().ToListAsync(ct);
        var lineages = await db.AreaLineages.AsNoTracking().ToListAsync(ct);
        return (new AreaTree(areas, links, lineages), areas.Count + links.Count + lineages.Count);
    }
}
