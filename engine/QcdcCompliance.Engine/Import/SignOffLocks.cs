using System.Globalization;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Import;

/// <summary>
/// The (area, period) sign-offs in force: an (area, period) whose latest sign-off row is a sign-off, not a reopening.
/// Every write of values asks here: a value of a unit that sits, on the period's last day, in a signed-off area's
/// subtree is locked, and the file that holds it is refused whole. A year reads its halves' values, so a year's
/// sign-off locks those it reads (<see cref="Indicator.ReadByYearFrom"/>, the rule the year's load, its fingerprint and
/// its carried reports follow: a count of either half, summed; a state or a yes/no answer of the second half alone, as
/// at the year's end), and only those: a first-half state or yes/no answer, which the year never reads, stays open. A
/// unit's half-year value the year reads is locked when the unit sits, on the year's last day, in an area whose year is
/// signed off; and the first half's counts of a unit closed in the second half where the year carries them
/// (<see cref="Evaluation.CarriedReports.YearPlace"/>: from the area it sat in on the first half's last day), not where
/// it sat when it closed. An area dissolved during the period is placed on its kept path
/// (<see cref="AreaTree.PathKeptOn"/>), as the run places it: a district dissolved into its province on 1 July is
/// locked by the province's sign-off.
/// </summary>
public sealed class SignOffLocks
{
    private readonly Dictionary<int, List<SignOff>> _byPeriod;
    private readonly AreaTree _tree;

    // The year period of each year asked through its halves, by year.
    private readonly Dictionary<int, Period> _years;

    // Where the units that moved sat before (see Locking(int, int, Period)).
    private UnitHistory _history = UnitHistory.Empty;

    // The first half of each year signed off, by year, and the units of those years closed in their second half (the year carries their first half).
    private Dictionary<int, Period> _firstHalves = [];
    private HashSet<(int Year, int Unit)> _carried = [];

    private SignOffLocks(Dictionary<int, List<SignOff>> byPeriod, AreaTree tree, Dictionary<int, Period> years)
    {
        _byPeriod = byPeriod;
        _tree = tree;
        _years = years;
    }

    public static async Task<SignOffLocks> InForceAsync(QcdcDbContext db, AreaTree tree, IReadOnlyCollection<Period> periods, CancellationToken ct)
    {
        var ids = periods.Select(p => p.Id).Where(id => id > 0).Distinct().ToList();
        // The years whose halves are written: their sign-offs lock those halves' values.
        var halvesOf = periods.Where(p => p.Type == PeriodType.HalfYear).Select(p => p.Year.ToString(CultureInfo.InvariantCulture)).Distinct().ToArray();
        var years = halvesOf.Length == 0 ? [] : (await PeriodStore.WithCodesAsync(db, ct, halvesOf)).Where(y => y.Type == PeriodType.Year).ToDictionary(y => y.Year);
        ids.AddRange(years.Values.Select(y => y.Id).Where(id => !ids.Contains(id)));
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
        var locks = new SignOffLocks(inForce.GroupBy(s => s.PeriodId).ToDictionary(g => g.Key, g => g.ToList()), tree, years);
        if (locks._byPeriod.Count == 0)
            return locks;
        var signedYears = periods.Concat(years.Values).Where(p => p.Type == PeriodType.Year && locks._byPeriod.ContainsKey(p.Id)).DistinctBy(p => p.Id).ToList();
        if (signedYears.Count > 0)
        {
            locks._firstHalves = (await PeriodStore.WithCodesAsync(db, ct, signedYears.Select(y => Period.HalvesOf(y.Year).First).ToArray()))
                .Where(h => signedYears.Any(y => y.Year == h.Year && h.End < y.End)).ToDictionary(h => h.Year);
            locks._carried = await CarriedUnitsAsync(db, signedYears, locks._firstHalves, ct);
        }

        locks._history = await UnitHistoryRows.FromAsync(db, periods.Concat(years.Values).Concat(locks._firstHalves.Values).Min(p => p.End), ct);
        return locks;
    }

