using Microsoft.EntityFrameworkCore.Design;

namespace QcdcCompliance.Host.Storage;

/// <summary>
/// For <c>dotnet ef</c>: <c>dotnet ef migrations add NAME --project engine/QcdcCompliance.Migrations.Sqlite
/// --startup-project host/QcdcCompliance.Host -- --provider Sqlite</c> (likewise SqlServer, Postgres). No server is
/// contacted when generating migrations.
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<QcdcDbContext>
{
    public QcdcDbContext CreateDbContext(string[] args)
    {
        var provider = StorageProvider.Sqlite;
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--provider" && !StorageOptions.TryParseProvider(args[i + 1], out provider))
                throw new ArgumentException($"unknown provider '{args[i + 1]}' (Sqlite, SqlServer, Postgres)");
        }

        var database = provider switch
        {
            StorageProvider.Sqlite => "design-time.db",
            StorageProvider.SqlServer => "Server=none;Database=qcdc;Connect Timeout=1;TrustServerCertificate=True",
            _ => "Host=none;Database=qcdc",
        };
        return StorageRegistration.CreateContext(new StorageOptions { Provider = provider, Database = database });
    }
}
