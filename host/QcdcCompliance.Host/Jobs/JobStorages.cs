using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.SqlServer;
using QcdcCompliance.Jobs;

namespace QcdcCompliance.Host.Jobs;

/// <summary>
/// Hangfire's storage follows the database: in memory beside the embedded SQLite file (one host; jobs are not kept
/// across restarts, the recurring ones are registered again at start), and in the database itself (schema
/// <c>hangfire</c>) on PostgreSQL and SQL Server, where every host that points at it shares the jobs.
/// </summary>
public static class JobStorages
{
    public const string Schema = "hangfire";

    public static JobStorage Create(StorageOptions storage, JobOptions jobs) => storage.Provider switch
    {
        StorageProvider.Sqlite => new InMemoryStorage(new InMemoryStorageOptions()),
        StorageProvider.SqlServer => new SqlServerStorage(storage.ConnectionString, new SqlServerStorageOptions
        {
            SchemaName = Schema,
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = jobs.PollInterval,
        }),
        _ => Postgres(storage.ConnectionString, jobs),
    };

    /// <summary>Whether other processes (the CLI, other hosts) can reach the jobs of this storage.</summary>
    public static bool IsShared(StorageOptions storage) => storage.Provider != StorageProvider.Sqlite;

    private static PostgreSqlStorage Postgres(string connectionString, JobOptions jobs)
    {
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = Schema,
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = jobs.PollInterval,
            // A job of a host that was killed is taken again after the invisibility timeout; a running one is kept
            // invisible by its host's heartbeat, so the timeout can be minutes instead of Hangfire's half hour.
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = jobs.InvisibilityTimeout,
            DistributedLockTimeout = jobs.LockTimeout,
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }
}
