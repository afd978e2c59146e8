using QcdcCompliance.Domain;

namespace QcdcCompliance.Storage;

public static class PeriodStore
{
    /// <summary>The stored period of a code, created with the calendar's dates when it is not stored yet.</summary>
    public static async Task<Period> GetOrCreateAsync(this QcdcDbContext db, PeriodCode code, PeriodCalendar calendar, CancellationToken ct = default)
    {
        var text = code.Code;
        if ((await WithCodesAsync(db, ct, text)).SingleOrDefault() is { } stored)
            return stored;
        var period = calendar.Create(code);
        try
        {
            await InsertAsync(db, [period], ct);
        }
        catch (Exception e) when (DatabaseErrors.IsConflict(e))
        {
            // Created meanwhile by another process (its code is unique): use theirs.
            db.ChangeTracker.Clear();
            period = (await WithCodesAsync(db, ct, text)).Single();
        }

        return period;
    }

    /// <summary>
    /// The stored period of a code, or one with the calendar's dates that is not stored (its id 0, so it has no values):
    /// what a read (a page, the completeness API, a template) asks for, since no read may create a period.
    /// </summary>
    public static async Task<Period> StoredOrUnsavedAsync(this QcdcDbContext db, PeriodCode code, PeriodCalendar calendar, CancellationToken ct = default) =>
        (await WithCodesAsync(db, ct, code.Code)).SingleOrDefault() ?? calendar.Create(code);

    /// <summary>The stored periods of these codes (those stored), by plain SQL: the first read of an evaluation's process.</summary>
    public static Task<List<Period>> WithCodesAsync(QcdcDbContext db, CancellationToken ct, params string[] codes) =>
        ReadAsync(db, $"WHERE \"Code\" IN ({PlainSql.Placeholders(codes.Length)})", ct, codes);

    /// <summary>Every stored period by code, by plain SQL (see <see cref="PlainSql"/>): an import's first look at the periods.</summary>
    public static async Task<Dictionary<string, Period>> ByCodeAsync(QcdcDbContext db, CancellationToken ct)
    {
        var periods = await ReadAsync(db, "", ct);
        return periods.ToDictionary(p => p.Code);
    }

    private static Task<List<Period>> ReadAsync(QcdcDbContext db, string where, CancellationToken ct, params object[] parameters) =>
        PlainSql.ListAsync(db, $"""SELECT "Id", "Code", "Type", "Year", "Number", "Start", "End", "Deadline" FROM "Periods" {where}""",
            r => new Period
            {
                Id = r.GetInt32(0), Code = r.GetString(1), Type = r.Enum<PeriodType>(2), Year = r.GetInt32(3), Number = r.GetInt32(4), Start = r.Date(5), End = r.Date(6),
                Deadline = r.Date(7),
            },
            ct, parameters);

    /// <summary>
    /// Stores new periods in the context's transaction and gives each its id: by plain SQL on SQLite and PostgreSQL
    /// (<c>RETURNING</c>), through EF's change tracker on SQL Server.
    /// </summary>
    public static async Task InsertAsync(QcdcDbContext db, IReadOnlyCollection<Period> periods, CancellationToken ct)
    {
        if (periods.Count == 0)
            return;
        if (!PlainSql.WritesReturning(db))
        {
            db.Periods.AddRange(periods);
            await db.SaveChangesAsync(ct);
            return;
        }

        foreach (var period in periods)
        {
            var id = await PlainSql.ScalarAsync(db,
                """INSERT INTO "Periods" ("Code", "Type", "Year", "Number", "Start", "End", "Deadline") VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6) RETURNING "Id" """, ct,
                period.Code, period.Type.ToString(), period.Year, period.Number, period.Start, period.End, period.Deadline);
            period.Id = Convert.ToInt32(id, System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
