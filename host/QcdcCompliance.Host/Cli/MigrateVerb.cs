namespace QcdcCompliance.Host.Cli;

public static class MigrateVerb
{
    public static Command Create()
    {
        var command = new Command("migrate", "Create the database or upgrade it to the current model.");
        command.SetServicesAction(async (parse, services, ct) =>
        {
            var storage = services.GetRequiredService<StorageOptions>();
            var applied = await DatabaseMigrator.MigrateAsync(storage, ct);
            Console.WriteLine(applied.Count == 0
                ? $"Database is up to date ({Describe(storage)})."
                : $"Applied {applied.Count} migration(s) to {Describe(storage)}: {string.Join(", ", applied)}");
            return 0;
        }, readsExistingDatabase: false);
        return command;
    }

    public static string Describe(StorageOptions storage) => storage.SqliteFile ?? $"{storage.Provider} database";
}
