using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Import;

/// <summary>
/// A sign-off locks where the units of its (area, period) sit: a unit counts where its area sits on the period's last
/// day, so an areas or lineage import that would put an area holding units into, out of, or elsewhere inside a
/// signed-off area on that day (a link without dates, a merger dated back) is refused whole, naming each sign-off. A
/// change dated after the period, a name, and an area without units go through.
/// </summary>
public static class SignedAreas
{
    /// <summary>
    /// Refuses the import when the tree as it stands in the import's transaction, written but not committed, places an
    /// area holding units otherwise than <paramref name="before"/> inside a signed-off area on its period's last day.
    /// </summary>
    public static async Task RefuseChangesAsync(QcdcDbContext db, string file, AreaTree before, CancellationToken ct)
    {
        var periods = (await PeriodStore.ByCodeAsync(db, ct)).Values.ToList();
        var locks = await SignOffLocks.InForceAsync(db, before, periods, ct);
        var signed = periods.Select(p => (Period: p, SignOffs: locks.SignedOff(p))).Where(p => p.SignOffs.Count > 0).ToList();
        if (signed.Count == 0)
            return;
        var after = (await AreaTreeLoader.ReadAsync(db, ct)).Tree;
        var holding = (await PlainSql.ListAsync(db, """SELECT DISTINCT "AreaId" FROM "Units" """, r => r.GetInt32(0), ct)).ToHashSet();
        var problems = new ProblemList(file);
        foreach (var (period, signOffs) in signed.OrderBy(p => p.Period.Start).ThenByDescending(p => p.Period.End))
        {
            var places = holding.Select(id => (Id: id, Was: Place(before, id, period.End), Is: Place(after, id, period.End))).Where(p => p.Was != p.Is).ToList();
            foreach (var signOff in signOffs.OrderBy(s => s.Id))
            {
                var code = before[signOff.AreaId].Code;
                var moves = places.Where(p => Inside(p.Was, code) || Inside(p.Is, code))
                    .Select(p => $"{before[p.Id].Code} ({Described(p.Was)} → {Described(p.Is)})").Order(StringComparer.Ordinal).ToList();
                if (moves.Count > 0)
                    problems.Add(0, "", locks.PlaceRefusal(signOff, period, string.Join(", ", moves)));
            }
        }

        problems.ThrowIfAny();
    }

    /// <summary>Where an area sits on the day, as the codes and levels of its path ("C1 Commune/D1 District/P Province"); empty when it does not.</summary>
    private static string Place(AreaTree tree, int areaId, DateOnly day) =>
        tree.Find(areaId) is null ? "" : string.Join('/', tree.PathOn(areaId, day).Select(a => $"{a.Code} {a.Level}"));

    private static bool Inside(string place, string areaCode) => place.Split('/').Any(a => a.Split(' ')[0] == areaCode);

    private static string Described(string place) => place.Length == 0 ? "nowhere" : string.Join(" < ", place.Split('/').Select(a => a.Split(' ')[0]));
}
