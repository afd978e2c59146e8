namespace QcdcCompliance.Host.Api;

public sealed record LatestRunDto(string Scope, long RunId);

public sealed record PeriodDto(string Code, PeriodType Type, int Year, int Number, DateOnly Start, DateOnly End, DateOnly Deadline, IReadOnlyList<LatestRunDto> LatestRuns);

/// <summary>The periods known to the database, with the latest run of each that concerns the principal.</summary>
public static class PeriodsApi
{
    public static RouteGroupBuilder MapPeriodsApi(this IEndpointRouteBuilder api)
    {
        var group = api.Resource("/periods", "Periods", QcdcPolicies.Reference);
        group.MapGet("/", GetPeriods)
            .Described("GetPeriods", "Periods, with the latest run of each province scope the principal sees");
        return group;
    }

    public static async Task<Ok<List<PeriodDto>>> GetPeriods(Caller caller, QcdcDbContext db, CancellationToken ct)
    {
        var scope = await caller.ScopeAsync(ct);
        var provinces = scope.Provinces.ToList();
        var latest = (await db.ScopeStates.AsNoTracking().Where(s => provinces.Contains(s.ScopeAreaId)).ToListAsync(ct)).ToLookup(s => s.PeriodId);
        var periods = await db.Periods.AsNoTracking().ToListAsync(ct);
        return TypedResults.Ok(periods
            .OrderBy(p => p.Start).ThenBy(p => p.Type)
            .Select(p => new PeriodDto(p.Code, p.Type, p.Year, p.Number, p.Start, p.End, p.Deadline,
                latest[p.Id].OrderBy(s => s.ScopeAreaId).Select(s => new LatestRunDto(scope.Tree[s.ScopeAreaId].Code, s.LatestRunId)).ToList()))
            .ToList());
    }
}
