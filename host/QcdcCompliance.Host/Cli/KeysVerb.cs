using System.Globalization;

namespace QcdcCompliance.Host.Cli;

/// <summary><c>qcdc keys create|list|revoke</c>: API keys for the HTTP API and the browser sign-in.</summary>
public static class KeysVerb
{
    public static Command Create()
    {
        var command = new Command("keys", "Create, list and revoke API keys (stored as SHA-256; a key is shown once, when created).");

        var role = new Option<Role>("--role")
        {
            Description = "auditor, committee, reporter, admin or nationaladmin", Required = true, CustomParser = r => CliValues.OneOf<Role>(r, lowerCase: true) ?? default,
        };
        var area = new Option<string>("--area") { Description = "Code of the area the key is bound to: it sees and changes only that subtree", Required = true };
        var name = new Option<string>("--name") { Description = "Who holds the key (shown in logs and in the records it writes)", Required = true };
        var create = new Command("create", "Create a key and print it once.") { role, area, name };
        create.SetServicesAction(async (parse, services, ct) =>
        {
            var store = Store(services);
            CreatedApiKey created;
            try
            {
                created = await store.CreateAsync(parse.GetValue(name)!, parse.GetValue(role), parse.GetValue(area)!, ct);
            }
            catch (ArgumentException e)
            {
                throw new Settings.CliException(e.Message.Split(" (Parameter", 2)[0]);
            }

            Console.WriteLine(created.Key);
            Console.Error.WriteLine($"Key #{created.Row.Id} '{created.Row.Name}': {QcdcClaims.RoleName(created.Row.Role)} of {created.AreaCode}. "
                                    + "This is the only time the key is shown: store it now. Revoke with 'qcdc keys revoke " + created.Row.Id.ToString(CultureInfo.InvariantCulture) + "'.");
            return 0;
        });

        var list = new Command("list", "List the keys (never the keys themselves).");
        list.SetServicesAction(async (parse, services, ct) =>
        {
            var table = new TextTable("id", "name", "role", "area", "prefix", "created (UTC)", "revoked (UTC)");
            foreach (var (key, areaCode) in await Store(services).ListAsync(ct))
            {
                table.Add(key.Id, key.Name, QcdcClaims.RoleName(key.Role), areaCode, $"{ApiKeyStore.Marker}{key.Prefix}_…",
                    key.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), key.RevokedAt?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "");
            }

            Console.Write(table);
            return 0;
        });

        var which = new Argument<string>("key") { Description = "The key's id or prefix (as 'qcdc keys list' shows them)" };
        var revoke = new Command("revoke", "Revoke a key: it stops working on the next request.") { which };
        revoke.SetServicesAction(async (parse, services, ct) =>
        {
            var row = await Store(services).RevokeAsync(parse.GetValue(which)!, ct)
                      ?? throw new Settings.CliException($"no key {parse.GetValue(which)}; see 'qcdc keys list'");
            Console.WriteLine($"Key #{row.Id} '{row.Name}' revoked at {row.RevokedAt:yyyy-MM-dd HH:mm:ss} UTC.");
            return 0;
        });

        command.Subcommands.Add(create);
        command.Subcommands.Add(list);
        command.Subcommands.Add(revoke);
        return command;
    }

    private static ApiKeyStore Store(IServiceProvider services) =>
        new(services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<global::QcdcCompliance.Storage.QcdcDbContext>>(), services.GetRequiredService<TimeProvider>());
}
