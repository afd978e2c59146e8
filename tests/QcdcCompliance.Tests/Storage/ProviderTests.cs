using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Import;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Storage;

public sealed class ProviderTests
{
    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.SqlServer)]
    [InlineData(StorageProvider.Postgres)]
    public void Each_providers_migrations_match_the_model(StorageProvider provider)
    {
        using var db = StorageRegistration.CreateContext(new StorageOptions { Provider = provider, Database = OfflineConnection(provider) });

        db.Database.HasPendingModelChanges().Should().BeFalse($"the {provider} migrations must be regenerated when the model changes");
        db.Database.GetMigrations().Should().NotBeEmpty();
    }

    [Fact]
    public void The_SQL_Server_script_creates_every_table_with_its_unique_indexes_without_a_server()
    {
        using var db = StorageRegistration.CreateContext(new StorageOptions { Provider = StorageProvider.SqlServer, Database = OfflineConnection(StorageProvider.SqlServer) });
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        foreach (var table in new[] { "Areas", "AreaLinks", "Units", "Periods", "Indicators", "DataValues", "DataValueAudits", "Resolutions", "Targets",
                     "EvaluationRuns", "Findings", "AreaResults", "ScopeStates", "FindingActions", "OutboxMessages", "ApiKeys", "UnitVersions", "UnitAudits", "AreaAudits" })
            script.Should().Contain($"CREATE TABLE [{table}]");
        script.Should().Contain("CREATE UNIQUE INDEX [IX_Units_Code] ON [Units] ([Code]);");
        script.Should().Contain("CREATE UNIQUE INDEX [IX_OutboxMessages_Key] ON [OutboxMessages] ([Key]);");
        script.Should().Contain("CONSTRAINT [PK_DataValues] PRIMARY KEY ([PeriodId], [UnitId], [IndicatorId])");
        script.Should().Contain("[Evidence] nvarchar(max) NOT NULL");
        script.Should().Contain("ALTER TABLE [Findings] ALTER COLUMN [Evidence] varbinary(max) NOT NULL;", "evidence is stored compact (CompactText)");
        script.Should().NotContain("decimal", "measured values are integers or millionths on every provider");
    }

    [Fact]
    public async Task Imports_round_trip_on_PostgreSQL_with_UTC_times_and_NFC_text()
    {
        await using var engine = await Engine.PostgresAsync("import");
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);
        await engine.ImportAsync(ImportKind.Units, "units.csv", Province.Units);
        var comment = "Đã tổ chức đối thoại".Normalize(NormalizationForm.FormD);
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + $"XA1,2020S1,DIALOGUE_CONFERENCES,1,{comment}\nXA2,2020S1,DIALOGUE_CONFERENCES,0,\n");
        await engine.ImportAsync(ImportKind.Values, "again.csv", Province.ValuesHeader + "XA2,2020S1,DIALOGUE_CONFERENCES,2,\n", by: "second");

        await using var db = engine.Db();
        var values = await db.DataValues.OrderBy(v => v.UnitId).ToListAsync();
        values.Select(v => v.Value).Should().Equal(1, 2);
        values[0].Comment.Should().Be("Đã tổ chức đối thoại".Normalize(NormalizationForm.FormC));
        values[0].StoredAt.Kind.Should().Be(DateTimeKind.Utc);
        values[0].StoredAt.Should().BeCloseTo(DateTime.UtcNow, TimeSpan.FromMinutes(1));
        (await db.DataValueAudits.OrderBy(a => a.Id).Select(a => new { a.OldValue, a.NewValue, a.ChangedBy, a.Source }).ToListAsync()).Should().Equal(
            new { OldValue = (long?)null, NewValue = (long?)1, ChangedBy = "test", Source = (string?)"values.csv" },
            new { OldValue = (long?)null, NewValue = (long?)0, ChangedBy = "test", Source = (string?)"values.csv" },
            new { OldValue = (long?)0, NewValue = (long?)2, ChangedBy = "second", Source = (string?)"again.csv" });
        (await db.Units.SingleAsync(u => u.Code == "XA1")).Name.Should().Be("UBND Xã Một");
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task Values_naming_a_unit_that_is_not_stored_are_refused_whole_without_a_foreign_key(StorageProvider provider)
    {
        await using var engine = provider == StorageProvider.Postgres ? await Engine.PostgresAsync("values-keys") : await Engine.SqliteAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);
        await engine.ImportAsync(ImportKind.Units, "units.csv", Province.Units);
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + "XA1,2020S1,DIALOGUE_CONFERENCES,1,\n");
        await using var db = engine.Db();
        var stored = await db.DataValues.SingleAsync();
        var missing = await db.Units.MaxAsync(u => u.Id) + 1;
        var stamp = new ValueStamp("test", DateTime.UtcNow, "direct");

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var write = () => DataValueStore.WriteAsync(db, [
                new ValueWrite(stored.UnitId, stored.PeriodId, stored.IndicatorId, 5, null, IsNew: false, 1, null),
                new ValueWrite(missing, stored.PeriodId, stored.IndicatorId, 7, null, IsNew: true, null, null),
            ], stamp);
            (await write.Should().ThrowAsync<InvalidOperationException>()).WithMessage("1 of the 2 Units the values name are not stored: nothing was written");
        }

        await using (var after = engine.Db())
        {
            (await after.DataValues.Select(v => v.Value).ToListAsync()).Should().Equal(1);
            (await after.DataValueAudits.CountAsync()).Should().Be(1);
        }

        // Ids skipped (a units import rolled back leaves them unused): values of units on both sides of the gap are
        // accepted, each id looked up, and a missing one inside the gap is still refused.
        await db.Database.ExecuteSqlRawAsync(provider == StorageProvider.Postgres
            ? """SELECT setval(pg_get_serial_sequence('"Units"', 'Id'), (SELECT max("Id") FROM "Units") + 10)"""
            : """UPDATE sqlite_sequence SET seq = seq + 10 WHERE name = 'Units'""");
        await engine.ImportAsync(ImportKind.Units, "more.csv", Province.UnitsHeader + "XA9,UBND Xã Chín,Commune,C2,true,25,xa9@example.vn,,\n");
        var beyond = await db.Units.Where(u => u.Code == "XA9").Select(u => u.Id).SingleAsync();
        beyond.Should().BeGreaterThan(missing + 5, "the ids between are skipped");
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await DataValueStore.WriteAsync(db, [
                new ValueWrite(stored.UnitId, stored.PeriodId, stored.IndicatorId, 5, null, IsNew: false, 1, null),
                new ValueWrite(beyond, stored.PeriodId, stored.IndicatorId, 7, null, IsNew: true, null, null),
            ], stamp);
            var gap = () => DataValueStore.WriteAsync(db, [new ValueWrite(missing, stored.PeriodId, stored.IndicatorId, 8, null, IsNew: true, null, null)], stamp);
            (await gap.Should().ThrowAsync<InvalidOperationException>()).WithMessage("1 of the 1 Units the values name are not stored: nothing was written");
            await transaction.RollbackAsync();
        }

        await using var checkedKeys = engine.Db();
        (await checkedKeys.DataValues.Select(v => v.Value).ToListAsync()).Should().Equal(1);
        (await checkedKeys.Database.SqlQueryRaw<string>(provider == StorageProvider.Postgres
                ? """SELECT conname AS "Value" FROM pg_constraint WHERE conrelid = '"DataValues"'::regclass AND contype = 'f'"""
                : """SELECT "table" AS "Value" FROM pragma_foreign_key_list('DataValues')""").ToListAsync())
            .Should().BeEmpty("the keys are checked as sets by the import");
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task A_runs_findings_and_area_results_name_the_stored_run_with_no_foreign_key_trigger_on_PostgreSQL(StorageProvider provider)
    {
        await using var engine = await (provider == StorageProvider.Postgres ? Engine.PostgresAsync("run-keys") : Engine.SqliteAsync()).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.SomeValues2020S1);
        var runs = await engine.Evaluations.EvaluateAsync("2020S1", null, QcdcCompliance.Domain.RunTrigger.Manual);

        await using var db = engine.Db();
        var runIds = runs.Select(r => r.Run.Id).ToList();
        (await db.Findings.Select(f => f.RunId).Distinct().ToListAsync()).Should().NotBeEmpty().And.BeSubsetOf(runIds);
        (await db.AreaResults.Select(a => a.RunId).Distinct().ToListAsync()).Should().NotBeEmpty().And.BeSubsetOf(runIds);
        // Only RunRecorder writes them, with the run it inserted in the same transaction; PostgreSQL's check is a trigger a
        // row: 1.1-1.6 s of the 4.4-4.8 s the server took to insert a first run's 400,353 findings (FindingsRunKeyUncheckedOnPostgres).
        var keys = await db.Database.SqlQueryRaw<string>(provider == StorageProvider.Postgres
                ? """SELECT conrelid::regclass::text AS "Value" FROM pg_constraint WHERE contype = 'f' AND confrelid = '"EvaluationRuns"'::regclass AND conrelid IN ('"Findings"'::regclass, '"AreaResults"'::regclass)"""
                : """SELECT 'Findings' AS "Value" FROM pragma_foreign_key_list('Findings') WHERE "table" = 'EvaluationRuns' UNION ALL SELECT 'AreaResults' FROM pragma_foreign_key_list('AreaResults') WHERE "table" = 'EvaluationRuns'""")
            .ToListAsync();
        if (provider == StorageProvider.Postgres)
            keys.Should().BeEmpty();
        else
            keys.Should().BeEquivalentTo("Findings", "AreaResults");
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task Every_value_stored_has_its_audit_row_whether_its_period_held_none_or_held_values_among_the_new_ones(StorageProvider provider)
    {
        // SQLite copies the audit rows of a period's new values from them when no stored value lies among them (a
        // thousand or more), and writes each beside its value otherwise: both must audit every value exactly once.
        await using var engine = provider == StorageProvider.Postgres ? await Engine.PostgresAsync("audit-ranges") : await Engine.SqliteAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);
        var units = new StringBuilder(Province.UnitsHeader);
        for (var i = 0; i < 3000; i++)
            units.Append(CultureInfo.InvariantCulture, $"XB{i:0000},UBND Xã {i},Commune,C1,true,10,,,\n");
        await engine.ImportAsync(ImportKind.Units, "units.csv", units.ToString());

        static string Values(string period, Func<int, bool> which, Func<int, int> value) => string.Concat(Enumerable.Range(0, 3000).Where(which)
            .Select(i => $"XB{i:0000},{period},DIALOGUE_CONFERENCES,{value(i)},\n"));
        // Every third unit of a half-year with no values yet; then every unit of it (two thirds new among those stored, a
        // third of those stored changed) and every unit of a new half-year.
        await engine.ImportAsync(ImportKind.Values, "first.csv", Province.ValuesHeader + Values("2020S1", i => i % 3 == 0, _ => 1));
        await engine.ImportAsync(ImportKind.Values, "second.csv",
            Province.ValuesHeader + Values("2020S1", _ => true, i => i % 9 == 0 ? 2 : 1) + Values("2020S2", _ => true, _ => 3));

        await using var db = engine.Db();
        var values = await db.DataValues.AsNoTracking().ToListAsync();
        var audits = await db.DataValueAudits.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
        values.Should().HaveCount(6000);
        audits.Should().HaveCount(1000 + 2000 + 334 + 3000);
        audits.Count(a => a.Source == "first.csv").Should().Be(1000);
        audits.Where(a => a.OldValue is not null).Should().HaveCount(334).And.OnlyContain(a => a.OldValue == 1 && a.NewValue == 2 && a.Source == "second.csv");
        var latest = audits.GroupBy(a => (a.PeriodId, a.UnitId, a.IndicatorId)).ToDictionary(g => g.Key, g => g.Last());
        latest.Should().HaveCount(6000);
        values.Where(v => latest[(v.PeriodId, v.UnitId, v.IndicatorId)].NewValue != v.Value).Should().BeEmpty();
    }

    [Fact]
    public async Task A_refused_file_stores_nothing_on_PostgreSQL()
    {
        await using var engine = await Engine.PostgresAsync("refuse");
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);
        await engine.ImportAsync(ImportKind.Units, "units.csv", Province.Units);

        var problems = await engine.RefusedAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + "XA1,2020S1,DIALOGUE_CONFERENCES,1,\nXA1,2020S1,DIALOGUE_CONFERENCES,-5,\n");

        problems.Should().ContainSingle().Which.ToString().Should().Be("values.csv:3:value: -5 is below 0; a count cannot be negative");
    }

    internal static string OfflineConnection(StorageProvider provider) => provider switch
    {
        StorageProvider.SqlServer => "Server=none;Database=qcdc;Connect Timeout=1;TrustServerCertificate=True",
        StorageProvider.Postgres => "Host=none;Database=qcdc",
        _ => "offline.db",
    };
}
