using System.Text.Json.Nodes;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Findings;

namespace QcdcCompliance.Alerts;

/// <summary>What an e-mail says of one finding, whether it comes from a run's draft or from a stored row.</summary>
public sealed record AlertFinding(
    string TargetCode,
    SubjectType SubjectType,
    int SubjectId,
    string SubjectCode,
    string SubjectName,
    Severity Severity,
    Measurement Measurement,
    string Evidence)
{
    public bool IsReporting => TargetCode == ReportingTarget.Code;

    public static AlertFinding From(FindingDraft d) => new(d.TargetCode, d.SubjectType, d.SubjectId, d.SubjectCode, d.SubjectName, d.Severity,
        d.Measurement, d.Evidence);

    public static AlertFinding From(Finding f, string subjectName) => new(f.TargetCode, f.SubjectType, f.SubjectId, f.SubjectCode, subjectName, f.Severity,
        f.Measurement, f.Evidence);
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

    public static string Measured(AlertFinding f)
    {
        var evidence = JsonNode.Parse(f.Evidence)?.AsObject() ?? [];
        if (f.SubjectType == SubjectType.Area)
        {
            var (met, population, silent) = ((long?)evidence["metUnits"], (long?)evidence["populationUnits"], (long?)evidence["missingUnits"] ?? 0);
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
                var (reported, notReported) = ((long?)evidence["reportedUnits"] ?? 0, (long?)evidence["missingUnits"] ?? 0);
                var soFar = f.Measurement.Denominator is > 0
                    ? $"; tỷ lệ đến nay {Vietnamese.Percent(f.Measurement.Numerator ?? 0, f.Measurement.Denominator.Value)} ({Vietnamese.Number(f.Measurement.Numerator ?? 0)}/{Vietnamese.Number(f.Measurement.Denominator.Value)})"
                    : "";
                return $"chưa đủ số liệu: {Vietnamese.Number(reported)}/{Vietnamese.Number(reported + notReported)} đơn vị đã báo cáo, {Vietnamese.Number(notReported)} đơn vị chưa báo cáo{soFar}";
            }

            return f.Measurement.Denominator is > 0
                ? $"tỷ lệ {Vietnamese.Percent(f.Measurement.Numerator ?? 0, f.Measurement.Denominator.Value)} ({Vietnamese.Number(f.Measurement.Numerator ?? 0)}/{Vietnamese.Number(f.Measurement.Denominator.Value)}{counted}){units}"
                : $"không tính được tỷ lệ{units}";
        }

        var missing = evidence["missing"] is JsonArray m ? m.Select(x => x!.GetValue<string>()).ToList() : [];
        if (f.IsReporting)
            return $"chưa báo cáo {missing.Count} nội dung: {string.Join("; ", missing.Select(IndicatorName))}";

        var values = evidence["values"] is JsonObject v
            ? v.Select(kv => $"{IndicatorName(kv.Key)}: {Value(kv.Key, kv.Value)}").ToList()
            : [];
        var text = values.Count > 0 ? string.Join("; ", values) : "không có số liệu";
        return f.Measurement.Denominator is > 1 ? $"{text} (tỷ lệ {Vietnamese.Percent(f.Measurement.Numerator ?? 0, f.Measurement.Denominator.Value)})" : text;
    }

    public static string Required(AlertFinding f)
    {
        if (f.IsReporting)
            return "báo cáo đầy đủ các nội dung áp dụng cho đơn vị, đúng hạn";
        if (f.SubjectType == SubjectType.Unit && f.Measurement.Minimum is { } minimum)
            return $"ít nhất {Vietnamese.Number(minimum)} trong kỳ";
        if (f.SubjectType == SubjectType.Unit && f.Measurement.Denominator is not > 1
            && JsonNode.Parse(f.Evidence)?["values"] is JsonObject { Count: > 0 } read
            && read.All(kv => IndicatorCatalogue.Find(kv.Key)?.ValueType == IndicatorValueType.Boolean))
        {
            // A yes/no requirement, said as what must be done: "ban hành đầy đủ quy chế thực hiện dân chủ ở cơ sở".
            return string.Join("; ", read.Select(kv => IndicatorName(kv.Key)).Select(d => char.ToLowerInvariant(d[0]) + d[1..]));
        }
        return $"tỷ lệ {Vietnamese.Threshold(f.Measurement.Operator, f.Measurement.ThresholdMillionths)}";
    }

    private static string IndicatorName(string code) => IndicatorCatalogue.Find(code)?.NameVi ?? code;

    private static string Value(string code, JsonNode? node)
    {
        if (node is null)
            return "chưa báo cáo";
        var value = node.GetValue<long>();
        return IndicatorCatalogue.Find(code)?.ValueType switch
        {
            IndicatorValueType.Boolean => value == 1 ? "có" : "không",
            IndicatorValueType.Percentage => (value / 100m).ToString("0.##", Vietnamese.Culture) + "%",
            IndicatorValueType.Amount => Vietnamese.Number(value) + " đồng",
            _ => Vietnamese.Number(value),
        };
    }
}
