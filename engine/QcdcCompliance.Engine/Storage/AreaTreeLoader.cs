using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Telemetry;

namespace QcdcCompliance.Storage;

public static class AreaTreeLoader
{
    public static async Task<AreaTree> LoadAreaTreeAsync(this QcdcDbContext db, CancellationToken ct = default)
    {
        using var activity = QcdcTelemetry.Source.StartActivity("qcdc.areas.load");
        return new(await db.Areas.AsNoTracking().ToListAsync(ct),
            await db.AreaLinks.AsNoTracking().ToListAsync(ct),
            await db.AreaLineages.AsNoTracking().ToListAsync(ct));
    }
}
