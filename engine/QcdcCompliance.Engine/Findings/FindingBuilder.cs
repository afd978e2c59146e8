using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Findings;

/// <summary>
/// Turns a fired session into findings with their evidence, in a fixed order (target, subject type, subject code):
/// a unit finding carries the values its rule read; an area finding the numerator, denominator, share, threshold,
/// operator and the codes of the units that fall short. Every area roll-up becomes an area result.
/// </summary>
public static class FindingBuilder
{
    public static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static (List<FindingDraft> Findings, List<AreaResultDraft> Areas) Build(ScopeFacts facts, SessionOutcome outcome)
    {
        var findings = new List<FindingDraft>(outcome.Shortfalls.Count + 64);
        foreach (var shortfall in outcome.Shortfalls)
            findings.Add(UnitDraft(facts, shortfall));

        var shortAreas = outcome.Areas.Where(a => a.Meets == false && MeasuredAt(a)).ToList();
        var shortUnits = ShortUnitsByArea(facts, shortAreas);
        foreach (var area in shortAreas)
            findings.Add(AreaDraft(facts, area, shortUnits.GetValueOrDefault((area.Target.Code, area.Area.Id)) ?? []));

        findings.Sort(Compare);
        var areas = outcome.Areas.Select(AreaResult).OrderBy(a => a.TargetCode, StringComparer.Ordinal).ThenBy(a => a.AreaId).ToList();
        return (findings, areas);
    }

    /// <summary>Whether the roll-up of a target over an area is a finding when it falls short (the target is measured at that level).</summary>
    public static bool MeasuredAt(AreaOutcome area) => (area.Target.MeasuredOver & LevelFlag(area.Area.Level)) != 0;

    public static AreaResultDraft AreaResult(AreaOutcome a) =>
        new(a.Target.Code, a.Area.Id, a.Area.Code, a.Area.Name, a.Area.Level, a.Population, a.Met, a.Missing, a.Numerator, a.Denominator,
            a.Meets switch { true => AreaStatus.Met, false => AreaStatus.Short, null => AreaStatus.NotApplicable });

    public static MeasuredOver LevelFlag(AreaLevel level) => level switch
    {
        AreaLevel.Province => MeasuredOver.Province,
        AreaLevel.District => MeasuredOver.District,
        _ => MeasuredOver.Commune,
    };

    public static int Compare(FindingDraft a, FindingDraft b)
    {
        var byTarget = string.CompareOrdinal(a.TargetCode, b.TargetCode);
        if (byTarget != 0)
            return byTarget;
        var byCode = string.CompareOrdinal(a.SubjectCode, b.SubjectCode);
        return byCode != 0 ? byCode : a.SubjectType.CompareTo(b.SubjectType);
    }

    public static FindingDraft UnitDraft(ScopeFacts facts, UnitShortfall shortfall)
    {
        var (target, report, measured) = (shortfall.Target, shortfall.Report, shortfall.Measured);
        var unit = report.Unit;
        var reportingTarget = target.Code == ReportingTarget.Code;
        var values = new JsonObject();
        foreach (var indicator in target.Reads)
            values[indicator.Code] = report[indicator] is { } v ? JsonValue.Create(v) : null;
        var missing = reportingTarget ? report.Missing : target.Reads.Where(i => !report.Has(i)).Select(i => i.Code).ToList();

        var evidence = Header(facts, target);
        evidence.Add("unit", new JsonObject
            {
                ["code"] = unit.Code,
                ["name"] = unit.Name,
                ["kind"] = unit.Kind.ToString(),
                ["tradeUnion"] = unit.HasTradeUnion,
                ["path"] = new JsonArray(unit.Path.Select(a => (JsonNode)a.Code).ToArray()),
            });
        evidence.Add("status", measured.Status.ToString());
        evidence.Add("values", values);
        evidence.Add("missing", new JsonArray(missing.Select(m => (JsonNode)m).ToArray()));
        evidence.Add("test", Test(target));
        evidence.Add("legalBasis", LegalBasis(facts, target));

        long? value = reportingTarget ? report.Missing.Count : target.Rule.IsRatio || target.Reads.Count == 0 ? null : report[target.Reads[0]];
        // Nothing was measured for a unit that did not report what the target reads.
        var (numerator, denominator) = measured.Status == MeasureStatus.Missing ? (null, null) : ((long?)measured.Numerator, (long?)measured.Denominator);
        return new FindingDraft(target.Code, SubjectType.Unit, unit.Id, unit.Code, unit.Name, unit.ContactEmail, target.Severity,
            numerator, denominator, value, target.Threshold.Operator, target.Threshold.Millionths, target.Minimum,
            evidence.ToJsonString(Json));
    }

