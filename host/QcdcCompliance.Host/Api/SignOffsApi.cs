using Microsoft.AspNetCore.Http.HttpResults;
using QcdcCompliance.Decisions;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Security;

namespace QcdcCompliance.Host.Api;

public sealed record SignOffRequest(string? Period, string? Area, string? Reason);

/// <summary>
/// The committee's sign-off of an area's figures for a period, and its reopening (with a reason); each a link of the
/// audit chain. Committee members of the area or above only; the list for every reader of the area.
/// </summary>
public static class SignOffsApi
{
    public static RouteGroupBuilder MapSignOffsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/signoffs").WithTags("Decisions");
        group.MapGet("/", List).WithName("ListSignOffs").WithSummary("Sign-offs and reopenings of ?period= over ?area= (default: yours), newest first")
            .RequireAuthorization(QcdcPolicies.Read).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", SignOff).WithName("SignOff")
            .WithSummary("Sign off an area's figures for a period (committee): its units' values are locked until reopened; a reason is required when units are incomplete")
            .RequireAuthorization(QcdcPolicies.Act).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/reopen", Reopen).WithName("ReopenSignOff").WithSummary("Reopen a signed-off area and period, with a reason (committee)")
            .RequireAuthorization(QcdcPolicies.Act).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    public static async Task<Results<Ok<IReadOnlyList<SignOffView>>, ProblemHttpResult>> List(string? period, string? area, Caller caller, SignOffService signOffs,
        PeriodCalendar calendar, CancellationToken ct)
    {
        var scope = await caller.ScopeAsync(ct);
        var within = scope.Root;
        if (area is not null)
        {
            if (scope.Tree.Find(area) is not { } asked)
                return Caller.NotFound($"area {area}");
            var inside = PeriodCode.TryParse(period, out var code) ? scope.ContainsOn(asked.Id, calendar.Create(code).End) : scope.Contains(asked.Id);
            if (!inside && asked.Id != scope.Root.Id)
                return caller.Outside($"area {area}");
            within = asked;
        }

        try
        {
            return TypedResults.Ok(await signOffs.ListAsync(period, within.Code, ct));
        }
        catch (EvaluationRequestException e)
        {
            return Caller.BadRequest(e.Message);
        }
    }

    public static Task<Results<Ok<SignOffOutcome>, ProblemHttpResult>> SignOff(SignOffRequest request, Caller caller, SignOffService signOffs, PeriodCalendar calendar,
        CancellationToken ct) => RecordAsync(SignOffKind.SignOff, request, caller, signOffs, calendar, ct);

    public static Task<Results<Ok<SignOffOutcome>, ProblemHttpResult>> Reopen(SignOffRequest request, Caller caller, SignOffService signOffs, PeriodCalendar calendar,
        CancellationToken ct) => RecordAsync(SignOffKind.Reopen, request, caller, signOffs, calendar, ct);

    private static async Task<Results<Ok<SignOffOutcome>, ProblemHttpResult>> RecordAsync(SignOffKind kind, SignOffRequest request, Caller caller, SignOffService signOffs,
        PeriodCalendar calendar, CancellationToken ct)
    {
        if (!PeriodCode.TryParse(request.Period, out var code))
            return Caller.BadRequest($"'{request.Period}' is not a period; write 2020 (year), 2020S1 or 2020S2 (half-years)");
        var scope = await caller.ScopeAsync(ct);
        var area = scope.Root;
        if (request.Area is not null)
        {
            if (scope.Tree.Find(request.Area) is not { } asked)
                return Caller.NotFound($"area {request.Area}");
            if (!scope.ContainsOn(asked.Id, calendar.Create(code).End) && asked.Id != scope.Root.Id)
                return caller.Outside($"area {request.Area}");
            area = asked;
        }

        try
        {
            var outcome = kind == SignOffKind.SignOff
                ? await signOffs.SignOffAsync(code.Code, area.Code, request.Reason, caller.Label, ct)
                : await signOffs.ReopenAsync(code.Code, area.Code, request.Reason, caller.Label, ct);
            caller.Wrote(kind == SignOffKind.SignOff ? "signed off" : "reopened", $"{code.Code} of {area.Code} as chain link {outcome.SignOff.ChainSequence}");
            return TypedResults.Ok(outcome);
        }
        catch (SignOffRefusedException e)
        {
            return caller.Refused(StatusCodes.Status409Conflict, kind == SignOffKind.SignOff ? "Not signed off" : "Not reopened", e.Message);
        }
        catch (EvaluationRequestException e)
        {
            return Caller.BadRequest(e.Message);
        }
    }
}
