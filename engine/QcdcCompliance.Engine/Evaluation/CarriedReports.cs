using System.Globalization;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Evaluation;

/// <summary>
/// A year's carried reports (<see cref="ScopeFacts.Carried"/>): the units of the province on its first half's last day
/// that closed before the year's last day (a commune merged on 1 July). They are not the year's units: no target judges
/// them and they are in no population. But their first half's flows (sessions held, complaints received and resolved)
/// were in that half's sums, and a year's count is the sum of its halves (INDICATORS.md), so each carries its first
/// half's counts into its areas' year sums: placed where it sat on that half's last day, and from there on the area that
/// stands for it at the year's end (its successor by the lineage); an area dissolved in the second half (a district
/// into its province on 1 July) stays a node of the path above its parent, so that its counts are a row of its own,
/// not its parent's units attached directly; an area merged into one outside the province, its nearest ancestor that
/// stands in it. States (a snapshot at the year's end) it cannot have, and it carries none.
/// A unit closed during the first half was in neither half's units, and carries nothing.
/// </summary>
public static class CarriedReports
{
    public static async Task<List<UnitReport>> LoadAsync(QcdcDbContext db, Period year, Area scope, AreaTree tree, Dictionary<int, IReadOnlyList<AreaRef>> paths,
        InputFingerprint? fingerprint, CancellationToken ct)
    {
        if (year.Type != PeriodType.Year)
            return [];
        var firstCode = Period.HalvesOf(year.Year).First;
        if ((await PeriodStore.WithCodesAsync(db, ct, firstCode)).SingleOrDefault() is not { } first || first.End >= year.End)
            return [];

        var firstPaths = FactLoader.PathsIn(first, scope, tree);
        var history = await UnitHistoryRows.FromAsync(db, first.End, ct);
        var u = Names.Of<Unit>(db);
        var sql = $"SELECT {u[nameof(Unit.Id)]}, {u[nameof(Unit.Code)]}, {u[nameof(Unit.Name)]}, {u[nameof(Unit.Kind)]}, {u[nameof(Unit.HasTradeUnion)]}, "
                  + $"{u[nameof(Unit.AreaId)]}, {u[nameof(Unit.ContactEmail)]} FROM {u.Table} "
                  + $"WHERE {ClosedInSecondHalf(u, first, year)}"
                  + $" AND ({u[nameof(Unit.AreaId)]} IN ({Names.List(firstPaths.Keys)})"
                  + (history.IsEmpty ? ")" : $" OR {u[nameof(Unit.Id)]} IN ({Names.List(history.UnitIds)}))");
        var rows = await PlainSql.ListAsync(db, sql, r => (Id: r.GetInt32(0), Code: r.GetString(1), Name: r.GetString(2), Kind: r.Enum<UnitKind>(3),
            TradeUnion: r.GetBoolean(4), AreaId: r.GetInt32(5), Contact: r.NullableString(6)), ct);

        // As the first half placed them: where their version of its last day sat, of the kind and union they had then.
        var units = new List<UnitFact>();
        var yearPaths = new Dictionary<int, IReadOnlyList<AreaRef>?>();
        foreach (var row in rows.OrderBy(r => r.Id))
        {
            var version = history.On(row.Id, first.End);
            var (areaId, kind, tradeUnion) = version is null ? (row.AreaId, row.Kind, row.TradeUnion) : (version.AreaId, version.Kind, version.HasTradeUnion);
            if (firstPaths.TryGetValue(areaId, out var firstPath)
                && (yearPaths.TryGetValue(areaId, out var path) ? path : yearPaths[areaId] = YearPath(firstPath, paths, tree, first.End, year.End)) is { } placed)
                units.Add(new UnitFact(row.Id, row.Code, row.Name, kind, tradeUnion, placed, row.Contact));
        }

        if (units.Count == 0)
            return [];
        var v = Names.Of<DataValue>(db);
        var valuesSql = $"SELECT {v[nameof(DataValue.UnitId)]}, {v[nameof(DataValue.IndicatorId)]}, {v[nameof(DataValue.Value)]} FROM {v.Table} "
                        + $"WHERE {v[nameof(DataValue.PeriodId)]} = {first.Id.ToString(CultureInfo.InvariantCulture)} AND {v[nameof(DataValue.UnitId)]} IN ({Names.List(units.Select(x => x.Id))})";
        var values = (await PlainSql.ListAsync(db, valuesSql, r => (Unit: r.GetInt32(0), Indicator: r.GetInt32(1), Value: r.GetInt64(2)), ct))
            .ToLookup(x => x.Unit);

        var reports = new List<UnitReport>(units.Count);
        foreach (var unit in units)
        {
            var reading = new long?[Indicators.Slots];
            foreach (var (_, indicator, value) in values[unit.Id])
            {
                if (indicator < reading.Length && Carries(indicator))
                    reading[indicator] = value;
            }

            var report = new UnitReport(unit, reports.Count, reading, [], owed: 0);
            fingerprint?.Carried(report);
            reports.Add(report);
        }

        return reports;
    }

