using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using QcdcCompliance.Audit;
using QcdcCompliance.Findings;
using QcdcCompliance.Reports;

namespace QcdcCompliance.Host.Api;

/// <summary>
/// A finding in a list: what it is about, its state, and what it measured (<see cref="Measurement"/>, the engine's own
/// shape). A resolved finding says why (<see cref="Resolution"/>): <c>UnitClosed</c>, with the unit's last active day in
/// <see cref="UnitClosedOn"/>, when it left the population rather than being put right; <c>NoLongerEvaluated</c> when its
/// target no longer judges the subject (dropped, re-dated, or moved to another area's set); <c>LeftPopulation</c> when the
/// run that resolved it did not measure the unit, which left the target's population (moved out of the province, changed
/// kind, lost its trade union), with why in <see cref="LeftBecause"/> where the finding is read with its evidence (one
/// finding, not a list). Nothing was put right in any of those; <c>Remedied</c> says it was.
/// </summary>
public sealed record FindingDto(
    long Id, string Period, string Target, SubjectType SubjectType, string SubjectCode, string SubjectName, FindingState State, Severity Severity,
    string Measured, string Threshold, Measurement Measurement, long RunId, long FirstRunId, FindingResolution? Resolution = null, DateOnly? UnitClosedOn = null,
    NotMeasuredBecause? LeftBecause = null);

/// <summary>One page of findings; <see cref="Next"/> is the cursor of the following page, null on the last.</summary>
public sealed record FindingPage(IReadOnlyList<FindingDto> Items, string? Next, int Limit);

public sealed record FindingActionDto(long Id, long FindingId, FindingActionKind Kind, string Reason, string By, DateTime At, long ChainSequence, string Hash);

/// <summary>
/// A finding's row with its evidence, explanation and actions. Its <c>state</c> is as of its own run once a later run
/// superseded it (<see cref="SupersededByRunId"/>), and <see cref="SupersededBy"/> is the row that run wrote (what became
/// of it: resolved, rewritten or reopened); a resolving row's evidence holds what its run read, and
/// <see cref="Supersedes"/> is the row of the shortfall it closed.
/// </summary>
public sealed record FindingDetailDto(
    FindingDto Finding, string Scope, string RuleSetVersion, long? SupersededByRunId, JsonElement Evidence, string Explanation,
    IReadOnlyList<FindingActionDto> Actions, FindingDto? Supersedes = null, FindingDto? SupersededBy = null);

public sealed record FindingActionRequest(string? Reason);

/// <summary>
/// Current findings paged by key, or as the CLI's CSV; one finding with its evidence; and the committee's
/// acknowledgements and waivers, recorded as chained actions that never edit the finding.
/// </summary>
public static class FindingsApi
{
    public const int DefaultLimit = Paging.DefaultLimit;

