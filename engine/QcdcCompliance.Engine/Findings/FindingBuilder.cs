using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Findings;

/// <summary>
/// Turns a fired session into findings with their evidence, in a fixed order (target, subject code, subject type): a
/// unit finding carries the values its rule read and the value its test compared; an area finding the figure over the
/// units that reported, the test, the units that fall short and, where units have not reported, the units missing
/// ("chưa đủ số liệu"). Every evidence names the set, rule, rule-set version, the setting in force and its legal basis.
/// Every area roll-up becomes an area result.
/// </summary>
public static class FindingBuilder
{
    public static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static (List<FindingDraft> Findings, List<AreaResultDraft> Areas) Build(ScopeFacts facts, SessionOutcome outcome) =>
        (Plan(facts, outcome).BuildAll(), AreaResults(outcome));

    /// <summary>
    /// The findings of a fired session in their order, known before any is built (<see cref="PlannedFindings"/>): a
    /// scope's first run stores each as soon as it is built, while the pool builds the ones after it.
    /// </summary>
    public static PlannedFindings Plan(ScopeFacts facts, SessionOutcome outcome)
    {
        // The reports in their units' code order, for the unit findings' order and the areas' lists of units.
        var byCode = InCodeOrder(facts.Reports);
        var shortfalls = InFindingOrder(outcome.Shortfalls, byCode);
        var shortAreas = outcome.Areas.Where(a => a.FallsShort && MeasuredAt(a)).ToList();
        shortAreas.Sort(static (a, b) => Compare(a.Target.Code, a.Area.Code, SubjectType.Area, b.Target.Code, b.Area.Code, SubjectType.Area));
        // The lists of an area's units are walked on the other cores meanwhile: the first area finding asked for waits for them.
        var units = shortAreas.Count == 0
            ? Task.FromResult(new Dictionary<(string Target, int Area), AreaUnits>())
            : Task.Run(() => UnitsByArea(byCode, shortAreas));

        // The unit findings (already in order) merged with the area findings by their keys, as the drafts would sort.
        var slots = new int[shortfalls.Count + shortAreas.Count];
        int i = 0, j = 0, k = 0;
        while (i < shortfalls.Count && j < shortAreas.Count)
        {
            var (unit, area) = (shortfalls[i], shortAreas[j]);
            slots[k++] = Compare(area.Target.Code, area.Area.Code, SubjectType.Area, unit.Target.Code, unit.Report.Unit.Code, SubjectType.Unit) < 0 ? ~j++ : i++;
        }

        while (i < shortfalls.Count)
            slots[k++] = i++;
        while (j < shortAreas.Count)
            slots[k++] = ~j++;
        return new PlannedFindings(slots, slot => slot >= 0
            ? UnitDraft(facts, shortfalls[slot])
            : AreaDraft(facts, shortAreas[~slot], units.Result.GetValueOrDefault((shortAreas[~slot].Target.Code, shortAreas[~slot].Area.Id)) ?? AreaUnits.None));
    }

    /// <summary>Every area's result of a fired session, by target and area, without the findings (a what-if compares standings, not evidence).</summary>
    public static List<AreaResultDraft> AreaResults(SessionOutcome outcome) =>
        outcome.Areas.Select(AreaResult).OrderBy(a => a.TargetCode, StringComparer.Ordinal).ThenBy(a => a.AreaId).ToList();

