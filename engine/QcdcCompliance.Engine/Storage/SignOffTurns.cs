using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Storage;

/// <summary>
/// Makes a sign-off (or reopening) of a period and a write of that period's values take turns, each inside its own
/// transaction until it ends. Both read the sign-offs and then write: under read committed (PostgreSQL, SQL Server) an
/// import that checked the sign-offs before a sign-off committed went on to commit its values after it, into the signed
/// period, and six sign-offs of one area each read "not signed off" and were all appended to the chain. A write of
/// values holds its periods shared (imports of one period go on side by side), a sign-off holds its period alone;
/// whichever comes second waits for the first to commit and then reads what it wrote. A half-year's write also holds its
/// year, whose sign-off locks its values. A sign-off also locks where units sit, which units are active and the targets
/// that judge it, which the units, areas, lineage and target-set imports change for no period in particular: those hold
/// one more turn, "structure", alone, and every sign-off holds it shared (sign-offs go on side by side, an import of
/// the structure waits for those in flight and they for it). PostgreSQL: transaction-scoped advisory locks; SQL Server:
/// application locks owned by the transaction. SQLite needs none: its one writer already takes the two in turn (both transactions begin
/// with <c>BEGIN IMMEDIATE</c>, before they read the sign-offs; a sign-off's waits as long as the turns do elsewhere).
/// </summary>
public static class SignOffTurns
{
    /// <summary>The first key of every advisory lock the product takes on PostgreSQL ("QCDC" in ASCII); the second names the period.</summary>
    internal const int Space = 0x51434443;

    /// <summary>Holds the periods written (and each half-year's year) shared until the transaction ends: no sign-off of them commits meanwhile.</summary>
    public static Task ForValuesAsync(QcdcDbContext db, IEnumerable<Period> periods, CancellationToken ct)
    {
        var keys = periods.SelectMany(p => p.Type == PeriodType.HalfYear ? new[] { Key(p), new PeriodCode(PeriodType.Year, p.Year, 0) } : [Key(p)])
            .Distinct().OrderBy(Number).Select(k => Turn.Of(k, shared: true)).ToList();
        return TakeAsync(db, keys, ct);
    }

    /// <summary>
    /// Begins a sign-off's transaction and takes its turn (<see cref="ForSignOffAsync"/>), waiting at most
    /// <paramref name="wait"/> on every provider: on SQLite for its one writer (<see cref="SqliteLocks.BeginWritingAsync"/>),
    /// elsewhere for the turn. Null when the writes ahead took longer: nothing has begun, the act is to be refused.
    /// </summary>
    public static async Task<IDbContextTransaction?> BeginSignOffAsync(QcdcDbContext db, Period period, TimeSpan wait, CancellationToken ct)
    {
        if (db.Database.IsSqlite())
            return await SqliteLocks.BeginWritingAsync(db, wait, ct);
        var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await ForSignOffAsync(db, period, wait, ct))
            return transaction;
        await transaction.DisposeAsync();
        return null;
    }

    /// <summary>
    /// Holds the structure shared and the period alone until the transaction ends: the writes of its values and the
    /// imports of units, areas or targets in flight commit first, the next ones wait. Waits at most <paramref name="wait"/>
    /// (below the command's timeout, whose error says nothing a committee can act on): false when the writes in flight
    /// took longer, and the transaction is then to be given up.
    /// </summary>
    public static async Task<bool> ForSignOffAsync(QcdcDbContext db, Period period, TimeSpan wait, CancellationToken ct)
    {
        try
        {
            await TakeAsync(db, [Structure with { Shared = true }, Turn.Of(Key(period), shared: false)], ct, wait);
            return true;
        }
        catch (Exception e) when (e is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.LockNotAvailable }
                                  or Microsoft.Data.SqlClient.SqlException { Number: TimedOut })
        {
            return false;
        }
    }

    /// <summary>The error SQL Server's statement raises when a bounded wait for a turn runs out.</summary>
    internal const int TimedOut = 51001;

    /// <summary>
    /// Holds the structure (units, areas, lineage, target sets) alone until the transaction ends: taken before the import
    /// reads the sign-offs that lock its changes, so that a sign-off in flight commits first and is read, and one that
    /// comes later waits for the import and then reads what it wrote.
    /// </summary>
    public static Task ForStructureAsync(QcdcDbContext db, CancellationToken ct) => TakeAsync(db, [Structure], ct);

    /// <summary>One turn: its name (SQL Server's resource), its number (PostgreSQL's second key) and whether it is held shared.</summary>
    internal sealed record Turn(string Name, int Number, bool Shared)
    {
        public static Turn Of(PeriodCode code, bool shared) => new(code.Code, SignOffTurns.Number(code), shared);
    }

    /// <summary>The structure's turn: number 0, which no period has (a period's is 6 digits or more).</summary>
    internal static readonly Turn Structure = new("structure", 0, Shared: false);

    /// <summary>The statement that takes the locks in their order, or null on SQLite.</summary>
    internal static string? Statement(QcdcDbContext db, IReadOnlyList<Turn> keys, TimeSpan? wait = null)
    {
        if (keys.Count == 0 || db.Database.IsSqlite())
            return null;
        var milliseconds = wait is { } w ? ((long)w.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) : null;
        if (db.Database.IsSqlServer())
        {
            // Without a wait, as long as the command may (its timeout), like a row lock; a refusal (deadlock victim, -3) is an error.
            return "DECLARE @taken int;\n" + string.Concat(keys.Select(k =>
                $"EXEC @taken = sp_getapplock @Resource = N'qcdc:signoff:{k.Name}', @LockMode = N'{(k.Shared ? "Shared" : "Exclusive")}', @LockOwner = N'Transaction', @LockTimeout = {milliseconds ?? "-1"};\n"
                + (milliseconds is null ? "" : $"IF @taken = -1 THROW {TimedOut}, N'waited {milliseconds} ms for the turn of {k.Name}', 1;\n")
                + $"IF @taken < 0 THROW 51000, N'could not lock {(k.Number == 0 ? "the units, areas and targets for a sign-off or an import of them" : $"period {k.Name} for a sign-off or a write of its values")}', 1;\n"));
        }

        // One statement, its functions called in order: a sign-off takes the structure before its period, as everyone does.
        // A bounded wait is set for these locks alone: the rest of the transaction waits for rows as it always did.
        var take = "SELECT " + string.Join(", ", keys.Select(k =>
            $"{(k.Shared ? "pg_advisory_xact_lock_shared" : "pg_advisory_xact_lock")}({Space}, {k.Number.ToString(CultureInfo.InvariantCulture)})"));
        return milliseconds is null ? take : $"SET LOCAL lock_timeout = {milliseconds}; {take}; SET LOCAL lock_timeout TO DEFAULT";
    }

    /// <summary>A period as the lock's second key: 2020 is 202000, 2020S1 202011, 2020Q3 202023 (one number a code).</summary>
    internal static int Number(PeriodCode code) => code.Year * 100 + (int)code.Type * 10 + code.Number;

    private static PeriodCode Key(Period period) => new(period.Type, period.Year, period.Number);

    private static async Task TakeAsync(QcdcDbContext db, IReadOnlyList<Turn> keys, CancellationToken ct, TimeSpan? wait = null)
    {
        if (Statement(db, keys, wait) is not { } sql)
            return;
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("a sign-off's turn is taken inside the transaction that reads the sign-offs and writes");
        await db.Database.ExecuteSqlRawAsync(sql, ct);
    }
}
