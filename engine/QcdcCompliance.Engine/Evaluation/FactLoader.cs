using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Storage;
using QcdcCompliance.Telemetry;

namespace QcdcCompliance.Evaluation;

/// <summary>The facts of one (period, province): its units' reports and the targets that apply.</summary>
public sealed record ScopeFacts(Period Period, Area Scope, IReadOnlyList<UnitReport> Reports, IReadOnlyList<TargetFact> Targets, string RuleSetVersion,
    IReadOnlyDictionary<string, Resolution> Resolutions);

/// <summary>
/// Loads what a session needs from the database: units active in the period whose area sits in the province on the
/// period's last day (districts only while they existed, merged areas through their successors), their values (a
/// year reads half-year indicators as the sum of the halves or the second half's snapshot), what each should have
/// reported and did not, and the targets in force.
/// </summary>
public sealed class FactLoader(TargetRuleCatalogue catalogue)
{
    public Task<ScopeFacts> LoadAsync(QcdcDbContext db, Period period, Area scope, AreaTree tree, CancellationToken ct) =>
        LoadAsync(db, period, scope, PathsIn(period, scope, tree), ct);

    public async Task<ScopeFacts> LoadAsync(QcdcDbContext db, Period period, Area scope, Dictionary<int, IReadOnlyList<AreaRef>> paths, CancellationToken ct)
    {
        var reports = await ReportsAsync(db, period, paths, onlyUnits: null, indexOf: null, ct);
        var (targets, resolutions, version) = await TargetsAsync(db, period, scope, ct);
        return new ScopeFacts(period, scope, reports, targets, version, resolutions);
    }

    /// <summary>
    /// The current reports of some units of a scope, for a warm session: each keeps the index it has in the session
    /// (<paramref name="indexOf"/> gives it, or -1 for a unit new to the scope). Units no longer active or no longer in
    /// the scope are left out, for the caller to retract.
    /// </summary>
    public Task<List<UnitReport>> LoadUnitsAsync(QcdcDbContext db, Period period, Dictionary<int, IReadOnlyList<AreaRef>> paths, IReadOnlyCollection<int> unitIds,
        Func<int, int> indexOf, CancellationToken ct) =>
        ReportsAsync(db, period, paths, unitIds, indexOf, ct);

    /// <summary>The rule-set version the period and scope would be evaluated with now (a cheap check for a warm session).</summary>
    public async Task<string> VersionAsync(QcdcDbContext db, Period period, Area scope, CancellationToken ct)
    {
        var resolutions = await db.Resolutions.AsNoTracking().ToListAsync(ct);
        var inForce = resolutions.Where(r => r.AppliesTo(period) && (r.ScopeAreaCode is null || r.ScopeAreaCode == scope.Code));
        return RuleSetVersion.Of(catalogue.AssemblyHash, inForce.Select(r => r.ContentHash));
    }

    /// <summary>The targets in force for the period and scope, their resolutions, and the rule-set version they make.</summary>
    public async Task<(List<TargetFact> Targets, Dictionary<string, Resolution> Resolutions, string Version)> TargetsAsync(
        QcdcDbContext db, Period period, Area scope, CancellationToken ct)
    {
        var resolutions = await db.Resolutions.AsNoTracking().Include(r => r.Targets).ToListAsync(ct);
        var inForce = resolutions
            .Where(r => r.AppliesTo(period) && (r.ScopeAreaCode is null || r.ScopeAreaCode == scope.Code))
            .OrderBy(r => r.Code, StringComparer.Ordinal)
            .ToList();
        var targets = inForce.SelectMany(r => r.Targets.Select(t => (Resolution: r, Target: t)))
            .Where(x => x.Target.EvaluatedOn(period.Type))
            .Select(x => ToFact(x.Resolution, x.Target))
            .OfType<TargetFact>()
            .ToList();
        if (targets.All(t => t.Code != ReportingTarget.Code) && period.Type != PeriodType.Quarter)
            targets.Add(ReportingTarget.Default(catalogue));
        targets.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
        var version = RuleSetVersion.Of(catalogue.AssemblyHash, inForce.Select(r => r.ContentHash));
        return (targets, inForce.ToDictionary(r => r.Code), version);
    }

