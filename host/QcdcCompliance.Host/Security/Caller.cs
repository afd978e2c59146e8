using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using QcdcCompliance.Findings;

namespace QcdcCompliance.Host.Security;

/// <summary>
/// The areas a principal may see and change. An area is inside when, on a day that matters, its path (merged areas
/// followed to their successors) passes through the principal's area: on the day asked, on a period's last day (where
/// a unit sits for that period), or, for reads that name no period, on the last day of any known period or today. So
/// a link that held only between those days (a one-day re-parenting in the past) widens nobody's scope. A national
/// administrator sees every area.
/// </summary>
public sealed class CallerScope
{
    // What a root sees on a day follows from the tree alone; a tree is kept across requests (AreaTreeCache), so the
    // answers are kept with it (and go with it): walking a province's thousand areas up to their roots on every request
    // was most of what a request allocated.
    private static readonly ConditionalWeakTable<AreaTree, ConcurrentDictionary<(int Root, DateOnly Day), HashSet<int>>> Kept = new();

    private readonly IReadOnlyList<DateOnly> _days;
    private HashSet<int>? _areas;
    private HashSet<int>? _provinces;

    public CallerScope(AreaTree tree, Area root, bool national, IEnumerable<DateOnly> days)
    {
        Tree = tree;
        Root = root;
        National = national;
        _days = days.Distinct().Order().ToList();
    }

    public AreaTree Tree { get; }
    public Area Root { get; }

    /// <summary>A national administrator: bound to an area for its default views, but sees the whole country.</summary>
    public bool National { get; }

    /// <summary>Every area the principal may see in some period (or today).</summary>
    public IReadOnlySet<int> AreaIds => _areas ??= National ? Tree.Areas.Select(a => a.Id).ToHashSet() : Union();

    public bool Contains(int areaId) => AreaIds.Contains(areaId);

    /// <summary>Whether the area lies in the principal's subtree on the day (a period's last day for what a period reads).</summary>
    public bool ContainsOn(int areaId, DateOnly day) => AreasOn(day).Contains(areaId);

    /// <summary>
    /// The areas under the principal's area on the day, the area itself included while it exists: an area that has ended
    /// holds nothing on a day after its end (its units are its successor's then), however its keys ask.
    /// </summary>
    public IReadOnlySet<int> AreasOn(DateOnly day)
    {
        if (National)
            return AreaIds;
        return Kept.GetOrCreateValue(Tree).GetOrAdd((Root.Id, day), static (key, tree) =>
        {
            var inside = new HashSet<int>();
            foreach (var id in tree.Subtree(key.Root))
            {
                if (tree.PathOn(id, key.Day).Any(a => a.Id == key.Root))
                    inside.Add(id);
            }

            return inside;
        }, Tree);
    }

    /// <summary>
    /// The findings a run recorded that the principal sees: all of them when the run's province is inside its area;
    /// otherwise those whose subject lay in its area on the period's last day (<see cref="FindingPlaces"/>: a unit
    /// moved since counts where its run judged it), as its findings list takes them. The API's and the run page's counts.
    /// </summary>
    public async Task<IQueryable<Finding>> FindingsOfRunAsync(QcdcDbContext db, EvaluationRun run, DateOnly periodEnd, CancellationToken ct)
    {
        var recorded = db.Findings.AsNoTracking().Where(f => f.RunId == run.Id);
        return Contains(run.ScopeAreaId) ? recorded : (await FindingPlaces.OnAsync(db, periodEnd, ct)).In(recorded, AreasOn(periodEnd).ToList());
    }

    /// <summary>The area with this code if the principal may see it; null for unknown and outside alike.</summary>
    public Area? Find(string code) => Tree.Find(code) is { } area && Contains(area.Id) ? area : null;

    /// <summary>
    /// Whether the principal may name the area as a target set's scope: an area inside its own, or one its own lies in
    /// (its district, its province), on the days that matter. Any other is answered as an unknown one.
    /// </summary>
    public bool MayName(int areaId) => Contains(areaId) || _days.Any(d => Tree.PathOn(Root.Id, d).Any(p => p.Id == areaId));

    /// <summary>
    /// Whether the principal may know of a target set by its scope (null: national): a set that binds its area, from
    /// above or inside. A code defined only by another province's sets reads to it as unknown.
    /// </summary>
    public bool MayKnowSet(string? scopeCode) => National || scopeCode is null || (Tree.Find(scopeCode) is { } area && MayName(area.Id));

