using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using QcdcCompliance.Alerts;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Alerts;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Reliability;

/// <summary>
/// What the process-level job faults share: the test province grown by thousands of agencies without an address (so
/// that an evaluation lasts long enough to be struck, while its alerts stay a handful of committee digests and unit
/// alerts), the settings of a <c>qcdc serve</c> child process with Hangfire polling fast and SMTP pointed at a loopback
/// server, and what arrived there.
/// </summary>
public static class ServedJobs
{
    /// <summary>Agencies added to the province: about 12,000 finding rows.</summary>
    public const int Agencies = 3_000;

    /// <summary>No schedule fires during a test: only what the test queues runs (and delivery, every 2 s).</summary>
    private const string Never = "0 0 31 2 *";

    public static AlertOptions Alerts() => new()
    {
        Committees = new(StringComparer.OrdinalIgnoreCase) { ["P"] = AlertScenario.ProvinceCommittee, ["D1"] = AlertScenario.DistrictCommittee },
        PickupFolder = TestFolders.NewFolder("mail"),
    };

    /// <summary>
    /// Two PostgreSQL databases holding the province, the agencies, the target sets and 2020S1 values, copied from one
    /// loaded once: the control, whose engine composes alerts in-process (as a host does), and the one a test serves.
    /// </summary>
    public static async Task<(Engine Control, Engine Served)> LoadedAsync(string name)
    {
        var server = await PostgresServer.InstanceAsync();
        StorageOptions loaded;
        await using (var engine = await Engine.PostgresAsync($"{name}_loaded").WithProvinceAsync())
        {
            var units = new StringBuilder(Province.UnitsHeader);
            for (var i = 0; i < Agencies; i++)
                units.Append(CultureInfo.InvariantCulture, $"CQK-{i:00000},Cơ quan {i},StateAgency,C{1 + (i % 3)},true,10,,,\n");
            await engine.ImportAsync(ImportKind.Units, "agencies.csv", units.ToString());
            await engine.LoadTargetSetsAsync();
            await engine.ImportAsync(ImportKind.Values, "values.csv", AlertScenario.Values);
            loaded = engine.Storage;
        }

        var control = Engine.Postgres(await server.CopyDatabaseAsync(loaded, $"{name}_control"), configure: services => services.AddQcdcAlerts(Alerts()));
        var served = Engine.Postgres(await server.CopyDatabaseAsync(loaded, name));
        return (control, served);
    }

    /// <summary>
    /// The settings of a served host, as an operator would give them (environment variables): queues polled twice a
    /// second, a job of a dead host taken again after <paramref name="invisibility"/>, a lock of a dead host removed
    /// after <paramref name="lockTimeout"/>, delivery every 2 s over SMTP to <paramref name="smtp"/>.
    /// </summary>
    public static Dictionary<string, string> Environment(LoopbackSmtp smtp, TimeSpan? invisibility = null, TimeSpan? lockTimeout = null) => new()
    {
        ["Jobs__PollInterval"] = "00:00:00.5",
        ["Jobs__WorkerCount"] = "2",
        ["Jobs__InvisibilityTimeout"] = (invisibility ?? TimeSpan.FromSeconds(5)).ToString("c", CultureInfo.InvariantCulture),
        ["Jobs__LockTimeout"] = (lockTimeout ?? TimeSpan.FromMinutes(10)).ToString("c", CultureInfo.InvariantCulture),
        ["Jobs__DeliverCron"] = "*/2 * * * * *",
        ["Jobs__EvaluateCron"] = Never,
        ["Jobs__RemindCron"] = Never,
        ["Jobs__EscalateCron"] = Never,
        ["Alerts__Smtp__Host"] = "127.0.0.1",
        ["Alerts__Smtp__Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
        ["Alerts__Smtp__Security"] = "None",
        ["Alerts__Smtp__Timeout"] = "00:00:10",
        ["Alerts__Committees__P"] = AlertScenario.ProvinceCommittee,
        ["Alerts__Committees__D1"] = AlertScenario.DistrictCommittee,
    };

    /// <summary>An API key of the province's committee (who may ask for evaluations), made with the real CLI.</summary>
    public static Task<string> CommitteeKeyAsync(Engine engine) =>
        HostProcess.RunAsync(engine.Storage, "keys", "create", "--role", "committee", "--area", "P", "--name", "Ban Chỉ đạo tỉnh");

    /// <summary>POST /api/evaluations for 2020S1 over P: the request that queues the job.</summary>
    public static async Task<string> EnqueueAsync(HostProcess host, string key)
    {
        using var client = host.Client(key);
        using var answer = await client.PostAsJsonAsync("/api/evaluations", new { period = RunFaults.Period, area = RunFaults.Scope });
        var body = await answer.Content.ReadAsStringAsync();
        answer.StatusCode.Should().Be(HttpStatusCode.Accepted, body);
        return body;
    }

    public static async Task<List<EvaluationRun>> RunsAsync(Engine engine)
    {
        await using var db = engine.Db();
        return await db.EvaluationRuns.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
    }

    public static async Task<List<OutboxMessage>> OutboxAsync(Engine engine)
    {
        await using var db = engine.Db();
        return await db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
    }

    /// <summary>Waits until every message of the outbox is Sent and has arrived; the outbox then.</summary>
    public static Task<List<OutboxMessage>> AllDeliveredAsync(Engine engine, LoopbackSmtp smtp, TimeSpan timeout) =>
        Eventually.WaitAsync(() => OutboxAsync(engine), o => o.Count > 0 && o.All(m => m.Status == MessageStatus.Sent) && smtp.Received().Count >= o.Count,
            "every outbox message sent and received", timeout);

    /// <summary>What arrived, one line per message: recipient and subject (sorted), to compare with what a control composed.</summary>
    public static List<string> Letters(IEnumerable<MimeMessage> received) =>
        received.Select(m => $"{m.To.Mailboxes.Single().Address} | {m.Subject}").Order(StringComparer.Ordinal).ToList();

    public static List<string> Letters(IEnumerable<OutboxMessage> outbox) =>
        outbox.Select(m => $"{m.Recipient} | {m.Subject}").Order(StringComparer.Ordinal).ToList();

    /// <summary>The Message-ID each outbox row is sent with (derived from its key).</summary>
    public static List<string> MessageIds(IEnumerable<OutboxMessage> outbox) =>
        outbox.Select(m => OutboxMail.MessageId(m.Key, "localhost")).Order(StringComparer.Ordinal).ToList();

    public static List<string> MessageIds(IEnumerable<MimeMessage> received) =>
        received.Select(m => m.MessageId ?? "(none)").Order(StringComparer.Ordinal).ToList();
}
