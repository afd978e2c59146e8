using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Storage;

public static class PeriodStore
{
    /// <summary>The stored period of a code, created with the calendar's dates when it is not stored yet.</summary>
    public static async Task<Period> GetOrCreateAsync(this QcdcDbContext db, PeriodCode code, PeriodCalendar calendar, CancellationToken ct = default)
    {
        var text = code.Code;
        var period = await db.Periods.SingleOrDefaultAsync(p => p.Code == text, ct);
        if (period is not null)
            return period;
        period = calendar.Create(code);
        db.Periods.Add(period);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Created meanwhile by another process: use theirs.
            db.ChangeTracker.Clear();
            period = await db.Periods.SingleAsync(p => p.Code == text, ct);
        }

        return period;
    }
}
