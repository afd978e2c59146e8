using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Alerts;

/// <summary>
/// That the relay accepted attempt <paramref name="Attempt"/> of outbox message <paramref name="Id"/> (its
/// <paramref name="Key"/>, in <paramref name="Database"/>) at <paramref name="AcceptedAt"/> (UTC), its Sent mark not
/// stored yet.
/// </summary>
public sealed record AcceptedMessage(string Database, long Id, string Key, int Attempt, DateTime AcceptedAt, string Recipient)
{
    /// <summary>
    /// The time a record says the relay accepted its message, and the Sent mark it stores: <paramref name="now"/> to the
    /// microsecond, the precision every provider keeps (PostgreSQL's <c>timestamptz</c> keeps microseconds, SQL Server's
    /// <c>datetime2</c> 100 ns, SQLite 7 decimals as text), so the mark reads back equal to the record on each of them.
    /// </summary>
    public static DateTime Precise(DateTime now) => new(now.Ticks - now.Ticks % TimeSpan.TicksPerMicrosecond, now.Kind);

    /// <summary>
    /// Whether a row Sent at <paramref name="sentAt"/> carries this record's own mark (stored by this process, or by
    /// another reading the same journal), not another process's: the same microsecond. A record written by an earlier
    /// build holds 100-ns ticks that PostgreSQL cut to the microsecond, hence the comparison at that precision. Another
    /// process's mark is the time the relay accepted its own attempt, claimed after this record's claim ran out
    /// (<see cref="AlertOptions.ClaimTimeout"/>): minutes apart, never the same microsecond.
    /// </summary>
    public bool IsMarkOf(DateTime? sentAt) => sentAt is { } at && Math.Abs((at - AcceptedAt).Ticks) < TimeSpan.TicksPerMicrosecond;
}

/// <summary>
/// Where a database's journal is (<see cref="Folder"/>) and what names the database in it (<see cref="Database"/>:
/// the SQLite file, or the server and database, never a password): a journal folder shared by processes of two
/// databases keeps each one's messages apart, as message ids repeat across databases.
/// </summary>
public sealed record JournalPlace(string Database, string Folder);

/// <summary>
/// The messages the relay accepted whose Sent mark is not stored yet: the one fact that, lost, would send a message a
/// second time. Delivery records a message here the moment the relay accepts it, before it marks the row Sent, and
/// forgets it once the mark is stored; until then every round of a process using this journal stores the mark (at
/// the time the relay accepted it) instead of claiming and sending the message again, however long the database was
/// out (<see cref="OutboxDelivery"/>). A record is a small file in the journal's folder
/// (<see cref="AlertOptions.JournalFolder"/>), written whole (renamed into place) before the mark is tried, so it
/// outlives the process: a process killed before its mark landed, and the next one using the folder stores it. It is
/// flushed to the disk (<see cref="SyncAsync"/>) once the mark has failed: flushing every message's record would cost
/// about 13 ms a message on the machine measured (a province's first run queues 200,000), against 0.3 ms without,
/// and a record only needs to outlive a crash of the machine while the database keeps its mark waiting. It is kept
/// in memory too, so that a disk that refuses the file loses nothing while the process lives. The journal is
/// the machine's, not the database's: another host sharing the database does not see it (README, "Exactly once").
/// </summary>
public sealed class OutboxJournal(AlertOptions options, ILogger<OutboxJournal>? log = null)
{
    /// <summary>The folder beside a SQLite database, and in the working folder for a server's.</summary>
    public const string DefaultFolder = "qcdc-outbox-journal";

    private const string Extension = ".accepted.json";

    private readonly ILogger _log = log ?? NullLogger<OutboxJournal>.Instance;

    // What this process recorded, by file name: kept while the mark is not stored, whether or not the file was written.
    private readonly ConcurrentDictionary<string, AcceptedMessage> _held = new(StringComparer.Ordinal);

    /// <summary>The journal of the database <paramref name="db"/> connects to (no connection is opened).</summary>
    public JournalPlace PlaceOf(QcdcDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        var sqlite = connection is SqliteConnection ? new SqliteConnectionStringBuilder(connection.ConnectionString).DataSource : null;
        var file = sqlite is { Length: > 0 } && sqlite != ":memory:" && !connection.ConnectionString.Contains("Mode=Memory", StringComparison.OrdinalIgnoreCase)
            ? Path.GetFullPath(sqlite)
            : null;
        var database = file is not null ? $"sqlite:{file}" : $"{Provider(connection)}:{connection.DataSource}/{connection.Database}";
        var folder = options.JournalFolder is { Length: > 0 } configured
            ? configured
            : file is not null
                ? Path.Combine(Path.GetDirectoryName(file)!, $"{Path.GetFileName(file)}.outbox-journal")
                : DefaultFolder;
        return new JournalPlace(database, Path.GetFullPath(folder));
    }

