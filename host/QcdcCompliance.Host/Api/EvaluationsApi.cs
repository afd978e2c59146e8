using QcdcCompliance.Runs;

namespace QcdcCompliance.Host.Api;

/// <summary>An evaluation asked for: the area defaults to the caller's (its province is evaluated).</summary>
public sealed record EvaluationRequest(string? Period, string? Area = null);

public sealed record EvaluationQueuedDto(string Id, string Period, string Scope);

/// <summary>Asks for the evaluation of a period over the province of an area, through the host's scheduler (Hangfire in <c>qcdc serve</c>).</summary>
public static class EvaluationsApi
{
    public static RouteGroupBuilder MapEvaluationsApi(this IEndpointRouteBuilder api)
    {
        var group = api.Resource("/evaluations", "Evaluations", QcdcPolicies.Evaluate);
        group.MapPost("/", Enqueue)
            .Described("EnqueueEvaluation", "Queue the evaluation of a period over the province of an area (default: the principal's); follow it in /api/runs",
                StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status415UnsupportedMediaType);
        return group;
    }

    public static async Task<Results<Accepted<EvaluationQueuedDto>, ProblemHttpResult>> Enqueue(
        EvaluationRequest request, Caller caller, IEvaluationScheduler scheduler, PeriodCalendar calendar, TimeProvider clock, CancellationToken ct)
    {
        if (!PeriodCode.TryParse(request.Period, out var code))
            return Caller.InvalidPeriod(request.Period);
        var (area, refusal) = await caller.AreaAsync(request.Area, null, ct);
        if (area is null)
            return refusal!;
        var scope = await caller.ScopeAsync(ct);

        var period = calendar.Create(code);
        // A period to come is refused as the engine refuses it (almost always a mistyped year), with the same words.
        if (EvaluationService.NotBegun(period, clock) is { } notBegun)
            return Caller.BadRequest(notBegun).InVietnamese(QcdcCompliance.Reports.ImportWording.Vietnamese(notBegun));
        // A period still running is not evaluated on request: its data cannot be complete, and a run is a link of the
        // audit chain for good. The schedule evaluates it once it has ended.
        if (!period.HasEnded(clock))
            return Caller.BadRequest($"{period.Code} has not ended (it ends on {period.End:yyyy-MM-dd}); a period is evaluated once it is over")
                .InVietnamese($"kỳ {period.Code} chưa kết thúc (kết thúc ngày {period.End:dd/MM/yyyy}); kỳ chỉ được đánh giá khi đã kết thúc, và lịch chạy tự đánh giá kỳ này sau ngày đó");
        if (AreaOutsideProvincesException.ProvinceOn(scope.Tree, area, period) is not { } province)
            return Caller.Refusal(new AreaOutsideProvincesException(area, period));
        var id = await scheduler.EnqueueAsync(period.Code, province.Code, RunTrigger.Manual, ct);
        caller.Wrote("queued evaluation", $"{period.Code} of {province.Code} as {id}");
        return TypedResults.Accepted($"/api/runs?period={period.Code}&area={province.Code}", new EvaluationQueuedDto(id, period.Code, province.Code));
    }
}
