using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Reliability;

/// <summary>
/// A <c>qcdc serve</c> process killed with SIGKILL in the middle of storing an import sent to its API, on a real
/// PostgreSQL server: struck inside the import's transaction, its values copied (straight into DataValues) and their
/// audit rows waiting to be.
/// </summary>
public sealed class ProcessKillTests
{
    private const int Agencies = 20_000;

    private static readonly string[] Indicators =
    [
        "REGULATION_ISSUED", "PEOPLE_INFORMED", "PEOPLE_TO_INFORM", "DISCLOSURE_POSTED", "INSPECTION_BOARD_CONSTITUTED", "INSPECTION_SUPERVISIONS",
        "COMPLAINTS_RECEIVED", "COMPLAINTS_RESOLVED", "PROPAGANDA_ATTENDEES", "PROPAGANDA_SESSIONS",
    ];

    [Fact]
    public async Task A_host_killed_while_it_stores_an_import_leaves_nothing_of_it_and_a_new_host_stores_the_same_file_whole()
    {
        var server = await PostgresServer.InstanceAsync();
        await using var engine = await Engine.PostgresAsync("killed").WithProvinceAsync();
        var database = PostgresFaults.DatabaseOf(engine.Storage.Database!);
        var units = new StringBuilder(Province.UnitsHeader);
        for (var i = 0; i < Agencies; i++)
            units.Append($"CQK-{i:00000},Cơ quan {i},StateAgency,C{1 + (i % 3)},true,10,,,\n");
        await engine.ImportAsync(ImportKind.Units, "agencies.csv", units.ToString());
        await engine.LoadTargetSetsAsync();
        var values = new StringBuilder(Province.ValuesHeader);
        for (var i = 0; i < Agencies; i++)
        {
            foreach (var indicator in Indicators)
                values.Append($"CQK-{i:00000},2020S1,{indicator},{(indicator.EndsWith("_ISSUED", StringComparison.Ordinal) || indicator.EndsWith("_POSTED", StringComparison.Ordinal) || indicator.EndsWith("_CONSTITUTED", StringComparison.Ordinal) ? "true" : (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture))},\n");
        }

        var file = Encoding.UTF8.GetBytes(values.ToString());
        var key = await HostProcess.RunAsync(engine.Storage, "keys", "create", "--role", "reporter", "--area", "P", "--name", "Cán bộ báo cáo");
        var before = await engine.CountsAsync();

        HttpStatusCode? answered = null;
        (string State, string Query)? frozen;
        await using (var first = await HostProcess.ServeAsync(engine.Storage))
        {
            // The audit table held by the test in SHARE mode, as an index being built over it holds it: the import copies
            // its values, then waits to copy their audit rows inside its transaction, where it is struck.
            await using var audits = await server.HoldAsync(database, """LOCK TABLE "DataValueAudits" IN SHARE MODE""");
            var import = first.Client(key).PostAsync("/api/imports/values?file=values.csv", new ByteArrayContent(file));
            var copying = await server.WaitForLockWaitAsync(database, ["COPY \"DataValueAudits\"%"], TimeSpan.FromMinutes(2));
            // Stopped at once, so that nothing more leaves the host (no COMMIT), then checked: its transaction is still open.
            first.Freeze();
            frozen = await server.BackendStateAsync(copying);
            await first.KillAsync();
            // The table released: the dead host's backend goes on, finds its client gone and rolls back.
            await audits.DisposeAsync();
            try
            {
                answered = (await import).StatusCode;
            }
            catch (HttpRequestException)
            {
                // The connection died with the process: what a client sees of a SIGKILL.
            }

            await server.WaitForBackendGoneAsync(copying, TimeSpan.FromSeconds(30));
        }

        var afterKill = await engine.CountsAsync();
        await using var second = await HostProcess.ServeAsync(engine.Storage);
        using var retried = await second.Client(key).PostAsync("/api/imports/values?file=values.csv", new ByteArrayContent(file));

        frozen.Should().Match<(string State, string Query)?>(f => f != null && (f.Value.State == "idle in transaction" || (f.Value.State == "active" && !f.Value.Query.StartsWith("COMMIT"))),
            "the host was stopped inside the import's transaction, before its COMMIT");
        answered.Should().BeNull("the host died before it could answer");
        afterKill.Should().Be(before, "nothing of an import whose host died before it committed is stored");
        retried.StatusCode.Should().Be(HttpStatusCode.OK, await retried.Content.ReadAsStringAsync());
        await using var db = engine.Db();
        (await db.DataValues.CountAsync()).Should().Be(Agencies * Indicators.Length, "the same file sent to a new host is stored whole, once");
        (await db.DataValueAudits.CountAsync()).Should().Be(Agencies * Indicators.Length, "each value was stored once, audited once as a first value");
        (await db.DataValueAudits.CountAsync(a => a.OldValue != null)).Should().Be(0, "no value was stored twice or changed");
    }
}