    /// <summary>For every area that sits in the province on the period's last day, its path up to the province.</summary>
    public static Dictionary<int, IReadOnlyList<AreaRef>> PathsIn(Period period, Area scope, AreaTree tree)
    {
        var paths = new Dictionary<int, IReadOnlyList<AreaRef>>();
        var refs = new Dictionary<int, AreaRef>();
        foreach (var area in tree.Areas)
        {
            var path = tree.PathOn(area.Id, period.End);
            if (path.Count > 0 && path[^1].Id == scope.Id)
                paths[area.Id] = path.Select(a => refs.TryGetValue(a.Id, out var r) ? r : refs[a.Id] = new AreaRef(a.Id, a.Code, a.Name, a.Level)).ToArray();
        }

        // Areas with the same path share one array: units of a commune share their path object.
        var shared = new Dictionary<string, IReadOnlyList<AreaRef>>();
        foreach (var key in paths.Keys.ToList())
        {
            var id = string.Join('/', paths[key].Select(a => a.Id));
            paths[key] = shared.TryGetValue(id, out var same) ? same : shared[id] = paths[key];
        }

        return paths;
    }

    private static async Task<List<UnitReport>> ReportsAsync(QcdcDbContext db, Period period, Dictionary<int, IReadOnlyList<AreaRef>> paths,
        IReadOnlyCollection<int>? onlyUnits, Func<int, int>? indexOf, CancellationToken ct)
    {
        var areaIds = paths.Keys.ToList();
        var (start, end) = (period.Start, period.End);
        var units = db.Units.AsNoTracking()
            .Where(u => areaIds.Contains(u.AreaId)
                        && (u.ActiveFrom == null || u.ActiveFrom <= end)
                        && (u.ActiveTo == null || u.ActiveTo >= start));
        var sources = await SourcePeriodsAsync(db, period, ct);
        if (onlyUnits is not null)
        {
            var ids = onlyUnits.ToList();
            units = units.Where(u => ids.Contains(u.Id));
        }

        List<Unit> unitList;
        using (QcdcTelemetry.Source.StartActivity("qcdc.evaluate.load.units"))
            unitList = await units.OrderBy(u => u.Id).ToListAsync(ct);
        var values = new Dictionary<int, long?[][]>(unitList.Count);
        var slotOf = sources.ToDictionary(kv => kv.Value.Id, kv => (int)kv.Key);
        using (QcdcTelemetry.Source.StartActivity("qcdc.evaluate.load.values"))
        {
            // A scope: its areas' units' values, as SQL whose plan is known; a few units: by the same index, from LINQ
            // (parameterised, so its compiled query is reused from one change to the next).
            var periodIds = slotOf.Keys.ToList();
            var unitIds = unitList.Select(u => u.Id).ToList();
            var rows = onlyUnits is null
                ? db.Database.SqlQueryRaw<ValueRow>(ValuesOfAreasSql(db, periodIds, areaIds))
                : db.DataValues.AsNoTracking().Where(v => unitIds.Contains(v.UnitId) && periodIds.Contains(v.PeriodId))
                    .Select(v => new ValueRow(v.UnitId, v.PeriodId, v.IndicatorId, v.Value));
            await foreach (var (unitId, periodId, indicatorId, value) in rows.AsAsyncEnumerable().WithCancellation(ct))
            {
                if (!values.TryGetValue(unitId, out var byPeriod))
                    values[unitId] = byPeriod = new long?[3][];
                (byPeriod[slotOf[periodId]] ??= new long?[Indicators.Slots])[indicatorId] = value;
            }
        }

        var reports = new List<UnitReport>(unitList.Count);
        foreach (var unit in unitList)
        {
            var fact = new UnitFact(unit.Id, unit.Code, unit.Name, unit.Kind, unit.HasTradeUnion, paths[unit.AreaId], unit.ContactEmail);
            var read = Read(period, values.GetValueOrDefault(unit.Id));
            var index = indexOf?.Invoke(unit.Id) ?? reports.Count;
            reports.Add(new UnitReport(fact, index, read, MissingFor(unit, period, read)));
        }

        return reports;
    }

