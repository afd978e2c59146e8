using System.Globalization;
using System.Text;
using System.Text.Json;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Findings;

namespace QcdcCompliance.Alerts;

/// <summary>
/// What an e-mail says of one finding, whether it comes from a run's draft or from a stored row. The evidence is held
/// packed, as the draft and the row hold it, and read when a text needs it: a committee digest holds every open finding
/// of the province (400,000 at 200,000 units), which as text took gigabytes.
/// </summary>
public sealed record AlertFinding(
    string TargetCode,
    SubjectType SubjectType,
    int SubjectId,
    string SubjectCode,
    string SubjectName,
    Severity Severity,
    Measurement Measurement,
    byte[] PackedEvidence)
{
    public bool IsReporting => TargetCode == ReportingTarget.Code;

    /// <summary>The evidence as JSON text.</summary>
    public string Evidence => CompactText.Evidence.Unpack(PackedEvidence);

    /// <summary>The evidence parsed from its UTF-8 bytes (never turned into a string).</summary>
    public JsonDocument Document() => JsonDocument.Parse(CompactText.Evidence.UnpackUtf8(PackedEvidence));

    /// <summary>
    /// The words of one part of the evidence (<c>{"gap":{"vi":"cần thêm…"}}</c>: <paramref name="part"/> "gap"), or null
    /// when it has none. Read by a forward-only reader from the UTF-8 bytes: an area finding's evidence lists the units
    /// of its area, megabytes of JSON at a province, which as text and nodes took seconds a run.
    /// </summary>
    public string? Words(string part, bool vietnamese = true) => EvidenceWords(CompactText.Evidence.UnpackUtf8(PackedEvidence), part, vietnamese ? "vi" : "en");

    private static string? EvidenceWords(byte[] json, string part, string language)
    {
        var reader = new Utf8JsonReader(json);
        if (json.Length == 0 || !reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var wanted = reader.ValueTextEquals(part);
            reader.Read();
            if (!wanted)
            {
                reader.Skip();
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
                return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isLanguage = reader.ValueTextEquals(language);
                reader.Read();
                if (isLanguage)
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }

            return null;
        }

        return null;
    }

    public static AlertFinding From(FindingDraft d) => new(d.TargetCode, d.SubjectType, d.SubjectId, d.SubjectCode, d.SubjectName, d.Severity,
        d.Measurement, d.PackedEvidence);

    public static AlertFinding From(Finding f, string subjectName) => new(f.TargetCode, f.SubjectType, f.SubjectId, f.SubjectCode, subjectName, f.Severity,
        f.Measurement, f.PackedEvidence);
}

/// <summary>A finding in Vietnamese words: what was measured against what was required.</summary>
public static class FindingText
{
    /// <summary>"Chỉ tiêu 1 (xây dựng quy chế dân chủ)": the target by the short name its set carries, never by code.</summary>
    public static string Target(string code, IReadOnlyDictionary<string, string> targetTexts)
    {
        if (!targetTexts.TryGetValue(code, out var name))
            return code;
        var colon = name.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 ? $"{name[..colon]} ({name[(colon + 2)..]})" : name;
    }

    /// <summary>A target in a table cell: the head of its short name ("Chỉ tiêu 1"), or the whole name when it has no head.</summary>
    public static string Short(string code, IReadOnlyDictionary<string, string> targetTexts)
    {
        var name = targetTexts.GetValueOrDefault(code, code);
        var colon = name.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 ? name[..colon] : name;
    }

    /// <summary>"Kết quả: …; Yêu cầu: …" of a unit alert's line, from one reading of the evidence.</summary>
    public static (string Measured, string Required) MeasuredAndRequired(AlertFinding f)
    {
        if (f.SubjectType == SubjectType.Unit)
        {
            var evidence = UnitEvidence.Read(f);
            return (Measured(f, evidence), Required(f, evidence));
        }

        using var document = f.Document();
        return (Measured(f, document.RootElement), Required(f));
    }

