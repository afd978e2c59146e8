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

    /// <summary>The areas' stamp (0 when none was ever written), by plain SQL: the first read of nearly every process (<see cref="PlainSql"/>).</summary>
    internal static async Task<long> AreasVersionAsync(QcdcDbContext db, CancellationToken ct) =>
        await PlainSql.ScalarAsync(db, """SELECT "Version" FROM "DataVersions" WHERE "Name" = @p0""", ct, DataVersion.Areas) is { } version
            ? Convert.ToInt64(version, System.Globalization.CultureInfo.InvariantCulture)
            : 0;

    /// <summary>Reads the tree from the database, with the number of rows it holds (by plain SQL, as <see cref="AreasVersionAsync"/>).</summary>
    internal static async Task<(AreaTree Tree, long Rows)> ReadAsync(QcdcDbContext db, CancellationToken ct)
    {
        using var _ = QcdcTelemetry.Source.StartActivity("qcdc.areas.load");
        var areas = await PlainSql.ListAsync(db, """SELECT "Id", "Code", "Name", "Level", "ValidFrom", "ValidTo" FROM "Areas" ORDER BY "Id" """,
            r => new Area { Id = r.GetInt32(0), Code = r.GetString(1), Name = r.GetString(2), Level = r.Enum<AreaLevel>(3), ValidFrom = r.NullableDate(4), ValidTo = r.NullableDate(5) },
            ct);
        var links = await PlainSql.ListAsync(db, """SELECT "Id", "AreaId", "ParentId", "ValidFrom", "ValidTo" FROM "AreaLinks" ORDER BY "Id" """,
            r => new AreaLink
            {
                Id = r.GetInt32(0), AreaId = r.GetInt32(1), ParentId = r.IsDBNull(2) ? null : r.GetInt32(2), ValidFrom = r.NullableDate(3), ValidTo = r.NullableDate(4),
            },
            ct);
        var lineages = await PlainSql.ListAsync(db, """SELECT "Id", "PredecessorId", "SuccessorId", "EffectiveFrom" FROM "AreaLineages" ORDER BY "Id" """,
            r => new AreaLineage { Id = r.GetInt32(0), PredecessorId = r.GetInt32(1), SuccessorId = r.GetInt32(2), EffectiveFrom = r.Date(3) },
            ct);
        return (new AreaTree(areas, links, lineages), areas.Count + links.Count + lineages.Count);
    }
}