    /// <summary>
    /// Records that the relay accepted the message: in memory, then as a file renamed into place whole. A file that
    /// cannot be written is logged, and the record lives in memory only: this process never sends the message again, a
    /// restart before its mark would.
    /// </summary>
    public async Task RecordAsync(JournalPlace place, AcceptedMessage accepted)
    {
        var name = FileName(accepted);
        _held[name] = accepted;
        var path = Path.Combine(place.Folder, name);
        var temporary = path + ".tmp";
        try
        {
            Directory.CreateDirectory(place.Folder);
            await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
                await JsonSerializer.SerializeAsync(file, accepted);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogError(e, "Outbox message {Id} ({Key}) was accepted by the relay, and the journal {Folder} could not record it: {Error}. This process "
                + "remembers it until its Sent mark is stored; were it stopped before that, the message could be sent again", accepted.Id, accepted.Key,
                place.Folder, e.Message);
        }
    }

    /// <summary>
    /// Flushes a record to the disk: its mark failed once, and may wait as long as the database is out. The rename that
    /// put it in place is not flushed (.NET opens no folder to flush): a crash of the machine in that instant can lose it.
    /// </summary>
    public async Task SyncAsync(JournalPlace place, AcceptedMessage accepted)
    {
        try
        {
            await using var file = new FileStream(Path.Combine(place.Folder, FileName(accepted)), FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            file.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not written (logged then), or marked and forgotten meanwhile by another process.
            _log.LogDebug("Journal record of outbox message {Id} not flushed: {Error}", accepted.Id, e.Message);
        }
    }

    /// <summary>Every message of the database whose mark is not stored yet: this process's, and those the folder holds from any process.</summary>
    public IReadOnlyList<AcceptedMessage> Read(JournalPlace place)
    {
        var all = new Dictionary<string, AcceptedMessage>(StringComparer.Ordinal);
        foreach (var (name, accepted) in _held)
        {
            if (accepted.Database == place.Database)
                all[name] = accepted;
        }

        if (!Directory.Exists(place.Folder))
            return [.. all.Values];
        foreach (var path in Directory.EnumerateFiles(place.Folder, "*" + Extension))
        {
            var name = Path.GetFileName(path);
            if (all.ContainsKey(name) || !name.EndsWith(Suffix(place.Database), StringComparison.Ordinal))
                continue;
            try
            {
                if (JsonSerializer.Deserialize<AcceptedMessage>(File.ReadAllBytes(path)) is { } accepted && accepted.Database == place.Database)
                    all[name] = accepted;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                // Forgotten meanwhile by another process that stored its mark, or unreadable: the next round reads it again.
                _log.LogDebug(e, "Journal file {Path} not read: {Error}", path, e.Message);
            }
        }

        return [.. all.Values.OrderBy(a => a.Id)];
    }

    /// <summary>The record of one message, or null.</summary>
    public AcceptedMessage? Find(JournalPlace place, long id) => Read(place).FirstOrDefault(a => a.Id == id);

    /// <summary>Forgets a message once its row says what became of it (marked Sent, by this process or another).</summary>
    public void Forget(JournalPlace place, AcceptedMessage accepted)
    {
        var name = FileName(accepted);
        _held.TryRemove(name, out _);
        try
        {
            File.Delete(Path.Combine(place.Folder, name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left on the disk, the record is read again and finds its row marked: it is forgotten then.
            _log.LogWarning("Journal file {Name} in {Folder} could not be deleted: {Error}", name, place.Folder, e.Message);
        }
    }

    private static string FileName(AcceptedMessage accepted) => $"{accepted.Id}-{accepted.Attempt}{Suffix(accepted.Database)}";

    private static string Suffix(string database) => $"-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(database)))[..12]}{Extension}";

    private static string Provider(DbConnection connection) => connection.GetType().Name.Replace("Connection", "", StringComparison.Ordinal).ToLowerInvariant();
}
