using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Storage;

/// <summary>
/// SQLite's bulk path binds a column again only when its value differs from the row before's (a reset keeps what was
/// bound), and PostgreSQL's writes the binary COPY by hand: every row must still be stored with its own values, whatever
/// repeats, alternates with null, or is an array filled anew between rows.
/// </summary>
public sealed class BulkInserterTests
{
    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task Rows_whose_columns_repeat_alternate_with_null_or_reuse_an_array_are_stored_each_with_its_own_values(StorageProvider provider)
    {
        var storage = provider == StorageProvider.Postgres
            ? await (await PostgresServer.InstanceAsync()).CreateDatabaseAsync("bulk-insert")
            : new StorageOptions { Provider = StorageProvider.Sqlite, Database = Path.Combine(TestFolders.NewFolder("bulk-insert"), "q.db") };
        await DatabaseMigrator.MigrateAsync(storage);
        var at = new DateTime(2026, 12, 5, 3, 0, 0, DateTimeKind.Utc);
        // (run, subject built anew each time, last error, created, body bytes)
        var shapes = new (long? Run, string Subject, string? Error, DateTime Created, byte Body)[]
        {
            (1, "Tiêu đề", null, at, 1),
            (1, "Tiêu đề", null, at, 2),
            (null, "Tiêu đề", "lỗi", at, 2),
            (null, "Khác", null, at.AddSeconds(1), 3),
            (2, "Khác", "lỗi", at.AddSeconds(1), 3),
            (1, "Tiêu đề", "lỗi", at, 4),
            // An empty text is a text, not NULL (bound from an empty span, it would be NULL).
            (1, "", "", at, 5),
            (1, "Tiêu đề", "", at, 6),
        };

        await using (var db = StorageRegistration.CreateContext(storage))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            (await BulkInserter.InsertAsync(db, Rows(shapes))).Should().Be(shapes.Length);
            await transaction.CommitAsync();
        }

        await using (var db = StorageRegistration.CreateContext(storage))
        {
            var stored = await db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
            stored.Select(m => (m.Key, m.RunId, m.Subject, m.LastError, m.CreatedAt, m.PackedTextBody.Single()))
                .Should().Equal(shapes.Select((s, i) => ($"k{i}", s.Run, s.Subject, s.Error, s.Created, s.Body)));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>The rows one at a time, as the writer reads them, every body in one array refilled before each row.</summary>
    private static IEnumerable<OutboxMessage> Rows((long? Run, string Subject, string? Error, DateTime Created, byte Body)[] shapes)
    {
        var body = new byte[1];
        for (var i = 0; i < shapes.Length; i++)
        {
            var s = shapes[i];
            body[0] = s.Body;
            yield return new OutboxMessage
            {
                Key = $"k{i}", Kind = MessageKind.UnitAlert, RunId = s.Run, Recipient = "a@b.vn", Subject = new string(s.Subject.AsSpan()), LastError = s.Error,
                CreatedAt = s.Created, NextAttemptAt = s.Created, Status = MessageStatus.Pending, PackedTextBody = body,
            };
        }
    }

    [Fact]
    public void Rows_made_several_chunks_ahead_come_out_in_the_items_order_however_long_each_takes()
    {
        // 20 chunks of 1,024, mapped up to BulkInserter.ChunksAhead at once, some items slow: the writer must still get
        // every row once, in the items' order.
        var items = Enumerable.Range(0, 20 * 1024 + 17).ToList();
        var made = BulkInserter.Pipelined(items, i =>
        {
            if (i % 997 == 0)
                Thread.Sleep(2);
            return i * 2L;
        }, CancellationToken.None).ToList();

        made.Should().Equal(items.Select(i => i * 2L));
    }

    [Fact]
    public void A_row_that_cannot_be_made_stops_the_writer_with_its_error()
    {
        var made = () => BulkInserter.Pipelined(Enumerable.Range(0, 10_000), i => i == 5_000 ? throw new InvalidOperationException("row 5000") : i,
            CancellationToken.None).ToList();

        made.Should().Throw<InvalidOperationException>().WithMessage("row 5000");
    }
}
