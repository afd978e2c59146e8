using System.Globalization;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Import;
using QcdcCompliance.Rules;

namespace QcdcCompliance.Host.Cli;

/// <summary>
/// The indicator catalogue and who reports each indicator: the kinds that may (the catalogue), who must (the targets
/// that read it and the reporting regime's duties, where and when they bind) and for whom it is optional. The target
/// sets are the shipped ones, or those stored in the database when one is named.
/// </summary>
public static class IndicatorsVerb
{
    /// <summary>One reason a population must report an indicator: a target that reads it, or a duty of the regime.</summary>
    public sealed record Requirement(Indicator Indicator, Population Who, PeriodTypes Periods, string Where, DateOnly? From, DateOnly? To, string By);

    public static Command Create()
    {
        var period = new Option<string?>("--period") { Description = "Only the settings in force for this period (2020S1, 2026); without it every setting, with its dates" };
        var command = new Command("indicators",
            "The indicator catalogue and who reports each indicator: who may, who must (the targets that read it, the reporting regime) and for whom it is optional. "
            + "Reads the shipped target sets, or the stored ones when --db or --provider (or QCDC_DB) names a database.")
        {
            period,
        };
        command.SetAction(async (parse, ct) =>
        {
            var stored = parse.GetResult(CliServices.Database) is not null || parse.GetResult(CliServices.Provider) is not null
                         || Environment.GetEnvironmentVariable("QCDC_DB") is { Length: > 0 };
            var asked = parse.GetValue(period);
            PeriodCode? code = null;
            if (asked is not null)
            {
                code = PeriodCode.TryParse(asked, out var parsed)
                    ? parsed
                    : throw new Settings.CliException($"'{asked}' is not a period; {PeriodCode.Hint}");
            }

            await using var services = CliServices.Create(parse, readsExistingDatabase: stored);
            var catalogue = services.GetRequiredService<TargetRuleCatalogue>();
            var inForce = code is { } c ? services.GetRequiredService<PeriodCalendar>().Create(c) : null;
            List<Resolution> sets;
            string source;
            if (stored)
            {
                var storage = services.GetRequiredService<StorageOptions>();
                await using var db = await services.GetRequiredService<IDbContextFactory<QcdcDbContext>>().CreateDbContextAsync(ct);
                sets = await db.Resolutions.AsNoTracking().Include(r => r.Targets).ToListAsync(ct);
                source = $"the {sets.Count} sets stored in {MigrateVerb.Describe(storage)}";
            }
            else
            {
                sets = ShippedSets(catalogue);
                source = "the shipped sets (rules/QcdcCompliance.Rules/TargetSets; --db for those of a database)";
            }

            Console.Write(Describe(Requirements(sets, catalogue, inForce), source, inForce));
            return 0;
        });
        return command;
    }

    /// <summary>The target sets the rules ship with, as an import would read them (national, or scoped to their own area).</summary>
    public static List<Resolution> ShippedSets(TargetRuleCatalogue catalogue) => QcdcRules.TargetSets().Select(t =>
    {
        var (set, targets) = TargetSetImporter.ParseOrThrow(t.Name, t.Content, catalogue);
        set.Targets = targets;
        return set;
    }).ToList();

