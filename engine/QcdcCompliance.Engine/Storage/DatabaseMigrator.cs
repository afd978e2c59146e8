using Microsoft.EntityFrameworkCore;

namespace QcdcCompliance.Storage;

/// <summary>Creates or upgrades a database to the current model (<c>qcdc migrate</c>), with the indicator catalogue as data.</summary>
public static class DatabaseMigrator
{
    public static async Task<IReadOnlyList<string>> MigrateAsync(StorageOptions storage, CancellationToken ct = default)
    {
        if (storage.SqliteFile is { } file && Path.GetDirectoryName(file) is { Length: > 0 } folder)
            Directory.CreateDirectory(folder);

        if (storage.Provider == StorageProvider.Sqlite)
            await CreateSqliteAsync(storage, ct);

        await using var db = StorageRegistration.CreateContext(storage);
        await RefuseNewerAsync(db, ct);
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

    /// <summary>
    /// Refuses a database that a newer version migrated (a migration in its history that this version does not have):
    /// this version would read and write a schema it does not know, and <c>migrate</c> said it was up to date. A rolling
    /// upgrade stops the old hosts there instead of letting them write on.
    /// </summary>
    public static async Task RefuseNewerAsync(QcdcDbContext db, CancellationToken ct = default) =>
        Refuse(db, await db.Database.GetAppliedMigrationsAsync(ct));

    /// <summary>The same for a command-line verb, whose services are built synchronously.</summary>
    public static void RefuseNewer(QcdcDbContext db) => Refuse(db, db.Database.GetAppliedMigrations());

    /// <summary>
    /// The same for a SQLite file, read by one plain query and the migrations assembly's attributes, without a context:
    /// through EF (a context, then its history repository's own model) the check cost every verb about 0.1 s at start,
    /// 8% of a sparse import of 197,644 rows.
    /// </summary>
    public static void RefuseNewerSqlite(string connectionString)
    {
        var known = System.Reflection.Assembly.Load(StorageRegistration.SqliteMigrations).GetTypes()
            .Select(t => t.GetCustomAttributes(typeof(Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute), false).FirstOrDefault())
            .OfType<Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute>()
            .Select(a => a.Id)
            .ToHashSet(StringComparer.Ordinal);
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        connection.Open();
        using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory'";
        if (Convert.ToInt64(exists.ExecuteScalar()) == 0)
            return;
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\"";
        using var reader = command.ExecuteReader();
        var unknown = new List<string>();
        while (reader.Read())
        {
            if (!known.Contains(reader.GetString(0)))
                unknown.Add(reader.GetString(0));
        }

        if (unknown.Count > 0)
            throw new NewerDatabaseException(unknown);
    }

    private static void Refuse(QcdcDbContext db, IEnumerable<string> applied)
    {
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var unknown = applied.Where(m => !known.Contains(m)).ToList();
        if (unknown.Count > 0)
            throw new NewerDatabaseException(unknown);
    }

    /// <summary>
    /// The page size of a new SQLite database. 16 KB instead of SQLite's 4 KB: a first evaluation of 200,000 units and
    /// an import of one value for each write and checkpoint a quarter as many pages (the heavy profile, issue 16). It is
    /// fixed when the file is created; a database made by an older version keeps its 4 KB pages.
    /// </summary>
    public const int SqlitePageSize = 16384;

    /// <summary>A new (empty) SQLite database is created with <see cref="SqlitePageSize"/> and in write-ahead-log mode; any other is left as it is.</summary>
    private static async Task CreateSqliteAsync(StorageOptions storage, CancellationToken ct)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(storage.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_count";
        if (Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) != 0)
            return;
        // Setting the journal mode writes the file's first page, with the page size set before it.
        command.CommandText = $"PRAGMA page_size = {SqlitePageSize}; PRAGMA journal_mode=WAL;";
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>A database migrated by a newer version of qcdc than this one: told in a line, never used.</summary>
public sealed class NewerDatabaseException(IReadOnlyList<string> unknown)
    : Exception($"this database was migrated by a newer version of qcdc ({string.Join(", ", unknown)}); use that version (or a later one), "
                + "whose 'qcdc migrate' made it")
{
    public IReadOnlyList<string> UnknownMigrations { get; } = unknown;
}