    /// <summary>The units each signed year carries, as <see cref="Evaluation.CarriedReports"/> picks them: active on its first half's last day, closed before its own.</summary>
    private static async Task<HashSet<(int, int)>> CarriedUnitsAsync(QcdcDbContext db, List<Period> years, Dictionary<int, Period> firstHalves, CancellationToken ct)
    {
        var carried = new HashSet<(int, int)>();
        var u = Names.Of<Unit>(db);
        foreach (var year in years)
        {
            if (!firstHalves.TryGetValue(year.Year, out var first))
                continue;
            var sql = $"SELECT {u[nameof(Unit.Id)]} FROM {u.Table} WHERE {Evaluation.CarriedReports.ClosedInSecondHalf(u, first, year)}";
            foreach (var id in await PlainSql.ListAsync(db, sql, r => r.GetInt32(0), ct))
                carried.Add((year.Year, id));
        }

        return carried;
    }

    /// <summary>
    /// The area whose year figures hold the first half's flows of a unit with these dates, when it closed in the year's
    /// second half (as <see cref="Evaluation.CarriedReports"/> places them: where it sat on the first half's last day, or the
    /// area that stands for it on the year's, by the lineage or its nearest ancestor); null when the year carries none of it
    /// (the unit is one of the year's units, closed before the first half ended, or the year is not signed off).
    /// </summary>
    public int? CarriedArea(int unitId, int currentAreaId, DateOnly? activeFrom, DateOnly? activeTo, Period year)
    {
        if (year.Type != PeriodType.Year || !_firstHalves.TryGetValue(year.Year, out var first) || !Evaluation.CarriedReports.Carries(activeFrom, activeTo, first, year))
            return null;
        return CarriedPlace(unitId, currentAreaId, first, year);
    }

    /// <summary>The first half of a signed-off year (null for a year not signed off, or another period).</summary>
    public Period? FirstHalf(Period year) => year.Type == PeriodType.Year ? _firstHalves.GetValueOrDefault(year.Year) : null;

    private int? CarriedPlace(int unitId, int currentAreaId, Period first, Period year) =>
        Evaluation.CarriedReports.YearPlace(_tree, _tree.PathOn(_history.AreaOn(unitId, currentAreaId, first.End), first.End).Select(a => a.Id), first.End, year.End, _ => true)
            is [var place, ..] ? place.Id : null;

    /// <summary>
    /// Whether the year's sign-off reaches the indicator's value of the half: whether the year reads it
    /// (<see cref="Indicator.ReadByYearFrom"/>, the one rule of what a year reads of its halves).
    /// </summary>
    public static bool YearReads(Period half, int indicatorId) =>
        half.Type == PeriodType.HalfYear && IndicatorCatalogue.Find(indicatorId)?.ReadByYearFrom(half.Number) == true;

    /// <summary>
    /// Where the year reads the unit's values of a half: where the year carries its first half for a unit closed in the
    /// second (null: nowhere), otherwise where the unit sits on the year's last day.
    /// </summary>
    private int? YearArea(int unitId, int currentAreaId, Period half, Period year) =>
        half.Number == 1 && _carried.Contains((year.Year, unitId)) && _firstHalves.TryGetValue(year.Year, out var first)
            ? CarriedPlace(unitId, currentAreaId, first, year)
            : _history.AreaOn(unitId, currentAreaId, year.End);

    /// <summary>
    /// The sign-off that locks the unit's value of the indicator for the period, the unit placed where it sat on the
    /// period's last day (and where its year reads it, for a half-year value the year reads, <see cref="YearReads"/>), not
    /// where it sits now: a unit moved after a signed-off period keeps that period's values locked, in the area that signed them.
    /// </summary>
    public SignOff? Locking(int unitId, int currentAreaId, Period period, int indicatorId) =>
        Own(_history.AreaOn(unitId, currentAreaId, period.End), period) ?? YearLocking(unitId, currentAreaId, period, indicatorId);

    /// <summary>The sign-off of the year that locks the unit's value of the indicator for a half the year reads it of, or null.</summary>
    public SignOff? YearLocking(int unitId, int currentAreaId, Period period, int indicatorId) =>
        YearReads(period, indicatorId) && _years.TryGetValue(period.Year, out var year) && YearArea(unitId, currentAreaId, period, year) is { } area ? Own(area, year) : null;