    /// <summary>
    /// Every reason to report, from the targets (what their rules read) and the duties of the sets; with a period, the
    /// settings in force for it, whatever period types they are judged on (the "on" column says which).
    /// </summary>
    public static List<Requirement> Requirements(IEnumerable<Resolution> sets, TargetRuleCatalogue catalogue, Period? period)
    {
        var found = new List<Requirement>();
        foreach (var set in sets.Where(s => period is null || s.AppliesTo(period)))
        {
            var where = set.ScopeAreaCode ?? TargetSetImporter.National;
            foreach (var target in set.Targets.Where(t => period is null || t.InForceFor(period)))
            {
                if (TargetFacts.From(set, target, catalogue, boundArea: null) is not { } fact)
                    continue;
                found.AddRange(fact.Reads.Select(i => new Requirement(i, fact.Population, target.Periods, where,
                    target.ValidFrom ?? set.ValidFrom, target.ValidTo ?? set.ValidTo, $"{target.Code} ({set.Code})")));
            }

            foreach (var duty in RegimeDuty.Parse(set.DutiesJson))
                found.AddRange(duty.Indicators.Select(i => new Requirement(i, duty.Population, duty.Periods, where, set.ValidFrom, set.ValidTo, $"duty of {set.Code}")));
        }

        // A target set in force over several settings (NQ02-7) reads the same over each; adopted copies differ by area only.
        return found
            .GroupBy(r => (r.Indicator.Id, r.Who, r.Periods, r.By, r.Where))
            .Select(g => g.First() with { From = g.Any(r => r.From is null) ? null : g.Min(r => r.From), To = g.Any(r => r.To is null) ? null : g.Max(r => r.To) })
            .GroupBy(r => (r.Indicator.Id, r.Who, r.Periods, r.By, r.From, r.To))
            .Select(g => g.First() with { Where = string.Join(", ", g.Select(r => r.Where).Distinct().Order(StringComparer.Ordinal)) })
            .OrderBy(r => r.Indicator.Id).ThenBy(r => r.Where == TargetSetImporter.National ? 0 : 1).ThenBy(r => r.From ?? DateOnly.MinValue).ThenBy(r => r.By, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The kinds the catalogue allows that no requirement names: "XA,CQ,TH", "DN (no union)", or "nobody".</summary>
    public static string OptionalFor(Population may, IEnumerable<Population> must)
    {
        var required = must.Aggregate(default(Population), Union);
        var optional = new List<string>();
        foreach (var kind in Enum.GetValues<UnitKind>())
        {
            var bit = 1 << (int)kind;
            var token = Population.TokenOf(kind);
            bool mayAny = (may.AnyUnion & bit) != 0, mayWithUnion = mayAny || (may.WithUnion & bit) != 0;
            bool mustAny = (required.AnyUnion & bit) != 0, mustWithUnion = mustAny || (required.WithUnion & bit) != 0;
            if (mayAny && !mustWithUnion)
                optional.Add(token);
            else if (mayAny && !mustAny)
                optional.Add($"{token} (no union)");
            else if (mayWithUnion && !mustWithUnion)
                optional.Add($"{token}-CĐ");
        }

        return optional.Count == 0 ? "nobody" : string.Join(",", optional);
    }

    private static string Describe(List<Requirement> requirements, string source, Period? period)
    {
        var byIndicator = requirements.ToLookup(r => r.Indicator.Id);
        var who = new TextTable("indicator", "type", "period", "may report", "must report", "optional for", "name");
        foreach (var indicator in IndicatorCatalogue.All)
        {
            var own = byIndicator[indicator.Id].ToList();
            var must = own.GroupBy(r => r.Where)
                .Select(g => $"{g.Key}: {g.Select(r => r.Who).Aggregate(default(Population), Union)}");
            who.Add(indicator.Code, indicator.ValueType, PeriodName(indicator.PeriodType), indicator.AppliesTo, own.Count == 0 ? "nobody" : string.Join("; ", must),
                OptionalFor(indicator.Population, own.Select(r => r.Who)), indicator.NameVi);
        }

        var why = new TextTable("indicator", "must report", "on", "where", "in force", "because of");
        foreach (var r in requirements)
            why.Add(r.Indicator.Code, r.Who, Periods(r.Periods), r.Where, InForce(r.From, r.To), r.By);

        return $"""
            Who reports each indicator, from {source}; {(period is null ? "every setting, with its dates (--period P for one period)" : $"the settings in force for {period.Code}, on whichever periods they are judged")}.
            may report: the kinds the catalogue accepts a value from (* any kind; -CĐ with a trade union). must report: the kinds that a target
            in force for them reads it of, or that the reporting regime requires it of, in the areas named (a set binds its area's subtree,
            "national" the country). optional for: kinds that may report it and that nothing requires it of, anywhere; where a requirement is
            bound to an area or to dates, the indicator is optional outside them too. A unit is "not reported" (REPORTED) only for what it must.

            {who}
            Why they must:
            {why}
            """;
    }

    private static Population Union(Population a, Population b)
    {
        var any = a.AnyUnion | b.AnyUnion;
        return new Population(any, (a.WithUnion | b.WithUnion) & ~any);
    }

    private static string PeriodName(PeriodType type) => type switch { PeriodType.HalfYear => "half-year", PeriodType.Year => "year", _ => "quarter" };

    private static string Periods(PeriodTypes periods) => string.Join(",",
        new[] { (PeriodTypes.HalfYear, "S1,S2"), (PeriodTypes.Year, "year"), (PeriodTypes.Quarter, "quarters") }.Where(p => (periods & p.Item1) != 0).Select(p => p.Item2));

    private static string InForce(DateOnly? from, DateOnly? to) => (from, to) switch
    {
        (null, null) => "always",
        (_, null) => $"from {Day(from)}",
        (null, _) => $"to {Day(to)}",
        _ => $"{Day(from)} to {Day(to)}",
    };

    private static string Day(DateOnly? day) => day!.Value.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
}