    /// <summary>
    /// The evidence as it is held and stored (<see cref="CompactText.Evidence"/>): written as UTF-8 straight into a
    /// buffer of the thread and compressed, never held as text. The same bytes as <c>ToJsonString(Json)</c>.
    /// </summary>
    public static byte[] Pack(JsonObject evidence)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.Encoder, Indented = false }))
            evidence.WriteTo(writer, Json);
        var packed = CompactText.Evidence.Pack(buffer.WrittenSpan);
        if (buffer.Capacity > 1 << 20)
            _buffer = null;
        return packed;
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    /// <summary>Whether the roll-up of a target over an area is a finding when it falls short (the target is measured at that level).</summary>
    public static bool MeasuredAt(AreaOutcome area) => JudgedLevels.MeasuredAt(area.Target.MeasuredOver, area.Area.Level);

    public static AreaResultDraft AreaResult(AreaOutcome a) =>
        new(a.Target.Code, a.Area.Id, a.Area.Code, a.Area.Name, a.Area.Level, a.Population, a.Met, a.Missing, a.Numerator, a.Denominator, a.Status);

    public static MeasuredOver LevelFlag(AreaLevel level) => JudgedLevels.Flag(level);

    public static int Compare(FindingDraft a, FindingDraft b) => Compare(a.TargetCode, a.SubjectCode, a.SubjectType, b.TargetCode, b.SubjectCode, b.SubjectType);

    private static int Compare(string targetA, string codeA, SubjectType typeA, string targetB, string codeB, SubjectType typeB)
    {
        var byTarget = string.CompareOrdinal(targetA, targetB);
        if (byTarget != 0)
            return byTarget;
        var byCode = string.CompareOrdinal(codeA, codeB);
        return byCode != 0 ? byCode : ((int)typeA).CompareTo((int)typeB);
    }

    /// <summary>
    /// A unit's finding. Its evidence is written straight as UTF-8 (the same bytes as the <see cref="JsonObject"/> an
    /// area's is built as: a test holds them equal); what every finding of a target repeats (the header's texts, the
    /// test, the legal basis) is written once per target and copied.
    /// </summary>
    public static FindingDraft UnitDraft(ScopeFacts facts, UnitShortfall shortfall)
    {
        var (target, report, measured) = (shortfall.Target, shortfall.Report, shortfall.Measured);
        var unit = report.Unit;
        var reportingTarget = target.Code == ReportingTarget.Code;
        var parts = TargetParts.Of(facts, target);

        var (buffer, writer) = StartWriting();
        writer.WriteStartObject();
        parts.WriteHeader(writer);
        writer.WritePropertyName("unit");
        writer.WriteStartObject();
        writer.WriteString("code", unit.Code);
        writer.WriteString("name", unit.Name);
        writer.WriteString("kind", unit.Kind.ToString());
        writer.WriteBoolean("tradeUnion", unit.HasTradeUnion);
        writer.WritePropertyName("path");
        writer.WriteStartArray();
        foreach (var area in unit.Path)
            writer.WriteStringValue(area.Code);
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteString("status", measured.Status.ToString());
        writer.WritePropertyName("values");
        writer.WriteStartObject();
        foreach (var indicator in target.Reads)
        {
            if (report[indicator] is { } v)
                writer.WriteNumber(indicator.Code, v);
            else
                writer.WriteNull(indicator.Code);
        }

        writer.WriteEndObject();
        writer.WritePropertyName("missing");
        writer.WriteStartArray();
        if (reportingTarget)
        {
            foreach (var code in report.Missing)
                writer.WriteStringValue(code);
        }
        else
        {
            foreach (var indicator in target.Reads)
            {
                if (!report.Has(indicator))
                    writer.WriteStringValue(indicator.Code);
            }
        }

        writer.WriteEndArray();
        writer.WritePropertyName("test");
        writer.WriteRawValue(parts.Test, skipInputValidation: true);
        writer.WritePropertyName("legalBasis");
        writer.WriteRawValue(parts.LegalBasis, skipInputValidation: true);
        writer.WriteEndObject();
        var packed = FinishPacked(buffer, writer);

        return new FindingDraft(target.Code, SubjectType.Unit, unit.Id, unit.Code, unit.Name, unit.ContactEmail, target.Severity,
            parts.Shared(Measure(shortfall)), packed);
    }

    /// <summary>
    /// What a unit's finding records of its shortfall, without its evidence; of a unit that meets the target (the row of
    /// the run that resolves its finding, <see cref="ResolvingMeasure"/>), <see cref="FindingOutcome.Met"/>.
    /// </summary>
    public static Measurement Measure(UnitShortfall shortfall)
    {
        var (target, measured) = (shortfall.Target, shortfall.Measured);
        // Nothing was measured for a unit that did not report what the target reads.
        var notReported = measured.Status == MeasureStatus.Missing;
        return new Measurement(
            !measured.FallsShort ? FindingOutcome.Met : notReported || target.Code == ReportingTarget.Code ? FindingOutcome.Missing : FindingOutcome.Short,
            notReported ? null : measured.Numerator,
            notReported ? null : measured.Denominator,
            target.Rule.IsRatio ? null : measured.Value,
            target.Threshold.Operator, target.Threshold.Millionths, target.Minimum);
    }

    /// <summary>A unit's evidence built as a <see cref="JsonObject"/>, as it was before it was written directly: what the direct writer is held equal to.</summary>
    public static string UnitEvidenceAsNodes(ScopeFacts facts, UnitShortfall shortfall)
    {
        var (target, report, measured) = (shortfall.Target, shortfall.Report, shortfall.Measured);
        var unit = report.Unit;
        var values = new JsonObject();
        foreach (var indicator in target.Reads)
            values[indicator.Code] = report[indicator] is { } v ? JsonValue.Create(v) : null;
        var missing = target.Code == ReportingTarget.Code ? report.Missing : target.Reads.Where(i => !report.Has(i)).Select(i => i.Code).ToList();
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
        return evidence.ToJsonString(Json);
    }

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    /// <summary>The thread's evidence writer, reset onto its empty buffer (or onto a buffer of its own for an evidence of more than a megabyte).</summary>
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer) StartWriting(int sizeHint = 0)
    {
        if (sizeHint > 1 << 20)
        {
            var large = new ArrayBufferWriter<byte>(sizeHint);
            return (large, new Utf8JsonWriter(large, new JsonWriterOptions { Encoder = Json.Encoder, Indented = false, SkipValidation = true }));
        }

        var buffer = _buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = _writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.Encoder, Indented = false, SkipValidation = true });
        writer.Reset(buffer);
        return (buffer, writer);
    }

    /// <summary>What was written, compressed as stored; a buffer grown past a megabyte (a province's lists) is not kept.</summary>
    private static byte[] FinishPacked(ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer)
    {
        writer.Flush();
        var packed = CompactText.Evidence.Pack(buffer.WrittenSpan);
        if (writer != _writer)
            writer.Dispose();
        else if (buffer.Capacity > 1 << 20)
            (_buffer, _writer) = (null, null);
        return packed;
    }

    /// <summary>What every unit evidence of one target in one evaluation repeats, written once.</summary>
    private sealed class TargetParts
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<TargetFact, TargetParts> Cache = new();

        private readonly (string Name, string? Value)[] _header;

        private TargetParts(ScopeFacts facts, TargetFact target)
        {
            (RuleSetVersion, Period) = (facts.RuleSetVersion, (facts.Period.Code, facts.Period.Start, facts.Period.End));
            _header = [.. Header(facts, target).Select(kv => (kv.Key, kv.Value?.GetValue<string>()))];
            Test = System.Text.Encoding.UTF8.GetBytes(FindingBuilder.Test(target).ToJsonString(Json));
            LegalBasis = System.Text.Encoding.UTF8.GetBytes(FindingBuilder.LegalBasis(facts, target).ToJsonString(Json));
        }

        private string RuleSetVersion { get; }
        private (string Code, DateOnly Start, DateOnly End) Period { get; }
        public byte[] Test { get; }
        public byte[] LegalBasis { get; }

        // The measurements the target's unit findings repeat (every unit that did not report one, every "no"), held once:
        // immutable records, equal by value. A first run's 498,788 drafts held one each.
        private readonly System.Collections.Concurrent.ConcurrentDictionary<Measurement, Measurement> _measurements = new();

        /// <summary>The one instance of a measurement equal to <paramref name="measurement"/>.</summary>
        public Measurement Shared(Measurement measurement) => _measurements.GetOrAdd(measurement, measurement);

        public static TargetParts Of(ScopeFacts facts, TargetFact target)
        {
            if (Cache.TryGetValue(target, out var parts) && parts.RuleSetVersion == facts.RuleSetVersion
                && parts.Period == (facts.Period.Code, facts.Period.Start, facts.Period.End))
                return parts;
            parts = new TargetParts(facts, target);
            Cache.AddOrUpdate(target, parts);
            return parts;
        }

        public void WriteHeader(Utf8JsonWriter writer)
        {
            foreach (var (name, value) in _header)
            {
                if (value is null)
                    writer.WriteNull(name);
                else
                    writer.WriteString(name, value);
            }
        }
    }

    /// <summary>
    /// An area's finding. Its evidence is written straight as UTF-8 (the same bytes as <see cref="AreaEvidenceAsNodes"/>,
    /// which a test holds equal): a province's lists name every unit that falls short, so building them as JSON nodes
    /// cost more than the rest of the findings together.
    /// </summary>
    public static FindingDraft AreaDraft(ScopeFacts facts, AreaOutcome area, AreaUnits units)
    {
        var target = area.Target;
        var parts = TargetParts.Of(facts, target);
        var (gap, overPopulation) = area.Gap;
        // A province's lists run to megabytes: a buffer of about their size, not one doubled (and copied) from 4 KB.
        var codeLength = units.Short.Count > 0 ? units.Short[0].Length : 0;
        var (buffer, writer) = StartWriting(units.Short.Count * (3 * codeLength + 40) + units.Missing.Count * (codeLength + 3) + 8192);
        writer.WriteStartObject();
        parts.WriteHeader(writer);
        writer.WritePropertyName("area");
        writer.WriteStartObject();
        writer.WriteString("code", area.Area.Code);
        writer.WriteString("name", area.Area.Name);
        writer.WriteString("level", area.Area.Level.ToString());
        writer.WriteEndObject();
        writer.WriteString("status", area.Status.ToString());
        writer.WriteNumber("populationUnits", area.Population);
        writer.WriteNumber("reportedUnits", area.Population - area.Missing);
        writer.WriteNumber("metUnits", area.Met);
        writer.WriteNumber("missingUnits", area.Missing);
        writer.WriteNumber("numerator", area.Numerator);
        writer.WriteNumber("denominator", area.Denominator);
        if (area.Denominator > 0)
            writer.WriteString("share", Shares.Format(area.Numerator, area.Denominator, target.Threshold));
        else
            writer.WriteNull("share");
        writer.WritePropertyName("test");
        writer.WriteRawValue(parts.Test, skipInputValidation: true);
        WriteCodes(writer, "shortUnits", units.Short);
        WriteCodes(writer, "unitsNotReported", units.Missing);
        writer.WritePropertyName("gap");
        writer.WriteStartObject();
        WriteNumberOrNull(writer, "count", gap);
        writer.WriteString("of", target.Rule.IsRatio ? "counts" : "units");
        writer.WriteString("over", overPopulation ? "population" : "reported");
        var gapWords = GapText.Vietnamese(target, gap, area.Missing);
        writer.WriteString("vi", gapWords);
        writer.WriteString("en", GapText.English(target, gap, area.Missing));
        writer.WritePropertyName("candidates");
        writer.WriteStartArray();
        foreach (var (unit, effect) in units.Candidates(target, gap))
        {
            writer.WriteStartObject();
            writer.WriteString("unit", unit);
            WriteNumberOrNull(writer, "effect", effect);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        if (EarlyWarning.Of(facts, area) is { } warning)
        {
            writer.WritePropertyName("earlyWarning");
            warning.ToJson(facts.Period).WriteTo(writer, Json);
        }

        writer.WritePropertyName("legalBasis");
        writer.WriteRawValue(parts.LegalBasis, skipInputValidation: true);
        writer.WriteEndObject();
        var packed = FinishPacked(buffer, writer);
        var measurement = new Measurement(area.Status == AreaStatus.Incomplete ? FindingOutcome.Incomplete : FindingOutcome.Short,
            area.Numerator, area.Denominator, null, target.Threshold.Operator, target.Threshold.Millionths, null, gap);
        return new FindingDraft(target.Code, SubjectType.Area, area.Area.Id, area.Area.Code, area.Area.Name, null, target.Severity, measurement, packed)
            .WithGapWords(gapWords);
    }

    /// <summary>
    /// The figures of an area a run found to meet a target whose finding it resolves (<see cref="ResolvingMeasure"/>):
    /// the header, the area, its status and figures, the test and the legal basis, as an area finding's evidence gives
    /// them; no lists of units and no gap (nothing is left to close).
    /// </summary>
    public static FindingDraft MetAreaDraft(ScopeFacts facts, TargetFact target, AreaResultDraft area)
    {
        var evidence = AreaFigures(facts, target, area);
        evidence.Add("legalBasis", LegalBasis(facts, target));
        var measurement = new Measurement(FindingOutcome.Met, area.Numerator, area.Denominator, null, target.Threshold.Operator, target.Threshold.Millionths, null);
        return new FindingDraft(target.Code, SubjectType.Area, area.AreaId, area.AreaCode, area.AreaName, null, target.Severity, measurement,
            evidence.ToJsonString(Json));
    }

    private static void WriteCodes(Utf8JsonWriter writer, string name, List<string> codes)
    {
        writer.WritePropertyName(name);
        writer.WriteStartArray();
        foreach (var code in codes)
            writer.WriteStringValue(code);
        writer.WriteEndArray();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
            writer.WriteNumber(name, v);
        else
            writer.WriteNull(name);
    }

    /// <summary>An area's evidence built as a <see cref="JsonObject"/>, as it was before it was written directly: what the direct writer is held equal to.</summary>
    public static string AreaEvidenceAsNodes(ScopeFacts facts, AreaOutcome area, AreaUnits units)
    {
        var target = area.Target;
        var evidence = AreaFigures(facts, target, AreaResult(area));
        evidence.Add("shortUnits", new JsonArray(units.Short.Select(c => (JsonNode)c).ToArray()));
        evidence.Add("unitsNotReported", new JsonArray(units.Missing.Select(c => (JsonNode)c).ToArray()));
        var (gap, overPopulation) = area.Gap;
        evidence.Add("gap", GapEvidence(target, area, units, gap, overPopulation));
        if (EarlyWarning.Of(facts, area) is { } warning)
            evidence.Add("earlyWarning", warning.ToJson(facts.Period));
        evidence.Add("legalBasis", LegalBasis(facts, target));
        return evidence.ToJsonString(Json);
    }

    /// <summary>An area evidence's header, area, status, figures and test, from the area's result (an area finding's and a resolving row's).</summary>
    private static JsonObject AreaFigures(ScopeFacts facts, TargetFact target, AreaResultDraft area)
    {
        var evidence = Header(facts, target);
        evidence.Add("area", new JsonObject { ["code"] = area.AreaCode, ["name"] = area.AreaName, ["level"] = area.AreaLevel.ToString() });
        evidence.Add("status", area.Status.ToString());
        evidence.Add("populationUnits", area.PopulationUnits);
        evidence.Add("reportedUnits", area.PopulationUnits - area.MissingUnits);
        evidence.Add("metUnits", area.MetUnits);
        evidence.Add("missingUnits", area.MissingUnits);
        evidence.Add("numerator", area.Numerator);
        evidence.Add("denominator", area.Denominator);
        evidence.Add("share", area.Denominator > 0 ? Shares.Format(area.Numerator, area.Denominator, target.Threshold) : null);
        evidence.Add("test", Test(target));
        return evidence;
    }

    /// <summary>
    /// The gap to the threshold as written: how many, counted over what, in words (Vietnamese and English), and the
    /// units that could close it, largest effect first.
    /// </summary>
    private static JsonObject GapEvidence(TargetFact target, AreaOutcome area, AreaUnits units, long? gap, bool overPopulation) => new()
    {
        ["count"] = gap,
        ["of"] = target.Rule.IsRatio ? "counts" : "units",
        ["over"] = overPopulation ? "population" : "reported",
        ["vi"] = GapText.Vietnamese(target, gap, area.Missing),
        ["en"] = GapText.English(target, gap, area.Missing),
        ["candidates"] = new JsonArray(units.Candidates(target, gap)
            .Select(c => (JsonNode)new JsonObject { ["unit"] = c.Unit, ["effect"] = c.Effect }).ToArray()),
    };

    /// <summary>What every evidence starts with: which target, set, rule and rule-set version judged which period.</summary>
    private static JsonObject Header(ScopeFacts facts, TargetFact target) => new()
    {
        ["target"] = target.Code,
        ["resolution"] = target.ResolutionCode,
        ["scope"] = target.Set is null ? null : target.Set.ScopeAreaCode ?? "national",
        ["setVersion"] = target.Set?.ContentHash,
        ["rule"] = target.RuleName,
        ["ruleSetVersion"] = facts.RuleSetVersion,
        ["period"] = facts.Period.Code,
    };

    /// <summary>The test as it stood for the period: the setting in force, where it comes from and what it rests on.</summary>
    private static JsonObject Test(TargetFact target) => new()
    {
        ["operator"] = target.Threshold.Symbol,
        ["threshold"] = Shares.FormatMillionths(target.Threshold.Millionths),
        ["minimum"] = target.Minimum,
        ["coverage"] = target.CoverageMillionths is { } c ? Shares.FormatMillionths(c) : null,
        ["population"] = target.Population.ToString(),
        ["settingFrom"] = target.SettingFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["settingTo"] = target.SettingTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["source"] = target.Source.ToString(),
        ["basis"] = target.Basis,
        ["restatedOnYear"] = target.RestatedOnYear ? true : null,
    };

    /// <summary>
    /// The texts of the set's legal basis in force on the period's last day, the day the period is judged on: 2021 cites
    /// the Labour Code 2019 it is judged by (one workplace dialogue), not Decree 60/2013, which ended on 31/1/2021.
    /// </summary>
    private static JsonArray LegalBasis(ScopeFacts facts, TargetFact target)
    {
        var result = new JsonArray();
        if (target.Set is not { } set)
            return result;
        foreach (var item in JsonNode.Parse(set.LegalBasisJson)?.AsArray() ?? [])
        {
            var from = item?["validFrom"]?.GetValue<string?>() is { } f ? DateOnly.Parse(f, CultureInfo.InvariantCulture) : (DateOnly?)null;
            var to = item?["validTo"]?.GetValue<string?>() is { } t ? DateOnly.Parse(t, CultureInfo.InvariantCulture) : (DateOnly?)null;
            if (Dates.Contains(from, to, facts.Period.End) && item?["text"]?.GetValue<string>() is { } text)
                result.Add(text);
        }

        return result;
    }

    /// <summary>
    /// For each short or incomplete (target, area) with an area finding, the units of its population that fall short and
    /// those not reported, in ordinal order of their codes: the reports are walked once per target in that order (sorted
    /// once), so no list needs sorting. Targets are walked on every core.
    /// </summary>
    private static Dictionary<(string Target, int Area), AreaUnits> UnitsByArea(IReadOnlyList<UnitReport> byCode, List<AreaOutcome> shortAreas)
    {
        var result = new Dictionary<(string, int), AreaUnits>();
        if (shortAreas.Count == 0)
            return result;
        var groups = shortAreas.GroupBy(a => a.Target).ToList();
        var found = new Dictionary<int, AreaUnits>[groups.Count];
        Parallel.For(0, groups.Count, g =>
        {
            var target = groups[g].Key;
            var lists = groups[g].ToDictionary(a => a.Area.Id, _ => AreaUnits.None);
            foreach (var report in byCode)
            {
                if (!target.Includes(report))
                    continue;
                var measured = target.Measure(report);
                if (!measured.FallsShort)
                    continue;
                var path = report.Unit.Path;
                foreach (var area in path)
                {
                    if (lists.TryGetValue(area.Id, out var units))
                        units.Add(target, report.Unit.Code, measured);
                    if (target.BoundArea is { } bound && area.Id == bound.Id)
                        break;
                }
            }

            found[g] = lists;
        });
        for (var g = 0; g < groups.Count; g++)
        {
            foreach (var (area, units) in found[g])
            {
                if (units.Short.Count > 0)
                    result[(groups[g].Key.Code, area)] = units;
            }
        }

        return result;
    }

    /// <summary>
    /// The shortfalls in the order of their findings (<see cref="Compare(FindingDraft, FindingDraft)"/>: target code, then
    /// unit code), sorted by two integers, the target code's rank and the unit's rank in <paramref name="byCode"/>, rather
    /// than as drafts by their strings: at 400,000 findings the sort by strings was a third of a second on one core. A
    /// shortfall of a unit the reports do not hold (none should) is sorted by the strings.
    /// </summary>
    private static IReadOnlyList<UnitShortfall> InFindingOrder(IReadOnlyList<UnitShortfall> shortfalls, IReadOnlyList<UnitReport> byCode)
    {
        var targetRank = shortfalls.Select(s => s.Target.Code).Distinct().Order(StringComparer.Ordinal).Select((code, i) => (code, i))
            .ToDictionary(t => t.code, t => t.i, StringComparer.Ordinal);
        var unitRank = new Dictionary<int, int>(byCode.Count);
        for (var i = 0; i < byCode.Count; i++)
            unitRank[byCode[i].Unit.Id] = i;
        var keys = new long[shortfalls.Count];
        var ordered = new UnitShortfall[shortfalls.Count];
        for (var i = 0; i < ordered.Length; i++)
        {
            if (!unitRank.TryGetValue(shortfalls[i].Report.Unit.Id, out var rank))
                return ByStrings(shortfalls);
            ordered[i] = shortfalls[i];
            keys[i] = ((long)targetRank[shortfalls[i].Target.Code] << 32) | (uint)rank;
        }

        Array.Sort(keys, ordered);
        return ordered;

        static UnitShortfall[] ByStrings(IReadOnlyList<UnitShortfall> shortfalls)
        {
            var sorted = shortfalls.ToArray();
            Array.Sort(sorted, static (a, b) =>
            {
                var byTarget = string.CompareOrdinal(a.Target.Code, b.Target.Code);
                return byTarget != 0 ? byTarget : string.CompareOrdinal(a.Report.Unit.Code, b.Report.Unit.Code);
            });
            return sorted;
        }
    }

    /// <summary>The reports in ordinal order of their units' codes (as loaded when they already are).</summary>
    private static IReadOnlyList<UnitReport> InCodeOrder(IReadOnlyList<UnitReport> reports)
    {
        for (var i = 1; i < reports.Count; i++)
        {
            if (string.CompareOrdinal(reports[i - 1].Unit.Code, reports[i].Unit.Code) > 0)
            {
                var sorted = reports.ToArray();
                Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Unit.Code, b.Unit.Code));
                return sorted;
            }
        }

        return reports;
    }
}
