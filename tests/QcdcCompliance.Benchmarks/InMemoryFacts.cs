using System.Globalization;
using QcdcCompliance.Demo;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules;

namespace QcdcCompliance.Benchmarks;

/// <summary>
/// Facts built straight from generated rows, without a database: what the engine scenario evaluates. Every target of
/// every shipped target set is in force, half-year and year indicators in one report, so that one session runs them all.
/// </summary>
public static class InMemoryFacts
{
    public static readonly TargetRuleCatalogue Catalogue = new(QcdcRules.Assembly);

    public static IReadOnlyList<TargetFact> AllTargets()
    {
        // The settings in force now (the last of each target), every set bound to the whole country.
        return Sets().SelectMany(s => s.Targets.Where(t => t.ValidTo is null).Select(t => TargetFacts.From(s.Resolution, t, Catalogue, boundArea: null)!))
            .OrderBy(t => t.Code, StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<(Resolution Resolution, List<Target> Targets)> Sets() =>
        QcdcRules.TargetSets().Select(t => QcdcCompliance.Import.TargetSetImporter.ParseOrThrow(t.Name, t.Content, Catalogue));

    /// <summary>
    /// What a unit owes, as the product works it out (<see cref="ReportingDuties"/>): what the targets in force read and
    /// what the reporting regime requires of its kind in a half-year, not every indicator its kind may report.
    /// </summary>
    private static readonly Lazy<ReportingDuties> Duties = new(() =>
        ReportingDuties.Of(PeriodCalendar.Default.Create("2026S1"), AllTargets(), Sets().Select(s => (s.Resolution, (AreaRef?)null))));

    /// <summary>One report per active unit of the province, with its area path on <paramref name="day"/>.</summary>
    public static List<UnitReport> Reports(DemoDataSet province, DateOnly day)
    {
        var ids = new Dictionary<string, int>();
        var refs = new Dictionary<string, AreaRef>();
        foreach (var area in province.Areas)
        {
            if (!ids.ContainsKey(area.Code))
                ids[area.Code] = ids.Count + 1;
        }

        foreach (var area in province.Areas)
            refs[area.Code] = new AreaRef(ids[area.Code], area.Code, area.Name, Enum.Parse<AreaLevel>(area.Level));
        var parents = province.Areas.Where(a => Dates.Contains(a.ValidFrom, a.ValidTo, day)).ToDictionary(a => a.Code, a => a.ParentCode);
        var successors = province.Lineage.Where(l => l.EffectiveFrom <= day).ToDictionary(l => l.PredecessorCode, l => l.SuccessorCode);
        var paths = new Dictionary<string, AreaRef[]>();
        AreaRef[] PathOf(string code)
        {
            if (paths.TryGetValue(code, out var path))
                return path;
            var list = new List<AreaRef>();
            for (string? current = code; current is not null; current = parents.GetValueOrDefault(current))
                list.Add(refs[current]);
            return paths[code] = [.. list];
        }

        var values = province.Values.GroupBy(v => v.UnitCode).ToDictionary(g => g.Key, g => g.ToList());
        var reports = new List<UnitReport>(province.Units.Count);
        var unitId = 0;
        foreach (var unit in province.Units)
        {
            unitId++;
            var area = parents.ContainsKey(unit.AreaCode) ? unit.AreaCode : successors.GetValueOrDefault(unit.AreaCode);
            if (!Dates.Contains(unit.ActiveFrom, unit.ActiveTo, day) || area is null)
                continue;
            var kind = Enum.Parse<UnitKind>(unit.Kind);
            var slots = new long?[Indicators.Slots];
            foreach (var v in values.GetValueOrDefault(unit.Code) ?? [])
            {
                var indicator = IndicatorCatalogue.Get(v.Indicator);
                slots[indicator.Id] = v.Value switch { "true" => 1, "false" => 0, var n => long.Parse(n, CultureInfo.InvariantCulture) };
            }

            var fact = new UnitFact(unitId, unit.Code, unit.Name, kind, unit.HasTradeUnion, PathOf(area), unit.ContactEmail);
            reports.Add(new UnitReport(fact, reports.Count, slots, Duties.Value.MissingFor(fact, slots), Duties.Value.Owed(fact).Count));
        }

        return reports;
    }

    /// <summary>The country at <paramref name="units"/> units, one province at a time, with half-year and year values.</summary>
    public static IEnumerable<(ProvinceProfile Profile, DemoDataSet Data)> Country(int units, params string[] periods)
    {
        var profiles = NationalProfile.Scaled(units);
        for (var i = 0; i < profiles.Count; i++)
            yield return (profiles[i], Province(profiles[i], i, periods));
    }

    /// <summary>The <paramref name="index"/>th province of the country (its seed follows from it), with these periods' values.</summary>
    public static DemoDataSet Province(ProvinceProfile profile, int index, params string[] periods)
    {
        var generator = new ProvinceGenerator(profile, NationalProfile.BaseSeed + index) { SilentUnitsPerPeriod = Math.Max(1, profile.UnitCount / 2000) };
        var set = new DemoDataSet();
        generator.GenerateStructure(set);
        generator.GenerateValues(set, periods);
        return set;
    }
}