    /// <summary>Whether a year reads the indicator's first half (the sum of its halves: a flow, which a half's figure is a part of).</summary>
    private static bool Carries(int indicatorId) => IndicatorCatalogue.Find(indicatorId)?.ReadByYearFrom(1) == true;

    /// <summary>
    /// The year's path of the nearest area on the first half's path that the year's province holds: an area merged away,
    /// its successor's; an area dissolved in the second half (a district into its province on 1 July), the area itself
    /// kept as a node above its parent's (<see cref="AreaTree.PathKeptOn"/>), so that its counts make a row of their own,
    /// not its parent's units attached directly.
    /// </summary>
    private static IReadOnlyList<AreaRef>? YearPath(IReadOnlyList<AreaRef> firstPath, Dictionary<int, IReadOnlyList<AreaRef>> paths, AreaTree tree,
        DateOnly firstEnd, DateOnly yearEnd)
    {
        // The year's paths are keyed by every area that stands in the province on its last day, merged ones by their successor's path.
        if (YearPlace(tree, firstPath.Select(a => a.Id), firstEnd, yearEnd, paths.ContainsKey) is not { } kept)
            return null;
        var dissolved = kept.TakeWhile(a => tree.DissolvedBy(a.Id, yearEnd)).ToList();
        var path = paths[kept[dissolved.Count].Id];
        return dissolved.Count == 0 ? path : [.. dissolved.Select(a => new AreaRef(a.Id, a.Code, a.Name, a.Level)), .. path];
    }

    /// <summary>
    /// Where a year places the first half's counts of a unit it carries, that sat on the first half's last day
    /// (<paramref name="firstEnd"/>) in the first of <paramref name="firstPath"/> (that area and its ancestors then): the
    /// path kept on the year's last day (<see cref="AreaTree.PathKeptOn"/>: an area dissolved in the second half stays a
    /// node of its own above its parent) of the nearest of them that stands then in an area <paramref name="holds"/>;
    /// null when none does. The one rule of the carried place: the year's load and the sign-off's lock
    /// (<see cref="Import.SignOffLocks"/>) both read it.
    /// </summary>
    public static IReadOnlyList<Area>? YearPlace(AreaTree tree, IEnumerable<int> firstPath, DateOnly firstEnd, DateOnly yearEnd, Func<int, bool> holds)
    {
        foreach (var areaId in firstPath)
        {
            var kept = tree.PathKeptOn(areaId, yearEnd, firstEnd);
            var dissolved = kept.TakeWhile(a => tree.DissolvedBy(a.Id, yearEnd)).Count();
            if (kept.Count > dissolved && holds(kept[dissolved].Id))
                return kept;
        }

        return null;
    }

    /// <summary>
    /// Whether a unit with these dates is one a year carries: active on its first half's last day (<paramref name="first"/>),
    /// closed before the year's own. The one rule, as SQL in <see cref="ClosedInSecondHalf"/>.
    /// </summary>
    public static bool Carries(DateOnly? activeFrom, DateOnly? activeTo, Period first, Period year) =>
        activeTo is { } to && to >= first.End && to < year.End && (activeFrom is not { } from || from <= first.End);

    /// <summary>The condition on the units' table (<paramref name="u"/>) of <see cref="Carries(DateOnly?, DateOnly?, Period, Period)"/>.</summary>
    public static string ClosedInSecondHalf(Names u, Period first, Period year) =>
        $"{u[nameof(Unit.ActiveTo)]} >= {Day(first.End)} AND {u[nameof(Unit.ActiveTo)]} < {Day(year.End)}"
        + $" AND ({u[nameof(Unit.ActiveFrom)]} IS NULL OR {u[nameof(Unit.ActiveFrom)]} <= {Day(first.End)})";

    private static string Day(DateOnly day) => FactLoader.Day(day);
}