    public static FindingDraft AreaDraft(ScopeFacts facts, AreaOutcome area, List<string> shortUnits)
    {
        var target = area.Target;
        var evidence = Header(facts, target);
        evidence.Add("area", new JsonObject { ["code"] = area.Area.Code, ["name"] = area.Area.Name, ["level"] = area.Area.Level.ToString() });
        evidence.Add("populationUnits", area.Population);
        evidence.Add("metUnits", area.Met);
        evidence.Add("missingUnits", area.Missing);
        evidence.Add("numerator", area.Numerator);
        evidence.Add("denominator", area.Denominator);
        evidence.Add("share", area.Denominator > 0 ? Shares.Format(area.Numerator, area.Denominator) : null);
        evidence.Add("test", Test(target));
        evidence.Add("shortUnits", new JsonArray(shortUnits.Select(c => (JsonNode)c).ToArray()));
        evidence.Add("legalBasis", LegalBasis(facts, target));
        return new FindingDraft(target.Code, SubjectType.Area, area.Area.Id, area.Area.Code, area.Area.Name, null, target.Severity,
            area.Numerator, area.Denominator, null, target.Threshold.Operator, target.Threshold.Millionths, null, evidence.ToJsonString(Json));
    }

    /// <summary>What every evidence starts with: which target, rule and rule-set version judged which period.</summary>
    private static JsonObject Header(ScopeFacts facts, TargetFact target) => new()
    {
        ["target"] = target.Code,
        ["resolution"] = target.ResolutionCode,
        ["rule"] = target.Rule.GetType().Name,
        ["ruleSetVersion"] = facts.RuleSetVersion,
        ["period"] = facts.Period.Code,
    };

    private static JsonObject Test(TargetFact target) => new()
    {
        ["operator"] = target.Threshold.Symbol,
        ["threshold"] = Shares.FormatMillionths(target.Threshold.Millionths),
        ["minimum"] = target.Minimum,
        ["population"] = target.Population.ToString(),
    };

    private static JsonArray LegalBasis(ScopeFacts facts, TargetFact target)
    {
        var result = new JsonArray();
        if (!facts.Resolutions.TryGetValue(target.ResolutionCode, out var resolution))
            return result;
        foreach (var item in JsonNode.Parse(resolution.LegalBasisJson)?.AsArray() ?? [])
        {
            var from = item?["validFrom"]?.GetValue<string?>() is { } f ? DateOnly.Parse(f, System.Globalization.CultureInfo.InvariantCulture) : (DateOnly?)null;
            var to = item?["validTo"]?.GetValue<string?>() is { } t ? DateOnly.Parse(t, System.Globalization.CultureInfo.InvariantCulture) : (DateOnly?)null;
            if (Dates.Overlaps(from, to, facts.Period.Start, facts.Period.End) && item?["text"]?.GetValue<string>() is { } text)
                result.Add(text);
        }

        return result;
    }

    /// <summary>For each short (target, area) with an area finding, the units of its population that fall short, by code.</summary>
    private static Dictionary<(string Target, int Area), List<string>> ShortUnitsByArea(ScopeFacts facts, List<AreaOutcome> shortAreas)
    {
        var result = new Dictionary<(string, int), List<string>>();
        foreach (var group in shortAreas.GroupBy(a => a.Target))
        {
            var target = group.Key;
            var wanted = group.Select(a => a.Area.Id).ToHashSet();
            foreach (var report in facts.Reports)
            {
                if (!target.FallsShort(report))
                    continue;
                foreach (var area in report.Unit.Path)
                {
                    if (!wanted.Contains(area.Id))
                        continue;
                    if (!result.TryGetValue((target.Code, area.Id), out var list))
                        result[(target.Code, area.Id)] = list = [];
                    list.Add(report.Unit.Code);
                }
            }
        }

        foreach (var list in result.Values)
            list.Sort(StringComparer.Ordinal);
        return result;
    }
}
