using QcdcCompliance.Findings;

namespace QcdcCompliance.Host.Api;

public sealed record ValueDto(string Period, string Indicator, IndicatorValueType ValueType, long Value, string? Comment, string StoredBy, DateTime StoredAt);

public sealed record ValueChangeDto(
    string Period, string Indicator, long? OldValue, long? NewValue, string? OldComment, string? NewComment, string ChangedBy, DateTime ChangedAt, string? Source);

/// <summary>
/// Where the unit sat and what it was from a day (null: its start) to a day (null: now); a period counts it as it was on the
/// period's last day. <paramref name="ChangedBy"/> and <paramref name="ChangedAt"/> (UTC) name the write that began it
/// (the unit's first storing for the first one), null when none was recorded.
/// </summary>
public sealed record UnitVersionDto(DateOnly? From, DateOnly? Until, AreaRef Area, UnitKind Kind, bool HasTradeUnion, string? ChangedBy = null, DateTime? ChangedAt = null);

/// <summary>
/// A change of one field of the unit (the units file's column: <c>active_to</c>, <c>contact_email</c>, <c>area_code</c>, …;
/// <c>created</c> for its first storing), who made it, when (UTC), through which file; <paramref name="From"/> is the day a
/// change of area, kind or union takes effect.
/// </summary>
public sealed record UnitChangeDto(string Field, string? OldValue, string? NewValue, DateOnly? From, string ChangedBy, DateTime ChangedAt, string? Source);

public sealed record UnitDto(
    string Code, string Name, UnitKind Kind, AreaRef Area, bool HasTradeUnion, int? Headcount, string? ContactEmail, DateOnly? ActiveFrom, DateOnly? ActiveTo,
    IReadOnlyList<ValueDto> Values, IReadOnlyList<ValueChangeDto> History, IReadOnlyList<UnitVersionDto> Versions, IReadOnlyList<UnitChangeDto> Changes);

/// <summary>A unit with every value it reported and every change to them; and its findings across periods.</summary>
public static class UnitsApi
{
    public static RouteGroupBuilder MapUnitsApi(this IEndpointRouteBuilder api)
    {
        var group = api.Resource("/units", "Units", QcdcPolicies.Reference);
        group.MapGet("/{code}", GetUnit)
            .Described("GetUnit", "A unit, its values (booleans 0/1, percentages in hundredths), their history, its versions (area, kind, trade union, from which day, "
                + "who began each and when) and every change to the unit itself (field, old, new, who, when, file)",
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
        var changes = await db.UnitAudits.AsNoTracking().Where(a => a.UnitId == unit.Id).OrderBy(a => a.Id).ToListAsync(ct);
        var spans = moves.SpansOf(unit);
        return TypedResults.Ok(new UnitDto(unit.Code, unit.Name, unit.Kind, scope.Tree[unit.AreaId].AsRef(), unit.HasTradeUnion, unit.Headcount, unit.ContactEmail,
            unit.ActiveFrom, unit.ActiveTo,
            values.OrderBy(v => periods[v.PeriodId].Start).ThenBy(v => periods[v.PeriodId].Type).ThenBy(v => indicators[v.IndicatorId].Code, StringComparer.Ordinal)
                .Select(v => new ValueDto(periods[v.PeriodId].Code, indicators[v.IndicatorId].Code, indicators[v.IndicatorId].ValueType, v.Value, v.Comment,
                    v.StoredBy, v.StoredAt))
                .ToList(),
            history.Select(a => new ValueChangeDto(periods[a.PeriodId].Code, indicators[a.IndicatorId].Code, a.OldValue, a.NewValue, a.OldComment, a.NewComment,
                a.ChangedBy, a.ChangedAt, a.Source)).ToList(),
            spans.Select((v, i) =>
            {
                var began = UnitAuditTrail.Began(spans, i, changes);
                return new UnitVersionDto(v.From, v.Until, scope.Tree[v.AreaId].AsRef(), v.Kind, v.HasTradeUnion, began?.ChangedBy, began?.ChangedAt);
            }).ToList(),
            changes.Select(a => new UnitChangeDto(a.Field, a.OldValue, a.NewValue, a.EffectiveFrom, a.ChangedBy, a.ChangedAt, a.Source)).ToList()));
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
        foreach (var period in periods.OrderBy(p => p.Start).ThenBy(p => p.Type))
        {
            // The findings the principal may open, by the one rule of its lists (a unit that moved to another province: the
            // old province's findings stay with the areas it sat in there, not with the province it moved to).
            var current = await queries.CurrentAsync(db, new FindingFilter(period.Code) { Unit = unit.Code, KeepResolved = true }, ct);
            var rows = await (await FindingsApi.VisibleAsync(current, period.End, caller, db, ct)).ToListAsync(ct);
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
