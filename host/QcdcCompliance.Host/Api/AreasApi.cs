namespace QcdcCompliance.Host.Api;

public sealed record AreaRef(string Code, string Name, AreaLevel Level);

public sealed record AreaLinkDto(string? ParentCode, DateOnly? ValidFrom, DateOnly? ValidTo);

/// <summary>
/// A change of one field of the area (the areas file's column: <c>name</c>, <c>level</c>, <c>valid_from</c>, <c>valid_to</c>,
/// <c>parent_code</c> for its links written "D1 ..2025-06-30; P 2025-07-01..", <c>created</c> for its first storing; the
/// lineage file's <c>successor_code</c> or <c>predecessor_code</c> written "C9 2025-07-01"), who made it, when (UTC), through
/// which file; <paramref name="From"/> is the first day it moves the area. An area outside the reader's is written "…".
/// </summary>
public sealed record AreaChangeDto(string Field, string? OldValue, string? NewValue, DateOnly? From, string ChangedBy, DateTime ChangedAt, string? Source);

public sealed record AreaDto(
    string Code, string Name, AreaLevel Level, DateOnly? ValidFrom, DateOnly? ValidTo, DateOnly On, AreaRef? Parent, IReadOnlyList<AreaRef> Children,
    IReadOnlyList<AreaLinkDto> Links, IReadOnlyList<AreaChangeDto> Changes);

/// <summary>An area of the administrative tree with its children on a day (today by default).</summary>
public static class AreasApi
{
    public static RouteGroupBuilder MapAreasApi(this IEndpointRouteBuilder api)
    {
        var group = api.Resource("/areas", "Areas", QcdcPolicies.Reference);
        group.MapGet("/{code}", GetArea)
            .Described("GetArea", "An area, its parent and its children on a day (?on=yyyy-mm-dd, default today), and every change to it (field, old, new, from which day, who, when, file)", StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Results<Ok<AreaDto>, ProblemHttpResult>> GetArea(string code, DateOnly? on, Caller caller, TimeProvider clock, QcdcDbContext db, CancellationToken ct)
    {
        if (DateBounds.Refusal(on) is { } refusal)
            return refusal;
        var scope = await caller.ScopeAsync(ct);
        if (scope.Tree.Find(code) is not { } area)
            return Caller.NotFound($"area {code}");
        if (!scope.Contains(area.Id))
            return caller.Outside($"area {code}");
        var day = on ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var parent = scope.Tree.ParentOn(area.Id, day) is { } p && scope.Contains(p.Id) ? p.AsRef() : null;
        // A child that sat under the area only on the day asked (a one-day re-parenting) may lie outside the principal's area.
        var children = scope.Tree.ChildrenOn(area.Id, day).Where(a => scope.Contains(a.Id)).OrderBy(a => a.Code, StringComparer.Ordinal).Select(a => a.AsRef()).ToList();
        var changes = (await db.AreaAudits.AsNoTracking().Where(a => a.AreaId == area.Id).OrderBy(a => a.Id).ToListAsync(ct))
            .Select(a => AreaAuditTrail.ShownTo(a, scope.Tree, scope.Contains))
            .Select(a => new AreaChangeDto(a.Field, a.OldValue, a.NewValue, a.EffectiveFrom, a.ChangedBy, a.ChangedAt, a.Source)).ToList();
        return TypedResults.Ok(new AreaDto(area.Code, area.Name, area.Level, area.ValidFrom, area.ValidTo, day, parent, children,
            LinksOf(scope, area).ToList(), changes));
    }

    public static AreaRef AsRef(this Area area) => new(area.Code, area.Name, area.Level);

    /// <summary>Where the area sat over time; parents outside the principal's area are not named.</summary>
    private static IEnumerable<AreaLinkDto> LinksOf(CallerScope scope, Area area)
    {
        foreach (var link in scope.Tree.LinksOf(area.Id).OrderBy(l => l.ValidFrom ?? DateOnly.MinValue))
            yield return new AreaLinkDto(link.ParentId is { } parent && scope.Contains(parent) ? scope.Tree[parent].Code : null, link.ValidFrom, link.ValidTo);
    }
}