    /// <summary>One stored value as the loader reads it.</summary>
    private sealed record ValueRow(int UnitId, int PeriodId, int IndicatorId, long Value);

    /// <summary>
    /// The values of some periods for the units of some areas, read unit by unit through the covering index on
    /// (unit, period, indicator, value): the cost follows the province's size. Written as SQL because the plan matters:
    /// from LINQ, SQLite walked the whole period's values for every province (34 scans of 8 million rows at
    /// 1,000,000 units) and the unary plus keeps it from doing so. Only integers read from the database are inlined.
    /// </summary>
    private static string ValuesOfAreasSql(QcdcDbContext db, IEnumerable<int> periodIds, IEnumerable<int> areaIds)
    {
        var (v, u) = (Names.Of<DataValue>(db), Names.Of<Unit>(db));
        var byUnit = db.Database.IsSqlite() ? "+" : "";
        return $"SELECT v.{v[nameof(DataValue.UnitId)]} AS {v.Column(nameof(ValueRow.UnitId))}, v.{v[nameof(DataValue.PeriodId)]} AS {v.Column(nameof(ValueRow.PeriodId))}, "
               + $"v.{v[nameof(DataValue.IndicatorId)]} AS {v.Column(nameof(ValueRow.IndicatorId))}, v.{v[nameof(DataValue.Value)]} AS {v.Column(nameof(ValueRow.Value))} "
               + $"FROM {u.Table} u JOIN {v.Table} v ON v.{v[nameof(DataValue.UnitId)]} = u.{u[nameof(Unit.Id)]} "
               + $"WHERE u.{u[nameof(Unit.AreaId)]} IN ({Names.List(areaIds)}) AND {byUnit}v.{v[nameof(DataValue.PeriodId)]} IN ({Names.List(periodIds)})";
    }

    private TargetFact? ToFact(Resolution resolution, Target target) => TargetFacts.From(resolution, target, catalogue);

    private enum Source
    {
        Own = 0,
        FirstHalf = 1,
        SecondHalf = 2,
    }

    private static async Task<Dictionary<Source, Period>> SourcePeriodsAsync(QcdcDbContext db, Period period, CancellationToken ct)
    {
        var result = new Dictionary<Source, Period> { [Source.Own] = period };
        if (period.Type != PeriodType.Year)
            return result;
        var (first, second) = Period.HalvesOf(period.Year);
        foreach (var half in await db.Periods.AsNoTracking().Where(p => p.Code == first || p.Code == second).ToListAsync(ct))
            result[half.Code == first ? Source.FirstHalf : Source.SecondHalf] = half;
        return result;
    }

    /// <summary>The values as the period reads them; a year takes its half-year indicators from the halves.</summary>
    private static long?[] Read(Period period, long?[][]? byPeriod)
    {
        var own = byPeriod?[(int)Source.Own];
        if (period.Type != PeriodType.Year)
            return own ?? new long?[Indicators.Slots];

        var read = own is null ? new long?[Indicators.Slots] : (long?[])own.Clone();
        var first = byPeriod?[(int)Source.FirstHalf];
        var second = byPeriod?[(int)Source.SecondHalf];
        foreach (var indicator in IndicatorCatalogue.All)
        {
            if (indicator.PeriodType != PeriodType.HalfYear)
                continue;
            var (a, b) = (first?[indicator.Id], second?[indicator.Id]);
            read[indicator.Id] = indicator.YearRollup == YearRollup.EndOfYear
                ? b
                : a is null && b is null ? null : (a ?? 0) + (b ?? 0);
        }

        return read;
    }

    /// <summary>Indicators of the period's own type that apply to the unit and have no value.</summary>
    private static IReadOnlyList<string> MissingFor(Unit unit, Period period, long?[] values)
    {
        List<string>? missing = null;
        foreach (var indicator in IndicatorCatalogue.All)
        {
            if (indicator.PeriodType == period.Type && indicator.Population.Includes(unit.Kind, unit.HasTradeUnion) && values[indicator.Id] is null)
                (missing ??= []).Add(indicator.Code);
        }

        return missing ?? (IReadOnlyList<string>)[];
    }
}