    public static RouteGroupBuilder MapFindingsApi(this IEndpointRouteBuilder api)
    {
        var group = api.Resource("/findings", "Findings", QcdcPolicies.Read);
        group.MapGet("/", GetFindings)
            .WithMetadata(new ParameterValues("state", Enum.GetNames<FindingState>()), new ParameterValues("severity", Enum.GetNames<Severity>()),
                new ParameterValues("format", Formats))
            .Described("GetFindings",
                "Current findings of a period, sorted by target then subject, paged by cursor (?cursor= from 'next'); Accept: text/csv for every row as CSV. "
                + "With ?run= (a run's id, as /api/runs and a sign-off's runId give it; the period may then be left out): the findings as that run left them, its new, continuing and resolved rows",
                StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        // The ids bind in the handler, not by a route constraint: /api/findings/abc is then a 400 naming id, not a 404.
        group.MapGet("/{id}", GetFinding)
            .Described("GetFinding", "A finding with its evidence, explanation and actions", StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        group.MapPost("/{id}/acknowledge", Acknowledge).CommitteeAct("AcknowledgeFinding", "Acknowledge a finding, with a reason (committee)");
        group.MapPost("/{id}/waive", Waive).CommitteeAct("WaiveFinding", "Waive a finding, with a reason (committee)");
        return group;
    }

    /// <summary>What <c>?format=</c> takes: the page as JSON (as without it), or every row as CSV (as <c>Accept: text/csv</c>).</summary>
    private static readonly string[] Formats = ["json", "csv"];

    /// <summary>What a 400 says of a <c>?run=</c> that is not a run's id.</summary>
    public const string RunTakes = "run is a run's id, a whole number from 1 (as /api/runs and a sign-off's runId give it)";

    /// <remarks>
    /// The period and area are <see cref="PeriodAreaQuery"/>'s, checked alike, except that the period may be left out when
    /// <paramref name="run"/> names the run (its period is the run's).
    /// </remarks>
    public static async Task<Results<Ok<FindingPage>, FindingsCsvResult, ProblemHttpResult>> GetFindings(
        [PeriodCode] string? period, [StringLength(64, ErrorMessage = "area is an area code of at most 64 characters")] string? area,
        [Range(1, long.MaxValue, ErrorMessage = RunTakes)] long? run,
        string? target, string? unit, string? state, string? severity, string? cursor, [Range(1, Paging.MaxLimit, ErrorMessage = Paging.LimitRange)] int? limit, string? format,
        HttpRequest request, Caller caller, QcdcDbContext db, FindingQueries queries, CancellationToken ct)
    {
        if (period is null && run is null)
            return Caller.InvalidPeriod(period);
        if (!TryParse<FindingState>(state, out var stateFilter))
            return Caller.Invalid("state", $"state '{state}' is not one of {OneOf<FindingState>("or")} (or leave it out for every state)")
                .InVietnamese($"state '{state}' không phải một trong {OneOf<FindingState>("hoặc")} (bỏ state để xem mọi trạng thái)");
        if (!TryParse<Severity>(severity, out var severityFilter))
            return Caller.Invalid("severity", $"severity '{severity}' is not one of {OneOf<Severity>("or")} (or leave it out for every severity)")
                .InVietnamese($"severity '{severity}' không phải một trong {OneOf<Severity>("hoặc")} (bỏ severity để xem mọi mức)");
        if (!string.IsNullOrWhiteSpace(format) && !Formats.Contains(format, StringComparer.OrdinalIgnoreCase))
            return Caller.Invalid("format", $"format '{format}' is not json or csv (or leave it out, and send Accept: text/csv for the CSV)")
                .InVietnamese($"format '{format}' không phải json hoặc csv (hoặc bỏ format, và gửi Accept: text/csv để nhận CSV)");
        if (Paging.Refusal<FindingCursor>(limit, cursor, FindingCursor.TryDecode, out var pageSize, out var after) is { } badPage)
            return badPage;

        var scope = await caller.ScopeAsync(ct);
        string code;
        if (run is { } runId)
        {
            var (ofRun, runRefusal) = await RunPeriodAsync(runId, period, caller, db, ct);
            if (ofRun is null)
                return runRefusal!;
            code = ofRun;
        }
        else
        {
            code = period!.Trim().ToUpperInvariant();
        }

        var periodEnd = await db.Periods.AsNoTracking().Where(p => p.Code == code).Select(p => (DateOnly?)p.End).SingleOrDefaultAsync(ct);
        if (periodEnd is not { } end)
            return Caller.NotEvaluated(code);

        // Where a unit sits for a period is decided on its last day; so is what the principal sees of it.
        var (within, refusal) = await caller.AreaAsync(area, end, ct);
        if (within is null)
            return refusal!;

        var filter = new FindingFilter(code) { Target = target, State = stateFilter, Severity = severityFilter, MayKnowSet = scope.MayKnowSet, Run = run };
        if (unit is not null)
        {
            var (visible, unitRefusal) = await UnitsApi.VisibleUnitAsync(unit, caller, db, ct);
            if (visible is null)
                return unitRefusal!;
            filter = filter with { Unit = visible.Code };
        }

        IQueryable<Finding> query;
        try
        {
            query = Within(await queries.CurrentAsync(db, filter, ct), await FindingPlaces.OnAsync(db, end, ct), scope, within, everyRow: WantsCsv(request, format));
        }
        catch (EvaluationRequestException e)
        {
            return Caller.Refusal(e);
        }

        if (WantsCsv(request, format))
            return new FindingsCsvResult(db, query, run is { } of ? $"findings-{code}-run-{of}.csv" : $"findings-{code}.csv", run);

        var rows = await (after is { } c ? c.After(query, db) : query).WithoutEvidence().Take(pageSize + 1).ToListAsync(ct);
        var page = rows.Take(pageSize).ToList();
        var views = await FindingQueries.ViewsAsync(db, page, ct, run);
        return TypedResults.Ok(new FindingPage(views.Select(v => v.AsDto()).ToList(), rows.Count > pageSize ? FindingCursor.Of(page[^1]).Encode() : null, pageSize));
    }

    public static async Task<Results<Ok<FindingDetailDto>, ProblemHttpResult>> GetFinding(long id, Caller caller, QcdcDbContext db, CancellationToken ct)
    {
        var (row, refusal) = await VisibleFindingAsync(id, caller, db, ct);
        if (row is null)
            return refusal!;
        var view = (await FindingQueries.ViewsAsync(db, [row], ct))[0];
        var version = await db.EvaluationRuns.AsNoTracking().Where(r => r.Id == row.RunId).Select(r => r.RuleSetVersion).SingleAsync(ct);
        var scope = await caller.ScopeAsync(ct);

        // Actions stay with the finding across the versions a later run recorded of it (same period, scope, target and subject).
        var versions = db.Findings.Where(f => f.PeriodId == row.PeriodId && f.ScopeAreaId == row.ScopeAreaId && f.TargetCode == row.TargetCode
                                              && f.SubjectType == row.SubjectType && f.SubjectId == row.SubjectId).Select(f => f.Id);
        var actions = await db.FindingActions.AsNoTracking().Where(a => versions.Contains(a.FindingId)).OrderBy(a => a.ChainSequence).ToListAsync(ct);
        var links = await FindingQueries.LinksAsync(db, row, ct);
        using var evidence = JsonDocument.Parse(row.Evidence);
        return TypedResults.Ok(new FindingDetailDto(view.AsDto(), scope.Tree[row.ScopeAreaId].Code, version, row.SupersededByRunId, evidence.RootElement.Clone(),
            FindingExplanation.RenderJudged(view, await StoredSetVersions.LoadAsync(db, ct), links),
            actions.Select(a => a.AsDto()).ToList(), links.Previous?.AsDto(), links.Next?.AsDto()));
    }

    public static Task<Results<Ok<FindingActionDto>, ValidationProblem, ProblemHttpResult>> Acknowledge(
        long id, FindingActionRequest? body, Caller caller, QcdcDbContext db, FindingActionRecorder recorder, CancellationToken ct) =>
        ActAsync(FindingActionKind.Acknowledge, id, body, caller, db, recorder, ct);

    public static Task<Results<Ok<FindingActionDto>, ValidationProblem, ProblemHttpResult>> Waive(
        long id, FindingActionRequest? body, Caller caller, QcdcDbContext db, FindingActionRecorder recorder, CancellationToken ct) =>
        ActAsync(FindingActionKind.Waive, id, body, caller, db, recorder, ct);

    private static async Task<Results<Ok<FindingActionDto>, ValidationProblem, ProblemHttpResult>> ActAsync(
        FindingActionKind kind, long id, FindingActionRequest? body, Caller caller, QcdcDbContext db, FindingActionRecorder recorder, CancellationToken ct)
    {
        var (row, refusal) = await VisibleFindingAsync(id, caller, db, ct);
        if (row is null)
            return refusal!;
        var reason = ReasonText.Clean(body?.Reason);
        if (reason is null || reason.Length > FindingActionRecorder.ReasonLimit)
        {
            return Caller.Invalid("reason",
                    $"a reason of 1 to {FindingActionRecorder.ReasonLimit} characters is required: why the committee {(kind == FindingActionKind.Waive ? "waives" : "acknowledges")} this finding")
                .InVietnamese($"cần lý do dài 1 đến {FindingActionRecorder.ReasonLimit} ký tự: vì sao Ban Chỉ đạo {(kind == FindingActionKind.Waive ? "miễn trừ" : "ghi nhận")} phát hiện này");
        }

        try
        {
            var action = await recorder.RecordAsync(id, kind, reason, caller.Label, ct);
            caller.Wrote(kind == FindingActionKind.Waive ? "waived finding" : "acknowledged finding", $"#{id} ({row.TargetCode} {row.SubjectCode}) as chain link {action.ChainSequence}");
            return TypedResults.Ok(action.AsDto());
        }
        catch (FindingActionRefusedException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not a current finding", detail: e.Message);
        }
    }

    /// <summary>
    /// The period of a run the principal may read (one of its province's, as <c>/api/runs/{id}</c> answers it), or the
    /// refusal: 404 for a run unknown or outside, 409 for one that recorded nothing (failed, or still running), 400 for a
    /// period given that is not the run's.
    /// </summary>
    private static async Task<(string? Period, ProblemHttpResult? Refusal)> RunPeriodAsync(long id, string? period, Caller caller, QcdcDbContext db, CancellationToken ct)
    {
        if (await FindingQueries.RunAsOfAsync(db, id, ct) is not { } run)
            return (null, Caller.NotFound($"run {id}"));
        var scope = await caller.ScopeAsync(ct);
        if (!scope.Provinces.Contains(run.ScopeAreaId))
            return (null, caller.Outside($"run {id}"));
        // In the engine's words, English and Vietnamese, as the command line says them (FindingsVerb).
        if (run.NotOf(period, "period") is { } notOf)
            return (null, Caller.Invalid("run", notOf.Message).InVietnamese(notOf.MessageVi));
        if (run.RecordedNothing is { } nothing)
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not a completed run", detail: nothing.Message).InVietnamese(nothing.MessageVi));
        return (run.Period, null);
    }

    /// <summary>
    /// The finding if it exists and the principal's list of its period holds it (<see cref="Within"/>: a unit's finding
    /// lies where the unit sat on the period's last day, not where it sits now); else the 404 to answer.
    /// </summary>
    private static async Task<(Finding? Row, ProblemHttpResult? Refusal)> VisibleFindingAsync(long id, Caller caller, QcdcDbContext db, CancellationToken ct)
    {
        var row = await db.Findings.AsNoTracking().SingleOrDefaultAsync(f => f.Id == id, ct);
        if (row is null)
            return (null, Caller.NotFound($"finding {id}"));
        var end = await db.Periods.AsNoTracking().Where(p => p.Id == row.PeriodId).Select(p => p.End).SingleAsync(ct);
        var listed = await (await VisibleAsync(db.Findings.Where(f => f.Id == id), end, caller, db, ct)).AnyAsync(ct);
        return listed ? (row, null) : (null, caller.Outside($"finding {id}"));
    }

    /// <summary>
    /// The findings of a period (ending on <paramref name="periodEnd"/>) the principal may read, one rule for its lists, one
    /// finding and a unit's findings: those of a province its area holds (the run's scope), and those whose subject lies in
    /// its area (<see cref="FindingPlaces"/>: a unit where it sat on the period's last day, or where it last sat in the
    /// finding's province when it had left that province by then).
    /// </summary>
    internal static async Task<IQueryable<Finding>> VisibleAsync(IQueryable<Finding> query, DateOnly periodEnd, Caller caller, QcdcDbContext db, CancellationToken ct)
    {
        var scope = await caller.ScopeAsync(ct);
        return Within(query, await FindingPlaces.OnAsync(db, periodEnd, ct), scope, scope.Root);
    }

    /// <summary>
    /// Findings whose subject lies in the area's subtree on the period's last day (<see cref="FindingPlaces"/>: a unit
    /// where it sat then). For a province that is every finding of its scope (and of the provinces merged into it), which
    /// the database answers from the finding's own scope column.
    /// </summary>
    /// <param name="everyRow">
    /// Every row is wanted (the CSV), not a page: below a province the areas' rows and the units' rows are then asked
    /// for apart and sorted together, so that the database reads the area's units first and their findings by the
    /// subject index (a district of a 1,000,000-unit country on PostgreSQL: 90-115 ms instead of 380-425 ms reading
    /// the period's whole index in list order). A page keeps the one filter: read in list order, its first 101 rows
    /// come long before the end (8-20 ms).
    /// </param>
    private static IQueryable<Finding> Within(IQueryable<Finding> query, FindingPlaces places, CallerScope scope, Area area, bool everyRow = false)
    {
        var visible = scope.AreasOn(places.Day);
        var ids = (area.Id == scope.Root.Id ? visible : scope.Tree.Subtree(area.Id).Where(visible.Contains)).ToList();
        if (area.Level == AreaLevel.Province && (scope.National || area.Id == scope.Root.Id))
        {
            var provinces = ids.Where(id => scope.Tree[id].Level == AreaLevel.Province).ToList();
            return query.Where(f => provinces.Contains(f.ScopeAreaId));
        }

        if (everyRow)
            return FindingPlaces.OfAreasIn(query, ids).Concat(places.OfUnitsIn(query, ids)).InListOrder();
        return places.In(query, ids);
    }

    /// <summary>The rows as a list shows them: the evidence (the bulk of a row) is left in the database until one finding is asked for.</summary>
    private static bool WantsCsv(HttpRequest request, string? format) =>
        string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
        || request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(FindingsCsvResult.ContentType, StringComparison.OrdinalIgnoreCase));

    /// <summary>The values of a filter as a refusal lists them: <c>Low, Medium or High</c>.</summary>
    private static string OneOf<T>(string or) where T : struct, Enum => $"{string.Join(", ", Enum.GetNames<T>()[..^1])} {or} {Enum.GetNames<T>()[^1]}";

    private static bool TryParse<T>(string? text, out T? value) where T : struct, Enum
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
            return true;
        if (!Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(text, out _))
            return false;
        value = parsed;
        return true;
    }

    public static FindingDto AsDto(this FindingView f) => new(f.Id, f.Period, f.TargetCode, f.SubjectType, f.SubjectCode, f.SubjectName, f.State, f.Severity,
        FindingCsv.Measured(f), FindingCsv.Threshold(f), f.Measurement, f.RunId, f.FirstRunId, f.Resolution, f.UnitClosedOn, f.LeftBecause);

    public static FindingActionDto AsDto(this FindingAction a) => new(a.Id, a.FindingId, a.Kind, a.Reason, a.By, a.At, a.ChainSequence, a.Hash);
}
