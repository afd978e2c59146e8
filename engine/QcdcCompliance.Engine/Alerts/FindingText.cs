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
        using var document = f.Document();
        return (Measured(f, document.RootElement), Required(f, document.RootElement));
    }

    public static string Measured(AlertFinding f)
    {
        using var document = f.Document();
        return Measured(f, document.RootElement);
    }

    private static string Measured(AlertFinding f, JsonElement evidence)
    {
        if (f.SubjectType == SubjectType.Area)
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
                    ? $"; tỷ lệ đến nay {Vietnamese.Percent(f.Measurement.Numerator ?? 0, f.Measurement.Denominator.Value)} ({Vietnamese.Number(f.Measurement.Numerator ?? 0)}/{Vietnamese.Number(f.Measurement.Denominator.Value)})"
                    : "";
                return $"chưa đủ số liệu: {Vietnamese.Number(reported)}/{Vietnamese.Number(reported + notReported)} đơn vị đã báo cáo, {Vietnamese.Number(notReported)} đơn vị chưa báo cáo{soFar}";
            }

            return f.Measurement.Denominator is > 0
                ? $"tỷ lệ {Vietnamese.Percent(f.Measurement.Numerator ?? 0, f.Measurement.Denominator.Value)} ({Vietnamese.Number(f.Measurement.Numerator ?? 0)}/{Vietnamese.Number(f.Measurement.Denominator.Value)}{counted}){units}"
                : $"không tính được tỷ lệ{units}";
        }

        if (f.IsReporting)
        {
            var missing = Property(evidence, "missing") is { ValueKind: JsonValueKind.Array } m ? m.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
            return $"chưa báo cáo {missing.Count} nội dung: {string.Join("; ", missing.Select(IndicatorName))}";
        }

        var values = Property(evidence, "values") is { ValueKind: JsonValueKind.Object } v
            ? v.EnumerateObject().Select(kv => $"{IndicatorName(kv.Name)}: {Value(kv.Name, kv.Value)}").ToList()
            : [];
        var text = values.Count > 0 ? string.Join("; ", values) : "không có số liệu";
        return f.Measurement.Denominator is > 1 ? $"{text} (tỷ lệ {Vietnamese.Percent(f.Measurement.Numerator ?? 0, f.Measurement.Denominator.Value)})" : text;
    }

    public static string Required(AlertFinding f)
    {
        using var document = f.Document();
        return Required(f, document.RootElement);
    }

    private static string Required(AlertFinding f, JsonElement evidence)
    {
        if (f.IsReporting)
            return "báo cáo đầy đủ các nội dung áp dụng cho đơn vị, đúng hạn";
        if (f.SubjectType == SubjectType.Unit && f.Measurement.Minimum is { } minimum)
            return $"ít nhất {Vietnamese.Number(minimum)} trong kỳ";
        if (f.SubjectType == SubjectType.Unit && f.Measurement.Denominator is not > 1)
        {
            var read = Property(evidence, "values") is { ValueKind: JsonValueKind.Object } v ? v.EnumerateObject().Select(p => p.Name).ToList() : [];
            // A yes/no requirement, said as what must be done: "ban hành đầy đủ quy chế thực hiện dân chủ ở cơ sở".
            if (read.Count > 0 && read.All(code => IndicatorCatalogue.Find(code)?.ValueType == IndicatorValueType.Boolean))
                return string.Join("; ", read.Select(IndicatorName).Select(d => char.ToLowerInvariant(d[0]) + d[1..]));
        }

        return $"tỷ lệ {Vietnamese.Threshold(f.Measurement.Operator, f.Measurement.ThresholdMillionths)}";
    }

    private static string IndicatorName(string code) => IndicatorCatalogue.Find(code)?.NameVi ?? code;

    /// <summary>A property of an evidence object; null when it is absent (or the evidence is not an object).</summary>
    private static JsonElement? Property(JsonElement evidence, string name) =>
        evidence.ValueKind == JsonValueKind.Object && evidence.TryGetProperty(name, out var value) ? value : null;

    private static long? Number(JsonElement evidence, string name) => Property(evidence, name) is { ValueKind: JsonValueKind.Number } n ? n.GetInt64() : null;

    private static string Value(string code, JsonElement node)
    {
        if (node.ValueKind == JsonValueKind.Null)
            return "chưa báo cáo";
        var value = node.GetInt64();
        return IndicatorCatalogue.Find(code)?.ValueType switch
        {
            IndicatorValueType.Boolean => value == 1 ? "có" : "không",
            IndicatorValueType.Percentage => (value / 100m).ToString("0.##", Vietnamese.Culture) + "%",
            IndicatorValueType.Amount => Vietnamese.Number(value) + " đồng",
            _ => Vietnamese.Number(value),
        };
    }
}
