using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using QcdcCompliance.Import;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Import;

/// <summary>
/// Stop 56, item 2: what an areas import touched (<see cref="TouchedScopes.OfTreeAsync"/>) is worked out from the units
/// in the areas it placed elsewhere, read by their area, not from every unit of the database: the same scopes, a
/// fraction of the rows.
/// </summary>
public sealed class TouchedScopesReadTests
{
    private const string AreasHeader = "code,name,level,parent_code,valid_from,valid_to\n";
    private const string UnitsHeader = "code,name,kind,area_code,has_trade_union,headcount,contact_email,active_from,active_to,changed_on\n";

    [Fact]
    public async Task A_commune_of_one_district_moved_to_another_province_touches_both_and_reads_only_the_units_that_sat_in_it()
    {
        await using var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());
        // C4, a commune of D1 with no unit now: XA9 sat there on 30/6/2020 and moved to C3 (in D2) on 1/9/2020. D2 and
        // D1's other communes hold 60 enterprises more, which no change of C4 counts otherwise.
        await engine.ImportAsync(ImportKind.Areas, "c4.csv", AreasHeader + "Q,Tỉnh Khác,Province,,,\nC4,Xã Bốn,Commune,D1,,2025-06-30\nC4,Xã Bốn,Commune,P,2025-07-01,\n");
        await engine.ImportAsync(ImportKind.Units, "xa9.csv", UnitsHeader + "XA9,UBND Xã Bốn,Commune,C4,true,20,,,,\n"
            + string.Concat(Enumerable.Range(10, 60).Select(i => $"DN{i},Công ty {i},NonStateEnterprise,{(i % 2 == 0 ? "C3" : "C2")},true,10,,,,\n")));
        await engine.ImportAsync(ImportKind.Units, "xa9-moved.csv", UnitsHeader + "XA9,UBND Xã Bốn,Commune,C3,true,20,,,,2020-09-01\n");
        await using var plain = engine.Db();
        var before = await plain.LoadAreaTreeAsync();
        var units = await plain.Units.CountAsync();

        var moved = await engine.ImportAsync(ImportKind.Areas, "c4-q.csv", AreasHeader + "C4,Xã Bốn,Commune,Q,,\n");

        moved.TouchedScopes.Should().Equal([("2020", "P"), ("2020", "Q"), ("2020S1", "P"), ("2020S1", "Q")],
            "XA9 counted in P's 2020S1 through C4, which now lies in Q");
        var reads = new UnitReads();
        await using var db = new QcdcDbContext(new DbContextOptionsBuilder<QcdcDbContext>().UseQcdcStorage(engine.Storage).AddInterceptors(reads).Options);
        var after = await db.LoadAreaTreeAsync();
        (await TouchedScopes.OfTreeAsync(db, before, after, new ImportContext("test", TimeProvider.System), CancellationToken.None))
            .Should().Equal(moved.TouchedScopes);
        reads.Rows.Should().BeGreaterThan(0).And.BeLessThan(5, "only XA9 sat in C4: the other {0} units are not read", units - 1);
    }

    /// <summary>The rows read by the commands that read the units' table.</summary>
    private sealed class UnitReads : DbCommandInterceptor
    {
        public int Rows { get; private set; }

        public override ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
        {
            if (command.CommandText.Contains("FROM \"Units\"", StringComparison.Ordinal))
                Rows += eventData.ReadCount;
            return base.DataReaderClosingAsync(command, eventData, result);
        }
    }
}
