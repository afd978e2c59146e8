using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Storage;

/// <summary>
/// A database made by the first migration and holding data (written as plain SQL valid at that schema, so the seed never
/// changes as migrations are added) is upgraded by the real migrator to the latest schema and keeps every row: each
/// table of the first schema is read before and after, row by row and field by field, and the current model reads a
/// sample back. A migration that renames a table or a column says so in <see cref="Renamed"/>.
/// </summary>
public sealed class UpgradeTests
{
    /// <summary>
    /// (table, column) at the first schema -> (table, column) now; (table, "") for a renamed table. Empty while no
    /// migration renames anything.
    /// </summary>
    private static readonly Dictionary<(string Table, string Column), (string Table, string Column)> Renamed = new();

    /// <summary>
    /// Tables that hold the product's own catalogue, brought in line with it at every migrate
    /// (<see cref="IndicatorCatalogueSync"/>): each row stays, under its id and with these columns; the rest follows the catalogue.
    /// </summary>
    private static readonly Dictionary<string, string[]> Catalogues = new() { ["Indicators"] = ["Id", "Code"] };

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task A_database_of_the_first_migration_holding_data_keeps_every_row_and_value_when_upgraded_to_the_latest(StorageProvider provider)
    {
        var storage = provider == StorageProvider.Sqlite
            ? new StorageOptions { Provider = provider, Database = Path.Combine(TestFolders.NewFolder("upgrade"), "first.db") }
            : await (await PostgresServer.InstanceAsync()).CreateDatabaseAsync("upgrade", migrate: false);
        string[] migrations;
        await using (var db = StorageRegistration.CreateContext(storage))
        {
            migrations = db.Database.GetMigrations().ToArray();
            await db.GetService<IMigrator>().MigrateAsync(migrations[0]);
        }

        await using (var connection = await OpenAsync(storage))
            await FirstSchemaSeed.InsertAsync(connection);
        var before = await TablesAsync(storage);

        var applied = await DatabaseMigrator.MigrateAsync(storage);

        applied.Should().Equal(migrations[1..], "the real migrator takes the database from the first migration to the latest");
        before.Keys.Should().BeEquivalentTo(FirstSchemaSeed.Tables, "the seed fills every table of the first schema");
        before.Values.Should().OnlyContain(rows => rows.Count > 0);
        var after = await TablesAsync(storage);
        foreach (var (table, rows) in before)
        {
            var tableNow = Now(table, "").Table;
            after.Should().ContainKey(tableNow, $"table {table} holds data");
            after[tableNow].Count.Should().BeGreaterThanOrEqualTo(rows.Count, $"no row of {table} is lost");
            foreach (var (key, fields) in rows)
            {
                after[tableNow].Should().ContainKey(key, $"{table} row {key} was there before the upgrade");
                var now = after[tableNow][key];
                foreach (var (column, value) in fields.Where(f => !Catalogues.TryGetValue(table, out var kept) || kept.Contains(f.Key)))
                {
                    var columnNow = Now(table, column).Column;
                    now.Should().ContainKey(columnNow, $"{table}.{column} held data");
                    now[columnNow].Should().Be(value, $"{table} row {key}, {column}");
                }
            }
        }

        await using var model = StorageRegistration.CreateContext(storage);
        (await model.Database.GetPendingMigrationsAsync()).Should().BeEmpty();
        await FirstSchemaSeed.ReadBackAsync(model);
    }

    private static (string Table, string Column) Now(string table, string column) =>
        Renamed.TryGetValue((table, column), out var now) ? now : (table, column);

    private static async Task<DbConnection> OpenAsync(StorageOptions storage)
    {
        DbConnection connection = storage.Provider == StorageProvider.Sqlite ? new SqliteConnection(storage.ConnectionString) : new NpgsqlConnection(storage.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Every table but EF's own (the migrations history and lock): its rows by primary key, each as column -> value in invariant text.</summary>
    private static async Task<Dictionary<string, Dictionary<string, Dictionary<string, string>>>> TablesAsync(StorageOptions storage)
    {
        await using var connection = await OpenAsync(storage);
        var sqlite = storage.Provider == StorageProvider.Sqlite;
        var tables = await ColumnAsync(connection, sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
        var result = new Dictionary<string, Dictionary<string, Dictionary<string, string>>>(StringComparer.Ordinal);
        foreach (var table in tables.Where(t => !t.StartsWith("__EFMigrations", StringComparison.Ordinal)))
        {
            var keys = await ColumnAsync(connection, sqlite
                ? $"SELECT name FROM pragma_table_info('{table}') WHERE pk > 0 ORDER BY pk"
                : $"""
                   SELECT k.column_name FROM information_schema.table_constraints c
                   JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name AND k.table_name = c.table_name
                   WHERE c.table_schema = 'public' AND c.table_name = '{table}' AND c.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position
                   """);
            var rows = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var fields = Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => Text(reader.GetValue(i)), StringComparer.Ordinal);
                rows.Add(string.Join("|", keys.Select(k => fields[k])), fields);
            }

            result.Add(table, rows);
        }

        return result;
    }

    private static async Task<List<string>> ColumnAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
            values.Add(reader.GetString(0));
        return values;
    }

