using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Audit;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Evaluation;

/// <summary>
/// Issue 16: a run over the same facts as the scope's last full run is stored without firing the rules. It must store
/// exactly what the full comparison stores (the run's counts, no finding or area row, its chain link), and any change
/// to what the evaluation reads must evaluate again.
/// </summary>
public sealed class UnchangedRunTests
{
    private const string Values = Province.SomeValues2020S1;

    private static async Task<Engine> LoadedAsync(StorageProvider provider = StorageProvider.Sqlite)
    {
        var engine = await (provider == StorageProvider.Postgres ? Engine.PostgresAsync("fingerprint") : Engine.SqliteAsync()).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Values);
        return engine;
    }

    [Fact]
    public async Task A_second_run_over_the_same_facts_is_stored_unevaluated_as_the_full_comparison_stores_it()
    {
        await using var skipped = await LoadedAsync();
        await using var compared = await LoadedAsync();
        foreach (var engine in new[] { skipped, compared })
            await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        // Without its fingerprint, the last run cannot be matched: the control database evaluates and compares in full.
        await using (var db = compared.Db())
            await db.EvaluationRuns.ExecuteUpdateAsync(s => s.SetProperty(r => r.InputFingerprint, (string?)null));
        var fast = (await skipped.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();
        var full = (await compared.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();

        fast.Unchanged.Should().BeTrue();
        full.Unchanged.Should().BeFalse();
        fast.Run.InputFingerprint.Should().NotBeNull();
        (fast.Run.PreviousRunId, fast.Run.UnitsEvaluated, fast.Run.FindingsOpen, fast.Run.NewCount, fast.Run.PersistingCount, fast.Run.ResolvedCount)
            .Should().Be((full.Run.PreviousRunId, full.Run.UnitsEvaluated, full.Run.FindingsOpen, full.Run.NewCount, full.Run.PersistingCount, full.Run.ResolvedCount));
        fast.Areas.Should().BeEquivalentTo(full.Areas, o => o.WithStrictOrdering());
        fast.Findings.Should().NotBeEmpty().And.BeEquivalentTo(full.Findings, o => o.WithStrictOrdering(), "the open findings, read back when asked for");
        (await CsvAsync(skipped)).Should().Be(await CsvAsync(compared));
        (await RowsAsync(skipped)).Should().Be(await RowsAsync(compared)).And.Be(((long)full.Run.FindingsOpen, (long)full.Areas.Count, 2L), "the second run wrote no finding or area row");
        (await skipped.Services.GetRequiredService<AuditVerifier>().VerifyAsync()).Ok.Should().BeTrue();
        // The control's first fingerprint was removed behind the product's back, which its link (run.v4) covers.
        (await compared.Services.GetRequiredService<AuditVerifier>().VerifyAsync()).FirstBreak.Should()
            .BeEquivalentTo(new { Kind = ChainRecordKind.Run, Id = (long?)full.Run.PreviousRunId, Sequence = 1L });
    }

    [Fact]
    public async Task A_changed_value_or_a_renamed_unit_evaluates_again()
    {
        await using var engine = await LoadedAsync();
        var first = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();

        await engine.ImportAsync(ImportKind.Values, "fix.csv", Province.ValuesHeader + "XA2,2020S1,REGULATION_ISSUED,true,\n");
        var changed = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();
        changed.Unchanged.Should().BeFalse();
        changed.Run.ResolvedCount.Should().BeGreaterThan(0);
        changed.Run.InputFingerprint.Should().NotBe(first.Run.InputFingerprint);

        // A new name changes no finding's key, only its evidence: the run must see it and write the findings again.
        await using (var db = engine.Db())
            await db.Units.Where(u => u.Code == "XA1").ExecuteUpdateAsync(s => s.SetProperty(u => u.Name, "UBND Xã Một mới"));
        var renamed = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();
        renamed.Unchanged.Should().BeFalse();
        var again = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();
        again.Unchanged.Should().BeTrue();
        again.Run.PreviousRunId.Should().Be(renamed.Run.Id);
    }

    /// <summary>
    /// The check reads the rows, not stamps an import writes: each change below is made behind the import's back (or,
    /// for the target sets, by one), and each must evaluate again; the run after it, over the same rows, must not.
    /// </summary>
    [Fact]
    public async Task Any_change_to_a_row_the_evaluation_reads_evaluates_again_and_the_run_after_it_does_not()
    {
        await using var engine = await LoadedAsync();
        var first = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();
        (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single().Unchanged.Should().BeTrue();
        int xa1, xa2, xa3, dialogue;
        await using (var db = engine.Db())
        {
            var units = await db.Units.Where(u => u.Code == "XA1" || u.Code == "XA2" || u.Code == "XA3").ToDictionaryAsync(u => u.Code, u => u.Id);
            (xa1, xa2, xa3) = (units["XA1"], units["XA2"], units["XA3"]);
            dialogue = await db.Indicators.Where(i => i.Code == "DIALOGUE_CONFERENCES").Select(i => i.Id).SingleAsync();
        }

        var changes = new (string What, Func<QcdcDbContext, Task> Change)[]
        {
            ("a value changed", db => db.DataValues.Where(v => v.UnitId == xa2 && v.IndicatorId == dialogue).ExecuteUpdateAsync(s => s.SetProperty(v => v.Value, 2))),
            ("a value deleted", db => db.DataValues.Where(v => v.UnitId == xa1 && v.IndicatorId == dialogue).ExecuteDeleteAsync()),
            ("a contact changed", db => db.Units.Where(u => u.Id == xa3).ExecuteUpdateAsync(s => s.SetProperty(u => u.ContactEmail, "xa3@example.vn"))),
            ("a trade union founded", db => db.Units.Where(u => u.Id == xa3).ExecuteUpdateAsync(s => s.SetProperty(u => u.HasTradeUnion, false))),
            ("a unit moved", db => db.Units.Where(u => u.Id == xa1).ExecuteUpdateAsync(s => s.SetProperty(u => u.AreaId, db.Areas.Where(a => a.Code == "C3").Min(a => a.Id)))),
            ("a unit closed before the period", db => db.Units.Where(u => u.Id == xa3).ExecuteUpdateAsync(s => s.SetProperty(u => u.ActiveTo, new DateOnly(2019, 12, 31)))),
            ("an area renamed", async db =>
            {
                await db.Areas.Where(a => a.Code == "C2").ExecuteUpdateAsync(s => s.SetProperty(a => a.Name, "Xã Hai mới"));
                await db.AreasChangedAsync(CancellationToken.None);
            }),
            ("a target set adopted by the province", async _ =>
            {
                const string set = """
                    {
                      "code": "09-NQ/P", "title": "Nghị quyết của Tỉnh ủy", "issued": "2019-01-01", "scope": "P",
                      "targets": [ { "code": "P-1", "rule": "NQ02-1", "population": "XA,CQ", "operator": ">=", "threshold": "100%",
                                     "measuredOver": ["Unit"], "periods": ["S1", "S2"], "textVi": "Quy chế dân chủ" } ]
                    }
                    """;
                await engine.ImportTargetsAsync("p.json", System.Text.Encoding.UTF8.GetBytes(set), scope: null);
            }),
        };
        var fingerprints = new HashSet<string?> { first.Run.InputFingerprint };
        foreach (var (what, change) in changes)
        {
            await using (var db = engine.Db())
                await change(db);
            var changed = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();
            changed.Unchanged.Should().BeFalse(what);
            fingerprints.Add(changed.Run.InputFingerprint).Should().BeTrue($"{what} gives facts never seen before");
            var again = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();
            again.Unchanged.Should().BeTrue($"nothing changed since {what}");
            again.Run.InputFingerprint.Should().Be(changed.Run.InputFingerprint);
            again.Run.UnitsEvaluated.Should().Be(changed.Run.UnitsEvaluated);
        }
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task The_fingerprint_of_the_rows_read_alone_equals_the_one_the_load_takes(StorageProvider provider)
    {
        await using var engine = await LoadedAsync(provider);
        var run = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();
        // A unit with no contact, texts outside ASCII (the province's names) and one outside the BMP.
        await using (var db = engine.Db())
            await db.Units.Where(u => u.Code == "DN2").ExecuteUpdateAsync(s => s.SetProperty(u => u.Name, "Công ty Hai 😀"));
        var again = (await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual)).Single();
        again.Unchanged.Should().BeFalse();

        var (period, scopes) = await engine.Evaluations.ResolveAsync("2020S1", null, CancellationToken.None);
        var (facts, paths) = await engine.Evaluations.LoadFactsAsync(period, scopes.Single(), CancellationToken.None);
        var earlyWarning = again.Run.StartedAt <= VietnamTime.EndOfDayUtc(period.Deadline);
        await using var read = engine.Db();
        var rows = await FactLoader.FingerprintAsync(read, period, scopes.Single(), await read.LoadAreaTreeAsync(CancellationToken.None), paths, facts.RuleSetVersion,
            earlyWarning, CancellationToken.None);

        rows.Should().Be((again.Run.InputFingerprint!, facts.Reports.Count), "the run took its fingerprint from the rows as it loaded them");
        rows.Fingerprint.Should().NotBe(run.Run.InputFingerprint);
        // Each provider hands the texts over as UTF-8 (PostgreSQL's as they came): the units made from them are the units stored.
        await using var stored = engine.Db();
        var units = await stored.Units.AsNoTracking().Where(u => u.Code != "OLD").OrderBy(u => u.Id).ToListAsync();
        facts.Reports.Select(r => (r.Unit.Id, r.Unit.Code, r.Unit.Name, r.Unit.Kind, r.Unit.HasTradeUnion, r.Unit.ContactEmail))
            .Should().Equal(units.Select(u => (u.Id, u.Code, u.Name, u.Kind, u.HasTradeUnion, u.ContactEmail)));
        facts.Reports.Select(r => r.Unit.Name).Should().Contain(["Công ty Hai 😀", "Phòng Nội vụ"]);
        facts.Reports.Should().Contain(r => r.Unit.ContactEmail == null).And.Contain(r => r.Unit.ContactEmail == "xa1@example.vn");
    }

    [Fact]
    public async Task A_run_hash_streamed_in_pieces_equals_the_hash_of_the_whole_text()
    {
        var run = new EvaluationRun
        {
            Id = 7, PeriodId = 1, ScopeAreaId = 2, RuleSetVersion = "v", Status = RunStatus.Completed, StartedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            ChainSequence = 3, PreviousHash = AuditChainHead.Genesis,
        };
        // Enough findings to be hashed in several pieces, with text outside the BMP (surrogate pairs) and Vietnamese.
        var findings = Enumerable.Range(0, 3000).Select(i => new Finding
        {
            RunId = 7, PeriodId = 1, ScopeAreaId = 2, TargetCode = "NQ02-" + (i % 7), SubjectId = i, SubjectCode = "DN-" + i,
            Measurement = new Measurement(i % 3 == 0 ? FindingOutcome.Missing : FindingOutcome.Short, i, 10, null, ComparisonOperator.AtLeast, 1_000_000, null),
            Evidence = "{\"name\":\"Công ty 😀 " + new string('đ', i % 500) + "\"}", FirstRunId = 7,
        }).ToList();
        var areas = new[] { new AreaResult { RunId = 7, PeriodId = 1, ScopeAreaId = 2, TargetCode = "NQ02-1", AreaId = 2, Status = AreaStatus.Short } };

        var whole = new StringBuilder();
        whole.Append("run|").AppendJoin('|', run.Id, run.PeriodId, run.ScopeAreaId, run.Trigger, run.RuleSetVersion, run.Status, "2026-01-01T00:00:00.000Z", null,
            run.PreviousRunId, run.UnitsEvaluated, run.FindingsOpen, run.NewCount, run.PersistingCount, run.ResolvedCount, run.ChainSequence, run.PreviousHash).Append('\n');
        foreach (var f in findings.OrderBy(f => f.TargetCode, StringComparer.Ordinal).ThenBy(f => f.SubjectType).ThenBy(f => f.SubjectId))
        {
            whole.Append("finding|").AppendJoin('|', f.RunId, f.PeriodId, f.ScopeAreaId, f.TargetCode, f.SubjectType, f.SubjectId, f.SubjectCode, f.State, f.Severity,
                f.Measurement.Numerator, f.Measurement.Denominator, f.Measurement.Value, f.Measurement.Operator, f.Measurement.ThresholdMillionths, f.Measurement.Minimum,
                f.FirstRunId, f.Evidence);
            if (f.Measurement.Outcome != FindingOutcome.Short)
                whole.Append('|').Append(f.Measurement.Outcome);
            whole.Append('\n');
        }

        whole.Append("area|").AppendJoin('|', 7, 1, 2, "NQ02-1", 2, AreaLevel.Province, 0, 0, 0, 0L, 0L, AreaStatus.Short).Append('\n');
        whole.Length.Should().BeGreaterThan(3 * (1 << 18), "the text is hashed in several pieces");

        AuditChain.HashRun(run, findings, areas, RunLinkFormat.Text).Should().Be(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(whole.ToString()))));
    }

    private static async Task<string> CsvAsync(Engine engine) => FindingCsv.Write(await engine.Findings.ListAsync(new FindingFilter("2020S1")));

    private static async Task<(long Findings, long Areas, long Runs)> RowsAsync(Engine engine)
    {
        await using var db = engine.Db();
        return (await db.Findings.LongCountAsync(), await db.AreaResults.LongCountAsync(), await db.EvaluationRuns.LongCountAsync());
    }
}
