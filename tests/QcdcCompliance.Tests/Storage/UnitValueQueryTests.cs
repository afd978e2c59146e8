using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Storage;

/// <summary>
/// The values and their audit rows are indexed period first (an import of a period's values appends to the indexes); a
/// unit's rows must still be found through them, period by period, never by reading the whole table.
/// </summary>
public sealed class UnitValueQueryTests
{
    [Fact]
    public async Task A_units_values_and_audit_rows_are_found_through_the_period_first_indexes_not_by_a_scan()
    {
        await using var db = await MigratedAsync("unit-values");

        var values = await PlanAsync(db.DataValues.AsNoTracking().OfUnit(7, [1, 2, 3]));
        values.Should().ContainSingle(d => d.StartsWith("SEARCH", StringComparison.Ordinal)
                                           && d.Contains("USING PRIMARY KEY (PeriodId=? AND UnitId=?)", StringComparison.Ordinal));
        values.Should().NotContain(d => d.StartsWith("SCAN", StringComparison.Ordinal) && !d.Contains("json_each", StringComparison.Ordinal));

        var audits = await PlanAsync(db.DataValueAudits.AsNoTracking().OfUnit(7, [1, 2, 3]).OrderBy(a => a.Id));
        audits.Should().ContainSingle(d => d.StartsWith("SEARCH", StringComparison.Ordinal)
                                           && d.Contains("IX_DataValueAudits_PeriodId_UnitId_IndicatorId (PeriodId=? AND UnitId=?)", StringComparison.Ordinal));
        audits.Should().NotContain(d => d.StartsWith("SCAN", StringComparison.Ordinal) && !d.Contains("json_each", StringComparison.Ordinal));
        await db.Database.CloseConnectionAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task A_provinces_values_are_looked_up_unit_by_unit_and_a_whole_databases_read_as_one_range()
    {
        await using var db = await MigratedAsync("values-sql");
        var span = new FactLoader.UnitSpan();
        span.Add(10);
        span.Add(50_000);

        // A province among many: each of its units' values found by the unit's own key, never a range searched for every
        // unit (with the units' range beside the join SQLite did that: 154 s for a province of 100,000 units' country).
        var province = await PlanAsync(db, FactLoader.ValuesSql(db, [1, 2], [5, 6, 7], null, scanUnits: false, span));
        province.Should().Contain(d => d.StartsWith("SEARCH v", StringComparison.Ordinal)
                                      && d.Contains("USING PRIMARY KEY (PeriodId=? AND UnitId=?)", StringComparison.Ordinal));
        province.Should().NotContain(d => d.Contains("UnitId>?", StringComparison.Ordinal));

        // A database holding the scope's every area: each period's values read as one range of the index, each unit by its id.
        var whole = await PlanAsync(db, FactLoader.ValuesSql(db, [1, 2], [5, 6, 7], null, scanUnits: true, span));
        whole.Should().Contain(d => d.StartsWith("SEARCH v", StringComparison.Ordinal) && d.Contains("(PeriodId=? AND UnitId>? AND UnitId<?)", StringComparison.Ordinal));
        whole.Should().Contain(d => d.StartsWith("SEARCH u USING INTEGER PRIMARY KEY", StringComparison.Ordinal));
        await db.Database.CloseConnectionAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task The_values_table_is_its_key_one_B_tree_holding_each_value_once()
    {
        await using var db = await MigratedAsync("values-table");
        // EF cannot say WITHOUT ROWID: the migration SqliteValuesWithoutRowId made it, and an EF rebuild of the table (a
        // column altered) would silently make it a rowid table with a second index again.
        var sql = await db.Database.SqlQueryRaw<string>("""SELECT sql AS "Value" FROM sqlite_master WHERE type = 'table' AND name = 'DataValues'""").SingleAsync();
        sql.Should().EndWith("WITHOUT ROWID").And.Contain("""PRIMARY KEY ("PeriodId", "UnitId", "IndicatorId")""");
        (await db.Database.SqlQueryRaw<string>("""SELECT name AS "Value" FROM sqlite_master WHERE type = 'index' AND tbl_name = 'DataValues'""").ToListAsync())
            .Should().BeEmpty("the table's own B-tree is the key; it holds the value the evaluation reads");
        await db.Database.CloseConnectionAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>A new SQLite database of the current model, its connection open.</summary>
    private static async Task<QcdcDbContext> MigratedAsync(string name)
    {
        var storage = new StorageOptions { Provider = StorageProvider.Sqlite, Database = Path.Combine(TestFolders.NewFolder(name), "q.db") };
        await DatabaseMigrator.MigrateAsync(storage);
        var db = StorageRegistration.CreateContext(storage);
        await db.Database.OpenConnectionAsync();
        return db;
    }

    /// <summary>SQLite's plan of some SQL: the detail of each step.</summary>
    private static async Task<List<string>> PlanAsync(QcdcDbContext db, string sql)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return await PlanAsync(command);
    }

    /// <summary>SQLite's plan of the query EF sends, with its parameters: the detail of each step.</summary>
    private static async Task<List<string>> PlanAsync<T>(IQueryable<T> query)
    {
        await using var command = query.CreateDbCommand();
        return await PlanAsync(command);
    }

    private static async Task<List<string>> PlanAsync(System.Data.Common.DbCommand command)
    {
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        var details = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            details.Add(reader.GetString(3));
        return details;
    }
}