    public static string Measured(AlertFinding f)
    {
        if (f.SubjectType == SubjectType.Unit)
            return Measured(f, UnitEvidence.Read(f));
        using var document = f.Document();
        return Measured(f, document.RootElement);
    }

    /// <summary>An area's standing in words ("chưa đủ số liệu", "chưa đạt"), as its measure begins when it has no figure to give.</summary>
    public static string Standing(FindingOutcome outcome) => outcome switch
    {
        FindingOutcome.Incomplete => "chưa đủ số liệu",
        FindingOutcome.Met => "đạt",
        _ => "chưa đạt",
    };

    /// <summary>What an area measured, from its evidence's counts of units.</summary>
    private static string Measured(AlertFinding f, JsonElement evidence)
    {
        var (met, population, silent) = (Number(evidence, "metUnits"), Number(evidence, "populationUnits"), Number(evidence, "missingUnits") ?? 0);
        // A share of units counts the units that reported: the two figures differ by the units not reported, said as such.
        // A ratio of counts (cases, people) says besides how many units met it.
        var shareOfUnits = met == f.Measurement.Numerator && population is not null;
        var units = population is null ? ""
            : shareOfUnits ? (silent > 0 ? $"; {Vietnamese.Number(silent)} cơ sở chưa báo cáo, chưa tính vào tỷ lệ" : "")
            : $"; {Vietnamese.Number(met ?? 0)}/{Vietnamese.Number(population.Value)} cơ sở đạt"
              + (silent > 0 ? $", {Vietnamese.Number(silent)} cơ sở chưa báo cáo" : "");
        var counted = shareOfUnits && silent > 0 ? " cơ sở đã báo cáo" : "";
        if (f.Measurement.Outcome == FindingOutcome.Incomplete)
        {
            var (reported, notReported) = (Number(evidence, "reportedUnits") ?? 0, Number(evidence, "missingUnits") ?? 0);
            var soFar = f.Measurement.Denominator is > 0
                ? $"; tỷ lệ đến nay {Vietnamese.Percent(f.Measurement.Numerator ?? 0, f.Measurement.Denominator.Value, f.Measurement.Threshold)} ({Vietnamese.Number(f.Measurement.Numerator ?? 0)}/{Vietnamese.Number(f.Measurement.Denominator.Value)})"
                : "";
            return $"{Standing(FindingOutcome.Incomplete)}: {Vietnamese.Number(reported)}/{Vietnamese.Number(reported + notReported)} đơn vị đã báo cáo, {Vietnamese.Number(notReported)} đơn vị chưa báo cáo{soFar}";
        }

        return f.Measurement.Denominator is > 0
            ? $"tỷ lệ {Vietnamese.Percent(f.Measurement.Numerator ?? 0, f.Measurement.Denominator.Value, f.Measurement.Threshold)} ({Vietnamese.Number(f.Measurement.Numerator ?? 0)}/{Vietnamese.Number(f.Measurement.Denominator.Value)}{counted}){units}"
            : $"không tính được tỷ lệ{units}";
    }

    /// <summary>What a unit measured: the indicators it did not report, or the values its target read.</summary>
    private static string Measured(AlertFinding f, UnitEvidence evidence)
    {
        var text = Builder();
        if (f.IsReporting)
        {
            text.Append("chưa báo cáo ").Append(evidence.Missing.Count.ToString(CultureInfo.CurrentCulture)).Append(" nội dung: ");
            for (var i = 0; i < evidence.Missing.Count; i++)
                (i > 0 ? text.Append("; ") : text).Append(IndicatorName(evidence.Missing[i]));
            return text.ToString();
        }

        if (evidence.Values.Count == 0)
            text.Append("không có số liệu");
        for (var i = 0; i < evidence.Values.Count; i++)
        {
            var (code, value) = evidence.Values[i];
            (i > 0 ? text.Append("; ") : text).Append(IndicatorName(code)).Append(": ").Append(Value(code, value));
        }

        if (f.Measurement.Denominator is > 1)
            text.Append(" (tỷ lệ ").Append(Vietnamese.Percent(f.Measurement.Numerator ?? 0, f.Measurement.Denominator.Value,
                f.Measurement.Minimum is null ? f.Measurement.Threshold : null)).Append(')');
        return text.ToString();
    }