    /// <summary>
    /// Every sign-off that locks the unit's value of the indicator for the period, innermost first (its area's, up to the
    /// province's, then the year's when the year reads it, <see cref="YearReads"/>): each must be reopened before it may be
    /// written, and a refusal that named one left the others to be met one import at a time.
    /// </summary>
    public IReadOnlyList<SignOff> LockingAll(int unitId, int currentAreaId, Period period, int indicatorId)
    {
        var all = All(_history.AreaOn(unitId, currentAreaId, period.End), period).ToList();
        if (YearReads(period, indicatorId) && _years.TryGetValue(period.Year, out var year) && YearArea(unitId, currentAreaId, period, year) is { } area)
            all.AddRange(All(area, year));
        return all;
    }

    private IEnumerable<SignOff> All(int unitAreaId, Period period)
    {
        if (period.Id == 0 || !_byPeriod.TryGetValue(period.Id, out var signOffs))
            return [];
        return PathIn(unitAreaId, period).SelectMany(a => signOffs.Where(s => s.AreaId == a.Id));
    }

    /// <summary>
    /// The path a unit of the area is locked on for the period: its path on the period's last day; for an area dissolved
    /// during the period (a district into its province on 1 July), the area kept as a node above its parent's
    /// (<see cref="AreaTree.PathKeptOn"/>), as the run places it and its carried counts.
    /// </summary>
    private IReadOnlyList<Area> PathIn(int areaId, Period period) => _tree.PathKeptOn(areaId, period.End, period.Start);

    /// <summary>
    /// The sign-off that locks the values of a unit of this area for the period (its own, or its year's for a half-year:
    /// some of them, those the year reads), or null.
    /// </summary>
    public SignOff? Locking(int unitAreaId, Period period) =>
        Own(unitAreaId, period) ?? (period.Type == PeriodType.HalfYear && _years.TryGetValue(period.Year, out var year) ? Own(unitAreaId, year) : null);

    private SignOff? Own(int unitAreaId, Period period)
    {
        if (period.Id == 0 || !_byPeriod.TryGetValue(period.Id, out var signOffs))
            return null;
        var path = PathIn(unitAreaId, period);
        return signOffs.FirstOrDefault(s => path.Any(a => a.Id == s.AreaId));
    }

    /// <summary>The sign-offs in force for a period asked for (a year read through its halves is not listed under them).</summary>
    public IReadOnlyList<SignOff> SignedOff(Period period) => _byPeriod.GetValueOrDefault(period.Id) ?? [];

    /// <summary>
    /// What a target-set import that would change how a signed-off (area, period) is judged says: which sign-off, who,
    /// when, what would change, and the two ways out (reopen first, or date the change after the period); worded in
    /// Vietnamese by <c>Reports.ImportWording</c>, like <see cref="Refusal"/>.
    /// </summary>
    public string JudgingRefusal(SignOff signOff, Period period, string changes)
    {
        var (signed, area, name, after) = Named(signOff, period);
        return $"{signed}, so the targets that judge it are locked: this set would change {changes}; "
               + $"nothing of this file was stored. To change them for {period.Code} too, a committee member of {area} ({name}) reopens it with a reason first "
               + $"(qcdc signoff reopen --period {period.Code} --area {area} --reason \"...\", or POST /api/signoffs/reopen), then import the file again; "
               + $"to change them only after {period.Code}, give the change dates that leave it alone (a setting with \"from\": \"{after}\" in the target's \"settings\", "
               + $"or a set of a code of its own with \"validFrom\": \"{after}\")";
    }

    /// <summary>
    /// What an areas or lineage import that would move an area with units into, out of or inside a signed-off area on the
    /// period's last day says (worded in Vietnamese by <c>Reports.ImportWording</c>, like <see cref="Refusal"/>).
    /// </summary>
    public string PlaceRefusal(SignOff signOff, Period period, string moves)
    {
        var (signed, area, name, after) = Named(signOff, period);
        return $"{signed}, so where its units sit on {period.End:yyyy-MM-dd} is locked: this file would move {moves}; "
               + $"nothing of this file was stored. To change it for {period.Code} too, a committee member of {area} ({name}) reopens it with a reason first "
               + $"(qcdc signoff reopen --period {period.Code} --area {area} --reason \"...\", or POST /api/signoffs/reopen), then import the file again; "
               + $"to change it only after {period.Code}, date the change from {after} (valid_from of the new link, effective_from of a merger)";
    }