    /// <summary>The provinces whose runs concern the principal: those inside its area and those its area lies in (on the days that matter).</summary>
    public IReadOnlySet<int> Provinces => _provinces ??= Tree.Areas
        .Where(a => a.Level == AreaLevel.Province && (Contains(a.Id) || _days.Any(d => Tree.PathOn(Root.Id, d).Any(p => p.Id == a.Id))))
        .Select(a => a.Id).ToHashSet();

    private HashSet<int> Union()
    {
        var all = new HashSet<int> { Root.Id };
        foreach (var day in _days)
            all.UnionWith(AreasOn(day));
        return all;
    }
}

/// <summary>
/// The principal of the current request as the endpoints use it: who (for logs and audit records), which role, and the
/// area subtree it is confined to. Asking for something outside that subtree is answered exactly like asking for
/// something that does not exist, and logged as a refusal.
/// </summary>
public sealed class Caller(IHttpContextAccessor http, IDbContextFactory<QcdcDbContext> contexts, TimeProvider clock, PeriodCalendar calendar, ILogger<Caller> log)
{
    /// <summary>
    /// The last day of an asked period, on which a period's reads judge the area (where a unit sits for the period);
    /// null for a code that is no period, which the engine then refuses.
    /// </summary>
    public DateOnly? LastDayOf(string? period) => PeriodCode.TryParse(period, out var code) ? calendar.Create(code).End : null;

    private CallerScope? _scope;

    public ClaimsPrincipal User => http.HttpContext?.User ?? new ClaimsPrincipal();

    /// <summary>How the principal is named in logs and in the records it writes; never key material.</summary>
    public string Label => User.Describe();

    public Role? Role => User.RoleOf();

    public async Task<CallerScope> ScopeAsync(CancellationToken ct)
    {
        if (_scope is not null)
            return _scope;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var tree = await db.LoadAreaTreeAsync(ct);
        var root = User.AreaIdOf() is { } id ? tree.Find(id) : null;
        var days = await ScopeDaysAsync(db, clock, ct);
        return _scope = new CallerScope(tree, root ?? throw new InvalidOperationException($"principal {Label} is bound to no known area"), Role == Domain.Role.NationalAdmin, days);
    }

    /// <summary>The days a read that names no period is judged on: the last day of every known period, and today.</summary>
    public static async Task<List<DateOnly>> ScopeDaysAsync(QcdcDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var days = await db.Periods.AsNoTracking().Select(p => p.End).Distinct().ToListAsync(ct);
        days.Add(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        return days;
    }

    /// <summary>
    /// The area a request names (<paramref name="code"/>; the principal's own when none), or the one answer for an area
    /// unknown or outside the principal's subtree (on <paramref name="on"/>, the asked period's last day, when given).
    /// </summary>
    public async Task<(Area? Area, ProblemHttpResult? Refusal)> AreaAsync(string? code, DateOnly? on, CancellationToken ct)
    {
        var scope = await ScopeAsync(ct);
        if (code is null)
            return (scope.Root, null);
        if (scope.Tree.Find(code) is not { } asked)
            return (null, NotFound($"area {code}"));
        var inside = asked.Id == scope.Root.Id || (on is { } day ? scope.ContainsOn(asked.Id, day) : scope.Contains(asked.Id));
        return inside ? (asked, null) : (null, Outside($"area {code}"));
    }

    /// <summary>
    /// The answer of a request over the area it names (found as <see cref="AreaAsync"/> finds it): what
    /// <paramref name="answer"/> makes of the area; the one answer for an area unknown or outside; a 400 for a request
    /// the engine refuses (or what <paramref name="refused"/> makes of it).
    /// </summary>
    public async Task<Results<TOk, ProblemHttpResult>> AnswerAsync<TOk>(string? code, DateOnly? on, Func<Area, Task<TOk>> answer, CancellationToken ct,
        Func<EvaluationRequestException, ProblemHttpResult>? refused = null) where TOk : IResult
    {
        var (area, refusal) = await AreaAsync(code, on, ct);
        if (area is null)
            return refusal!;
        try
        {
            return await answer(area);
        }
        catch (EvaluationRequestException e)
        {
            return refused?.Invoke(e) ?? Refusal(e);
        }
    }

    /// <summary>
    /// 404 for something that does not exist or that the principal may not see: one answer for both, naming the thing
    /// as the client wrote it (never its canonical code, which would tell that it exists).
    /// </summary>
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"{what} is unknown or outside your area.");

