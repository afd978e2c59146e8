using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Storage;

/// <summary>
/// Brings the Indicators table in line with <see cref="IndicatorCatalogue"/> after every migration: a new indicator is
/// inserted, a changed name, kind list or period type updated. Ids are the catalogue's and never reused, so data
/// values keep pointing at the indicator they were stored for; a row the catalogue no longer has is left in place.
/// </summary>
public static class IndicatorCatalogueSync
{
    public static async Task<int> SyncAsync(QcdcDbContext db, CancellationToken ct)
    {
        var stored = await db.Indicators.ToDictionaryAsync(i => i.Id, ct);
        var changed = 0;
        foreach (var wanted in IndicatorCatalogue.All)
        {
            if (!stored.TryGetValue(wanted.Id, out var row))
            {
                db.Indicators.Add(Copy(wanted, new Indicator { Code = wanted.Code, NameVi = wanted.NameVi, NameEn = wanted.NameEn, AppliesTo = wanted.AppliesTo }));
                changed++;
            }
            else if (!Same(row, wanted))
            {
                Copy(wanted, row);
                changed++;
            }
        }

        if (changed > 0)
            await db.SaveChangesAsync(ct);
        return changed;
    }

    private static bool Same(Indicator a, Indicator b) =>
        a.Code == b.Code && a.NameVi == b.NameVi && a.NameEn == b.NameEn && a.ValueType == b.ValueType && a.AppliesTo == b.AppliesTo
        && a.PeriodType == b.PeriodType && a.YearRollup == b.YearRollup;

    private static Indicator Copy(Indicator from, Indicator to)
    {
        to.Id = from.Id;
        to.Code = from.Code;
        to.NameVi = from.NameVi;
        to.NameEn = from.NameEn;
        to.ValueType = from.ValueType;
        to.AppliesTo = from.AppliesTo;
        to.PeriodType = from.PeriodType;
        to.YearRollup = from.YearRollup;
        return to;
    }
}
