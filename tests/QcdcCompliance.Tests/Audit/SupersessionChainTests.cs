using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Audit;
using QcdcCompliance.Decisions;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Audit;

/// <summary>
/// rev56-auditor, defect 1: <c>SupersededByRunId</c> decides which findings and area results are current, so setting it
/// on an open finding hid it from every list while <c>audit verify</c> said OK; <c>InputFingerprint</c> was not covered
/// either. A run's link now hashes the rows it superseded and its fingerprint (<see cref="RunLinkFormat.Superseding"/>),
/// and the verifier holds every row's supersession to the rule runs follow, on links of every format.
/// </summary>
public sealed class SupersessionChainTests
{
    private static Func<Task<Engine>> Create(string provider) => provider == "Sqlite"
        ? () => Engine.SqliteAsync(configure: s => s.AddQcdcDecisions())
        : () => Engine.PostgresAsync("supersession", configure: s => s.AddQcdcDecisions());

    /// <param name="legacy">Every run's link as the build before stored it (<see cref="RunLinkFormat.Digested"/>, no supersession hashed).</param>
    [Theory]
    [InlineData("Sqlite", false)]
    [InlineData("Sqlite", true)]
    [InlineData("Postgres", false)]
    [InlineData("Postgres", true)]
    public async Task Each_altered_supersession_or_fingerprint_is_named_and_an_untampered_province_verifies(string provider, bool legacy)
    {
        await using var engine = await ApiTestbed.ProvinceAsync(Create(provider));
        var verifier = engine.Services.GetRequiredService<AuditVerifier>();
        var signOffs = engine.Services.GetRequiredService<SignOffService>();
        async Task<long> EvaluateAsync(string period)
        {
            var run = (await engine.Evaluations.EvaluateAsync(period, null, RunTrigger.Manual)).Single().Run;
            if (legacy)
                await ChainFormatTests.RewriteLinkAsync(engine, run.Id, RunLinkFormat.Digested);
            return run.Id;
        }

        if (legacy)
            await ChainFormatTests.RewriteLinkAsync(engine, 1, RunLinkFormat.Digested);
        // XA2's regulation reported, then withdrawn: its finding resolved, then reopened (New, superseding the resolved row).
        await engine.ImportAsync(ImportKind.Values, "fix.csv", Province.ValuesHeader + "XA2,2020S1,REGULATION_ISSUED,true,\nXA2,2020S1,DIALOGUE_CONFERENCES,1,\n");
        var resolving = await EvaluateAsync("2020S1");
        await engine.ImportAsync(ImportKind.Values, "undo.csv", Province.ValuesHeader + "XA2,2020S1,REGULATION_ISSUED,false,\n");
        var reopening = await EvaluateAsync("2020S1");
        var year = await EvaluateAsync("2020");
        await signOffs.SignOffAsync("2020S1", "P", "Đã rà soát", "committee@P");
        await signOffs.ReopenAsync("2020S1", "P", "Bổ sung số liệu", "committee@P");
        var latest = await EvaluateAsync("2020S1");

        await using (var db = engine.Db())
        {
            (await db.Findings.CountAsync(f => f.SupersededByRunId == resolving)).Should().BePositive("the second run resolved findings");
            (await db.Findings.CountAsync(f => f.SupersededByRunId == reopening && f.State == FindingState.Resolved)).Should().BePositive("the third reopened one");
            (await db.AreaResults.CountAsync(a => a.SupersededByRunId != null)).Should().BePositive();
            (await db.SignOffs.CountAsync()).Should().Be(2);
        }

        var intact = await verifier.VerifyAsync();
        intact.FirstBreak.Should().BeNull();
        intact.Checked.Should().Be(7, "five runs, a sign-off and its reopening");

        Finding open, superseded;
        AreaResult area, areaOfEarlierRun;
        await using (var db = engine.Db())
        {
            open = await db.Findings.AsNoTracking().SingleAsync(f => f.TargetCode == "NQ02-1" && f.SubjectCode == "XA2" && f.SupersededByRunId == null);
            open.Should().BeEquivalentTo(new { RunId = reopening, State = FindingState.New }, "the reopened finding is the open one");
            superseded = await db.Findings.AsNoTracking().FirstAsync(f => f.SupersededByRunId == reopening);
            area = await db.AreaResults.AsNoTracking().OrderBy(a => a.Id).FirstAsync(a => a.RunId == reopening && a.SupersededByRunId == null);
            areaOfEarlierRun = await db.AreaResults.AsNoTracking().OrderBy(a => a.Id).FirstAsync(a => a.RunId < latest && a.PeriodId == area.PeriodId && a.SupersededByRunId == null);
        }

        // The reviewer's tamper: an open finding marked superseded by a later run of another period leaves every current list.
        await TamperedAsync("""UPDATE "Findings" SET "SupersededByRunId" = {0} WHERE "Id" = {1}""", [year, open.Id],
            """UPDATE "Findings" SET "SupersededByRunId" = NULL WHERE "Id" = {0}""", [open.Id],
            open.RunId, $"finding #{open.Id} of run {open.RunId} (NQ02-1, Unit XA2) is marked superseded by run {year}, but no later run");
        // A supersession removed: the resolved row is current again next to the reopened one.
        await TamperedAsync("""UPDATE "Findings" SET "SupersededByRunId" = NULL WHERE "Id" = {0}""", [superseded.Id],
            """UPDATE "Findings" SET "SupersededByRunId" = {0} WHERE "Id" = {1}""", [reopening, superseded.Id],
            superseded.RunId, $"finding #{superseded.Id} of run {superseded.RunId} ", $"is not marked superseded, but run {reopening} recorded its key again");
        // An area result marked superseded by a run of another period.
        await TamperedAsync("""UPDATE "AreaResults" SET "SupersededByRunId" = {0} WHERE "Id" = {1}""", [year, area.Id],
            """UPDATE "AreaResults" SET "SupersededByRunId" = NULL WHERE "Id" = {0}""", [area.Id],
            area.RunId, $"area result #{area.Id} of run {area.RunId} ", $"is marked superseded by run {year}, which is not a later run of its period and scope");

        // An area result marked dropped by a later full run of its own scope that did not drop it, and a fingerprint
        // altered: only the run's link can tell (run.v4); a link of the format before covers neither (README, The audit chain).
        var hashed = legacy ? null : (long?)latest;
        await TamperedAsync("""UPDATE "AreaResults" SET "SupersededByRunId" = {0} WHERE "Id" = {1}""", [latest, areaOfEarlierRun.Id],
            """UPDATE "AreaResults" SET "SupersededByRunId" = NULL WHERE "Id" = {0}""", [areaOfEarlierRun.Id],
            hashed, "the run, its findings, its area results or the rows it superseded no longer give the stored hash");
        string fingerprint;
        await using (var db = engine.Db())
            fingerprint = (await db.EvaluationRuns.SingleAsync(r => r.Id == latest)).InputFingerprint!;
        fingerprint.Should().NotBeNullOrEmpty();
        await TamperedAsync("""UPDATE "EvaluationRuns" SET "InputFingerprint" = {0} WHERE "Id" = {1}""", [new string('0', 64), latest],
            """UPDATE "EvaluationRuns" SET "InputFingerprint" = {0} WHERE "Id" = {1}""", [fingerprint, latest],
            hashed, "the run, its findings, its area results or the rows it superseded no longer give the stored hash");
        return;

        async Task TamperedAsync(string tamper, object[] values, string undo, object[] undoValues, long? brokenAt, params string[] problem)
        {
            await using (var db = engine.Db())
                (await db.Database.ExecuteSqlRawAsync(tamper, values)).Should().Be(1);
            var result = await verifier.VerifyAsync();
            if (brokenAt is null)
                result.FirstBreak.Should().BeNull("a link written before run.v4 does not cover this");
            else
            {
                await using var db = engine.Db();
                var sequence = await db.EvaluationRuns.Where(r => r.Id == brokenAt).Select(r => r.ChainSequence).SingleAsync();
                result.FirstBreak.Should().BeEquivalentTo(new { Kind = ChainRecordKind.Run, Id = brokenAt, Sequence = sequence!.Value }, tamper);
                foreach (var words in problem)
                    result.FirstBreak!.Problem.Should().Contain(words);
                result.Checked.Should().Be((int)sequence.Value - 1);
                // Checked from the run named onwards, it is found there too.
                (await verifier.VerifyAsync(sequence.Value)).FirstBreak.Should().BeEquivalentTo(new { Id = brokenAt, Sequence = sequence.Value });
            }

            await using (var db = engine.Db())
                (await db.Database.ExecuteSqlRawAsync(undo, undoValues)).Should().Be(1);
            (await verifier.VerifyAsync()).FirstBreak.Should().BeNull("the tamper undone");
        }
    }
}
