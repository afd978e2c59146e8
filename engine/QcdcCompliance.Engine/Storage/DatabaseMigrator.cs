using Microsoft.EntityFrameworkCore;

namespace QcdcCompliance.Storage;

/// <summary>Creates or upgrades a database to the current model (<c>qcdc migrate</c>), with the indicator catalogue as data.</summary>
public static class DatabaseMigrator
{
    public static async Task<IReadOnlyList<string>> MigrateAsync(StorageOptions storage, CancellationToken ct = default)
    {
        if (storage.SqliteFile is { } file && Path.GetDirectoryName(file) is { Length: > 0 } folder)
            Directory.CreateDirectory(folder);

        await using var db = StorageRegistration.CreateContext(storage);
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        // Up to date: EF's migrator would build the model from the mapping again only to compare it with the last
        // migration (about 0.8 s of CPU a process start; the compiled model spares the rest). ProviderTests holds the
        // migrations equal to the mapping.
        if (pending.Count > 0)
            await db.Database.MigrateAsync(ct);
        await IndicatorCatalogueSync.SyncAsync(db, ct);
        if (storage.Provider == StorageProvider.Sqlite)
        {
            // Readers never block the writer and the writer never blocks readers: the API stays up during a run.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        return pending;
    }
}
