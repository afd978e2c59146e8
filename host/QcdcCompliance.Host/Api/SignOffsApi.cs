using QcdcCompliance.Decisions;

namespace QcdcCompliance.Host.Api;

/// <summary>A sign-off or reopening: the area defaults to the caller's; a reason is needed to reopen, or to sign off with units incomplete.</summary>
public sealed record SignOffRequest(string? Period, string? Area = null, string? Reason = null);

/// <summary>
/// The committee's sign-off of an area's figures for a period, and its reopening (with a reason); each a link of the
/// audit chain. Committee members of the area or above only; the list for every reader of the area.
/// </summary>
public static class SignOffsApi
{
    public static RouteGroupBuilder MapSignOffsApi(this IEndpointRouteBuilder api)
    {
        var group = api.Resource("/signoffs", "Decisions");
        group.MapGet("/", List)
            .RequireAuthorization(QcdcPolicies.Read)
            .Described("ListSignOffs", "Sign-offs and reopenings of ?period= over ?area= (default: yours) and of the areas above it, whose sign-offs lock it too, newest first",
                StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        group.MapPost("/", SignOff).CommitteeAct("SignOff",
            "Sign off an area's figures for a period (committee): its units' values and the targets that judge it are locked until reopened; a reason is required when units are incomplete");
        group.MapPost("/reopen", Reopen).CommitteeAct("ReopenSignOff", "Reopen a signed-off area and period, with a reason (committee)");
        return group;
    }

    public static async Task<Results<Ok<IReadOnlyList<SignOffView>>, ProblemHttpResult>> List(string? period, string? area, Caller caller, SignOffService signOffs,
        PeriodCalendar calendar, CancellationToken ct)
    {
        if (period is not null && !PeriodCode.TryParse(period, out _))
            return Caller.InvalidPeriod(period);
        DateOnly? on = PeriodCode.TryParse(period, out var code) ? calendar.Create(code).End : null;
        return await caller.AnswerAsync(area, on, async within => TypedResults.Ok(await WithAboveAsync(period, within, caller, signOffs, calendar, ct)), ct);
    }

    /// <summary>
    /// The sign-offs and reopenings of the area's subtree, and those of the areas above it on their period's last day (the
    /// province's sign-off locks its districts' values, as an import refused names them: its area's, those above), newest
    /// first. Those above are listed to read: who signed, when, and the run that is the area's signed result.
    /// </summary>
    private static async Task<IReadOnlyList<SignOffView>> WithAboveAsync(string? period, Area within, Caller caller, SignOffService signOffs, PeriodCalendar calendar,
        CancellationToken ct)
    {
        var tree = (await caller.ScopeAsync(ct)).Tree;
        var above = (await signOffs.ListAsync(period, null, ct)).Where(s => s.Area != within.Code && PeriodCode.TryParse(s.Period, out var of)
            && tree.PathOn(within.Id, calendar.Create(of).End).Skip(1).Any(a => a.Code == s.Area));
        return (await signOffs.ListAsync(period, within.Code, ct)).Concat(above).OrderByDescending(s => s.Id).ToList();
    }

    public static Task<Results<Ok<SignOffOutcome>, ProblemHttpResult>> SignOff(SignOffRequest request, Caller caller, SignOffService signOffs, PeriodCalendar calendar,
        CancellationToken ct) => RecordAsync(SignOffKind.SignOff, request, caller, signOffs, calendar, ct);

    public static Task<Results<Ok<SignOffOutcome>, ProblemHttpResult>> Reopen(SignOffRequest request, Caller caller, SignOffService signOffs, PeriodCalendar calendar,
        CancellationToken ct) => RecordAsync(SignOffKind.Reopen, request, caller, signOffs, calendar, ct);

    private static async Task<Results<Ok<SignOffOutcome>, ProblemHttpResult>> RecordAsync(SignOffKind kind, SignOffRequest request, Caller caller, SignOffService signOffs,
        PeriodCalendar calendar, CancellationToken ct)
    {
        if (!PeriodCode.TryParse(request.Period, out var code))
            return Caller.InvalidPeriod(request.Period);
        // What the request lacks is the request's fault, named as its field (the service's words are the command line's).
        var reason = ReasonText.Clean(request.Reason);
        if (reason?.Length > SignOffService.ReasonLimit)
            return Caller.Invalid("reason", $"reason is {reason.Length} characters long; a reason holds 1 to {SignOffService.ReasonLimit} characters");
        if (kind == SignOffKind.Reopen && reason is null)
            return Caller.Invalid("reason", $"a reason of 1 to {SignOffService.ReasonLimit} characters is required: why the committee reopens the signed figures");
        var (area, refusal) = await caller.AreaAsync(request.Area, calendar.Create(code).End, ct);
        if (area is null)
            return refusal!;

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
            // The service words the reason as the command line's option; here it is the request's field.
            return caller.Refused(StatusCodes.Status409Conflict, kind == SignOffKind.SignOff ? "Not signed off" : "Not reopened",
                e.Message.Replace("(--reason)", "(the request's \"reason\")", StringComparison.Ordinal), messageVi: e.SentenceVi);
        }
        catch (EvaluationRequestException e)
        {
            return Caller.Refusal(e);
        }
    }
}
