using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using QcdcCompliance.Audit;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Storage;

/// <summary>
/// The rows an evaluation reads by plain SQL instead of a LINQ query (target sets, runs, area results, the scope's latest
/// run, the chain's head, periods) read as EF Core reads them, on SQLite and PostgreSQL, and name every column of their
/// entity, so that a column added to the model cannot be left out of them unnoticed.
/// </summary>
public sealed class PlainReadTests
{
    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.SqlServer)]
    [InlineData(StorageProvider.Postgres)]
    public void Each_plain_read_names_every_column_of_its_entity(StorageProvider provider)
    {
        using var db = StorageRegistration.CreateContext(new StorageOptions { Provider = provider, Database = ProviderTests.OfflineConnection(provider) });

        TargetSetRows.ColumnsOf<Resolution>().Should().BeEquivalentTo(ColumnsOf<Resolution>(db));
        TargetSetRows.ColumnsOf<Target>().Should().BeEquivalentTo(ColumnsOf<Target>(db));
        RunRows.ColumnsOf<EvaluationRun>().Should().BeEquivalentTo(ColumnsOf<EvaluationRun>(db));
        RunRows.ColumnsOf<AreaResult>().Should().BeEquivalentTo(ColumnsOf<AreaResult>(db));
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task Plain_reads_give_the_rows_EF_Core_reads(StorageProvider provider)
    {
        await using var engine = provider == StorageProvider.Postgres ? await Engine.PostgresAsync("plain-reads") : await Engine.SqliteAsync();
        var stored = await StoreEveryColumnAsync(engine);

        await using var db = engine.Db();
        var sets = await TargetSetRows.ResolutionsAsync(db, targets: true, CancellationToken.None);
        var efSets = await db.Resolutions.AsNoTracking().Include(r => r.Targets).OrderBy(r => r.Id).ToListAsync();
        sets.Should().BeEquivalentTo(efSets, o => o.IgnoringCyclicReferences());
        sets.Single().Targets.Should().OnlyContain(t => ReferenceEquals(t.Resolution, sets[0]));
        sets.Single().ImportedAt.Kind.Should().Be(DateTimeKind.Utc);
        (await TargetSetRows.ResolutionsAsync(db, targets: false, CancellationToken.None)).Single().Targets.Should().BeEmpty();
        (await TargetSetRows.TargetsAsync(db, CancellationToken.None)).Should().BeEquivalentTo(efSets.Single().Targets,
            o => o.Excluding(t => t.Resolution));

        var run = await RunRows.RunAsync(db, stored.Run.Id, CancellationToken.None);
        run.Should().BeEquivalentTo(await db.EvaluationRuns.AsNoTracking().SingleAsync(r => r.Id == stored.Run.Id));
        run.StartedAt.Kind.Should().Be(DateTimeKind.Utc);
        (await RunRows.RunAsync(db, stored.Bare.Id, CancellationToken.None)).Should().BeEquivalentTo(
            await db.EvaluationRuns.AsNoTracking().SingleAsync(r => r.Id == stored.Bare.Id), "a run's NULLs read back as NULLs");

        var current = await RunRows.CurrentAreasAsync(db, stored.Run.PeriodId, stored.Run.ScopeAreaId, CancellationToken.None);
        current.Should().BeEquivalentTo(await db.AreaResults.AsNoTracking().Where(a => a.SupersededByRunId == null).ToListAsync());
        current.Select(a => a.AreaId).Should().BeEquivalentTo([stored.Areas[1].AreaId, stored.Areas[2].AreaId], "the superseded row is not current");
        (await RunRows.CurrentAreasAsync(db, stored.Run.PeriodId, stored.Run.ScopeAreaId, CancellationToken.None, [stored.Areas[2].AreaId]))
            .Should().ContainSingle().Which.Id.Should().Be(stored.Areas[2].Id);

        var state = await RunRows.StateAsync(db, stored.Run.PeriodId, stored.Run.ScopeAreaId, CancellationToken.None);
        state.Should().BeEquivalentTo(await db.ScopeStates.AsNoTracking().SingleAsync());
        db.ChangeTracker.Entries().Should().BeEmpty("SQLite and PostgreSQL store a run's own rows by plain SQL, so nothing read is tracked");
        (await RunRows.StateAsync(db, stored.Run.PeriodId + 1, stored.Run.ScopeAreaId, CancellationToken.None)).Should().BeNull();
        (await RunRows.LatestFingerprintAsync(db, stored.Run.PeriodId, stored.Run.ScopeAreaId, CancellationToken.None)).Should().Be("fingerprint");
        (await RunRows.LatestFingerprintAsync(db, stored.Run.PeriodId + 1, stored.Run.ScopeAreaId, CancellationToken.None)).Should().BeNull();

        (await PeriodStore.WithCodesAsync(db, CancellationToken.None, "2020S1", "2021")).Should().BeEquivalentTo(
            await db.Periods.AsNoTracking().Where(p => p.Code == "2020S1").ToListAsync());
    }

    [Fact]
    public async Task The_chain_head_is_read_locked_and_tracked_for_a_committee_act_and_as_tracked_when_already_tracked()
    {
        await using var engine = await Engine.SqliteAsync();
        await using var db = engine.Db();
        await using var transaction = await db.Database.BeginTransactionAsync();

        var head = await AuditChain.LockHeadAsync(db, CancellationToken.None);
        head.Should().BeEquivalentTo(new AuditChainHead { Id = 1, Sequence = 0, Hash = AuditChainHead.Genesis });
        head.Sequence = 5;
        (await AuditChain.LockHeadAsync(db, CancellationToken.None)).Should().BeSameAs(head);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();

        await using var other = engine.Db();
        var read = await AuditChain.LockHeadAsync(other, CancellationToken.None, track: false);
        read.Sequence.Should().Be(5, "the change to the tracked head was saved");
        other.ChangeTracker.Entries().Should().BeEmpty();
    }

    private static List<string> ColumnsOf<T>(QcdcDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(T))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        return entity.GetProperties().Concat(entity.GetComplexProperties().SelectMany(c => c.ComplexType.GetProperties()))
            .Select(p => p.GetColumnName(table)!).ToList();
    }

    private sealed record Stored(EvaluationRun Run, EvaluationRun Bare, List<AreaResult> Areas);

    /// <summary>A set with a target whose every column holds a value (no NULL, no default), two runs and three area results.</summary>
    private static async Task<Stored> StoreEveryColumnAsync(Engine engine)
    {
        await using var db = engine.Db();
        var period = new Period { Code = "2020S1", Type = PeriodType.HalfYear, Year = 2020, Number = 1, Start = new(2020, 1, 1), End = new(2020, 6, 30), Deadline = new(2020, 7, 15) };
        var area = new Area { Code = "P01", Name = "Tỉnh Một", Level = AreaLevel.Province };
        db.AddRange(period, area);
        var resolution = new Resolution
        {
            Code = "02-NQ/TU", Title = "Nghị quyết về dân chủ ở cơ sở", Issuer = "Tỉnh ủy", IssuedOn = new(2017, 5, 12), ValidFrom = new(2017, 1, 1),
            ValidTo = new(2020, 12, 31), ScopeAreaCode = "P01", FollowsSuccessors = true, ShortTitle = "Nghị quyết 02-NQ/TU", DutiesJson = "[{\"population\":\"all\"}]",
            LegalBasisJson = "[{\"text\":\"Luật 10/2022/QH15\"}]", ContentHash = new string('a', 64), ImportedAt = new DateTime(2026, 12, 6, 8, 30, 15, DateTimeKind.Utc),
        };
        resolution.Targets.Add(new Target
        {
            Code = "NQ02-6b", RuleName = "NQ02-6b", NameVi = "Chỉ tiêu 6b", NameEn = "Target 6b", Tags = "labour-agreement", ValidFrom = new(2018, 1, 1),
            ValidTo = new(2020, 6, 30), CoverageMillionths = 800_000, Source = SettingSource.Committee, Basis = "Điều 75 Bộ luật Lao động 2019",
            Indicators = "ENTERPRISE_CLA,ENTERPRISE_UNION", Population = "enterprise-non-state-with-union", Threshold = new Threshold(ComparisonOperator.MoreThan, 700_000),
            Minimum = 4, MeasuredOver = MeasuredOver.Unit | MeasuredOver.Province, Periods = PeriodTypes.Year | PeriodTypes.HalfYear, Severity = Severity.High,
            TextVi = "Trên 70% doanh nghiệp ký thỏa ước", TextEn = "More than 70% of enterprises signed",
        });
        resolution.Targets.Add(new Target
        {
            Code = "NQ02-1", RuleName = "YES-NO", Indicators = "REGULATION_ISSUED", Population = "all", TextVi = "100% ban hành quy chế",
            Threshold = new Threshold(ComparisonOperator.AtLeast, 1_000_000),
        });
        db.Resolutions.Add(resolution);
        await db.SaveChangesAsync();

        var bare = new EvaluationRun { PeriodId = period.Id, ScopeAreaId = area.Id, RuleSetVersion = "v", StartedAt = new DateTime(2026, 12, 6, 1, 0, 0, DateTimeKind.Utc) };
        db.EvaluationRuns.Add(bare);
        await db.SaveChangesAsync();
        var run = new EvaluationRun
        {
            PeriodId = period.Id, ScopeAreaId = area.Id, Trigger = RunTrigger.Schedule, RuleSetVersion = new string('b', 64), Status = RunStatus.Completed,
            StartedAt = new DateTime(2026, 12, 6, 2, 0, 0, DateTimeKind.Utc), FinishedAt = new DateTime(2026, 12, 6, 2, 0, 9, DateTimeKind.Utc), PreviousRunId = bare.Id,
            UnitsEvaluated = 3, FindingsOpen = 2, NewCount = 1, PersistingCount = 1, ResolvedCount = 4, Error = "none", ChainSequence = 7,
            PreviousHash = new string('c', 64), Hash = new string('d', 64), InputFingerprint = "fingerprint",
        };
        db.EvaluationRuns.Add(run);
        await db.SaveChangesAsync();
        var areas = Enumerable.Range(0, 3).Select(i => new AreaResult
        {
            RunId = run.Id, PeriodId = period.Id, ScopeAreaId = area.Id, TargetCode = "NQ02-6b", AreaId = area.Id + i, AreaLevel = AreaLevel.District,
            PopulationUnits = 10 + i, MetUnits = 5, MissingUnits = 2, Numerator = 5, Denominator = 8, Status = AreaStatus.Short,
            SupersededByRunId = i == 0 ? run.Id : null,
        }).ToList();
        db.AreaResults.AddRange(areas);
        db.ScopeStates.Add(new ScopeState { PeriodId = period.Id, ScopeAreaId = area.Id, LatestRunId = run.Id, UpdatedAt = new DateTime(2026, 12, 6, 2, 0, 9, DateTimeKind.Utc) });
        await db.SaveChangesAsync();
        return new Stored(run, bare, areas);
    }
}
