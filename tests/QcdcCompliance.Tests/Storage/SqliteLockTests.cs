using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Import;
using QcdcCompliance.Submissions;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Storage;

/// <summary>
/// The reads that go through SQLite's C API wait for a writer's lock as the provider's own commands do, instead of
/// failing with "database is locked" (a reporting officer's unit page failed so while a run was being stored, in a
/// database not in write-ahead-log mode, where a committing writer locks readers out).
/// </summary>
public sealed class SqliteLockTests
{
    [Fact]
    public async Task A_units_facts_read_while_another_connection_holds_the_database_locked_wait_for_it()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + "XA3,2020S1,REGULATION_ISSUED,true,\n");
        var templates = engine.Services.GetRequiredService<ReportingTemplates>();

        // Held where the unit's row is about to be read through the C API, the EF queries before it done.
        using var point = new SpanPoint("qcdc.evaluate.load.units");
        point.Arm();
        var page = point.Watch(() => templates.ForUnitAsync("2020S1", "XA3"));
        await point.Reached.WaitAsync(TimeSpan.FromMinutes(1));

        await using var writer = new SqliteConnection($"Data Source={engine.Storage.Database}");
        await writer.OpenAsync();
        await using (var exclusive = writer.CreateCommand())
        {
            exclusive.CommandText = "BEGIN EXCLUSIVE";
            await exclusive.ExecuteNonQueryAsync();
        }

        point.Release();
        await Task.Delay(300);
        page.IsCompleted.Should().BeFalse("the read waits while the database is locked");
        await using (var commit = writer.CreateCommand())
        {
            commit.CommandText = "COMMIT";
            await commit.ExecuteNonQueryAsync();
        }

        var template = await page.WaitAsync(TimeSpan.FromMinutes(1));
        template.Should().NotBeNull("the unit's template is built once the lock is gone");
    }
}
