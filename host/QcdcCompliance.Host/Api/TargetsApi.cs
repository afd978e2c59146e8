using System.Text.Json;
using QcdcCompliance.Evaluation;

namespace QcdcCompliance.Host.Api;

/// <summary>
/// One setting of a target, in force from <see cref="ValidFrom"/> to <see cref="ValidTo"/> (null: the set's own
/// validity); <see cref="Source"/> says whether a law, the resolution or only the committee sets it.
/// </summary>
public sealed record TargetDto(
    string Code, string Rule, string? RuleDescription, string? NameVi, string? NameEn, IReadOnlyList<string> Tags, IReadOnlyList<string> Indicators,
    string Population, string Operator, string Threshold, long? Minimum, string? Coverage, MeasuredOver MeasuredOver, PeriodTypes Periods, Severity Severity,
    SettingSource Source, string? Basis, DateOnly? ValidFrom, DateOnly? ValidTo, string TextVi, string? TextEn);

/// <summary>
/// A target set with the area it binds (<c>national</c> for a law of the country) and the reporting duties it adds;
/// <see cref="Number"/> is the document's number as its title writes it ("11-QĐi/TW"), <see cref="Code"/> the code stored for matching.
/// </summary>
public sealed record TargetSetDto(
    string Code, string Number, string Title, string? ShortTitle, string? Issuer, DateOnly IssuedOn, DateOnly? ValidFrom, DateOnly? ValidTo, string Scope,
    bool FollowsSuccessors, JsonElement LegalBasis, JsonElement Duties, string ContentHash, IReadOnlyList<TargetDto> Targets);

/// <summary>A rule a target can name: its class, its description, and what it always reads (none for a shape, which reads its target's).</summary>
public sealed record RuleDto(string Name, string Class, string? Description, IReadOnlyList<string>? Reads);

/// <summary>
/// The rule-set version a run would record now: of the compiled rules and of the target sets in force (for
/// <see cref="Period"/> when one is asked, else of every set shown).
/// </summary>
public sealed record TargetCatalogueDto(string RulesAssemblyHash, string RuleSetVersion, string? Period, IReadOnlyList<TargetSetDto> Sets, IReadOnlyList<RuleDto> Rules);

/// <summary>
/// The target sets (resolutions) that bind the caller's areas, with their targets, the rules that measure them and the
/// rule-set version; for <c>?period=</c>, only the sets and settings in force then (the one in force on its last day).
/// </summary>
public static class TargetsApi
{
    public static RouteGroupBuilder MapTargetsApi(this IEndpointRouteBuilder api)
    {
        var group = api.Resource("/targets", "Targets", QcdcPolicies.Reference);
        group.MapGet("/", GetTargets)
            .Described("GetTargets", "Target sets, their targets and rules, legal basis, and the current rule-set version (for ?period= when given)",
                StatusCodes.Status400BadRequest);
        return group;
    }

    public static async Task<Results<Ok<TargetCatalogueDto>, ProblemHttpResult>> GetTargets(
        string? period, Caller caller, QcdcDbContext db, TargetRuleCatalogue catalogue, PeriodCalendar calendar, CancellationToken ct)
    {
        var scope = await caller.ScopeAsync(ct);
        var provinces = scope.Provinces.Select(id => scope.Tree.Subtree(id)).ToList();
        var sets = (await db.Resolutions.AsNoTracking().Include(r => r.Targets).ToListAsync(ct))
            .Where(r => r.IsNational || (scope.Tree.Find(r.ScopeAreaCode!) is { } area && provinces.Any(p => p.Contains(area.Id))))
            .OrderBy(r => r.Code, StringComparer.Ordinal).ThenBy(r => r.ScopeAreaCode, StringComparer.Ordinal)
            .ToList();
        Period? asked = null;
        if (period is not null)
        {
            if (!PeriodCode.TryParse(period, out var code))
                return Caller.InvalidPeriod(period);
            asked = calendar.Create(code);
            sets = sets.Where(r => r.AppliesTo(asked)).ToList();
        }

        var version = RuleSetVersion.Of(catalogue.AssemblyHash, sets.Select(r => r.ContentHash + "@" + (r.ScopeAreaCode ?? "national")));
        var rules = catalogue.Rules.OrderBy(r => r.RuleName, StringComparer.Ordinal)
            .Select(r => new RuleDto(r.RuleName, r.GetType().Name, Description(r.GetType()), r.FixedReads?.Select(i => i.Code).ToList())).ToList();
        return TypedResults.Ok(new TargetCatalogueDto(catalogue.AssemblyHash, version, asked?.Code, sets.Select(r => r.AsDto(catalogue, asked)).ToList(), rules));
    }

    public static TargetSetDto AsDto(this Resolution r, TargetRuleCatalogue catalogue, Period? inForceFor = null)
    {
        using var basis = JsonDocument.Parse(r.LegalBasisJson);
        using var duties = JsonDocument.Parse(r.DutiesJson);
        return new TargetSetDto(r.Code, r.Number, r.Title, r.ShortTitle, r.Issuer, r.IssuedOn, r.ValidFrom, r.ValidTo, r.ScopeAreaCode ?? "national", r.FollowsSuccessors,
            basis.RootElement.Clone(), duties.RootElement.Clone(), r.ContentHash,
            r.Targets.Where(t => inForceFor is null || t.InForceFor(inForceFor))
                .OrderBy(t => t.Code, StringComparer.Ordinal).ThenBy(t => t.ValidFrom).Select(t =>
                {
                    var rule = catalogue.Find(t.RuleName)?.GetType();
                    return new TargetDto(t.Code, t.RuleName, rule is null ? null : Description(rule), t.NameVi, t.NameEn, t.TagList.ToList(),
                        t.Indicators.Split(',', StringSplitOptions.RemoveEmptyEntries), t.Population, t.Threshold.Symbol, Shares.FormatMillionths(t.Threshold.Millionths),
                        t.Minimum, t.CoverageMillionths is { } c ? Shares.FormatMillionths(c) : null, t.MeasuredOver, t.Periods, t.Severity, t.Source, t.Basis,
                        t.ValidFrom, t.ValidTo, t.TextVi, t.TextEn);
                }).ToList());
    }

    /// <summary>The rule's [Description] as written in its source (NRules keeps the value internal).</summary>
    private static string? Description(Type rule) =>
        rule.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(NRules.Fluent.Dsl.DescriptionAttribute))?.ConstructorArguments[0].Value as string;
}
