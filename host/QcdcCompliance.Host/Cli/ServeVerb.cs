using QcdcCompliance.Host.Hosting;
using QcdcCompliance.Host.Settings;

namespace QcdcCompliance.Host.Cli;

public static class ServeVerb
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen", DefaultValueFactory = _ => "http://localhost:5080" };
        var command = new Command("serve", "Run the web host: API, dashboard, jobs.") { urls };
        command.SetAction(async (parse, ct) =>
        {
            var settings = CliServices.Configuration(parse);
            await DatabaseMigrator.MigrateAsync(QcdcConfiguration.Storage(settings), ct);
            var app = QcdcWebHost.Build(["--urls", parse.GetValue(urls)!], settings);
            await app.RunAsync(ct);
            return 0;
        });
        return command;
    }
}
