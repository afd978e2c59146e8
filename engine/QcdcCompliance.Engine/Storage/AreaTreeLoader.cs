using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Storage;

public static class AreaTreeLoader
{
    public static async Task<AreaTree> LoadAreaTreeAsync(this QcdcDbContext db, CancellationToken ct = default) =>
        new(await db.Areas.AsNoTracking().ToListAsync(ct),
            await db.AreaLinks.AsNoTracking().ToListAsync(ct),
            await db.AreaLineages.AsNoTracking().ToListAsync(ct));
}
