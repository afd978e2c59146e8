namespace QcdcCompliance.Host.Dashboard;

/// <summary>
/// The part of the administrative tree a principal may see: the area its claims bind it to and everything that was
/// ever below it. Every page asks here before it reads an area, a unit or a run.
/// </summary>
public sealed class DashboardScope
{
    private readonly HashSet<int> _visible;
    private readonly CallerScope _scope;

    private readonly PeriodCalendar _calendar;

    private DashboardScope(CallerScope scope, PeriodCalendar calendar)
    {
        Tree = scope.Tree;
        Root = scope.Root;
        _scope = scope;
        _calendar = calendar;
        _visible = scope.AreaIds.ToHashSet();
    }

    public AreaTree Tree { get; }

    /// <summary>The principal's own area: the default of every page.</summary>
    public Area Root { get; }

    public bool Sees(int areaId) => _visible.Contains(areaId);

    public IReadOnlySet<int> Visible => _visible;

    /// <summary>Whether the area lies in the principal's subtree on the day (a period's last day for what a period reads).</summary>
    public bool SeesOn(int areaId, DateOnly day) => _scope.ContainsOn(areaId, day);

    /// <summary>The findings a run recorded that the principal sees, as the API counts them (<see cref="CallerScope.FindingsOfRunAsync"/>).</summary>
    public Task<IQueryable<Finding>> FindingsOfRunAsync(QcdcDbContext db, EvaluationRun run, DateOnly periodEnd, CancellationToken ct) =>
        _scope.FindingsOfRunAsync(db, run, periodEnd, ct);

    /// <summary>Whether the principal may name the area as a target set's scope (as the API: <see cref="CallerScope.MayName"/>).</summary>
    public bool MayName(int areaId) => _scope.MayName(areaId);

    /// <summary>The requested area if the principal may see it; the principal's own area when none is asked for.</summary>
    public Area? Resolve(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
            return Root;
        return Tree.Find(code) is { } area && Sees(area.Id) ? area : null;
    }

    /// <summary>
    /// The requested area if the principal may see it for the period: judged on the period's last day, where a unit
    /// sits for the period, as the API judges it (the committee of a commune made in 2025 does not see, sign off or
    /// reopen 2019 of a commune merged into it). Without a period, or with a code that is none, as <see cref="Resolve(string?)"/>.
    /// </summary>
    public Area? Resolve(string? code, string? period)
    {
        if (!PeriodCode.TryParse(period, out var asked) || Resolve(code) is not { } area)
            return Resolve(code);
        return area.Id == Root.Id || SeesOn(area.Id, _calendar.Create(asked).End) ? area : null;
    }

    /// <summary>The province the principal's area sits in today (or its last province): the scope of its runs.</summary>
    public Area Province(DateOnly day)
    {
        var path = Tree.PathOn(Root.Id, day);
        if (path.Count > 0)
            return path[^1];
        var last = Tree.PathOn(Root.Id, Root.ValidTo ?? day);
        return last.Count > 0 ? last[^1] : Root;
    }

    /// <summary>Null when the principal carries no area the database knows: such a principal sees nothing.</summary>
    public static async Task<DashboardScope?> ForAsync(HttpContext http, IDbContextFactory<QcdcDbContext> contexts, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var tree = await db.LoadAreaTreeAsync(ct);
        var root = http.User.AreaIdOf() is { } id ? tree.Find(id) : http.User.AreaCodeOf() is { } code ? tree.Find(code) : null;
        if (root is null)
            return null;
        // The same areas as the API's (CallerScope): judged on the last day of each known period and today.
        var days = await Caller.ScopeDaysAsync(db, http.RequestServices.GetRequiredService<TimeProvider>(), ct);
        var scope = new CallerScope(tree, root, http.User.RoleOf() == Role.NationalAdmin, days);
        return new DashboardScope(scope, http.RequestServices.GetRequiredService<PeriodCalendar>());
    }
}
