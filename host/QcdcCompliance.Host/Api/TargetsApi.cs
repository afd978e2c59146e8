using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Host.Security;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Host.Api;

public sealed record TargetDto(
    string Code, string? Rule, string? RuleDescription, IReadOnlyList<string> Indicators, string Population, string Operator, string Threshold, long? Minimum,
    MeasuredOver MeasuredOver, PeriodTypes Periods, Severity Severity, string TextVi, string? TextEn);

public sealed record TargetSetDto(
    string Code, string Title, string? Issuer, DateOnly IssuedOn, DateOnly? ValidFrom, DateOnly? ValidTo, string? Scope, JsonElement LegalBasis,
    string ContentHash, IReadOnlyList<TargetDto> Targets);

public sealed record RuleDto(string Code, string Class, string? Description);

/// <summary>
/// The rule-set version a run would record now: of the compiled rules and of the target sets in force (for
/// <see cref="Period"/> when one is asked, else of every set shown).
/// </summary>
public sealed record TargetCatalogueDto(string RulesAssemblyHash, string RuleSetVersion, string? Period, IReadOnlyList<TargetSetDto> Sets, IReadOnlyList<RuleDto> Rules);

/// <summary>The target sets (resolutions) with their targets, the rule classes that measure them, and the rule-set version.</summary>
public static class TargetsApi
{
    public static RouteGroupBuilder MapTargetsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/targets").WithTags("Targets").RequireAuthorization(QcdcPolicies.Reference);
        group.MapGet("/", GetTargets).WithName("GetTargets")
            .WithSummary("Target sets, their targets and rules, legal basis, and the current rule-set version (for ?period= when given)")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return group;
    }

    public static async Task<Results<Ok<TargetCatalogueDto>, ProblemHttpResult>> GetTargets(
        string? period, Caller caller, QcdcDbContext db, TargetRuleCatalogue catalogue, PeriodCalendar calendar, CancellationToken ct)
    {
        var scope = await caller.ScopeAsync(ct);
        var provinces = scope.Provinces.Select(id => scope.Tree[id].Code).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var sets = (await db.Resolutions.AsNoTracking().Include(r => r.Targets).ToListAsync(ct))
            .Where(r => r.ScopeAreaCode is null || provinces.Contains(r.ScopeAreaCode))
            .OrderBy(r => r.Code, StringComparer.Ordinal)
            .ToList();
        Period? asked = null;
        if (period is not null)
        {
            if (!PeriodCode.TryParse(period, out var code))
                return Caller.BadRequest($"'{period}' is not a period; write 2020 (year), 2020S1 or 2020S2 (half-years)");
            asked = calendar.Create(code);
            sets = sets.Where(r => r.AppliesTo(asked)).ToList();
        }

        var version = RuleSetVersion.Of(catalogue.AssemblyHash, sets.Select(r => r.ContentHash));
        var rules = catalogue.Targets.OrderBy(r => r.Code, StringComparer.Ordinal)
            .Select(r => new RuleDto(r.Code, r.GetType().Name, Description(r.GetType()))).ToList();
        return TypedResults.Ok(new TargetCatalogueDto(catalogue.AssemblyHash, version, asked?.Code, sets.Select(r => r.AsDto(catalogue)).ToList(), rules));
    }

    public static TargetSetDto AsDto(this Resolution r, TargetRuleCatalogue catalogue)
    {
        using var basis = JsonDocument.Parse(r.LegalBasisJson);
        return new TargetSetDto(r.Code, r.Title, r.Issuer, r.IssuedOn, r.ValidFrom, r.ValidTo, r.ScopeAreaCode, basis.RootElement.Clone(), r.ContentHash,
            r.Targets.OrderBy(t => t.Code, StringComparer.Ordinal).Select(t =>
            {
                var rule = catalogue.Find(t.Code)?.GetType();
                return new TargetDto(t.Code, rule?.Name, rule is null ? null : Description(rule), t.Indicators.Split(',', StringSplitOptions.RemoveEmptyEntries),
                    t.Population, t.Threshold.Symbol, Shares.FormatMillionths(t.Threshold.Millionths), t.Minimum, t.MeasuredOver, t.Periods, t.Severity, t.TextVi,
                    t.TextEn);
            }).ToList());
    }

    /// <summary>The rule's [Description] as written in its source (NRules keeps the value internal).</summary>
    private static string? Description(Type rule) =>
        rule.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(NRules.Fluent.Dsl.DescriptionAttribute))?.ConstructorArguments[0].Value as string;
}
