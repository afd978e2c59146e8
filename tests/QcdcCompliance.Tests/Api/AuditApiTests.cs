using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using QcdcCompliance.Audit;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Host.Cli;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Api;

/// <summary>The audit chain through the API and the CLI, on both database servers: intact, then altered behind the product's back.</summary>
public sealed class AuditApiTests
{
    private static Func<Task<Engine>> Create(string provider) => provider == "Sqlite" ? () => Engine.SqliteAsync() : () => Engine.PostgresAsync("audit");

    private static Task<int> CliVerifyAsync(Engine engine) =>
        QcdcCli.RunAsync(["audit", "verify", "--provider", engine.Storage.Provider.ToString(), "--db", engine.Storage.Database!]);

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_finding_altered_in_the_database_makes_verify_fail_at_the_run_that_recorded_it(string provider)
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(Create(provider)));
        await bed.Engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);
        var committee = await bed.AsAsync(Role.Committee, "P");
        var finding = await bed.FindingAsync("NQ02-1", "XA2");
        (await committee.PostAsJsonAsync($"/api/findings/{finding.Id}/acknowledge", new { reason = "Đã nhắc UBND xã" })).EnsureSuccessStatusCode();
        var auditor = await bed.AsAsync(Role.Auditor, "P");

        var intact = await (await auditor.GetAsync("/api/audit/verify")).ReadAsync<ChainVerificationDto>();
        (await CliVerifyAsync(bed.Engine)).Should().Be(0);

        await using (var db = bed.Engine.Db())
            await db.Database.ExecuteSqlRawAsync("""UPDATE "Findings" SET "Numerator" = COALESCE("Numerator", 0) + 1 WHERE "Id" = {0}""", finding.Id);
        var broken = await (await auditor.GetAsync("/api/audit/verify")).ReadAsync<ChainVerificationDto>();

        intact.Ok.Should().BeTrue();
        intact.Checked.Should().Be(3, "two runs and one acknowledgement");
        broken.Ok.Should().BeFalse();
        await using var check = bed.Engine.Db();
        var run = await check.EvaluationRuns.SingleAsync(r => r.Id == finding.RunId);
        broken.FirstBreak!.Should().BeEquivalentTo(new { Kind = ChainRecordKind.Run, Id = (long?)run.Id, Sequence = run.ChainSequence!.Value });
        broken.Checked.Should().Be((int)run.ChainSequence!.Value - 1);
        (await CliVerifyAsync(bed.Engine)).Should().Be(AuditVerb.BrokenExitCode);
    }

    [Fact]
    public async Task An_altered_waiver_is_named_and_a_part_of_the_chain_verifies_from_the_link_before_it()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var committee = await bed.AsAsync(Role.Committee, "P");
        var finding = await bed.FindingAsync("NQ02-1", "XA2");
        var waiver = await (await committee.PostAsJsonAsync($"/api/findings/{finding.Id}/waive", new { reason = "Miễn theo kết luận 12" })).ReadAsync<FindingActionDto>();
        await bed.Engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);
        var auditor = await bed.AsAsync(Role.Auditor, "P");

        var tail = await (await auditor.GetAsync("/api/audit/verify?from=3")).ReadAsync<ChainVerificationDto>();
        await using (var db = bed.Engine.Db())
            await db.Database.ExecuteSqlRawAsync("""UPDATE "FindingActions" SET "Reason" = 'Miễn theo kết luận 13' WHERE "Id" = {0}""", waiver.Id);
        var broken = await (await auditor.GetAsync("/api/audit/verify")).ReadAsync<ChainVerificationDto>();
        var upToRun = await (await auditor.GetAsync("/api/audit/verify?to=1")).ReadAsync<ChainVerificationDto>();

        (tail.Ok, tail.From, tail.To, tail.Checked).Should().Be((true, 3, 3, 1));
        broken.FirstBreak!.Should().BeEquivalentTo(new { Kind = ChainRecordKind.Action, Id = (long?)waiver.Id, Sequence = 2L });
        (upToRun.Ok, upToRun.Checked).Should().Be((true, 1), "the run before the waiver is intact");
        (await auditor.GetAsync("/api/audit/verify?from=yesterday")).StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Runs_and_the_chain_are_read_by_Viet_Nam_days_and_a_range_reversed_or_past_the_head_is_a_400()
    {
        // 01:30 on 08/12 in Viet Nam is 18:30 UTC on 07/12: every scheduled evaluation (02:00) starts on the UTC day before.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 8, 1, 30, 0, TimeSpan.FromHours(7)));
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync(clock)));
        var auditor = await bed.AsAsync(Role.Auditor, "P");

        var ofTheEighth = await (await auditor.GetAsync("/api/runs?from=2026-12-08&to=2026-12-08")).ReadAsync<RunPage>();
        var ofTheSeventh = await (await auditor.GetAsync("/api/runs?from=2026-12-07&to=2026-12-07")).ReadAsync<RunPage>();
        var chainOfTheEighth = await (await auditor.GetAsync("/api/audit/verify?from=2026-12-08&to=2026-12-08")).ReadAsync<ChainVerificationDto>();

        ofTheEighth.Items.Should().ContainSingle("the dashboard lists the run under 08/12").Which.StartedAt.Should().Be(new DateTime(2026, 12, 7, 18, 30, 0));
        ofTheSeventh.Items.Should().BeEmpty();
        chainOfTheEighth.Should().BeEquivalentTo(new { Ok = true, From = 1L, To = 1L, Checked = 1 });
        foreach (var (query, parameter) in new[]
                 {
                     ("/api/runs?from=2026-12-08&to=2026-12-01", "to"), ("/api/audit/verify?from=2026-12-08&to=2026-12-01", "to"),
                     ("/api/audit/verify?from=999", "from"), ("/api/audit/verify?from=2&to=1", "to"), ("/api/audit/verify?to=5", "to"),
                 })
        {
            var refused = await auditor.GetAsync(query);
            refused.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest, query);
            (await refused.Content.ReadAsStringAsync()).Should().Contain($"\"errors\":{{\"{parameter}\":", query);
        }
    }
}
