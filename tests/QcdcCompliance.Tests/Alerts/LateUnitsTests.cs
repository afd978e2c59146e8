using Npgsql;
using QcdcCompliance.Alerts;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Alerts;

/// <summary>
/// The late units a process keeps per database and period for the committee digests, on a real PostgreSQL server: a
/// set handed to one run never changes under it, and a value whose audit row took a lower id but committed after a
/// higher one was read (PostgreSQL's identities are handed out on insert, not on commit) is still counted.
/// </summary>
public sealed class LateUnitsTests
{
    private const int Period = 7;
    private static readonly DateTime DueBy = new(2020, 7, 15, 17, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task A_value_committed_after_a_higher_audit_id_was_read_is_still_counted_late()
    {
        var storage = await (await PostgresServer.InstanceAsync()).CreateDatabaseAsync("late_units");
        var late = new LateUnits(TimeProvider.System);
        (await ReadAsync(late, storage)).Count.Should().Be(0);

        // A takes an id and keeps its transaction open; B takes the next id and commits.
        await using var slow = new NpgsqlConnection(storage.ConnectionString);
        await slow.OpenAsync();
        await using var transaction = await slow.BeginTransactionAsync();
        var slowId = await AuditAsync(slow, unit: 101, transaction);
        var fastId = await AuditAsync(storage, unit: 102);
        fastId.Should().BeGreaterThan(slowId);

        var whileOpen = await ReadAsync(late, storage);
        whileOpen.Contains(102).Should().BeTrue();
        whileOpen.Contains(101).Should().BeFalse("its transaction has not committed");

        await transaction.CommitAsync();
        var after = await ReadAsync(late, storage);
        after.Contains(101).Should().BeTrue("the id below the highest one read was not seen, so it is looked for again");
        after.Contains(102).Should().BeTrue();
        whileOpen.Contains(101).Should().BeFalse("a set handed to a run never changes under it");
    }

    [Fact]
    public async Task Values_stored_before_the_deadline_or_of_another_period_are_not_late()
    {
        var storage = await (await PostgresServer.InstanceAsync()).CreateDatabaseAsync("late_units");
        var late = new LateUnits(TimeProvider.System);
        await ReadAsync(late, storage);

        await AuditAsync(storage, unit: 201, changedAt: DueBy.AddMinutes(-1));
        await AuditAsync(storage, unit: 202, period: Period + 1);
        await AuditAsync(storage, unit: 203);
        var set = await ReadAsync(late, storage);

        set.Contains(201).Should().BeFalse("stored before the deadline");
        set.Contains(202).Should().BeFalse("a value of another period");
        set.Contains(203).Should().BeTrue();
        set.Count.Should().Be(1);
    }

    [Fact]
    public async Task Thousands_of_units_late_at_once_are_folded_into_the_base_and_every_one_is_counted()
    {
        var storage = await (await PostgresServer.InstanceAsync()).CreateDatabaseAsync("late_units");
        var late = new LateUnits(TimeProvider.System);
        await AuditAsync(storage, unit: 5);
        (await ReadAsync(late, storage)).Count.Should().Be(0, "the first read counts the values stored, and there are none");

        await AuditAsync(storage, unit: 70);
        var small = await ReadAsync(late, storage);
        await using (var connection = new NpgsqlConnection(storage.ConnectionString))
        {
            await connection.OpenAsync();
            await using var many = new NpgsqlCommand(
                """
                INSERT INTO "DataValueAudits" ("UnitId", "PeriodId", "IndicatorId", "NewValue", "ChangedBy", "ChangedAt")
                SELECT u, @period, 1, 1, 'test', @at FROM generate_series(1000, 6999) AS u
                """, connection);
            many.Parameters.AddWithValue("period", Period);
            many.Parameters.AddWithValue("at", DueBy.AddDays(2));
            await many.ExecuteNonQueryAsync();
        }

        var folded = await ReadAsync(late, storage);
        folded.Count.Should().Be(6001);
        new[] { 70, 1000, 4242, 6999 }.Should().OnlyContain(u => folded.Contains(u));
        new[] { 5, 69, 999, 7000, 1 << 20 }.Should().NotContain(u => folded.Contains(u));
        small.Count.Should().Be(1, "a set handed out before is not changed by the fold");
        small.Contains(4242).Should().BeFalse();
    }

    private static async Task<LateSet> ReadAsync(LateUnits late, StorageOptions storage)
    {
        await using var db = StorageRegistration.CreateContext(storage);
        return await late.ForAsync(db, Period, DueBy, CancellationToken.None);
    }

    private static async Task<long> AuditAsync(StorageOptions storage, int unit, DateTime? changedAt = null, int period = Period)
    {
        await using var connection = new NpgsqlConnection(storage.ConnectionString);
        await connection.OpenAsync();
        return await AuditAsync(connection, unit, null, changedAt, period);
    }

    private static async Task<long> AuditAsync(NpgsqlConnection connection, int unit, NpgsqlTransaction? transaction, DateTime? changedAt = null, int period = Period)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO "DataValueAudits" ("UnitId", "PeriodId", "IndicatorId", "NewValue", "ChangedBy", "ChangedAt")
            VALUES (@unit, @period, 1, 1, 'test', @at) RETURNING "Id"
            """, connection, transaction);
        command.Parameters.AddWithValue("unit", unit);
        command.Parameters.AddWithValue("period", period);
        command.Parameters.AddWithValue("at", changedAt ?? DueBy.AddDays(1));
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