    /// <summary>404 for something outside the principal's area, logged as a refusal; the answer is byte for byte the one for a thing that does not exist.</summary>
    public ProblemHttpResult Outside(string what)
    {
        log.LogWarning("Refused {Method} {Path} to {Principal}: {What} is outside its area", http.HttpContext?.Request.Method,
            LogText.Escape(http.HttpContext?.Request.Path.Value), Label, LogText.Escape(what));
        return NotFound(what);
    }

    /// <summary>403 decided by an endpoint (a rule finer than the role policy), logged as a refusal.</summary>
    public ProblemHttpResult Forbidden(string why)
    {
        log.LogWarning("Refused {Method} {Path} to {Principal}: {Why}", http.HttpContext?.Request.Method, LogText.Escape(http.HttpContext?.Request.Path.Value), Label, LogText.Escape(why));
        return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: why);
    }

    /// <summary>A refusal with its own status (413, 429), logged as one; with the same in Vietnamese (<c>messageVi</c>, a sentence) where the engine words it.</summary>
    public ProblemHttpResult Refused(int status, string title, string detail, string? messageVi = null)
    {
        log.LogWarning("Refused {Method} {Path} to {Principal}: {Status} {Why}", http.HttpContext?.Request.Method, LogText.Escape(http.HttpContext?.Request.Path.Value), Label,
            status, LogText.Escape(detail));
        return TypedResults.Problem(statusCode: status, title: title, detail: detail,
            extensions: messageVi is null ? null : new Dictionary<string, object?> { [Api.ProblemLanguage.MessageVi] = messageVi });
    }

    /// <summary>Logs a write with the principal.</summary>
    public void Wrote(string action, string detail) =>
        log.LogInformation("Write by {Principal}: {Action} {Detail}", Label, action, LogText.Escape(detail));

    /// <summary>
    /// 400 as a ValidationProblem naming the parameter or field (<c>errors</c>), the shape ASP.NET Core's validation gives
    /// the checks it makes, for the ones an endpoint makes itself.
    /// </summary>
    public static ProblemHttpResult Invalid(string parameter, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [parameter] = [message] })
        {
            Status = StatusCodes.Status400BadRequest, Title = "One or more validation errors occurred.", Detail = message,
        });

    /// <summary>How a period code is written, as a 400 says it.</summary>
    public const string PeriodHint = "write 2020 (year), 2020S1 or 2020S2 (half-years)";

    /// <summary>What a 400 says of a period code that is not one.</summary>
    public static string NotAPeriod(string? text) => $"'{text}' is not a period; {PeriodHint}";

    /// <summary>A period code that is not one: the same 400 at every endpoint.</summary>
    public static ProblemHttpResult InvalidPeriod(string? text) =>
        Invalid("period", string.IsNullOrWhiteSpace(text) ? "period is required (e.g. ?period=2020S1)" : NotAPeriod(text));

    /// <summary>A well-formed period with no run stored: nothing to read, and nothing to hide (periods are the same everywhere).</summary>
    public static ProblemHttpResult NotEvaluated(string code) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"period {code} has not been evaluated; there is nothing to read yet.");

    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);

    /// <summary>
    /// The 400 of a request the engine refuses, in its words (and in Vietnamese where it words them, or where the import's
    /// wording knows the message: a period not begun, refused by the completeness and the template as an import refuses
    /// it); a target code no set of the principal's defines names the parameter and where the codes are listed.
    /// </summary>
    public static ProblemHttpResult Refusal(EvaluationRequestException e) => e is UnknownTargetException unknown
        ? Invalid("target", $"unknown target '{unknown.Code}': no target set that binds your area has it; GET /api/targets lists their codes")
            .InVietnamese($"không có chỉ tiêu '{unknown.Code}' trong các bộ chỉ tiêu áp dụng cho địa bàn của bạn; GET /api/targets liệt kê mã các chỉ tiêu")
        : BadRequest(e.Message).InVietnamese(e.MessageVi ?? WordedByImports(e.Message));

    private static string? WordedByImports(string message) => QcdcCompliance.Reports.ImportWording.Vietnamese(message) is var vi && vi != message ? vi : null;
}
