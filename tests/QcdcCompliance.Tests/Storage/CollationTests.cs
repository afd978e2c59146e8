using Npgsql;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Import;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Storage;

/// <summary>The order of lists does not follow the locale a PostgreSQL database was created with.</summary>
public sealed class CollationTests
{
    /// <summary>Codes the README's code rule allows whose order differs between a Vietnamese collation and an ordinal one.</summary>
    private const string Agencies = Province.UnitsHeader +
        """
        CQ-ZT-1,Cơ quan Một,StateAgency,D1,true,10,,,
        CQ_ZT-2,Cơ quan Hai,StateAgency,D1,true,10,,,
        ĐV-ZT-4,Đơn vị Bốn,StateAgency,D1,true,10,,,
        DV-ZT-5,Đơn vị Năm,StateAgency,D1,true,10,,,

        """;

    [Fact]
    public async Task Findings_are_listed_and_paged_in_ordinal_code_order_on_a_PostgreSQL_database_of_a_Vietnamese_collation()
    {
        var server = await PostgresServer.InstanceAsync();
        var name = $"vi_{Guid.NewGuid():N}"[..24];
        await using (var admin = new NpgsqlConnection(server.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand(
                $"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'vi-VN' LOCALE 'C.UTF-8' TEMPLATE template0", admin);
            await create.ExecuteNonQueryAsync();
        }

        var storage = new StorageOptions { Provider = StorageProvider.Postgres, Database = $"Host=127.0.0.1;Port={server.Port};Username=postgres;Database={name};Timeout=30" };
        await DatabaseMigrator.MigrateAsync(storage);
        var engine = await Task.FromResult(Engine.Postgres(storage)).WithProvinceAsync();
        await using var bed = await ApiTestbed.StartAsync(engine);
        await engine.ImportAsync(ImportKind.Units, "agencies.csv", Agencies);
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", ApiTestbed.Values);
        await engine.Evaluations.EvaluateAsync(ApiTestbed.Period, null, RunTrigger.Manual);
        var auditor = await bed.AsAsync(Role.Auditor, "P");

        var listed = await engine.Findings.ListAsync(new FindingFilter(ApiTestbed.Period));
        var paged = new List<FindingDto>();
        string? cursor = null;
        do
        {
            var page = await (await auditor.GetAsync($"/api/findings?period={ApiTestbed.Period}&limit=3{(cursor is null ? "" : "&cursor=" + cursor)}")).ReadAsync<FindingPage>();
            paged.AddRange(page.Items);
            cursor = page.Next;
        }
        while (cursor is not null);

        var keys = listed.Select(f => (f.TargetCode, f.SubjectCode, f.Id)).ToList();
        keys.Select(k => k.SubjectCode).Should().Contain(["CQ-ZT-1", "CQ_ZT-2", "ĐV-ZT-4", "DV-ZT-5"]);
        keys.Should().Equal(keys.OrderBy(k => k.TargetCode, StringComparer.Ordinal).ThenBy(k => k.SubjectCode, StringComparer.Ordinal).ThenBy(k => k.Id),
            "SQLite and .NET compare codes ordinally: CQ-ZT-1 before CQ_ZT-2, DV-ZT-5 before ĐV-ZT-4 and XA1");
        paged.Select(f => (f.Target, f.SubjectCode, f.Id)).Should().Equal(keys, "every page continues where the last ended, in the list's order");
    }
}
