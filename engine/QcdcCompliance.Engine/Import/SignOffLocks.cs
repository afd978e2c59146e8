using System.Globalization;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Import;

/// <summary>
/// The (area, period) sign-offs in force: an (area, period) whose latest sign-off row is a sign-off, not a reopening.
/// Every write of values asks here: a value of a unit that sits, on the period's last day, in a signed-off area's
/// subtree is locked, and the file that holds it is refused whole.
/// </summary>
public sealed class SignOffLocks
{
    private readonly Dictionary<int, List<SignOff>> _byPeriod;
    private readonly AreaTree _tree;

    private SignOffLocks(Dictionary<int, List<SignOff>> byPeriod, AreaTree tree)
    {
        _byPeriod = byPeriod;
        _tree = tree;
    }

    public static async Task<SignOffLocks> InForceAsync(QcdcDbContext db, AreaTree tree, IEnumerable<int> periodIds, CancellationToken ct)
    {
        var ids = periodIds.Where(id => id > 0).Distinct().ToList();
        var rows = new List<SignOff>();
        // By plain SQL: every import of values asks, and a CLI import would compile the LINQ query for it (see PlainSql).
        foreach (var chunk in ids.Chunk(PlainSql.MaxParameters))
        {
            rows.AddRange(await PlainSql.ListAsync(db,
                $"""
                 SELECT "Id", "AreaId", "PeriodId", "Kind", "Reason", "By", "At", "RunId", "IncompleteUnits", "ChainSequence", "PreviousHash", "Hash"
                 FROM "SignOffs" WHERE "PeriodId" IN ({PlainSql.Placeholders(chunk.Length)})
                 """,
                r => new SignOff
                {
                    Id = r.GetInt64(0), AreaId = r.GetInt32(1), PeriodId = r.GetInt32(2), Kind = r.Enum<SignOffKind>(3), Reason = r.NullableString(4), By = r.GetString(5),
                    At = r.UtcDateTime(6), RunId = r.IsDBNull(7) ? null : r.GetInt64(7), IncompleteUnits = r.GetInt32(8), ChainSequence = r.GetInt64(9),
                    PreviousHash = r.GetString(10), Hash = r.GetString(11),
                },
                ct, chunk.Cast<object>().ToArray()));
        }

        var inForce = rows.GroupBy(s => (s.AreaId, s.PeriodId)).Select(g => g.MaxBy(s => s.Id)!).Where(s => s.Kind == SignOffKind.SignOff);
        return new SignOffLocks(inForce.GroupBy(s => s.PeriodId).ToDictionary(g => g.Key, g => g.ToList()), tree);
    }

    /// <summary>The sign-off that locks the values of a unit of this area for the period, or null.</summary>
    public SignOff? Locking(int unitAreaId, Period period)
    {
        if (period.Id == 0 || !_byPeriod.TryGetValue(period.Id, out var signOffs))
            return null;
        var path = _tree.PathOn(unitAreaId, period.End);
        return signOffs.FirstOrDefault(s => path.Any(a => a.Id == s.AreaId));
    }

    /// <summary>
    /// What a refused row says: which sign-off, who, when, and how to reopen it (worded in Vietnamese for the upload page
    /// and the entry form by <see cref="ImportWording"/>, which reads each part back: keep the two together).
    /// </summary>
    public string Refusal(SignOff signOff, Period period, string unitCode)
    {
        var (area, name) = (_tree[signOff.AreaId].Code, _tree[signOff.AreaId].Name);
        var at = VietnamTime.Local(signOff.At).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);
        return $"{period.Code} of {area} was signed off by {signOff.By} on {at} (Asia/Ho_Chi_Minh), so the values of unit {unitCode} for {period.Code} are locked; "
               + $"nothing of this file was stored. A committee member of {area} ({name}) reopens it with a reason (qcdc signoff reopen --period {period.Code} --area {area} --reason \"...\", "
               + "or POST /api/signoffs/reopen), then import the file again";
    }
}
