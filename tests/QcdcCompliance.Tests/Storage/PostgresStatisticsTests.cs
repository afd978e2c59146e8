using System.Text;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Storage;

/// <summary>
/// PostgreSQL plans from its statistics: after a bulk load the values' are refreshed by the import itself (as autovacuum
/// would a minute or so later), so that the evaluations and the changes that follow at once are planned for the rows
/// stored. A small import into a large table leaves them to autovacuum.
/// </summary>
public sealed class PostgresStatisticsTests
{
    [Fact]
    public async Task A_bulk_values_import_refreshes_the_values_statistics_and_a_small_one_into_many_leaves_them()
    {
        await using var engine = await Engine.PostgresAsync("stats").WithProvinceAsync();
        // Autovacuum kept out of the way: what is asserted is what the import did.
        await using (var db = engine.Db())
            await db.Database.ExecuteSqlRawAsync("""ALTER TABLE "DataValues" SET (autovacuum_enabled = false); ALTER TABLE "DataValueAudits" SET (autovacuum_enabled = false)""");
        var units = new StringBuilder(Province.UnitsHeader);
        for (var u = 0; u < 2000; u++)
            units.Append($"U{u:0000},UBND {u},Commune,C1,false,10,,,\n");
        await engine.ImportAsync(ImportKind.Units, "units.csv", units.ToString());
        string Values(string period, int count, int shift) => Province.ValuesHeader + string.Concat(Enumerable.Range(0, count)
            .Select(u => $"U{u:0000},{period},MEDIATION_CASES,{(u + shift) % 5},\nU{u:0000},{period},MEDIATION_SUCCESSES,{(u + shift) % 3},\n"));

        (await LastAnalyzeAsync(engine)).Should().BeNull("no statistics before the first load");
        await engine.ImportAsync(ImportKind.Values, "first.csv", Values("2020S1", 2000, 0));
        var first = await LastAnalyzeAsync(engine);
        first.Should().NotBeNull("a first load into a table never analysed refreshes its statistics");
        (await StoredEstimateAsync(engine)).Should().Be(4000f);

        // 100 changed values of 4,000 stored: under a tenth, left to autovacuum.
        await engine.ImportAsync(ImportKind.Values, "few.csv", Values("2020S1", 50, 1));
        (await LastAnalyzeAsync(engine)).Should().Be(first);

        // A new period of as many values again: refreshed.
        await engine.ImportAsync(ImportKind.Values, "second.csv", Values("2020S2", 2000, 0));
        (await LastAnalyzeAsync(engine)).Should().BeAfter(first!.Value);
        (await StoredEstimateAsync(engine)).Should().Be(8000f);
    }

    private static async Task<DateTime?> LastAnalyzeAsync(Engine engine)
    {
        await using var db = engine.Db();
        return await db.Database.SqlQueryRaw<DateTime?>("""SELECT last_analyze AS "Value" FROM pg_stat_user_tables WHERE relname = 'DataValues'""").SingleAsync();
    }

    private static async Task<float> StoredEstimateAsync(Engine engine)
    {
        await using var db = engine.Db();
        return await db.Database.SqlQueryRaw<float>("""SELECT reltuples AS "Value" FROM pg_class WHERE oid = '"DataValues"'::regclass""").SingleAsync();
    }
}
