using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using QcdcCompliance.Alerts;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Alerts;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Reliability;

/// <summary>
/// Whose Sent mark a row carries, as the outbox journal tells it after a database outage: its own (stored by a try whose
/// answer was lost, or before the process stopped short of forgetting its record) is no duplicate, on a provider that
/// keeps microseconds (PostgreSQL) as on one that keeps 100 ns (SQLite); another process's still is.
/// </summary>
public sealed class OutboxJournalMarkTests
{
    /// <summary>A time with ticks below the microsecond, as the system clock gives, which PostgreSQL does not keep.</summary>
    private static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(7)).AddTicks(1_234_567));

    [Theory]
    [InlineData(null)]
    [InlineData("journal_own_mark_lost_answer")]
    public async Task A_mark_stored_whose_answer_the_outage_lost_is_found_as_its_own_not_as_a_message_sent_twice(string? postgres)
    {
        var options = Options();
        var clock = Clock();
        var logs = new LogCapture();
        // The Sent mark reaches the database and is stored; its answer never comes back (a connection cut after the commit).
        var lost = new AnswerLost(sql => sql.StartsWith("UPDATE", StringComparison.Ordinal) && sql.Contains("\"SentAt\"", StringComparison.Ordinal));
        await using var engine = await EngineAsync(postgres, options, clock, services => services.AddSingleton<ILoggerProvider>(logs)
            .ConfigureDbContext<QcdcDbContext>(o => o.AddInterceptors(lost)));
        await engine.Services.GetRequiredService<OutboxWriter>().AddNewAsync([Message("test:lost-answer")]);

        var report = await engine.Delivery().DeliverDueAsync();

        lost.Struck.Should().Be(1, "the first mark was stored and its answer lost");
        (report.Sent, report.Marked).Should().Be((1, 0));
        var row = (await engine.OutboxAsync()).Single();
        (row.Status, row.Attempts).Should().Be((MessageStatus.Sent, 1));
        row.SentAt.Should().Be(AcceptedMessage.Precise(clock.GetUtcNow().UtcDateTime), "marked at the time the relay accepted it, to the microsecond");
        Warnings(logs).Should().BeEmpty("the mark found is the one this process stored: nothing may have arrived twice");
        Directory.EnumerateFiles(options.JournalFolder!).Should().BeEmpty("its record is forgotten once the mark is found");
        Directory.GetFiles(options.PickupFolder, "*.eml").Should().ContainSingle();
    }

    /// <summary>
    /// Two records left in the journal: one of a message whose mark its process stored before it stopped short of
    /// forgetting the record (written, as an earlier build did, with the clock's 100-ns ticks), one of a message another
    /// process claimed once this one's claim ran out, sent again and marked Sent at its own time.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData("journal_own_and_other_marks")]
    public async Task A_record_of_a_mark_stored_already_is_neither_counted_nor_warned_of_and_another_processs_mark_is_warned_of(string? postgres)
    {
        var options = Options();
        var clock = Clock();
        var logs = new LogCapture();
        await using var engine = await EngineAsync(postgres, options, clock, services => services.AddSingleton<ILoggerProvider>(logs));
        await engine.Services.GetRequiredService<OutboxWriter>().AddNewAsync([Message("test:own"), Message("test:other")]);
        var acceptedAt = clock.GetUtcNow().UtcDateTime;
        (await engine.Delivery().DeliverDueAsync()).Sent.Should().Be(2);
        var rows = await engine.OutboxAsync();
        var (own, other) = (rows.Single(r => r.Key == "test:own"), rows.Single(r => r.Key == "test:other"));
        await using (var db = engine.Db())
        {
            // The other message: claimed again by another process (attempt 2) and Sent 11 minutes after this one's acceptance.
            await db.OutboxMessages.Where(m => m.Id == other.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Attempts, 2).SetProperty(m => m.SentAt, acceptedAt.AddMinutes(11)));
            var journal = new OutboxJournal(options);
            var place = journal.PlaceOf(db);
            await journal.RecordAsync(place, new AcceptedMessage(place.Database, own.Id, own.Key, 1, acceptedAt, own.Recipient));
            await journal.RecordAsync(place, new AcceptedMessage(place.Database, other.Id, other.Key, 1, acceptedAt, other.Recipient));
        }

        clock.Advance(TimeSpan.FromMinutes(12));
        // A new process over the same journal.
        var report = await engine.Delivery().DeliverDueAsync();

        (report.Sent, report.Marked).Should().Be((0, 0), "both rows were Sent already: this round marked none");
        report.ToString().Should().NotContain("marked sent");
        Warnings(logs).Should().ContainSingle("only the message another process sent again may have arrived twice")
            .Which.Should().Contain($"Outbox message {other.Id} (test:other)").And.Contain("it may have arrived twice");
        (await engine.OutboxAsync()).Select(r => (r.Key, r.Status)).Should().BeEquivalentTo([("test:own", MessageStatus.Sent), ("test:other", MessageStatus.Sent)]);
        Directory.EnumerateFiles(options.JournalFolder!).Should().BeEmpty("each record is forgotten once its row says what became of it");
    }

    private static AlertOptions Options()
    {
        var options = AlertScenario.Options();
        options.JournalFolder = TestFolders.NewFolder("journal");
        return options;
    }

    private static async Task<Engine> EngineAsync(string? postgres, AlertOptions options, TimeProvider clock, Action<IServiceCollection> configure)
    {
        void Configure(IServiceCollection services) => configure(services.AddQcdcAlerts(options));
        return postgres is null ? await Engine.SqliteAsync(clock, configure: Configure) : await Engine.PostgresAsync(postgres, clock, configure: Configure);
    }

    private static ComposedMessage Message(string key) => new(key, MessageKind.UnitAlert, "xa1@example.vn", "Thử", new MailBody().Paragraph("Xin chào"));

    /// <summary>The warnings and errors of the outbox's delivery and journal.</summary>
    private static List<string> Warnings(LogCapture logs) =>
        logs.Lines.Where(l => (l.StartsWith("Warning QcdcCompliance.Alerts.", StringComparison.Ordinal) || l.StartsWith("Error QcdcCompliance.Alerts.", StringComparison.Ordinal)))
            .ToList();

    /// <summary>Lets the first matching command run and commit, then fails as if its answer had been lost on the way back.</summary>
    private sealed class AnswerLost(Func<string, bool> matches) : DbCommandInterceptor
    {
        private int _struck;

        public int Struck => _struck;

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
            CancellationToken cancellationToken = default)
        {
            if (result == 1 && matches(command.CommandText) && Interlocked.CompareExchange(ref _struck, 1, 0) == 0)
                // As Npgsql says a connection that timed out: transient, on either provider (DatabaseErrors.IsTransient).
                throw new NpgsqlException("the database's answer was lost", new TimeoutException("no answer in time"));
            return ValueTask.FromResult(result);
        }
    }
}
