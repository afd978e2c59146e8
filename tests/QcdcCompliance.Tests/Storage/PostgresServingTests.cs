using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Storage;

/// <summary>
/// What the API's pages need of PostgreSQL at a country's scale (issue 16, the serving path): no JIT compilation of a
/// page's query, a page after a cursor that starts its index scan at the cursor, an area's units read from the index.
/// </summary>
public sealed class PostgresServingTests
{
    [Fact]
    public async Task The_products_connections_run_without_JIT_unless_the_connection_string_sets_it()
    {
        await using var engine = await Engine.PostgresAsync("jit");
        await using (var db = engine.Db())
            (await ShowAsync(db, "jit")).Should().Be("off");

        var own = new StorageOptions { Provider = StorageProvider.Postgres, Database = engine.Storage.Database + ";Options=-c jit=on -c statement_timeout=5000" };
        await using (var db = StorageRegistration.CreateContext(own))
        {
            (await ShowAsync(db, "jit")).Should().Be("on", "an operator's own setting is kept");
            (await ShowAsync(db, "statement_timeout")).Should().Be("5s");
        }
    }

    [Fact]
    public async Task A_page_after_a_cursor_is_one_row_value_comparison_that_PostgreSQL_starts_its_index_scan_at()
    {
        await using var engine = await Engine.PostgresAsync("cursor");
        await using var db = engine.Db();
        var query = new FindingCursor("NQ02-1", "XA-001", 42).After(db.Findings.Where(f => f.PeriodId == 1).OrderBy(f => f.TargetCode).ThenBy(f => f.SubjectCode).ThenBy(f => f.Id), db);

        query.ToQueryString().Should().Contain("(f.\"TargetCode\", f.\"SubjectCode\", f.\"Id\") > (");
        await db.Database.OpenConnectionAsync();
        await using var command = query.CreateDbCommand();
        var plan = await PlanAsync(command, command.CommandText);
        plan.Should().Contain("Index Cond").And.Contain("ROW(");
    }

    [Fact]
    public async Task An_areas_units_carry_their_ids_in_the_index_on_the_area()
    {
        await using var engine = await Engine.PostgresAsync("units-index");
        await using var db = engine.Db();
        var definition = await db.Database.SqlQuery<string>($"SELECT indexdef AS \"Value\" FROM pg_indexes WHERE indexname = 'IX_Units_AreaId'").SingleAsync();

        definition.Should().Contain("(\"AreaId\") INCLUDE (\"Id\")");
    }

    [Fact]
    public async Task The_values_key_covers_the_value_and_is_their_one_index_which_an_evaluation_reads_them_from_alone()
    {
        await using var engine = await Engine.PostgresAsync("values-key");
        await using var db = engine.Db();

        // One index to maintain when an import COPies values in: the key, covering the value (PostgresValuesKeyCoversValue).
        var indexes = await db.Database.SqlQuery<string>($"SELECT indexdef AS \"Value\" FROM pg_indexes WHERE tablename = 'DataValues'").ToListAsync();
        indexes.Should().ContainSingle().Which.Should().Contain("UNIQUE INDEX \"PK_DataValues\"")
            .And.EndWith("(\"PeriodId\", \"UnitId\", \"IndicatorId\") INCLUDE (\"Value\")");

        // The evaluation's read of a scope's values needs nothing of the table: every column it reads is in the key's index
        // (the empty table is planned as if scans were dear, so that the plan shows whether the index alone can answer).
        var span = new QcdcCompliance.Evaluation.FactLoader.UnitSpan();
        span.Add(1);
        span.Add(500);
        await db.Database.OpenConnectionAsync();
        await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off; SET enable_bitmapscan = off");
        foreach (var scanUnits in new[] { false, true })
        {
            var sql = QcdcCompliance.Evaluation.FactLoader.ValuesSql(db, [1, 2], [5, 6], null, scanUnits, span);
            await using var command = db.Database.GetDbConnection().CreateCommand();
            var plan = await PlanAsync(command, sql);
            plan.Should().Contain("Index Only Scan using \"PK_DataValues\"", "scanning units: {0}", scanUnits);
        }
    }

    /// <summary>PostgreSQL's plan of <paramref name="sql"/>, run as <paramref name="command"/> (its parameters kept), one line a node.</summary>
    private static async Task<string> PlanAsync(System.Data.Common.DbCommand command, string sql)
    {
        command.CommandText = "EXPLAIN " + sql;
        var lines = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                lines.Add(reader.GetString(0));
        return string.Join("\n", lines);
    }

    private static Task<string> ShowAsync(QcdcDbContext db, string setting) =>
        db.Database.SqlQuery<string>($"SELECT current_setting({setting}) AS \"Value\"").SingleAsync();
}
