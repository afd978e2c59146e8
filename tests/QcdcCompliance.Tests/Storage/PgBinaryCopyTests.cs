using Microsoft.EntityFrameworkCore;
using Npgsql;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Storage;

/// <summary>
/// The binary COPY the product writes by hand (<see cref="PgBinaryCopy"/>) must store each value as Npgsql would have
/// written it, on a real server: every type the model stores, their edges (infinity, the empty text and bytes, NULL,
/// text outside the BMP, a value larger than the buffer), and nothing at all when the COPY is given up.
/// </summary>
public sealed class PgBinaryCopyTests
{
    private const string Create = """
        CREATE TABLE copied (n integer NOT NULL, s smallint NULL, i integer NULL, l bigint NULL, b boolean NULL, t text NULL, v character varying(40) NULL,
        y bytea NULL, d date NULL, ts timestamp with time zone NULL)
        """;

    private static readonly string[] Columns = ["n", "s", "i", "l", "b", "t", "v", "y", "d", "ts"];

    private sealed record Row(int N, short? S, int? I, long? L, bool? B, string? T, string? V, byte[]? Y, DateOnly? D, DateTime? Ts);

    private static Row[] Rows()
    {
        var big = new byte[200_000];
        new Random(7).NextBytes(big);
        var at = new DateTime(2026, 12, 6, 5, 4, 3, DateTimeKind.Utc).AddTicks(1234560);
        return
        [
            new(0, 1, 2, 3, true, "Ủy ban nhân dân xã", "HT-X001", [1, 2, 3], new DateOnly(2020, 6, 30), at),
            new(1, short.MinValue, int.MinValue, long.MinValue, false, "", "", [], new DateOnly(1999, 12, 31), new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc)),
            new(2, short.MaxValue, int.MaxValue, long.MaxValue, null, "Công ty 😀", null, big, DateOnly.MinValue, DateTime.MinValue),
            new(3, null, null, null, null, null, null, null, DateOnly.MaxValue, DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc)),
            new(4, -1, -1, -1, true, new string('x', 50_000), "v", null, new DateOnly(2000, 1, 1), new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
        ];
    }

    [Fact]
    public async Task Every_type_the_model_stores_is_read_back_as_written_edges_included()
    {
        await using var connection = await OpenAsync("copy-types");
        await ExecuteAsync(connection, Create);
        var rows = Rows();
        // Many rows, so that the buffer is sent several times before the end.
        var many = Enumerable.Range(0, 3000).Select(i => rows[i % rows.Length] with { N = i }).ToArray();

        await using (var copy = await PgBinaryCopy.BeginAsync(connection, "copied", Columns, CancellationToken.None))
        {
            foreach (var row in many)
            {
                copy.StartRow();
                copy.Int32(row.N);
                Nullable(copy, row.S, copy.Int16);
                Nullable(copy, row.I, copy.Int32);
                copy.Int64OrNull(row.L);
                Nullable(copy, row.B, copy.Boolean);
                copy.TextOrNull(row.T);
                copy.TextOrNull(row.V);
                if (row.Y is null)
                    copy.Null();
                else
                    copy.Bytes(row.Y);
                Nullable(copy, row.D, copy.Date);
                Nullable(copy, row.Ts, copy.TimestampTz);
                await copy.EndRowAsync(CancellationToken.None);
            }

            await copy.CompleteAsync(CancellationToken.None);
        }

        var read = new List<Row>();
        await using (var command = new NpgsqlCommand("SELECT n, s, i, l, b, t, v, y, d, ts FROM copied ORDER BY n", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                read.Add(new Row(reader.GetInt32(0), Get<short>(reader, 1), Get<int>(reader, 2), Get<long>(reader, 3), Get<bool>(reader, 4),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.IsDBNull(7) ? null : (byte[])reader[7], Get<DateOnly>(reader, 8), Get<DateTime>(reader, 9)));
            }
        }

        read.Should().HaveCount(many.Length);
        for (var i = 0; i < many.Length; i++)
        {
            var (expected, actual) = (many[i], read[i]);
            actual.Should().BeEquivalentTo(expected with { Ts = Microseconds(expected.Ts) }, o => o.Excluding(r => r.Y), $"row {i}");
            actual.Y.Should().Equal(expected.Y, $"row {i}'s bytes");
        }

        // What the server made of the edges: the infinities as infinity, a time in UTC to the microsecond.
        await ExecuteAsync(connection, "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO'");
        var texts = await ScalarAsync(connection, "SELECT string_agg(d::text || ' ' || ts::text, ' | ' ORDER BY n) FROM copied WHERE n IN (0, 2, 3)");
        texts.Should().Be("2020-06-30 2026-12-06 05:04:03.123456+00 | -infinity -infinity | infinity infinity");
    }

    [Fact]
    public async Task A_copy_given_up_stores_nothing_and_leaves_the_connection_usable_and_a_short_row_or_a_local_time_is_refused()
    {
        await using var connection = await OpenAsync("copy-cancel");
        await ExecuteAsync(connection, Create);

        await using (var copy = await PgBinaryCopy.BeginAsync(connection, "copied", Columns, CancellationToken.None))
        {
            copy.StartRow();
            copy.Int32(1);
            // Half a row is refused before it is sent; then given up (an error in the caller): disposed without completing.
            var half = async () => await copy.EndRowAsync(CancellationToken.None);
            await half.Should().ThrowAsync<InvalidOperationException>().WithMessage("The row has 1 field(s) where the COPY names 10 columns.");
        }

        (await ScalarAsync(connection, "SELECT count(*)::text FROM copied")).Should().Be("0");

        await using (var copy = await PgBinaryCopy.BeginAsync(connection, "copied", Columns, CancellationToken.None))
        {
            copy.StartRow();
            copy.Int32(1);
            var local = () => copy.TimestampTz(new DateTime(2026, 12, 6, 12, 0, 0, DateTimeKind.Local));
            local.Should().Throw<ArgumentException>().WithMessage("*only UTC*");
            var unspecified = () => copy.TimestampTz(new DateTime(2026, 12, 6, 12, 0, 0));
            unspecified.Should().Throw<ArgumentException>();
        }

        (await ScalarAsync(connection, "SELECT count(*)::text FROM copied")).Should().Be("0");
    }

    [Fact]
    public async Task A_copy_whose_connection_is_lost_fails_with_the_loss_and_not_with_its_own_clean_up()
    {
        await using var connection = await OpenAsync("copy-lost");
        await ExecuteAsync(connection, Create);
        var pid = connection.ProcessID;
        Exception? raised = null;

        var copying = async () =>
        {
            await using var copy = await PgBinaryCopy.BeginAsync(connection, "copied", Columns, CancellationToken.None);
            try
            {
                // The server's process ends under the COPY (the database gone): the next rows sent fail.
                await using (var other = await OpenAsync(connection))
                    await ExecuteAsync(other, $"SELECT pg_terminate_backend({pid})");
                for (var i = 0; i < 100_000; i++)
                {
                    copy.StartRow();
                    copy.Int32(i);
                    for (var c = 1; c < Columns.Length; c++)
                        copy.Null();
                    await copy.EndRowAsync(CancellationToken.None);
                }

                await copy.CompleteAsync(CancellationToken.None);
            }
            catch (Exception e)
            {
                raised = e;
                throw;
            }
        };

        (await copying.Should().ThrowAsync<Exception>()).Which.Should().BeSameAs(raised, "the caller sees why the COPY failed (a fault its retry classifies), not the failed cancel after it");
        raised.Should().NotBeNull();
    }

    [Fact]
    public async Task Every_column_of_the_model_on_PostgreSQL_is_of_a_type_the_binary_copy_writes()
    {
        await using var engine = await Engine.PostgresAsync("copy-model");
        await using var db = engine.Db();
        var columns = db.Model.GetEntityTypes()
            .SelectMany(e => e.GetProperties().Concat(e.GetComplexProperties().SelectMany(c => c.ComplexType.GetProperties()))
                .Select(p => (Entity: e.ShortName(), p.Name, Type: p.GetColumnType())))
            .ToList();

        columns.Should().NotBeEmpty();
        columns.Where(c => PgColumnTypes.Of(c.Type) == PgColumnType.Other).Should().BeEmpty("BulkInserter writes any entity's rows by the binary COPY");
    }

    private static void Nullable<T>(PgBinaryCopy copy, T? value, Action<T> write)
        where T : struct
    {
        if (value is { } v)
            write(v);
        else
            copy.Null();
    }

    private static T? Get<T>(NpgsqlDataReader reader, int ordinal)
        where T : struct => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);

    /// <summary>PostgreSQL keeps microseconds (and DateTime.MaxValue, infinity, comes back as it was).</summary>
    private static DateTime? Microseconds(DateTime? value) =>
        value is { } v && v.Ticks != DateTime.MaxValue.Ticks ? new DateTime(v.Ticks - (v.Ticks % 10), v.Kind) : value;

    private static async Task<NpgsqlConnection> OpenAsync(NpgsqlConnection like)
    {
        var connection = new NpgsqlConnection(like.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<NpgsqlConnection> OpenAsync(string name)
    {
        var server = await PostgresServer.InstanceAsync();
        var storage = await server.CreateDatabaseAsync(name);
        var connection = new NpgsqlConnection(storage.Database);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (string?)await command.ExecuteScalarAsync();
    }
}