    /// <summary>
    /// What an evaluation that would change the verdicts of a signed-off (area, period) says (a new build whose rules judge
    /// it otherwise, since every input of the period is locked; or a sign-off made before a sign-off checked that its run
    /// was current): which sign-off, what would change, and
    /// the way out (reopen first, then evaluate again). The run is not stored: the period stays as it was signed.
    /// </summary>
    public string RunRefusal(SignOff signOff, Period period, string changes)
    {
        var (signed, area, name, _) = Named(signOff, period);
        var run = signOff.RunId is { } id ? $" (run #{id})" : "";
        return $"{signed}, so how it is judged is locked: this evaluation would change {changes}; nothing of it was stored, and {period.Code} of {area} "
               + $"stays as it was signed{run}. To judge it again, a committee member of {area} ({name}) reopens it with a reason first "
               + $"(qcdc signoff reopen --period {period.Code} --area {area} --reason \"...\", or POST /api/signoffs/reopen), then evaluates {period.Code} again";
    }

    /// <summary>The sign-off as every refusal names it ("2020S1 of D1 was signed off by … on … (Asia/Ho_Chi_Minh)", the period it signed), its area, and the day after the period asked.</summary>
    private (string Signed, string Area, string Name, string After) Named(SignOff signOff, Period period)
    {
        var (area, name) = (_tree[signOff.AreaId].Code, _tree[signOff.AreaId].Name);
        var at = VietnamTime.Local(signOff.At).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);
        return ($"{SignedCode(signOff, period)} of {area} was signed off by {signOff.By} on {at} (Asia/Ho_Chi_Minh)", area, name,
            period.End.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    /// <summary>The code of the period a sign-off signed: the period written, or the year that reads it.</summary>
    private string SignedCode(SignOff signOff, Period period) =>
        signOff.PeriodId == period.Id ? period.Code : _years.Values.FirstOrDefault(y => y.Id == signOff.PeriodId)?.Code ?? period.Code;

    /// <summary>
    /// What a refused row says: which sign-off, who, when, and how to reopen it (worded in Vietnamese for the upload page
    /// and the entry form by <c>Reports.ImportWording</c>, which reads each part back: keep the two together). Of every
    /// sign-off that locks it (<see cref="LockingAll"/>), innermost first: the first in full, the others with who and
    /// when, and that every one must be reopened. Locked by its year, a first half's values are those the year sums
    /// (<see cref="YearReads"/>), named by <paramref name="read"/> (the file's indicators so locked): its states and yes/no
    /// answers, which the year does not read, are not locked, and the refusal says so.
    /// </summary>
    public string Refusal(IReadOnlyList<SignOff> signOffs, Period period, string unitCode, IReadOnlyCollection<string>? read = null)
    {
        var signOff = signOffs[0];
        var (sentence, area, name, _) = Named(signOff, period);
        var signed = SignedCode(signOff, period);
        var reads = signed == period.Code ? ""
            : period.Type == PeriodType.HalfYear && period.Number == 1
                ? $" that the year {signed} sums are locked ({string.Join(", ", read ?? [])}: the year adds them to the second half's; "
                  + "not its states and yes/no answers, which it reads from the second half alone)"
                : $" are locked (the year {signed} reads them)";
        var others = signOffs.Skip(1).Select(s =>
            $"{SignedCode(s, period)} of {_tree[s.AreaId].Code} ({_tree[s.AreaId].Name}), by {s.By} on {VietnamTime.Local(s.At).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture)}").ToList();
        var also = others.Count == 0 ? "" : $", and by the sign-off{(others.Count == 1 ? "" : "s")} of {string.Join(" and ", others)}";
        var every = others.Count == 0 ? "" : ", and the committee of each other sign-off named reopens its own (every one must be reopened)";
        return $"{sentence}, so the values of unit {unitCode} for {period.Code}{(reads.Length == 0 ? " are locked" : reads)}{also}; "
               + $"nothing of this file was stored. A committee member of {area} ({name}) reopens it with a reason (qcdc signoff reopen --period {signed} --area {area} --reason \"...\", "
               + $"or POST /api/signoffs/reopen){every}, then import the file again";
    }
}
