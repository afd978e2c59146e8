using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Audit;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Audit;

/// <summary>
/// Issue 16: a run's link hashes each finding's evidence as the bytes stored (<see cref="RunLinkFormat.Stored"/>) instead
/// of unpacking 400,000 of them to text, and since 05/12 the findings' lines on their own, while the rows are written
/// (<see cref="RunLinkFormat.Digested"/>), and since 08/12 with its input fingerprint and the rows it superseded
/// (<see cref="RunLinkFormat.Superseding"/>). Links written before (<see cref="RunLinkFormat.Text"/>, <see cref="RunLinkFormat.Stored"/>,
/// <see cref="RunLinkFormat.Digested"/>) must still verify, and altering what is stored must break a link of any format.
/// </summary>
public sealed class ChainFormatTests
{
    [Fact]
    public void A_run_link_hashes_each_evidence_as_the_bytes_stored_without_unpacking_them()
    {
        var run = new EvaluationRun
        {
            Id = 7, PeriodId = 1, ScopeAreaId = 2, RuleSetVersion = "v", Status = RunStatus.Completed, StartedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            ChainSequence = 3, PreviousHash = AuditChainHead.Genesis, FindingsOpen = 3000,
        };
        // Enough findings to fill the hash's buffer several times; each evidence a frame of its own, one of them a
        // frame's header followed by bytes that are no Zstandard data (unpacking it would throw), one as large as the buffer.
        var findings = Enumerable.Range(0, 3000).Select(i => new Finding
        {
            RunId = 7, PeriodId = 1, ScopeAreaId = 2, TargetCode = "NQ02-" + (i % 7), SubjectType = i % 11 == 0 ? SubjectType.Area : SubjectType.Unit, SubjectId = i,
            SubjectCode = "DN-" + i + (i % 5 == 0 ? " Công ty 😀" : ""), State = (FindingState)(i % 3), Severity = (Severity)(i % 3),
            Measurement = new Measurement(i % 3 == 0 ? FindingOutcome.Missing : FindingOutcome.Short, i % 4 == 0 ? null : i, 10, null, ComparisonOperator.AtLeast, 1_000_000,
                i % 6 == 0 ? 3 : null, i % 2 == 0 ? i : null),
            PackedEvidence = i == 1 ? [0x28, 0xB5, 0x2F, 0xFD, 1, 2, 3] : i == 2 ? new byte[300_000] : CompactText.Evidence.Pack("{\"name\":\"Công ty " + new string('đ', i % 50) + "\"}"),
            FirstRunId = 7,
        }).Reverse().ToList();
        var areas = new[] { new AreaResult { RunId = 7, PeriodId = 1, ScopeAreaId = 2, TargetCode = "NQ02-1", AreaId = 2, Status = AreaStatus.Short, Numerator = 4 } };

        // The formats, written out: fields as text separated by '|', a null as nothing, the evidence as its length, ':' and its bytes.
        static string Line(params object?[] fields) => string.Join('|', fields.Select(f => f is null ? "" : Convert.ToString(f, CultureInfo.InvariantCulture))) + "\n";
        static string RunLine(string version) =>
            Line(version, 7, 1, 2, RunTrigger.Manual, "v", RunStatus.Completed, "2026-01-01T00:00:00.000Z", null, null, 0, 3000, 0, 0, 0, 3, AuditChainHead.Genesis);
        var findingLines = new MemoryStream();
        foreach (var f in findings.OrderBy(f => f.TargetCode, StringComparer.Ordinal).ThenBy(f => f.SubjectType).ThenBy(f => f.SubjectId))
        {
            var m = f.Measurement;
            Write(findingLines, Line(
                "finding", f.RunId, f.PeriodId, f.ScopeAreaId, f.TargetCode, f.SubjectType, f.SubjectId, f.SubjectCode, f.State, f.Severity, m.Numerator, m.Denominator,
                m.Value, m.Operator, m.ThresholdMillionths, m.Minimum, f.FirstRunId, m.Outcome, m.Gap, f.PackedEvidence.Length)[..^1] + ":");
            findingLines.Write(f.PackedEvidence);
            Write(findingLines, "\n");
        }

        var areaLine = Line("area", 7, 1, 2, "NQ02-1", 2, areas[0].AreaLevel, 0, 0, 0, 4L, 0L, AreaStatus.Short);
        var stored = new MemoryStream();
        Write(stored, RunLine("run.v2"));
        stored.Write(findingLines.ToArray());
        Write(stored, areaLine);
        var digested = RunLine("run.v3") + Line("findings", 3000, Convert.ToHexStringLower(SHA256.HashData(findingLines.ToArray()))) + areaLine;

        AuditChain.HashRun(run, findings, areas, RunLinkFormat.Digested).Should().Be(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(digested))),
            "links of 07/12 and before hash the findings' lines apart");
        // The current format: the run's line also ends with its input fingerprint, and the ids of the rows it superseded
        // follow the findings' line, in id order.
        run.InputFingerprint = "ab12";
        var superseded = new SupersededRows([9, 3], [5]);
        var superseding = RunLine("run.v4")[..^1] + "|ab12\n" + Line("findings", 3000, Convert.ToHexStringLower(SHA256.HashData(findingLines.ToArray())))
                          + Line("supersedes", "findings", 2, 3, 9) + Line("supersedes", "areas", 1, 5) + areaLine;
        var hash = AuditChain.HashRun(run, findings, areas, superseded: superseded);
        hash.Should().Be(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(superseding))), "the current format covers the fingerprint and what the run superseded");
        AuditChain.HashRun(run, findings, areas, RunLinkFormat.Superseding, superseded).Should().Be(hash, "run.v4 is the current format");
        AuditChain.HashRun(run, findings, areas, superseded: new SupersededRows([9], [5])).Should().NotBe(hash, "a supersession removed changes the link");
        AuditChain.HashRun(run, findings, areas, superseded: new SupersededRows([9, 3], [])).Should().NotBe(hash, "so does an area result's");
        run.InputFingerprint = "ab13";
        AuditChain.HashRun(run, findings, areas, superseded: superseded).Should().NotBe(hash, "and the fingerprint");
        run.InputFingerprint = "ab12";
        var storedHash = AuditChain.HashRun(run, findings, areas, RunLinkFormat.Stored);
        storedHash.Should().Be(Convert.ToHexStringLower(SHA256.HashData(stored.ToArray())), "links of 05/12 and before hash every line in one");
        // The writer puts the rows in the link's order apart (on another core, while they are written): the same link.
        var shuffled = findings.OrderBy(_ => Random.Shared.Next()).ToList();
        AuditChain.HashRun(run, AuditChain.InLinkOrder(shuffled), areas, superseded).Should().Be(hash, "the rows the writer orders apart hash as the verifier orders them");

        findings[10].PackedEvidence = [.. findings[10].PackedEvidence];
        findings[10].PackedEvidence[^1] ^= 1;
        AuditChain.HashRun(run, findings, areas, superseded: superseded).Should().NotBe(hash, "one bit of one stored evidence changes the link");
        AuditChain.HashRun(run, findings, areas, RunLinkFormat.Stored).Should().NotBe(storedHash, "and a link of the format before");
    }

    [Fact]
    public void Two_findings_of_one_key_are_never_put_in_a_link_order()
    {
        static Finding Row(int id) => new()
        {
            TargetCode = "NQ02-1", SubjectType = SubjectType.Unit, SubjectId = id, SubjectCode = "U" + id, PackedEvidence = [],
            Measurement = new Measurement(FindingOutcome.Short, 1, 2, null, ComparisonOperator.AtLeast, 1_000_000, null, null),
        };

        // An unstable sort could order rows of one key either way: the writer's link would then not be the verifier's.
        FluentActions.Invoking(() => AuditChain.InLinkOrder([Row(2), Row(1), Row(2)])).Should().Throw<InvalidOperationException>();
        AuditChain.InLinkOrder([Row(3), Row(1), Row(2)]).Should().NotBeNull();
    }

    [Fact]
    public async Task A_chain_with_links_of_every_format_verifies_and_an_altered_evidence_breaks_a_link_of_any()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,true,\nXA2,2020S1,REGULATION_ISSUED,false,\n");
        var first = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single().Run;

        // The first run as an earlier build stored it: its link hashed in the text format, the head on it.
        await using (var db = engine.Db())
        {
            var run = await db.EvaluationRuns.SingleAsync(r => r.Id == first.Id);
            var findings = await db.Findings.AsNoTracking().Where(f => f.RunId == run.Id).ToListAsync();
            var areas = await db.AreaResults.AsNoTracking().Where(a => a.RunId == run.Id).ToListAsync();
            findings.Should().NotBeEmpty();
            run.Hash.Should().Be(AuditChain.HashRun(run, findings, areas, RunLinkFormat.Superseding), "a first run supersedes nothing");
        }

        await RewriteLinkAsync(engine, first.Id, RunLinkFormat.Text);
        await engine.ImportAsync(ImportKind.Values, "fix.csv", Province.ValuesHeader + "XA2,2020S1,REGULATION_ISSUED,true,\nXA2,2020S1,DIALOGUE_CONFERENCES,0,\n");
        var second = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single().Run;
        second.PreviousHash.Should().Be((await LinkAsync(engine, first.Id)).Hash, "the new link follows the old one");
        // The second as the build of 05/12 stored it.
        await RewriteLinkAsync(engine, second.Id, RunLinkFormat.Stored);
        await engine.ImportAsync(ImportKind.Values, "more.csv", Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,false,\n");
        var third = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single().Run;
        third.PreviousHash.Should().Be((await LinkAsync(engine, second.Id)).Hash);
        (await FindingCountAsync(engine, third.Id)).Should().BePositive("each link covers findings");

        var verifier = engine.Services.GetRequiredService<AuditVerifier>();
        var intact = await verifier.VerifyAsync();
        intact.Ok.Should().BeTrue();
        intact.Checked.Should().Be(3);

        foreach (var run in new[] { first, second, third })
        {
            await using var db = engine.Db();
            var finding = await db.Findings.Where(f => f.RunId == run.Id).OrderBy(f => f.Id).FirstAsync();
            var stored = finding.PackedEvidence;
            // The same text stored as text, not a frame: what a reader sees is unchanged, but the stored bytes are not what was hashed
            // (a link in the text format still holds, one in the stored format breaks), then a changed text breaks both.
            await SetEvidenceAsync(engine, finding.Id, Encoding.UTF8.GetBytes(finding.Evidence));
            (await verifier.VerifyAsync()).Ok.Should().Be(run.Id == first.Id, "the text format hashed the text, the stored format the bytes");
            await SetEvidenceAsync(engine, finding.Id, CompactText.Evidence.Pack(finding.Evidence.Replace("}", " }", StringComparison.Ordinal)));
            var broken = await verifier.VerifyAsync();
            broken.Ok.Should().BeFalse();
            broken.FirstBreak!.Should().BeEquivalentTo(new { Kind = ChainRecordKind.Run, Id = (long?)run.Id, Sequence = run.ChainSequence!.Value });
            await SetEvidenceAsync(engine, finding.Id, stored);
            (await verifier.VerifyAsync()).Ok.Should().BeTrue();
        }
    }

    /// <summary>A run's link hashed again in an earlier format, and the head on it, as an earlier build stored it (the run must be the head).</summary>
    internal static async Task RewriteLinkAsync(Engine engine, long runId, RunLinkFormat format)
    {
        await using var db = engine.Db();
        var run = await db.EvaluationRuns.SingleAsync(r => r.Id == runId);
        var findings = await db.Findings.AsNoTracking().Where(f => f.RunId == run.Id).ToListAsync();
        var areas = await db.AreaResults.AsNoTracking().Where(a => a.RunId == run.Id).ToListAsync();
        var head = await db.AuditChainHeads.SingleAsync();
        head.Hash.Should().Be(run.Hash, "only the head's link is rewritten");
        run.Hash = AuditChain.HashRun(run, findings, areas, format);
        head.Hash = run.Hash;
        await db.SaveChangesAsync();
    }

    private static async Task<int> FindingCountAsync(Engine engine, long runId)
    {
        await using var db = engine.Db();
        return await db.Findings.CountAsync(f => f.RunId == runId);
    }

    private static async Task<EvaluationRun> LinkAsync(Engine engine, long runId)
    {
        await using var db = engine.Db();
        return await db.EvaluationRuns.AsNoTracking().SingleAsync(r => r.Id == runId);
    }

    private static async Task SetEvidenceAsync(Engine engine, long findingId, byte[] evidence)
    {
        await using var db = engine.Db();
        await db.Findings.Where(f => f.Id == findingId).ExecuteUpdateAsync(s => s.SetProperty(f => f.PackedEvidence, evidence));
    }

    private static void Write(Stream stream, string text) => stream.Write(Encoding.UTF8.GetBytes(text));
}