    /// <summary>A value as invariant text, so that a column widened by a migration (int to bigint) still compares equal.</summary>
    private static string Text(object value) => value switch
    {
        DBNull => "NULL",
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "1" : "0",
        // A text column made compact (evidence, e-mail bodies): the text the product reads from it.
        byte[] bytes => CompactText.Evidence.Unpack(bytes),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>
/// Data as the first migration's schema holds it, written with plain parameterised SQL: never through the current model,
/// so that it stays valid however the model moves. One row or more in every table of that schema.
/// </summary>
internal static class FirstSchemaSeed
{
    public static readonly string[] Tables =
    [
        "Areas", "AreaLinks", "AreaLineages", "Units", "Periods", "Indicators", "DataValues", "DataValueAudits", "Resolutions", "Targets",
        "EvaluationRuns", "Findings", "AreaResults", "ScopeStates", "FindingActions", "AuditChainHeads", "OutboxMessages", "ApiKeys",
    ];

    private static readonly DateTime Stored = new(2020, 7, 15, 3, 4, 5, DateTimeKind.Utc);
    private static readonly DateTime RunAt = new(2020, 7, 29, 10, 0, 0, DateTimeKind.Utc);
    private const string Evidence = """{"values":{"REGULATION_ISSUED":false},"ruleSetVersion":"abc123"}""";

    public static async Task InsertAsync(DbConnection connection)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        async Task<long> Insert(string table, params (string Column, object? Value)[] values)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var identity = values.All(v => v.Column != "Id") && table is not ("DataValues" or "ScopeStates");
            command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", values.Select(v => $"\"{v.Column}\""))}) "
                                  + $"VALUES ({string.Join(", ", values.Select((_, i) => $"@p{i}"))}){(identity ? " RETURNING \"Id\"" : "")}";
            for (var i = 0; i < values.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"@p{i}";
                parameter.Value = values[i].Value ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }

            return identity ? Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) : await command.ExecuteNonQueryAsync();
        }

        async Task<int> IndicatorAsync(string code)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT \"Id\" FROM \"Indicators\" WHERE \"Code\" = '{code}'";
            return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        var (regulation, cla) = (await IndicatorAsync("REGULATION_ISSUED"), await IndicatorAsync("CLA_SIGNED"));
        var ht = await Insert("Areas", ("Code", "HT"), ("Name", "Tỉnh Hà Tĩnh"), ("Level", "Province"), ("ValidFrom", null), ("ValidTo", null));
        var d04 = await Insert("Areas", ("Code", "HT-D04"), ("Name", "Huyện Can Lộc"), ("Level", "District"), ("ValidFrom", null), ("ValidTo", new DateOnly(2025, 6, 30)));
        var c01 = await Insert("Areas", ("Code", "HT-C01"), ("Name", "Xã Thiên Lộc"), ("Level", "Commune"), ("ValidFrom", new DateOnly(2000, 1, 1)), ("ValidTo", null));
        var c02 = await Insert("Areas", ("Code", "HT-C02"), ("Name", "Xã Thuần Thiện"), ("Level", "Commune"), ("ValidFrom", null), ("ValidTo", new DateOnly(2025, 6, 30)));
        await Insert("AreaLinks", ("AreaId", (int)ht), ("ParentId", null), ("ValidFrom", null), ("ValidTo", null));
        await Insert("AreaLinks", ("AreaId", (int)d04), ("ParentId", (int)ht), ("ValidFrom", null), ("ValidTo", new DateOnly(2025, 6, 30)));
        await Insert("AreaLinks", ("AreaId", (int)c01), ("ParentId", (int)d04), ("ValidFrom", null), ("ValidTo", new DateOnly(2025, 6, 30)));
        await Insert("AreaLinks", ("AreaId", (int)c01), ("ParentId", (int)ht), ("ValidFrom", new DateOnly(2025, 7, 1)), ("ValidTo", null));
        await Insert("AreaLinks", ("AreaId", (int)c02), ("ParentId", (int)d04), ("ValidFrom", null), ("ValidTo", new DateOnly(2025, 6, 30)));
        await Insert("AreaLineages", ("PredecessorId", (int)c02), ("SuccessorId", (int)c01), ("EffectiveFrom", new DateOnly(2025, 7, 1)));

        var xa = await Insert("Units", ("Code", "XA-C01"), ("Name", "UBND xã Thiên Lộc"), ("Kind", "Commune"), ("AreaId", (int)c01), ("HasTradeUnion", true),
            ("Headcount", 30), ("ContactEmail", "xa.c01@example.vn"), ("ActiveFrom", null), ("ActiveTo", null));
        var dn = await Insert("Units", ("Code", "DN-0001"), ("Name", "Công ty TNHH Hồng Lĩnh"), ("Kind", "NonStateEnterprise"), ("AreaId", (int)c02),
            ("HasTradeUnion", true), ("Headcount", 120), ("ContactEmail", null), ("ActiveFrom", new DateOnly(2015, 3, 1)), ("ActiveTo", null));
        var cq = await Insert("Units", ("Code", "CQ-D04"), ("Name", "Phòng Nội vụ huyện Can Lộc"), ("Kind", "StateAgency"), ("AreaId", (int)d04),
            ("HasTradeUnion", false), ("Headcount", null), ("ContactEmail", null), ("ActiveFrom", null), ("ActiveTo", new DateOnly(2025, 6, 30)));
        var period = await Insert("Periods", ("Code", "2020S1"), ("Type", "HalfYear"), ("Year", 2020), ("Number", 1),
            ("Start", new DateOnly(2020, 1, 1)), ("End", new DateOnly(2020, 6, 30)), ("Deadline", new DateOnly(2020, 7, 20)));
        await Insert("Periods", ("Code", "2020"), ("Type", "Year"), ("Year", 2020), ("Number", 1),
            ("Start", new DateOnly(2020, 1, 1)), ("End", new DateOnly(2020, 12, 31)), ("Deadline", new DateOnly(2021, 1, 20)));

        foreach (var (unit, indicator, value, comment) in new[] { (xa, regulation, 0L, "chưa ban hành"), (cq, regulation, 1L, (string?)null), (dn, regulation, 1L, null), (dn, cla, 1L, null) })
        {
            await Insert("DataValues", ("UnitId", (int)unit), ("PeriodId", (int)period), ("IndicatorId", indicator), ("Value", value), ("Comment", comment),
                ("StoredBy", "cli:officer"), ("StoredAt", Stored));
        }

        await Insert("DataValueAudits", ("UnitId", (int)xa), ("PeriodId", (int)period), ("IndicatorId", regulation), ("OldValue", 1L), ("NewValue", 0L),
            ("OldComment", null), ("NewComment", "chưa ban hành"), ("ChangedBy", "apikey:3 reporter@HT"), ("ChangedAt", Stored), ("Source", "values.csv"));

        var resolution = await Insert("Resolutions", ("Code", "02-NQ/TU"), ("Title", "Nghị quyết về tăng cường thực hiện Quy chế dân chủ ở cơ sở"),
            ("Issuer", "Tỉnh ủy Hà Tĩnh"), ("IssuedOn", new DateOnly(2017, 5, 12)), ("ValidFrom", new DateOnly(2017, 5, 12)), ("ValidTo", null),
            ("ScopeAreaCode", "HT"), ("LegalBasisJson", """[{"document":"02-NQ/TU","article":"2"}]"""), ("ContentHash", new string('a', 64)), ("ImportedAt", Stored));
        await Insert("Targets", ("ResolutionId", (int)resolution), ("Code", "NQ02-1"), ("Indicators", "REGULATION_ISSUED"), ("Population", "XA,CQ,SN,DNNN,DN"),
            ("Minimum", null), ("MeasuredOver", 1 | 8), ("Periods", 2), ("Severity", "High"), ("TextVi", "100% cơ sở ban hành quy chế dân chủ"),
            ("TextEn", "Every unit has issued its democracy regulation"), ("ThresholdMillionths", 1_000_000L), ("ThresholdOperator", "AtLeast"));
        await Insert("Targets", ("ResolutionId", (int)resolution), ("Code", "NQ02-6b"), ("Indicators", "CLA_SIGNED"), ("Population", "DN-CĐ"),
            ("Minimum", 2L), ("MeasuredOver", 4), ("Periods", 1), ("Severity", "Medium"), ("TextVi", "Trên 70% doanh nghiệp có công đoàn ký thỏa ước"),
            ("TextEn", null), ("ThresholdMillionths", 700_000L), ("ThresholdOperator", "MoreThan"));

        var run = await Insert("EvaluationRuns", ("PeriodId", (int)period), ("ScopeAreaId", (int)ht), ("Trigger", "Manual"), ("RuleSetVersion", "abc123"),
            ("Status", "Completed"), ("StartedAt", RunAt), ("FinishedAt", RunAt.AddSeconds(3)), ("PreviousRunId", null), ("UnitsEvaluated", 3),
            ("FindingsOpen", 2), ("NewCount", 2), ("PersistingCount", 0), ("ResolvedCount", 0), ("Error", null), ("ChainSequence", 1L),
            ("PreviousHash", new string('0', 64)), ("Hash", new string('b', 64)));
        await Insert("EvaluationRuns", ("PeriodId", (int)period), ("ScopeAreaId", (int)ht), ("Trigger", "Schedule"), ("RuleSetVersion", "abc123"),
            ("Status", "Failed"), ("StartedAt", RunAt.AddHours(1)), ("FinishedAt", RunAt.AddHours(1)), ("PreviousRunId", null), ("UnitsEvaluated", 0),
            ("FindingsOpen", 0), ("NewCount", 0), ("PersistingCount", 0), ("ResolvedCount", 0), ("Error", "TimeoutException: the server did not answer"),
            ("ChainSequence", null), ("PreviousHash", null), ("Hash", null));
        var unitFinding = await Insert("Findings", ("RunId", run), ("PeriodId", (int)period), ("ScopeAreaId", (int)ht), ("TargetCode", "NQ02-1"),
            ("SubjectType", "Unit"), ("SubjectId", (int)xa), ("SubjectCode", "XA-C01"), ("State", "New"), ("Severity", "High"), ("Numerator", null),
            ("Denominator", null), ("Value", 0L), ("Operator", "AtLeast"), ("ThresholdMillionths", 1_000_000L), ("Minimum", null), ("Evidence", Evidence),
            ("FirstRunId", run), ("SupersededByRunId", null));
        await Insert("Findings", ("RunId", run), ("PeriodId", (int)period), ("ScopeAreaId", (int)ht), ("TargetCode", "NQ02-1"),
            ("SubjectType", "Area"), ("SubjectId", (int)ht), ("SubjectCode", "HT"), ("State", "New"), ("Severity", "High"), ("Numerator", 2L),
            ("Denominator", 3L), ("Value", null), ("Operator", "AtLeast"), ("ThresholdMillionths", 1_000_000L), ("Minimum", null), ("Evidence", "{}"),
            ("FirstRunId", run), ("SupersededByRunId", null));
        await Insert("AreaResults", ("RunId", run), ("PeriodId", (int)period), ("ScopeAreaId", (int)ht), ("TargetCode", "NQ02-1"), ("AreaId", (int)ht),
            ("AreaLevel", "Province"), ("PopulationUnits", 3), ("MetUnits", 2), ("MissingUnits", 0), ("Numerator", 2L), ("Denominator", 3L),
            ("Status", "Short"), ("SupersededByRunId", null));
        await Insert("ScopeStates", ("PeriodId", (int)period), ("ScopeAreaId", (int)ht), ("LatestRunId", run), ("UpdatedAt", RunAt.AddSeconds(3)));
        await Insert("FindingActions", ("FindingId", unitFinding), ("Kind", "Acknowledge"), ("Reason", "Đã nhắc xã ban hành trong tháng 8"),
            ("By", "apikey:2 committee@HT"), ("At", RunAt.AddDays(1)), ("ChainSequence", 2L), ("PreviousHash", new string('b', 64)), ("Hash", new string('c', 64)));
        await using (var head = connection.CreateCommand())
        {
            head.Transaction = transaction;
            head.CommandText = $"UPDATE \"AuditChainHeads\" SET \"Sequence\" = 2, \"Hash\" = '{new string('c', 64)}'";
            (await head.ExecuteNonQueryAsync()).Should().Be(1, "the first migration seeds the chain's head");
        }

        await Insert("OutboxMessages", ("Key", $"run:{run}:UnitAlert:xa.c01@example.vn"), ("Kind", "UnitAlert"), ("RunId", run), ("Recipient", "xa.c01@example.vn"),
            ("Subject", "[QCDC] Kỳ 2020S1 – UBND xã Thiên Lộc"), ("TextBody", "Kính gửi: UBND xã Thiên Lộc"), ("HtmlBody", "<p>Kính gửi: UBND xã Thiên Lộc</p>"),
            ("CreatedAt", RunAt), ("Status", "Sent"), ("Attempts", 1), ("NextAttemptAt", RunAt), ("LastError", null), ("SentAt", RunAt.AddMinutes(1)));
        await Insert("OutboxMessages", ("Key", "remind:2020S1:CQ-D04:2020-07-14"), ("Kind", "ReportingReminder"), ("RunId", null), ("Recipient", "cq@example.vn"),
            ("Subject", "Nhắc báo cáo"), ("TextBody", "Xin gửi số liệu"), ("HtmlBody", null), ("CreatedAt", Stored), ("Status", "Pending"), ("Attempts", 2),
            ("NextAttemptAt", Stored.AddMinutes(1)), ("LastError", "SmtpCommandException: 450 4.2.1 Mailbox busy"), ("SentAt", null));
        await Insert("ApiKeys", ("Name", "Tổ kiểm tra tỉnh"), ("Role", "Auditor"), ("AreaId", (int)ht), ("Prefix", "abcd1234"), ("KeyHash", new string('d', 64)),
            ("CreatedAt", Stored), ("RevokedAt", null));
        await transaction.CommitAsync();
    }

    /// <summary>What the current model reads back of the seed: the rows a user would notice first if an upgrade lost them.</summary>
    public static async Task ReadBackAsync(QcdcDbContext db)
    {
        var province = await db.Areas.AsNoTracking().SingleAsync(a => a.Code == "HT");
        (province.Name, province.Level).Should().Be(("Tỉnh Hà Tĩnh", AreaLevel.Province));
        var regulation = IndicatorCatalogue.Get("REGULATION_ISSUED");
        (await db.Indicators.AsNoTracking().SingleAsync(i => i.Id == regulation.Id)).Code.Should().Be("REGULATION_ISSUED", "values keep pointing at their indicator");
        var tree = await db.LoadAreaTreeAsync();
        tree.Current(tree.Find("HT-C02")!.Id, new DateOnly(2026, 6, 30))!.Code.Should().Be("HT-C01", "the lineage still maps the merged commune");
        var enterprise = await db.Units.AsNoTracking().SingleAsync(u => u.Code == "DN-0001");
        (enterprise.Kind, enterprise.HasTradeUnion, enterprise.Headcount, enterprise.ActiveFrom).Should().Be((UnitKind.NonStateEnterprise, true, 120, new DateOnly(2015, 3, 1)));
        (await db.DataValues.CountAsync()).Should().Be(4);
        (await db.DataValues.AsNoTracking().SingleAsync(v => v.Comment != null)).Comment.Should().Be("chưa ban hành");
        (await db.Resolutions.CountAsync()).Should().Be(1);
        (await db.Targets.CountAsync()).Should().Be(2);
        var run = await db.EvaluationRuns.AsNoTracking().SingleAsync(r => r.Status == RunStatus.Completed);
        (run.StartedAt, run.ChainSequence, run.Hash).Should().Be((RunAt, 1L, new string('b', 64)));
        var finding = await db.Findings.AsNoTracking().SingleAsync(f => f.SubjectCode == "XA-C01");
        (finding.TargetCode, finding.State, finding.Evidence).Should().Be(("NQ02-1", FindingState.New, Evidence));
        (await db.FindingActions.AsNoTracking().SingleAsync()).Reason.Should().Be("Đã nhắc xã ban hành trong tháng 8");
        (await db.AuditChainHeads.AsNoTracking().SingleAsync()).Sequence.Should().Be(2);
        var pending = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Status == MessageStatus.Pending);
        (pending.Key, pending.Attempts, pending.NextAttemptAt, pending.TextBody, pending.HtmlBody)
            .Should().Be(("remind:2020S1:CQ-D04:2020-07-14", 2, Stored.AddMinutes(1), "Xin gửi số liệu", null), "the bodies written as text before read back as they were");
        (await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Status != MessageStatus.Pending)).HtmlBody.Should().Be("<p>Kính gửi: UBND xã Thiên Lộc</p>");
        var key = await db.ApiKeys.AsNoTracking().SingleAsync();
        (key.Role, key.AreaId, key.Prefix).Should().Be((Role.Auditor, province.Id, "abcd1234"));
    }
}
