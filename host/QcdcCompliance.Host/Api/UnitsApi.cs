using QcdcCompliance.Findings;

namespace QcdcCompliance.Host.Api;

public sealed record ValueDto(string Period, string Indicator, IndicatorValueType ValueType, long Value, string? Comment, string StoredBy, DateTime StoredAt);

public sealed record ValueChangeDto(
    string Period, string Indicator, long? OldValue, long? NewValue, string? OldComment, string? NewComment, string ChangedBy, DateTime ChangedAt, string? Source);

/// <summary>Where the unit sat and what it was from a day (null: its start) to a day (null: now); a period counts it as it was on the period's last day.</summary>
public sealed record UnitVersionDto(DateOnly? From, DateOnly? Until, AreaRef Area, UnitKind Kind, bool HasTradeUnion);

public sealed record UnitDto(
    string Code, string Name, UnitKind Kind, AreaRef Area, bool HasTradeUnion, int? Headcount, string? ContactEmail, DateOnly? ActiveFrom, DateOnly? ActiveTo,
    IReadOnlyList<ValueDto> Values, IReadOnlyList<ValueChangeDto> History, IReadOnlyList<UnitVersionDto> Versions);

/// <summary>A unit with every value it reported and every change to them; and its findings across periods.</summary>
public static class UnitsApi
{
    public static RouteGroupBuilder MapUnitsApi(this IEndpointRouteBuilder api)
    {
        var group = api.Resource("/units", "Units", QcdcPolicies.Reference);
        group.MapGet("/{code}", GetUnit)
            .Described("GetUnit", "A unit, its values (booleans 0/1, percentages in hundredths), their history, and its versions (area, kind, trade union, from which day)",
                StatusCodes.Status404NotFound);
        group.MapGet("/{code}/findings", GetUnitFindings)
            .RequireAuthorization(QcdcPolicies.Read)
            .Described("GetUnitFindings", "The unit's findings in every period: those open, and those resolved (whichever run resolved them) until they come back",
                StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Results<Ok<UnitDto>, ProblemHttpResult>> GetUnit(string code, Caller caller, QcdcDbContext db, CancellationToken ct)
    {
        var (unit, refusal) = await VisibleUnitAsync(code, caller, db, ct);
        if (unit is null)
            return refusal!;
        var scope = await caller.ScopeAsync(ct);
        var periods = await db.Periods.AsNoTracking().ToDictionaryAsync(p => p.Id, ct);
        var indicators = IndicatorCatalogue.All.ToDictionary(i => i.Id);
        // A value is the principal's to see when the unit sat in its area on the last day of the value's period (where it sat then, moved since or not).
        var moves = await UnitHistoryRows.FromAsync(db, DateOnly.MinValue, ct);
        var values = (await db.DataValues.AsNoTracking().OfUnit(unit.Id, periods.Keys).ToListAsync(ct))
            .Where(v => scope.ContainsOn(moves.AreaOn(unit.Id, unit.AreaId, periods[v.PeriodId].End), periods[v.PeriodId].End)).ToList();
        var history = (await db.DataValueAudits.AsNoTracking().OfUnit(unit.Id, periods.Keys).OrderBy(a => a.Id).ToListAsync(ct))
            .Where(a => scope.ContainsOn(moves.AreaOn(unit.Id, unit.AreaId, periods[a.PeriodId].End), periods[a.PeriodId].End)).ToList();
        return TypedResults.Ok(new UnitDto(unit.Code, unit.Name, unit.Kind, scope.Tree[unit.AreaId].AsRef(), unit.HasTradeUnion, unit.Headcount, unit.ContactEmail,
            unit.ActiveFrom, unit.ActiveTo,
            values.OrderBy(v => periods[v.PeriodId].Start).ThenBy(v => periods[v.PeriodId].Type).ThenBy(v => indicators[v.IndicatorId].Code, StringComparer.Ordinal)
                .Select(v => new ValueDto(periods[v.PeriodId].Code, indicators[v.IndicatorId].Code, indicators[v.IndicatorId].ValueType, v.Value, v.Comment,
                    v.StoredBy, v.StoredAt))
                .ToList(),
            history.Select(a => new ValueChangeDto(periods[a.PeriodId].Code, indicators[a.IndicatorId].Code, a.OldValue, a.NewValue, a.OldComment, a.NewComment,
                a.ChangedBy, a.ChangedAt, a.Source)).ToList(),
            moves.SpansOf(unit).Select(v => new UnitVersionDto(v.From, v.Until, scope.Tree[v.AreaId].AsRef(), v.Kind, v.HasTradeUnion)).ToList()));
    }

    public static async Task<Results<Ok<List<FindingDto>>, ProblemHttpResult>> GetUnitFindings(
        string code, Caller caller, QcdcDbContext db, FindingQueries queries, CancellationToken ct)
    {
        var (unit, refusal) = await VisibleUnitAsync(code, caller, db, ct);
        if (unit is null)
            return refusal!;
        var periodIds = await db.Findings.AsNoTracking().Where(f => f.SubjectType == SubjectType.Unit && f.SubjectId == unit.Id)
            .Select(f => f.PeriodId).Distinct().ToListAsync(ct);
        var periods = await db.Periods.AsNoTracking().Where(p => periodIds.Contains(p.Id)).ToListAsync(ct);
        var result = new List<FindingDto>();
        var scope = await caller.ScopeAsync(ct);
        var moves = await UnitHistoryRows.FromAsync(db, DateOnly.MinValue, ct);
        foreach (var period in periods.OrderBy(p => p.Start).ThenBy(p => p.Type).Where(p => scope.ContainsOn(moves.AreaOn(unit.Id, unit.AreaId, p.End), p.End)))
        {
            var rows = await (await queries.CurrentAsync(db, new FindingFilter(period.Code) { Unit = unit.Code, KeepResolved = true }, ct)).ToListAsync(ct);
            result.AddRange((await FindingQueries.ViewsAsync(db, rows, ct)).Select(f => f.AsDto()));
        }

        return TypedResults.Ok(result);
    }

    /// <summary>The unit if it exists and lies in the principal's area; else the 404 to answer (logged as a refusal when outside).</summary>
    internal static async Task<(Unit? Unit, ProblemHttpResult? Refusal)> VisibleUnitAsync(string code, Caller caller, QcdcDbContext db, CancellationToken ct)
    {
        var wanted = code.Trim().ToUpperInvariant();
        var unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Code == wanted, ct);
        if (unit is null)
            return (null, Caller.NotFound($"unit {code}"));
        var scope = await caller.ScopeAsync(ct);
        if (scope.Contains(unit.AreaId))
            return (unit, null);
        // A unit moved away is still its old area's to read, for the periods it sat there (every read filters by period).
        var moves = await UnitHistoryRows.FromAsync(db, DateOnly.MinValue, ct);
        return moves.Of(unit.Id).Any(v => scope.ContainsOn(v.AreaId, v.Until)) ? (unit, null) : (null, caller.Outside($"unit {code}"));
    }
}
