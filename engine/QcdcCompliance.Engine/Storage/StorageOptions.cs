using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace QcdcCompliance.Storage;

public enum StorageProvider
{
    Sqlite,
    SqlServer,
    Postgres,
}

/// <summary>
/// Where the data lives (section <c>Storage</c>; <c>--provider</c>/<c>QCDC_PROVIDER</c> and <c>--db</c>/<c>QCDC_DB</c>
/// on the command line). For SQLite, <see cref="Database"/> is a file path or a connection string; for the servers, a
/// connection string.
/// </summary>
public sealed class StorageOptions
{
    public const string DefaultSqliteFile = "qcdc.db";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;
    public string? Database { get; set; }

    public string ConnectionString => Provider switch
    {
        StorageProvider.Sqlite => SqliteConnectionString(Database),
        _ when string.IsNullOrWhiteSpace(Database) => throw new InvalidOperationException(
            $"Storage provider {Provider} needs a connection string: pass --db \"...\" or set QCDC_DB"),
        StorageProvider.Postgres => PostgresConnectionString(Database!),
        _ => Database!,
    };

    /// <summary>The SQLite file, for messages (null for the servers).</summary>
    public string? SqliteFile => Provider == StorageProvider.Sqlite
        ? Path.GetFullPath(new SqliteConnectionStringBuilder(ConnectionString).DataSource)
        : null;

    public static bool TryParseProvider(string? text, out StorageProvider provider)
    {
        (provider, var ok) = text?.Trim().ToUpperInvariant() switch
        {
            "SQLITE" => (StorageProvider.Sqlite, true),
            "SQLSERVER" or "MSSQL" => (StorageProvider.SqlServer, true),
            "POSTGRES" or "POSTGRESQL" or "NPGSQL" => (StorageProvider.Postgres, true),
            _ => (StorageProvider.Sqlite, false),
        };
        return ok;
    }

    /// <summary>
    /// The connection string with PostgreSQL's JIT compilation off unless it sets <c>jit</c> itself. The JIT pays off
    /// for long analytical queries; here it fired on the API's pages, whose generic plans (the page size is a parameter)
    /// are costed above <c>jit_above_cost</c>, and spent 300-440 ms compiling a query that runs in 8 ms.
    /// </summary>
    private static string PostgresConnectionString(string database)
    {
        var builder = new NpgsqlConnectionStringBuilder(database);
        if (builder.Options?.Contains("jit", StringComparison.OrdinalIgnoreCase) != true)
            builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? "-c jit=off" : builder.Options + " -c jit=off";
        return builder.ToString();
    }

    private static string SqliteConnectionString(string? database)
    {
        var text = string.IsNullOrWhiteSpace(database) ? DefaultSqliteFile : database.Trim();
        var builder = text.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(text)
            : new SqliteConnectionStringBuilder { DataSource = text };
        // Concurrent readers and a writer (host jobs, API, CLI) wait instead of failing at once.
        if (builder.DefaultTimeout < 30)
            builder.DefaultTimeout = 30;
        builder.Pooling = true;
        return builder.ToString();
    }
}

public static class StorageRegistration
{
    public const string SqliteMigrations = "QcdcCompliance.Migrations.Sqlite";
    public const string SqlServerMigrations = "QcdcCompliance.Migrations.SqlServer";
    public const string PostgresMigrations = "QcdcCompliance.Migrations.Postgres";

    /// <summary>
    /// Configures a context for the provider, with the migrations assembly that belongs to it and the provider's compiled
    /// model (<c>Storage/CompiledModels</c>, generated from the mapping of <see cref="QcdcDbContext"/> by
    /// <c>scripts/compiled-models.sh</c>): building the model from the mapping cost every process about 0.6 s of CPU
    /// before its first query. <c>CompiledModelTests</c> fails when a compiled model differs from the mapping. Migrations
    /// and <c>HasPendingModelChanges</c> still compare the migrations with the mapping itself (EF's design-time model).
    /// </summary>
    public static TBuilder UseQcdcStorage<TBuilder>(this TBuilder builder, StorageOptions storage)
        where TBuilder : DbContextOptionsBuilder
    {
        var cs = storage.ConnectionString;
        _ = storage.Provider switch
        {
            StorageProvider.Sqlite => builder.UseSqlite(cs, o => o.MigrationsAssembly(SqliteMigrations).CommandTimeout(120))
                .UseModel(CompiledModels.Sqlite.QcdcDbContextModel.Instance),
            StorageProvider.SqlServer => builder.UseSqlServer(cs, o => o.MigrationsAssembly(SqlServerMigrations).CommandTimeout(120))
                .UseModel(CompiledModels.SqlServer.QcdcDbContextModel.Instance),
            _ => builder.UseNpgsql(cs, o => o.MigrationsAssembly(PostgresMigrations).CommandTimeout(120))
                .UseModel(CompiledModels.Postgres.QcdcDbContextModel.Instance),
        };
        return builder;
    }

    public static IServiceCollection AddQcdcStorage(this IServiceCollection services, StorageOptions storage)
    {
        services.AddSingleton(storage);
        services.AddDbContextFactory<QcdcDbContext>(o => o.UseQcdcStorage(storage));
        services.TryAddSingleton(_ => new AreaTreeCache());
        return services;
    }

    public static QcdcDbContext CreateContext(StorageOptions storage) =>
        new(new DbContextOptionsBuilder<QcdcDbContext>().UseQcdcStorage(storage).Options);
}
