using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
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
}
