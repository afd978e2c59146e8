using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Host.Security;

/// <summary>The areas a principal may see and change: the subtree of the area it is bound to (over all time, merged areas included).</summary>
public sealed class CallerScope(AreaTree tree, Area root)
{
    private readonly HashSet<int> _areas = tree.Subtree(root.Id);
    private HashSet<int>? _provinces;

    public AreaTree Tree { get; } = tree;
    public Area Root { get; } = root;
    public IReadOnlySet<int> AreaIds => _areas;

    public bool Contains(int areaId) => _areas.Contains(areaId);

    /// <summary>The area with this code if the principal may see it; null for unknown and outside alike.</summary>
    public Area? Find(string code) => Tree.Find(code) is { } area && Contains(area.Id) ? area : null;

    /// <summary>The provinces whose runs concern the principal: those inside its subtree and those its area lies in.</summary>
    public IReadOnlySet<int> Provinces => _provinces ??= Tree.Areas
        .Where(a => a.Level == AreaLevel.Province && (Contains(a.Id) || Tree.Subtree(a.Id).Contains(Root.Id)))
        .Select(a => a.Id).ToHashSet();
}

/// <summary>
/// The principal of the current request as the endpoints use it: who (for logs and audit records), which role, and the
/// area subtree it is confined to. Asking for something outside that subtree is answered exactly like asking for
/// something that does not exist, and logged as a refusal.
/// </summary>
public sealed class Caller(IHttpContextAccessor http, IDbContextFactory<QcdcDbContext> contexts, ILogger<Caller> log)
{
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
        return _scope = new CallerScope(tree, root ?? throw new InvalidOperationException($"principal {Label} is bound to no known area"));
    }

    /// <summary>404 for something that does not exist.</summary>
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"{what} does not exist.");

    /// <summary>404 for something outside the principal's area, logged as a refusal; the answer is the same as for a thing that does not exist.</summary>
    public ProblemHttpResult Outside(string what)
    {
        log.LogWarning("Refused {Method} {Path} to {Principal}: {What} is outside its area", http.HttpContext?.Request.Method,
            http.HttpContext?.Request.Path.Value, Label, what);
        return NotFound(what);
    }

    /// <summary>403 decided by an endpoint (a rule finer than the role policy), logged as a refusal.</summary>
    public ProblemHttpResult Forbidden(string why)
    {
        log.LogWarning("Refused {Method} {Path} to {Principal}: {Why}", http.HttpContext?.Request.Method, http.HttpContext?.Request.Path.Value, Label, why);
        return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: why);
    }

    /// <summary>Logs a write with the principal.</summary>
    public void Wrote(string action, string detail) =>
        log.LogInformation("Write by {Principal}: {Action} {Detail}", Label, action, detail);

    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);
}