    public static string Required(AlertFinding f)
    {
        if (f.IsReporting)
            return Reporting;
        return f.SubjectType == SubjectType.Unit ? Required(f, UnitEvidence.Read(f)) : Threshold(f);
    }

    private static string Required(AlertFinding f, UnitEvidence evidence) =>
        UnitRequirement.Vietnamese(f.TargetCode, f.Measurement, evidence.Values.ConvertAll(v => v.Code), () => Threshold(f));

    /// <summary>This thread's builder of a line's parts, emptied: 400,000 lines grew one each.</summary>
    private static StringBuilder Builder()
    {
        var builder = _builder ??= new StringBuilder(1024);
        if (builder.Capacity > 1 << 16)
            builder = _builder = new StringBuilder(1024);
        return builder.Clear();
    }

    [ThreadStatic]
    private static StringBuilder? _builder;

    private const string Reporting = UnitRequirement.Reporting;

    private static string Threshold(AlertFinding f) => $"tỷ lệ {Vietnamese.Threshold(f.Measurement.Operator, f.Measurement.ThresholdMillionths)}";

    /// <summary>
    /// What a unit's evidence says that its line needs: the values its target read, in order, and the indicators it did
    /// not report. Read by a forward-only reader from the UTF-8 bytes (a province's first run writes 400,000 such lines,
    /// and a document of nodes each cost more than the rest of the line); a part given twice reads as its last, as a
    /// document's lookup reads it.
    /// </summary>
    private sealed record UnitEvidence(List<(string Code, long? Value)> Values, List<string> Missing)
    {
        public static UnitEvidence Read(AlertFinding f)
        {
            var json = CompactText.Evidence.UnpackUtf8(f.PackedEvidence);
            var (values, missing) = (new List<(string, long?)>(), new List<string>());
            var reader = new Utf8JsonReader(json);
            if (json.Length == 0 || !reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return new(values, missing);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var part = reader.ValueTextEquals("values"u8) ? 1 : reader.ValueTextEquals("missing"u8) ? 2 : 0;
                reader.Read();
                if (part == 1 && reader.TokenType == JsonTokenType.StartObject)
                {
                    values.Clear();
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var code = reader.GetString()!;
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.Null)
                        {
                            values.Add((code, null));
                        }
                        else
                        {
                            values.Add((code, reader.GetInt64()));
                            reader.Skip();
                        }
                    }
                }
                else if (part == 2 && reader.TokenType == JsonTokenType.StartArray)
                {
                    missing.Clear();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        missing.Add(reader.GetString()!);
                        reader.Skip();
                    }
                }
                else
                {
                    if (part == 1)
                        values.Clear();
                    else if (part == 2)
                        missing.Clear();
                    reader.Skip();
                }
            }

            return new(values, missing);
        }
    }

    private static string IndicatorName(string code) => IndicatorCatalogue.Find(code)?.NameVi ?? code;

    /// <summary>A property of an evidence object; null when it is absent (or the evidence is not an object).</summary>
    private static JsonElement? Property(JsonElement evidence, string name) =>
        evidence.ValueKind == JsonValueKind.Object && evidence.TryGetProperty(name, out var value) ? value : null;

    private static long? Number(JsonElement evidence, string name) => Property(evidence, name) is { ValueKind: JsonValueKind.Number } n ? n.GetInt64() : null;

    private static string Value(string code, long? node)
    {
        if (node is not { } value)
            return "chưa báo cáo";
        return IndicatorCatalogue.Find(code)?.ValueType switch
        {
            IndicatorValueType.Boolean => value == 1 ? "có" : "không",
            IndicatorValueType.Percentage => (value / 100m).ToString("0.##", Vietnamese.Culture) + "%",
            IndicatorValueType.Amount => Vietnamese.Number(value) + " đồng",
            _ => Vietnamese.Number(value),
        };
    }
}
