using System.ComponentModel.DataAnnotations;
namespace QcdcCompliance.Host.Api;

/// <summary>A run; its counts are of its whole province, so they are null for a principal bound to a part of it (a district).</summary>
public sealed record RunDto(
    long Id, string Period, AreaRef Scope, RunTrigger Trigger, RunStatus Status, string RuleSetVersion, DateTime StartedAt, DateTime? FinishedAt,
    long? PreviousRunId, int? UnitsEvaluated, int? FindingsOpen, int? NewCount, int? PersistingCount, int? ResolvedCount, string? Error,
    long? ChainSequence, string? PreviousHash, string? Hash);

public sealed record RunPage(IReadOnlyList<RunDto> Items, string? Next, int Limit);

/// <summary>A run with how many finding and area-result rows it recorded (a run writes only what changed).</summary>
public sealed record RunDetailDto(RunDto Run, int FindingsRecorded, int AreaResultsRecorded);

/// <summary>
/// Evaluation runs, newest first. A run is of a whole province: a principal sees the runs of the provinces its area
/// lies in (or that lie in its area).
/// </summary>
public static class RunsApi
{
    public static RouteGroupBuilder MapRunsApi(this IEndpointRouteBuilder api)
    {
        var group = api.Resource("/runs", "Runs", QcdcPolicies.Read);
        group.MapGet("/", GetRuns)
            .Described("GetRuns", "Runs, newest first, by period, area (its province) and start date (?from=&to=, yyyy-mm-dd, inclusive; days in Viet Nam, Asia/Ho_Chi_Minh, as the dashboard shows them), paged by cursor",
                StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        // The id binds in the handler, not by a route constraint: /api/runs/abc is then a 400 naming id, not a 404.
        group.MapGet("/{id}", GetRun)
            .Described("GetRun", "One run, with its place in the audit chain; its findings as it left them at /api/findings?run={id}", StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Results<Ok<RunPage>, ProblemHttpResult>> GetRuns(
        string? period, string? area, DateOnly? from, DateOnly? to, string? cursor, [Range(1, Paging.MaxLimit, ErrorMessage = Paging.LimitRange)] int? limit, Caller caller, QcdcDbContext db, CancellationToken ct)
    {
        if (Paging.Refusal<long>(limit, cursor, long.TryParse, out var pageSize, out var before) is { } badPage)
            return badPage;

        if ((DateBounds.Refusal(from, to) ?? DateBounds.Reversed(from, to)) is { } refusal)
            return refusal;
        var scope = await caller.ScopeAsync(ct);
        var provinces = scope.Provinces.ToList();
        var query = db.EvaluationRuns.AsNoTracking().Where(r => provinces.Contains(r.ScopeAreaId));
        if (area is not null)
        {
            var (asked, outside) = await caller.AreaAsync(area, null, ct);
            if (asked is null)
                return outside!;
            var containing = provinces.Where(p => p == asked.Id || scope.Tree.Subtree(p).Contains(asked.Id)).ToList();
            query = query.Where(r => containing.Contains(r.ScopeAreaId));
        }

        if (period is not null)
        {
            if (!PeriodCode.TryParse(period, out var parsed))
                return Caller.InvalidPeriod(period);
            var code = parsed.Code;
            var periodId = await db.Periods.AsNoTracking().Where(p => p.Code == code).Select(p => (int?)p.Id).SingleOrDefaultAsync(ct);
            if (periodId is null)
                return Caller.NotEvaluated(code);
            query = query.Where(r => r.PeriodId == periodId);
        }

        if (from is { } start)
        {
            var since = DateBounds.StartUtc(start);
            query = query.Where(r => r.StartedAt >= since);
        }

        if (to is { } end)
        {
            var until = DateBounds.StartUtc(end.AddDays(1));
            query = query.Where(r => r.StartedAt < until);
        }

        if (before is { } last)
            query = query.Where(r => r.Id < last);
        var rows = await query.OrderByDescending(r => r.Id).Take(pageSize + 1).ToListAsync(ct);
        var page = rows.Take(pageSize).ToList();
        var periods = await PeriodCodesAsync(db, page, ct);
        return TypedResults.Ok(new RunPage(page.Select(r => r.AsDto(periods, scope)).ToList(),
            rows.Count > pageSize ? page[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null, pageSize));
    }

    public static async Task<Results<Ok<RunDetailDto>, ProblemHttpResult>> GetRun(long id, Caller caller, QcdcDbContext db, CancellationToken ct)
    {
        var run = await db.EvaluationRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (run is null)
            return Caller.NotFound($"run {id}");
        var scope = await caller.ScopeAsync(ct);
        if (!scope.Provinces.Contains(run.ScopeAreaId))
            return caller.Outside($"run {id}");
        var periods = await PeriodCodesAsync(db, [run], ct);
        // A district sees what the run recorded in its district, as its findings list and the run's page do.
        var end = await db.Periods.AsNoTracking().Where(p => p.Id == run.PeriodId).Select(p => p.End).SingleAsync(ct);
        var areaResults = db.AreaResults.Where(a => a.RunId == id);
        if (!scope.Contains(run.ScopeAreaId))
        {
            var ids = scope.AreasOn(end).ToList();
            areaResults = areaResults.Where(a => ids.Contains(a.AreaId));
        }

        return TypedResults.Ok(new RunDetailDto(run.AsDto(periods, scope), await (await scope.FindingsOfRunAsync(db, run, end, ct)).CountAsync(ct),
            await areaResults.CountAsync(ct)));
    }

    private static async Task<Dictionary<int, string>> PeriodCodesAsync(QcdcDbContext db, List<EvaluationRun> runs, CancellationToken ct)
    {
        var ids = runs.Select(r => r.PeriodId).Distinct().ToList();
        return await db.Periods.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Code, ct);
    }

    public static RunDto AsDto(this EvaluationRun r, IReadOnlyDictionary<int, string> periods, CallerScope scope)
    {
        var whole = scope.Contains(r.ScopeAreaId);
        return new RunDto(r.Id, periods[r.PeriodId], scope.Tree[r.ScopeAreaId].AsRef(), r.Trigger, r.Status, r.RuleSetVersion, r.StartedAt, r.FinishedAt,
            r.PreviousRunId, whole ? r.UnitsEvaluated : null, whole ? r.FindingsOpen : null, whole ? r.NewCount : null, whole ? r.PersistingCount : null,
            whole ? r.ResolvedCount : null, r.Error, r.ChainSequence, r.PreviousHash, r.Hash);
    }
}
